"""Case actions, each permission-checked and audited: open, add items, close, notify.

Rules: analysts, investigators and coordinators open cases (admins manage
accounts, not cases), and lead the cases they open; only members act on a
case, and to anyone else a case does not exist (:class:`NotFound`, the same
as for an unknown id); the lead or a coordinator of the owning organisation
who is a member closes it, with a reason. Items are added as the query layer
found them visible to the member (``workbench.query.cases.addable``).

Every change is an audit event ``case`` under the actor; every notice an
event ``deconfliction`` by ``system`` under the receiving case's owning
organisation, naming only what the notice itself shows its receivers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from workbench.security.audit import AuditLog
from workbench.security.cases import REGIMES, Case, Notice
from workbench.security.errors import (
    InvalidRequest,
    NotFound,
    PermissionDenied,
    ReasonRequired,
    UnknownUser,
)
from workbench.security.policy import Viewer
from workbench.security.roles import require
from workbench.security.session import SecurityContext

SYSTEM = "system"
NAME_MAX = 200


def _text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ReasonRequired(f"{what} is required (it is recorded with the case)")
    return text


def member_case(ctx: SecurityContext, case_id: str) -> Case:
    """The case, if the viewer is a member; else :class:`NotFound` (never "not yours": a
    non-member must not learn that the case exists)."""
    case = ctx.cases.for_member(case_id, ctx.viewer.username)
    if case is None:
        raise NotFound(f"no case {case_id!r} of yours; `workbench case list` shows yours")
    return case


def live_case(ctx: SecurityContext, case_id: str) -> Case:
    """:func:`member_case`, refusing a closed case."""
    case = member_case(ctx, case_id)
    if not case.live:
        raise InvalidRequest(f"case {case_id} is closed ({case.close_reason})")
    return case


def open_case(
    ctx: SecurityContext,
    name: str,
    *,
    regime: str,
    purpose: str,
    members: Sequence[str] = (),
    sensitive: bool = False,
    contact: str | None = None,
) -> Case:
    """Open a case led by the viewer, owned by their organisation, with ``members``."""
    require(ctx.viewer, "case")
    title = _text(name, "a case name")[:NAME_MAX]
    why = _text(purpose, "a purpose")
    if regime not in REGIMES:
        raise InvalidRequest(f"--regime must be one of {', '.join(REGIMES)}")
    me = ctx.viewer
    team = {me.username: me.organisation}
    for username in dict.fromkeys(members):
        try:
            user = ctx.users.get(username)
        except UnknownUser:
            raise InvalidRequest(f"no account {username!r} to make a member") from None
        if user.disabled:
            raise InvalidRequest(f"the account {username!r} is disabled")
        team[user.username] = user.organisation
    reach = (contact or "").strip() or f"{me.username} ({me.organisation.upper()})"
    case = ctx.cases.create(
        name=title, owner_org=me.organisation, lead=me.username, contact=reach, regime=regime,
        purpose=why, sensitive=sensitive, members=team,
    )  # fmt: skip
    ctx.event(
        "case", target=case.id, change="open", name=title, regime=regime, purpose=why,
        sensitive=sensitive, members=sorted(team),
    )  # fmt: skip
    return case


def add_items(ctx: SecurityContext, case_id: str, items: Sequence[str]) -> list[str]:
    """Add items the query layer found visible to the viewer; returns those that are new."""
    require(ctx.viewer, "case")
    live_case(ctx, case_id)
    if not items:
        raise InvalidRequest("name at least one item to add")
    added = ctx.cases.add_items(case_id, items, by=ctx.viewer.username)
    ctx.event("case", target=case_id, change="add", items=added)
    return added


def close_case(ctx: SecurityContext, case_id: str, *, reason: str) -> Case:
    """Close the case: its notices close, and what was shared to it stops being readable."""
    case = live_case(ctx, case_id)
    me = ctx.viewer
    if me.username != case.lead and not (
        me.role == "coordinator" and me.organisation == case.owner_org
    ):
        raise PermissionDenied(
            f"only the lead ({case.lead}) or a coordinator of {case.owner_org.upper()} "
            f"closes case {case_id}"
        )
    why = _text(reason, "a reason")
    closed, ended = ctx.cases.close(case_id, by=me.username, reason=why)
    ctx.event("case", target=case_id, change="close", reason=why, notices_closed=len(ended))
    return closed


def sharable_case(ctx: SecurityContext, case_id: str) -> Case:
    """A live case the viewer may share their organisation's signals to (as a member)."""
    require(ctx.viewer, "release")
    return live_case(ctx, case_id)


def requester_case(ctx: SecurityContext, case_id: str, requester: str) -> Case:
    """A live case whose member ``requester`` is (approving a request to the case)."""
    case = ctx.cases.for_member(case_id, requester)
    if case is None:
        raise NotFound(f"{requester} is in no case {case_id!r}")
    if not case.live:
        raise InvalidRequest(f"case {case_id} is closed")
    return case


def audit_notices(audit: AuditLog, notices: Sequence[Notice], cases: Mapping[str, Case]) -> None:
    """One ``deconfliction`` event per new notice, under the receiving case's organisation,
    with only what its receivers are shown of the other case."""
    for n in notices:
        mine, other = cases[n.case_id], cases[n.other_case]
        audit.record(
            "deconfliction",
            actor=Viewer(SYSTEM, mine.owner_org, "-"),
            target=n.case_id,
            details={
                "notice": n.id, "item": None if other.sensitive else n.subject,
                "other_case_org": other.owner_org,
                "other_case_lead": None if other.sensitive else other.lead,
                "sensitive_other": other.sensitive,
            },
        )  # fmt: skip
