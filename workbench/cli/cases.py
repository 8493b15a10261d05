"""Cases and deconfliction: ``case new|add|show|list|close`` and ``deconflict``.

``workbench case new NAME --regime wpg|avg --purpose TEXT [--member USER ...]``
opens a case led by the acting user; ``case add CASE_ID ITEM_ID ...`` adds
clusters, persons, facilitators, identifiers or signals they may see, and
tells both leads of any overlap with another team's open case;
``deconflict`` lists the notices to the user's cases. Every command takes
``--as USER`` and ``--json``; exit 0 ok, 1 refused (not a member, not
allowed, or nothing you may see), 2 usage. See docs/cases.md.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from workbench.cli.common import JsonOption, cell
from workbench.cli.exchange import governed
from workbench.cli.governance import AsUser, security_context, session_of
from workbench.cli.output import emit, stdout
from workbench.deconflict import add_to_case
from workbench.query import cases as seen
from workbench.security import casework
from workbench.security.cases import REGIMES

case_app = typer.Typer(help="Cases: new, add, show, list, close.", no_args_is_help=True)
CaseId = Annotated[str, typer.Argument(metavar="CASE_ID", help="A case id, like C-1a2b3c4d.")]


def _render_notices(rows: list[dict[str, Any]]) -> None:
    table = Table("id", "your case", "other organisation", "lead", "contact", "item", "raised",
                  "status")  # fmt: skip
    for n in rows:
        table.add_row(
            str(n["id"]), n["case"], n["other_case_org"].upper(), cell(n["other_case_lead"] or "-"),
            cell(n["contact"], 60), cell(n["item_caption"] or n["item"] or "-", 50),
            cell(n["raised_at"][:16]), n["status"],
        )  # fmt: skip
    stdout.print(table)


@case_app.command("new")
def new(
    name: Annotated[str, typer.Argument(help="What the case is called (members see it).")],
    regime: Annotated[str, typer.Option("--regime", help=" or ".join(REGIMES))] = "",
    purpose: Annotated[str, typer.Option("--purpose", help="What the work is for.")] = "",
    member: Annotated[
        list[str] | None, typer.Option("--member", help="A member's user name (repeatable).")
    ] = None,
    sensitive: Annotated[
        bool, typer.Option("--sensitive", help="Overlaps name no lead to the other side.")
    ] = False,
    contact: Annotated[
        str | None, typer.Option("--contact", help="How other teams reach the lead.")
    ] = None,
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Open a case led by you, owned by your organisation."""
    ctx = security_context(as_user)
    case = governed(lambda: casework.open_case(
        ctx, name, regime=regime, purpose=purpose, members=member or (), sensitive=sensitive,
        contact=contact,
    ))  # fmt: skip
    emit({"id": case.id}, as_json=as_json, render=lambda d: stdout.print(f"case {d['id']} open"))


@case_app.command("add")
def add(
    case_id: CaseId,
    items: Annotated[list[str], typer.Argument(metavar="ITEM_ID...", help="Items to add.")],
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Add clusters, persons, facilitators, identifiers or signals you may see to a case."""
    ctx = security_context(as_user, with_store=True)
    session = session_of(ctx)
    added, raised = governed(lambda: add_to_case(ctx, session, case_id, items))
    mine = [n.id for n in raised if n.case_id == case_id]
    data = {"case": case_id, "added": added, "notices": mine}
    said = f"{len(added)} item(s) added; {len(mine)} new deconfliction notice(s)"
    emit(data, as_json=as_json, render=lambda d: stdout.print(said))


@case_app.command("show")
def show(case_id: CaseId, as_user: AsUser = None, as_json: JsonOption = False) -> None:
    """A case's page: items, latest clusters, alerts, dossiers, timeline and notices."""
    ctx = security_context(as_user, with_store=True)
    view = governed(lambda: seen.case_view(session_of(ctx), ctx.cases, ctx.audit, case_id))

    def render(d: dict[str, Any]) -> None:
        stdout.print(f"{d['id']}  {display(d['name'])}  [{d['status']}]  led by {d['lead']}",
                     markup=False)  # fmt: skip
        for it in d["items"]:
            stdout.print(f"  item  {it['id']}  {display(it['caption'])}", markup=False)
        for c in d["clusters"]:
            stdout.print(f"  latest cluster  {c['id']}", markup=False)
        if d["notices"]:
            _render_notices(d["notices"])

    emit(view.to_dict(), as_json=as_json, render=render)


def display(value: Any) -> str:
    return cell(value, 80).plain


@case_app.command("list")
def list_cases(as_user: AsUser = None, as_json: JsonOption = False) -> None:
    """The cases you are a member of."""
    ctx = security_context(as_user, with_store=True)
    found = governed(lambda: seen.my_cases(session_of(ctx), ctx.cases))
    data = {"cases": [c.to_dict() for c in found]}

    def render(d: dict[str, Any]) -> None:
        table = Table("id", "name", "status", "owner", "lead", "regime", "items", "members")
        for c in d["cases"]:
            table.add_row(c["id"], cell(c["name"], 40), c["status"], c["owner_org"], c["lead"],
                          c["regime"], str(len(c["items"])), str(len(c["members"])))  # fmt: skip
        stdout.print(table)

    emit(data, as_json=as_json, render=render)


@case_app.command("close")
def close(
    case_id: CaseId,
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded).")] = "",
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Close a case (its lead, or a coordinator of its organisation): what was shared to it
    stops being readable, and its notices close."""
    ctx = security_context(as_user)
    case = governed(lambda: casework.close_case(ctx, case_id, reason=reason))
    emit({"id": case.id, "status": case.status}, as_json=as_json,
         render=lambda d: stdout.print(f"case {d['id']} {d['status']}"))  # fmt: skip


def deconflict(as_user: AsUser = None, as_json: JsonOption = False) -> None:
    """The deconfliction notices to your cases: whom to call about which overlap."""
    ctx = security_context(as_user, with_store=True)
    rows = governed(lambda: seen.notices(session_of(ctx), ctx.cases))
    emit({"notices": [n.to_dict() for n in rows]}, as_json=as_json,
         render=lambda d: _render_notices(d["notices"]))  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add this feature's commands to ``app``."""
    app.add_typer(case_app, name="case")
    app.command("deconflict")(deconflict)


__all__ = ["register"]
