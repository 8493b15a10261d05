"""Governance: ``users``, ``audit``, ``release``, ``retain`` and ``purge``.

The CLI acts as the named local operator (``WORKBENCH_OPERATOR``, recorded
in every audit event): the custodian of the data directory, an ``admin`` of
the ``joint`` organisation. ``--as USER`` (or ``WORKBENCH_USER``) makes a
command act as that user instead, with their organisation's viewpoint and
their role's permissions, recorded as the operator acting for them. Read
commands of other features take the same option: use :data:`AsUser` and
:func:`security_context`.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.table import Table

from workbench.cli.common import JsonOption, cell, fail, state, store
from workbench.cli.output import OK, PARTIAL, USAGE, emit, stdout
from workbench.query.session import Session
from workbench.security import (
    ORGANISATIONS,
    ROLES,
    SecurityContext,
    SecurityError,
    cli_session,
    display_text,
    require,
)
from workbench.security.manage import add_user, release_signal, revoke_release, set_user_disabled
from workbench.security.retention import extend_retention, plan_purge, purge

AsUser = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar="WORKBENCH_USER",
        help="Act as this user: their viewpoint and permissions (default: the local operator).",
    ),
]

users_app = typer.Typer(help="Accounts: add, list, disable, enable.", no_args_is_help=True)
audit_app = typer.Typer(
    help="The audit log: list events (filters below) or `verify` the hash chain.",
    invoke_without_command=True,
)


def security_context(as_user: str | None, *, with_store: bool = False) -> SecurityContext:
    """The CLI's security context (operator, or ``--as`` user), or a clean exit."""
    try:
        return cli_session(state.settings, as_user, store=store() if with_store else None)
    except SecurityError as exc:
        fail(str(exc), USAGE)
        raise  # unreachable: fail() exits


def query_session(as_user: str | None) -> Session:
    """A read command's handle on the query layer: the store, the viewer's policy, the audit."""
    return session_of(security_context(as_user, with_store=True))


def session_of(ctx: SecurityContext) -> Session:
    """The query session of a security context opened with a store."""
    return Session(ctx.store or store(), ctx.policy, ctx.record)


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} must be a date like 2026-01-31, not {display_text(value)!r}", USAGE)
        raise


