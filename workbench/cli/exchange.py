"""The soft-signal exchange: ``request``, ``requests``, ``share`` and ``exchange``.

``workbench request ITEM_ID --purpose TEXT --ground KEY`` asks the owners of
what the acting user sees only pseudonymised behind an item (a cluster,
person, facilitator, alert or signal) to release it: one request per owning
organisation. ``workbench requests`` lists the requests the user may see;
``requests approve|deny|revoke`` are the owner coordinator's decisions.
``workbench share`` releases an owner's own signals unasked; ``workbench
exchange grounds|stats`` show the legal grounds in force and the follow-up
figures. Every command takes ``--as USER`` and ``--json``; exit 0 ok, 1
refused (not allowed, or nothing you may see), 2 usage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.table import Table

from workbench.cli.common import JsonOption, cell, fail
from workbench.cli.governance import AsUser, security_context, session_of
from workbench.cli.output import PARTIAL, USAGE, emit, stdout
from workbench.query import exchange as seen
from workbench.query.errors import NotFound as Unseen
from workbench.query.errors import QueryError
from workbench.security import exchange
from workbench.security.errors import NotFound, PermissionDenied, SecurityError
from workbench.security.requests import STATUSES, Request
from workbench.security.session import SecurityContext

REFUSED = PARTIAL  # exit 1: not allowed, or nothing the user may see
T = TypeVar("T")

Reason = Annotated[str, typer.Option("--reason", help="Why (recorded, shown to the other side).")]
Days = Annotated[
    int | None, typer.Option("--days", min=1, help="Term of the release (default: the ground's).")
]
requests_app = typer.Typer(
    help="Requests for release: list (filter --status), approve, deny, revoke.",
    invoke_without_command=True,
)
exchange_app = typer.Typer(help="The exchange: legal grounds and follow-up figures.",
                           no_args_is_help=True)  # fmt: skip


def governed(action: Callable[[], T]) -> T:
    """Run a governed action (exchange, cases); a refusal exits 1, a wrong request 2, with
    the reason."""
    try:
        return action()
    except (PermissionDenied, NotFound, Unseen) as exc:
        fail(str(exc), REFUSED)
        raise
    except (SecurityError, QueryError) as exc:
        fail(str(exc), USAGE)
        raise


def _context(as_user: str | None) -> SecurityContext:
    return security_context(as_user, with_store=True)


def _render_requests(rows: list[dict[str, Any]]) -> None:
    table = Table("id", "status", "from", "to", "item", "signals", "ground", "purpose", "created")
    for r in rows:
        done = sum(i["status"] == "approved" for i in r["items"])
        table.add_row(
            str(r["id"]), r["status"], cell(f"{r['requester']} ({r['requester_org']})", 30),
            r["owner_org"], cell(r["item"], 40), f"{done}/{len(r['items'])} released",
            cell(r["ground"], 12), cell(r["purpose"], 60), cell(r["created_at"][:16]),
        )  # fmt: skip
    stdout.print(table)


def _emit_requests(rows: list[Request], as_json: bool) -> None:
    data = [r.to_dict() for r in rows]
    emit({"requests": data}, as_json=as_json, render=lambda d: _render_requests(d["requests"]))


def request(
    item_id: Annotated[str, typer.Argument(help="A cluster, person, alert or signal id.")],
    purpose: Annotated[str, typer.Option("--purpose", help="What you need it for.")] = "",
    ground: Annotated[
        str, typer.Option("--ground", help="Legal ground key: see `workbench exchange grounds`.")
    ] = "",
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Ask the owners of what is withheld from you behind an item to release it."""
    ctx = _context(as_user)
    session = session_of(ctx)
    withheld = governed(lambda: seen.withheld_behind(session, item_id))
    made = governed(lambda: exchange.ask(ctx, item_id, withheld, purpose=purpose, ground=ground))
    data = {
        "request_ids": [r.id for r in made],
        "signals": sum(len(r.items) for r in made),
        "owners": [r.owner_org for r in made],
    }

    def render(d: dict[str, Any]) -> None:
        if not d["request_ids"]:
            stdout.print("You asked for all of it already; the owners have not decided yet.")
        for rid, owner in zip(d["request_ids"], d["owners"], strict=True):
            stdout.print(f"request {rid} to {owner.upper()}: open")

    emit(data, as_json=as_json, render=render)


