"""``workbench``: one entry point for every task on the command line.

Global options choose the data directory (``--home``, else
``WORKBENCH_HOME``) and verbosity. Every reporting command takes ``--json``.
Exit codes: 0 ok, 1 partial failure (some input could not be used, or the
store failed), 2 usage error or unreadable input.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.logging import RichHandler
from rich.table import Table

from workbench.cli.output import PARTIAL, USAGE, emit, stderr, stdout
from workbench.config import ConfigError, Settings
from workbench.store import GraphStore, StoreError, open_store

app = typer.Typer(
    name="workbench",
    help="Signal workbench: join the chain partners' signals into one graph and find networks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


class State:
    """What the global options decided, shared with every command."""

    settings: Settings


state = State()


@app.callback()
def main(
    home: Annotated[
        Path | None,
        typer.Option(
            "--home", help="Data directory (default: $WORKBENCH_HOME or ./workbench-data)."
        ),
    ] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More logging.")] = 0,
) -> None:
    """Signal workbench command line."""
    logging.basicConfig(
        level=logging.WARNING - 10 * min(verbose, 2),
        format="%(message)s",
        handlers=[RichHandler(console=stderr, show_path=False)],
    )
    try:
        state.settings = Settings.from_env(home)
    except ConfigError as exc:
        fail(str(exc), USAGE)


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


@app.command()
def status(as_json: JsonOption = False) -> None:
    """Which store is in use, where, and how many nodes and edges of each type it holds."""
    s = store()
    try:
        counts = s.counts()
    except StoreError as exc:
        fail(str(exc), PARTIAL)
    data = {"store": s.kind, "location": s.location, **counts}

    def render(d: dict[str, Any]) -> None:
        stdout.print(f"store: {d['store']} at {d['location']}", markup=False)
        for kind in ("nodes", "edges"):
            table = Table(kind, "count")
            for name, n in d[kind].items():
                table.add_row(name, str(n))
            stdout.print(table)

    emit(data, as_json=as_json, render=render)
