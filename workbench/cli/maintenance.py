"""``workbench store check`` and ``workbench store repair``: the store's key index.

LadybugDB 0.22 can lose committed keys from a label's key index (ADR 0019,
*Lost keys*): the node is there but a lookup by its id misses it, so a later
load copies it again or fails on its edges. Writes check and repair
themselves since; these commands mend a store that lost keys before, or in a
label no later write checks. Both are an admin's (``maintain_store``); the
check takes only the shared lock, the repair the write lock, and is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.table import Table

from workbench.cli.common import JsonOption, cell, checked
from workbench.cli.governance import AsUser, security_context
from workbench.cli.output import OK, PARTIAL, emit, stderr, stdout
from workbench.security import SecurityContext, SecurityError
from workbench.security.manage import check_store, repair_store
from workbench.store import GraphStore, KeyCheck

T = TypeVar("T")

store_app = typer.Typer(
    help="The store's key index: `check` that every node is found by its id, `repair` if not.",
    no_args_is_help=True,
)


def _render_check(d: dict[str, Any]) -> None:
    table = Table("label", "nodes", "found by key", "lost", "shadowed")
    for k in d["labels"]:
        table.add_row(
            k["label"], f"{k['nodes']:,}", f"{k['keyed']:,}", str(k["lost"]), str(k["shadowed"])
        )
    stdout.print(table)
    for k in d["labels"]:
        for kind in ("lost", "shadowed"):
            shown = k[f"{kind}_ids"]
            if shown:
                more = f" and {k[kind] - len(shown)} more" if k[kind] > len(shown) else ""
                stdout.print(cell(f"{k['label']} {kind}: {', '.join(shown)}{more}", 20_000))
    verdict = "every node is found by its key" if d["ok"] else "KEYS LOST"
    stdout.print(f"{verdict} ({d['seconds']} s)", markup=False)


def _advise(check: KeyCheck, *, repaired: bool) -> None:
    """On stderr: what to do about what is still wrong."""
    if check.lost and not repaired:
        lost = ", ".join(f"{len(ids)} {label}" for label, ids in check.lost.items())
        stderr.print(
            f"{lost} not found by their id: run `workbench store repair` to re-create them "
            "with their edges",
            markup=False,
        )
    elif not check.ok:
        stderr.print(
            "the repair could not mend these: keep the store as it is and report it "
            "(docs/decisions/0019-load-at-scale.md, Lost keys)",
            markup=False,
        )


def _admin(action: Callable[[SecurityContext, GraphStore], T], as_user: str | None) -> T:
    """``action`` as the operator or ``--as`` user: refused (exit 2) or failed (exit 1) cleanly."""
    ctx = security_context(as_user, with_store=True)
    store = ctx.store
    assert store is not None
    return checked(lambda: action(ctx, store), usage=(SecurityError,))


@store_app.command("check")
def check(as_user: AsUser = None, as_json: JsonOption = False) -> None:
    """Every node of every label found by its own key? Read-only; exit 1 naming any lost."""
    result = _admin(check_store, as_user)
    emit(result.to_dict(), as_json=as_json, render=_render_check)
    _advise(result, repaired=False)
    raise typer.Exit(OK if result.ok else PARTIAL)


@store_app.command("repair")
def repair(as_user: AsUser = None, as_json: JsonOption = False) -> None:
    """Re-create nodes their key does not find, with their edges; then check again (audited).

    Does nothing on a healthy store, so it is safe to run twice. Exit 1 when a
    key is still lost or an id is held by two nodes afterwards.
    """
    result = _admin(repair_store, as_user)

    def render(d: dict[str, Any]) -> None:
        made = ", ".join(f"{n} {label}" for label, n in d["recreated"].items()) or "nothing"
        stdout.print(
            f"re-created {made} with {d['edges']} edge(s) in {d['units']} unit(s) "
            f"({d['seconds']} s)",
            markup=False,
        )
        _render_check(d["after"])

    emit(result.to_dict(), as_json=as_json, render=render)
    _advise(result.after, repaired=True)
    raise typer.Exit(OK if result.ok else PARTIAL)


def register(app: typer.Typer) -> None:
    """Add this feature's commands to ``app``."""
    app.add_typer(store_app, name="store")


__all__ = ["register"]
