"""Watchlists: ``watch add|list|remove|hits|dismiss``, and the hits every run raises.

``workbench watch add ITEM [--kind ...]`` watches a phone, plate, document or
alias typed in any notation, a person, facilitator or cluster by node id, or
a saved search; every later load, resolution or detection run raises a hit
for each new fact that touches it (:func:`raise_after`). What a user sees of
a hit is decided in ``workbench.query.watch``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any

import typer
from rich.table import Table

from workbench.cli.common import JsonOption, cell, fail, query_action, state
from workbench.cli.governance import AsUser, query_session
from workbench.cli.output import USAGE, emit, stdout
from workbench.store import GraphStore, StoreError
from workbench.watch.items import KINDS

log = logging.getLogger(__name__)

watch_app = typer.Typer(
    help="Watch phones, plates, documents, aliases, persons, facilitators, clusters, searches.",
    no_args_is_help=True,
)
Item = Annotated[
    str,
    typer.Argument(
        help="A phone, plate, document or alias in any notation; a node id; or a search's text."
    ),
]
Kind = Annotated[
    str | None, typer.Option("--kind", help=f"{'|'.join(KINDS)} (default: from the item).")
]


def raise_after(store: GraphStore, cause: str) -> None:
    """Raise the watch hits of the run that just finished; a failure here is logged, never
    fails the run (its hits are raised by the next run, keyed by fact)."""
    from workbench.watch.scan import raise_hits

    try:
        raise_hits(store, state.settings.home, cause=cause)
    except (StoreError, OSError) as exc:
        log.warning("watch hits after %s not raised now (the next run raises them): %s",
                    cause, exc)  # fmt: skip


@watch_app.command("add")
def add(item: Item, kind: Kind = None, as_user: AsUser = None, as_json: JsonOption = False) -> None:
    """Watch an item: every later run tells you what new touches it."""
    from workbench.query.watch import watch

    session = query_session(as_user)
    row, created = query_action(lambda: watch(session, state.settings.home, item, kind))
    data = {**row.to_dict(), "created": created}

    def render(d: dict[str, Any]) -> None:
        what = "watching" if created else "already watching"
        stdout.print(f"{what} {d['kind']} {d['item']} (watch {d['id']})", markup=False)

    emit(data, as_json=as_json, render=render)


@watch_app.command("list")
def list_(as_user: AsUser = None, as_json: JsonOption = False) -> None:
    """What you watch."""
    from workbench.query.watch import watches

    session = query_session(as_user)
    rows = query_action(lambda: watches(session, state.settings.home))
    data = {"watches": [w.to_dict() for w in rows]}

    def render(d: dict[str, Any]) -> None:
        table = Table("id", "kind", "item", "typed", "since")
        for w in d["watches"]:
            table.add_row(str(w["id"]), w["kind"], cell(w["item"]), cell(w["typed"]),
                          w["created_at"][:10])  # fmt: skip
        stdout.print(table)

    emit(data, as_json=as_json, render=render)


@watch_app.command("remove")
def remove(
    item: Item, kind: Kind = None, as_user: AsUser = None, as_json: JsonOption = False
) -> None:
    """Stop watching an item (typed in any notation)."""
    from workbench.query.watch import unwatch

    session = query_session(as_user)
    gone = query_action(lambda: unwatch(session, state.settings.home, item, kind))
    data = {"removed": [w.to_dict() for w in gone]}
    emit(
        data,
        as_json=as_json,
        render=lambda d: stdout.print(f"stopped watching {gone[0].item}", markup=False),
    )


@watch_app.command("hits")
def hits(
    since: Annotated[
        str | None, typer.Option("--since", help="Only hits raised on or after this date.")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Dismissed hits too.")] = False,
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """New facts touching what you watch, newest first, as far as you may see them."""
    from workbench.query.watch import hits as read

    try:
        day = dt.date.fromisoformat(since) if since else None
    except ValueError:
        fail(f"--since must be a date like 2026-01-31, not {since!r}", USAGE)
        raise
    session = query_session(as_user)
    found = query_action(lambda: read(session, state.settings.home, since=day, dismissed=all_))
    data = {"hits": [h.to_dict() for h in found]}

    def render(_: dict[str, Any]) -> None:
        table = Table("id", "raised", "item", "hit", "status")
        for h in found:
            table.add_row(str(h.id), h.raised_at[:16], cell(h.item), cell(h.message, 120),
                          h.status)  # fmt: skip
        stdout.print(table)

    emit(data, as_json=as_json, render=render)


@watch_app.command("dismiss")
def dismiss(
    hit_id: Annotated[int, typer.Argument(help="The hit's id (from `watch hits`).")],
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Dismiss a hit you have dealt with (kept, marked dismissed; `hits --all` shows it)."""
    from workbench.query.watch import dismiss as do

    session = query_session(as_user)
    query_action(lambda: do(session, state.settings.home, hit_id))
    emit({"dismissed": hit_id}, as_json=as_json,
         render=lambda d: stdout.print(f"dismissed hit {hit_id}", markup=False))  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add this feature's commands to ``app``."""
    app.add_typer(watch_app, name="watch")