def _render_users(rows: list[dict[str, Any]]) -> None:
    table = Table("user", "organisation", "role", "status", "created")
    for r in rows:
        status = "disabled" if r["disabled"] else "active"
        table.add_row(
            cell(r["username"]), r["organisation"], r["role"], status, cell(r["created_at"])
        )
    stdout.print(table)


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Lower case: a-z, 0-9 and ._@-")],
    organisation: Annotated[str, typer.Option("--org", help=", ".join(ORGANISATIONS))],
    role: Annotated[str, typer.Option("--role", help=", ".join(ROLES))],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    oidc: Annotated[
        bool, typer.Option("--oidc", help="No local password: the user logs in through OIDC.")
    ] = False,
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Add an account (the password is prompted for, never an argument)."""
    ctx = security_context(as_user)
    if oidc:
        password = None
    elif password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = add_user(ctx, username, organisation=organisation, role=role, password=password)
    except SecurityError as exc:
        fail(str(exc), USAGE)
    emit(asdict(user), as_json=as_json, render=lambda r: _render_users([r]))


@users_app.command("list")
def users_list(as_user: AsUser = None, as_json: JsonOption = False) -> None:
    """Every account (an organisation's admin sees their own organisation's)."""
    ctx = security_context(as_user)
    try:
        require(ctx.viewer, "manage_users")
    except SecurityError as exc:
        fail(str(exc), USAGE)
    rows = [
        asdict(u)
        for u in ctx.users.list()
        if ctx.custodian or u.organisation == ctx.viewer.organisation
    ]
    emit(rows, as_json=as_json, render=_render_users)


def _set_disabled(username: str, disabled: bool, as_user: str | None, as_json: bool) -> None:
    ctx = security_context(as_user)
    try:
        user = set_user_disabled(ctx, username, disabled=disabled)
    except SecurityError as exc:
        fail(str(exc), USAGE)
    emit(asdict(user), as_json=as_json, render=lambda r: _render_users([r]))


@users_app.command("disable")
def users_disable(username: str, as_user: AsUser = None, as_json: JsonOption = False) -> None:
    """Disable an account: it can no longer log in (its name is never reused)."""
    _set_disabled(username, True, as_user, as_json)


@users_app.command("enable")
def users_enable(username: str, as_user: AsUser = None, as_json: JsonOption = False) -> None:
    """Enable a disabled account again."""
    _set_disabled(username, False, as_user, as_json)


def _render_events(rows: list[dict[str, Any]]) -> None:
    table = Table("seq", "at (UTC)", "actor", "org", "action", "target", "details")
    for r in rows:
        details = {k: v for k, v in r["details"].items() if k not in ("via", "user")}
        table.add_row(
            str(r["seq"]),
            r["at"][:19],
            cell(r["actor"], 40),
            cell(r["organisation"], 10),
            cell(r["action"], 20),
            cell(r["target"], 50),
            cell("; ".join(f"{k}={v}" for k, v in details.items()), 160),
        )
    stdout.print(table)


@audit_app.callback()
def audit_list(
    ctx: typer.Context,
    actor: Annotated[str | None, typer.Option("--actor", help="Only this user.")] = None,
    action: Annotated[str | None, typer.Option("--action", help="login, search, view...")] = None,
    organisation: Annotated[str | None, typer.Option("--org", help="Only this org.")] = None,
    target: Annotated[str | None, typer.Option("--target", help="Only this id.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="From this date (UTC).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Before this date.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many.")] = 100,
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Audit events, newest first. Admins and coordinators see their organisation's."""
    if ctx.invoked_subcommand is not None:
        return
    sec = security_context(as_user)
    try:
        require(sec.viewer, "audit")
    except SecurityError as exc:
        fail(str(exc), USAGE)
    if not sec.custodian:
        organisation = sec.viewer.organisation
    start, end = _date(since, "--since"), _date(until, "--until")
    events = sec.audit.events(
        actor=actor,
        action=action,
        organisation=organisation,
        target=target,
        since=dt.datetime.combine(start, dt.time(), dt.UTC) if start else None,
        until=dt.datetime.combine(end, dt.time(), dt.UTC) if end else None,
        limit=limit,
    )
    emit([e.to_dict() for e in events], as_json=as_json, render=_render_events)


