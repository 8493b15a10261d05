"""What every command shares: the global state, the store opener, failure exits.

Each feature's commands live in their own module (``workbench/cli/<feature>.py``)
with a ``register(app)`` function; ``main.py`` wires them into one app.
"""

from __future__ import annotations

from typing import Annotated

import typer

from workbench.cli.output import PARTIAL, stderr
from workbench.config import Settings
from workbench.store import GraphStore, StoreError, open_store

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