@requests_app.callback()
def requests_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option("--status", help=", ".join(STATUSES))] = None,
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Requests you may see: your own; a coordinator's organisation's, incoming and outgoing."""
    if ctx.invoked_subcommand is not None:
        return
    sec = _context(as_user)
    rows = governed(lambda: seen.requests_for(session_of(sec), sec.requests, status=status))
    _emit_requests(rows, as_json)


@requests_app.command("approve")
def requests_approve(
    request_id: Annotated[int, typer.Argument(metavar="REQ")],
    reason: Reason = "",
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Release only this signal (repeatable); deny the others."),
    ] = None,
    to_all: Annotated[
        bool, typer.Option("--to-all", help="Release to every partner, not only the requester.")
    ] = False,
    to_case: Annotated[
        str | None,
        typer.Option("--to-case", help="Release to the members of this case of the requester."),
    ] = None,
    days: Days = None,
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Approve a request to your organisation (a coordinator; not your own request)."""
    sec = _context(as_user)
    done = governed(lambda: exchange.approve(
        sec, request_id, reason=reason, only=only, to_all=to_all, to_case=to_case, days=days
    ))  # fmt: skip
    _emit_requests([done], as_json)


@requests_app.command("deny")
def requests_deny(
    request_id: Annotated[int, typer.Argument(metavar="REQ")],
    reason: Reason = "",
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Deny a request to your organisation, with a reason the requester reads."""
    sec = _context(as_user)
    _emit_requests([governed(lambda: exchange.deny(sec, request_id, reason=reason))], as_json)


@requests_app.command("revoke")
def requests_revoke(
    request_id: Annotated[int, typer.Argument(metavar="REQ")],
    reason: Reason = "",
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Withdraw what an approved request released, before its term ends."""
    sec = _context(as_user)
    _emit_requests([governed(lambda: exchange.revoke(sec, request_id, reason=reason))], as_json)


def _since(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        fail("--theme needs --since DATE, like 2026-01-31", USAGE)
        raise


def share(
    item_id: Annotated[
        str | None, typer.Argument(help="A cluster, person, alert or signal id.")
    ] = None,
    theme: Annotated[
        str | None, typer.Option("--theme", help="Every soft signal of this theme ...")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="... dated from this day.")] = None,
    to: Annotated[
        str, typer.Option("--to", help="A partner organisation, all, or case:CASE_ID.")
    ] = "",
    days: Annotated[int, typer.Option("--days", min=1, help="Term of the release.")] = 90,
    reason: Reason = "",
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Share your organisation's signals without being asked (a coordinator)."""
    if (item_id is None) == (theme is None):
        fail("name an ITEM_ID or a --theme (with --since), not both", USAGE)
    sec = _context(as_user)
    session = session_of(sec)
    if theme is not None:
        what = f"theme:{theme}"
        day = _since(since)
        signals = governed(lambda: seen.theme_signals(session, theme, day))
    else:
        what = str(item_id)
        signals = governed(lambda: seen.own_behind(session, what))
    made = governed(
        lambda: exchange.share(sec, signals, what=what, to=to, days=days, reason=reason)
    )
    data = {
        "shared": [r.signal_id for r in made],
        "to": made[0].to if made else to,
        "expires_at": made[0].expires_at if made else None,
    }
    emit(data, as_json=as_json,
         render=lambda d: stdout.print(f"{len(d['shared'])} signal(s) shared to {d['to']} "
                                       f"until {d['expires_at']}"))  # fmt: skip


@exchange_app.command("grounds")
def grounds(as_user: AsUser = None, as_json: JsonOption = False) -> None:
    """The legal grounds a request may cite, and each one's default term in days."""
    sec = security_context(as_user)
    found = governed(lambda: exchange.grounds(sec))
    data = {"grounds": [g.to_dict() for g in found.values()]}

    def render(d: dict[str, Any]) -> None:
        table = Table("key", "regime", "days", "label")
        for g in d["grounds"]:
            table.add_row(g["key"], g["regime"], str(g["days"]), cell(g["label"], 90))
        stdout.print(table)

    emit(data, as_json=as_json, render=render)


@exchange_app.command("stats")
def stats(as_user: AsUser = None, as_json: JsonOption = False) -> None:
    """Requests made, approved, partly approved, denied, lapsed per pair of organisations."""
    sec = _context(as_user)
    pairs = governed(lambda: seen.follow_up(session_of(sec), sec.requests))
    data = {"pairs": [p.to_dict() for p in pairs]}
    keys = ("requested", "open", "approved", "partial", "denied", "lapsed", "revoked")

    def render(d: dict[str, Any]) -> None:
        table = Table("from", "to", *keys, "median hours")
        for p in d["pairs"]:
            hours = p["median_hours_to_decision"]
            table.add_row(p["from"], p["to"], *(str(p[k]) for k in keys),
                          "-" if hours is None else f"{hours:.1f}")  # fmt: skip
        stdout.print(table)

    emit(data, as_json=as_json, render=render)


def register(app: typer.Typer) -> None:
    """Add this feature's commands to ``app``."""
    app.command("request")(request)
    app.add_typer(requests_app, name="requests")
    app.command("share")(share)
    app.add_typer(exchange_app, name="exchange")


__all__ = ["register"]