@audit_app.command("verify")
def audit_verify(
    anchor: Annotated[
        str | None,
        typer.Option("--anchor", help="SEQ:HASH of a head recorded earlier (catches truncation)."),
    ] = None,
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Recompute the hash chain; exit 1 naming the first changed or missing event."""
    sec = security_context(as_user)
    try:
        require(sec.viewer, "audit")
    except SecurityError as exc:
        fail(str(exc), USAGE)
    head: tuple[int, str] | None = None
    if anchor:
        seq, _, digest = anchor.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            fail("--anchor must be SEQ:HASH as printed by `workbench audit verify`", USAGE)
        head = (int(seq), digest)
    result = sec.audit.verify(anchor=head)
    data = {
        "ok": result.ok,
        "events": result.events,
        "head": f"{result.head_seq}:{result.head_hash}",
        "first_broken": result.first_broken,
        "reason": result.reason,
    }

    def render(d: dict[str, Any]) -> None:
        if d["ok"]:
            stdout.print(f"audit log intact: {d['events']} events; head {d['head']}")
        else:
            stdout.print(f"audit log BROKEN at event {d['first_broken']}: {d['reason']}")

    emit(data, as_json=as_json, render=render)
    raise typer.Exit(OK if result.ok else PARTIAL)


@audit_app.command("head")
def audit_head(as_json: JsonOption = False) -> None:
    """The last event's SEQ:HASH, to copy off the machine as an anchor."""
    seq, digest = security_context(None).audit.head()
    emit({"head": f"{seq}:{digest}"}, as_json=as_json, render=lambda d: stdout.print(d["head"]))


def release(
    signal_id: Annotated[str, typer.Argument(help="e.g. Signal:ind|IND-2019-0042")],
    to: Annotated[
        str | None, typer.Option("--to", help="One partner organisation (default: all partners).")
    ] = None,
    revoke: Annotated[bool, typer.Option("--revoke", help="Withdraw the release.")] = False,
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Release one of your organisation's signals to partners (a coordinator, with --as)."""
    if not as_user:
        fail("name the releasing coordinator of the owning organisation with --as USER", USAGE)
    ctx = security_context(as_user, with_store=True)
    assert ctx.store is not None
    try:
        if revoke:
            rows = revoke_release(ctx, ctx.store, signal_id, to=to)
        else:
            rows = [release_signal(ctx, ctx.store, signal_id, to=to)]
    except SecurityError as exc:
        fail(str(exc), USAGE)

    def render(d: list[dict[str, Any]]) -> None:
        for r in d:
            what = f"revoked by {r['revoked_by']}" if r["revoked_at"] else "released"
            stdout.print(cell(f"{r['signal_id']} to {r['to']}: {what}"))

    emit([asdict(r) for r in rows], as_json=as_json, render=render)


def retain(
    signal_id: Annotated[str, typer.Argument(help="e.g. Signal:politie|PL-2015-0001")],
    until: Annotated[str, typer.Option("--until", help="Keep it until this date.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (e.g. the case number).")],
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Extend a signal's retention beyond its table date (audited, with a reason)."""
    ctx = security_context(as_user, with_store=True)
    assert ctx.store is not None
    day = _date(until, "--until")
    assert day is not None
    try:
        kept = extend_retention(ctx, ctx.store, signal_id, day, reason=reason)
    except SecurityError as exc:
        fail(str(exc), USAGE)
    emit(
        {"signal": signal_id, "retention_until": kept.isoformat()},
        as_json=as_json,
        render=lambda d: stdout.print(cell(f"{d['signal']} kept until {d['retention_until']}")),
    )


def purge_command(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only show what would go.")] = False,
    today: Annotated[
        str | None, typer.Option("--today", help="Purge as of this date (default: today).")
    ] = None,
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Remove signals past their retention date and everything only they support."""
    ctx = security_context(as_user, with_store=True)
    assert ctx.store is not None
    day = _date(today, "--today") or dt.date.today()
    try:
        require(ctx.viewer, "purge")
        plan = (
            plan_purge(ctx.store, day, home=state.settings.home)
            if dry_run
            else purge(ctx.store, day, ctx)
        )
    except SecurityError as exc:
        fail(str(exc), USAGE)
    data = {"dry_run": dry_run, **plan.to_dict()}

    def render(d: dict[str, Any]) -> None:
        verb = "would remove" if d["dry_run"] else "removed"
        stdout.print(f"as of {d['today']}: {verb} {len(d['signals'])} expired signal(s)")
        table = Table("label", "nodes")
        for label, n in d["nodes_deleted"].items():
            table.add_row(label, str(n))
        stdout.print(table)
        stdout.print(
            f"{d['nodes_kept_with_fewer_signals']} nodes and "
            f"{d['edges_kept_with_fewer_signals']} edges kept (other signals assert them); "
            f"{len(d['entities_recomputed'])} persons/facilitators recomputed; "
            f"{len(d['clusters_deleted'])} clusters removed (run `workbench detect` again)"
        )

    emit(data, as_json=as_json, render=render)


def register(app: typer.Typer) -> None:
    """Add this feature's commands to ``app``."""
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")
    app.command("release")(release)
    app.command("retain")(retain)
    app.command("purge")(purge_command)


__all__ = ["AsUser", "register", "security_context"]
