"""What every command shares: the global state, the store opener, failure exits.

Each feature's commands live in their own module (``workbench/cli/<feature>.py``)
with a ``register(app)`` function; ``main.py`` wires them into one app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.text import Text

from workbench.cli.output import PARTIAL, USAGE, stderr
from workbench.config import Settings
from workbench.security import display_text
from workbench.store import GraphStore, StoreError, open_store

T = TypeVar("T")
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


class State:
    """What the global options decided, shared with every command."""

    settings: Settings


state = State()


def fail(message: str, code: int) -> None:
    """Report an error on stderr and exit with ``code``."""
    stderr.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


def store() -> GraphStore:
    """Open the configured store, turning storage errors into a clean exit."""
    try:
        return open_store(state.settings)
    except StoreError as exc:
        fail(str(exc), PARTIAL)
        raise  # unreachable: fail() exits


def cell(value: Any, limit: int = 80) -> Text:
    """A table cell for stored data: inert in the terminal, never read as rich markup.

    Names, notes and file names can hold ``[link=...]`` or ``[bold]``; rich
    would render a plain string cell as markup.
    """
    return Text(display_text(value, limit=limit, oneline=True)) if value is not None else Text("")


def query_action(action: Callable[[], T]) -> T:
    """Run a query-layer call; its refusal (usage) or a store failure becomes a clean exit."""
    from workbench.query.errors import QueryError

    return checked(action, usage=(QueryError,))


def checked(action: Callable[[], T], *, usage: tuple[type[Exception], ...]) -> T:
    """Run ``action``; a ``usage`` error exits 2 and a store failure 1, each with its message."""
    try:
        return action()
    except usage as exc:
        fail(str(exc), USAGE)
        raise
    except StoreError as exc:
        fail(str(exc), PARTIAL)
        raise
