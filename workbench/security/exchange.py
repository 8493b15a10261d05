"""The soft-signal exchange: ask for what is withheld, the owner decides, releases lapse.

This is the "hit / no hit" model of FIU.net's Ma3tch and Europol's
cross-checks made into a workflow. A viewer who sees a partner's signal
only pseudonymised asks its owner for release, with a purpose and a legal
ground (``grounds.yaml``); one request goes to each owning organisation.
A coordinator of that organisation approves all or some of its signals (to
the requesting organisation, or to every partner), denies the rest, and can
revoke later; a release lapses after its term without anyone running a
command (:func:`apply_lapses`, called whenever a policy is built). An owner
coordinator can also share without being asked (:func:`share`).

Every action here is permission-checked and audited with its reason. What a
viewer may *see* of the items and of the requests is decided in
``workbench.query.exchange``; these functions take the signal ids the query
layer found and never read the graph for a viewer.

Rules: only a coordinator of the owning organisation decides; nobody
decides on their own request; analysts, investigators and admins (of any
organisation) and coordinators of other organisations cannot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from workbench.security.cases import CASE_PREFIX
from workbench.security.casework import requester_case, sharable_case
from workbench.security.config import load_yaml
from workbench.security.errors import (
    ConfigError,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    ReasonRequired,
)
from workbench.security.policy import Viewer
from workbench.security.releases import Release
from workbench.security.requests import Request
from workbench.security.roles import ORGANISATIONS, require
from workbench.security.session import SecurityContext
from workbench.security.sharing import ALL_PARTNERS

FILE = "grounds.yaml"
MAX_DAYS = 730  # no release outlives two years without a new decision
TERM_ENDED = "the term of the release ended"


@dataclass(frozen=True)
class Ground:
    """A legal ground a requester may cite, with the default term of a release under it."""

    key: str
    label: str
    regime: str
    days: int

    def to_dict(self) -> dict[str, object]:
        return {"key": self.key, "label": self.label, "regime": self.regime, "days": self.days}


def grounds(ctx: SecurityContext) -> dict[str, Ground]:
    """The grounds in force (``grounds.yaml``, replaceable in ``$WORKBENCH_HOME``), by key."""
    data, path = load_yaml(FILE, ctx.settings.home)
    raw = data.get("grounds")
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{path}: expected a non-empty list under 'grounds'")
    out: dict[str, Ground] = {}
    for n, g in enumerate(raw, 1):
        where = f"{path} ground {n}"
        if not isinstance(g, dict):
            raise ConfigError(f"{where}: must be a mapping with key, label, regime and days")
        key, label = str(g.get("key") or "").strip(), str(g.get("label") or "").strip()
        regime, days = str(g.get("regime") or "").strip(), g.get("days")
        if not key or not label or regime not in ("wpg", "avg"):
            raise ConfigError(f"{where}: needs a key, a label and regime wpg or avg")
        if not isinstance(days, int) or not 0 < days <= MAX_DAYS:
            raise ConfigError(f"{where}: days must be a whole number from 1 to {MAX_DAYS}")
        if key in out:
            raise ConfigError(f"{where}: the key {key!r} is used twice")
        out[key] = Ground(key, label, regime, days)
    return out


def _text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ReasonRequired(f"{what} is required (it is recorded and shown to the other side)")
    return text


def _term(ctx: SecurityContext, ground: Ground | None, days: int | None) -> dt.datetime:
    term = days if days is not None else (ground.days if ground else None)
    if term is None or not 0 < term <= MAX_DAYS:
        raise InvalidRequest(f"--days must be from 1 to {MAX_DAYS}")
    return ctx.clock() + dt.timedelta(days=term)


def ask(
    ctx: SecurityContext,
    item_id: str,
    withheld: Mapping[str, Sequence[str]],
    *,
    purpose: str,
    ground: str,
) -> list[Request]:
    """Ask each owner in ``withheld`` (owner -> signal ids the viewer cannot read, as
    found by ``query.exchange.withheld_behind``) to release them; one request per owner.

    Signals the viewer already asked for, undecided, are not asked for again.
    """
    require(ctx.viewer, "request")
    why = _text(purpose, "a purpose")
    known = grounds(ctx)
    if ground not in known:
        raise InvalidRequest(f"unknown legal ground {ground!r}; one of {', '.join(known)}")
    me = ctx.viewer
    if me.organisation in withheld:
        raise InvalidRequest(f"{me.organisation} signals are yours to read: nothing to ask")
    asked = ctx.requests.open_items(me.username, [s for ss in withheld.values() for s in ss])
    made = []
    for owner, signals in sorted(withheld.items()):
        new = [s for s in signals if s not in asked]
        if not new:
            continue
        request = ctx.requests.add(
            requester=me.username,
            requester_org=me.organisation,
            owner_org=owner,
            item_id=item_id,
            purpose=why,
            ground=ground,
            signals=new,
        )
        ctx.event(
            "exchange", target=item_id, change="request", request=request.id, owner=owner,
            signals=len(new), purpose=why, ground=ground,
        )  # fmt: skip
        made.append(request)
    if not made and not asked:
        raise InvalidRequest(f"nothing behind {item_id} is withheld from you")
    return made


def _decidable(ctx: SecurityContext, request_id: int, *states: str) -> Request:
    """The request, if this viewer may decide on it and it is in one of ``states``."""
    require(ctx.viewer, "release")
    try:
        request = ctx.requests.get(request_id)
    except LookupError:
        raise NotFound(f"no request {request_id}") from None
    if request.owner_org != ctx.viewer.organisation:
        raise PermissionDenied(
            f"request {request_id} is for {request.owner_org.upper()}: only its coordinators "
            f"decide; {ctx.viewer.username} is of {ctx.viewer.organisation}"
        )
    if request.requester == ctx.viewer.username:
        raise PermissionDenied("nobody decides on their own request: ask a colleague")
    if request.status not in states:
        raise InvalidRequest(f"request {request_id} is {request.status}, not {' or '.join(states)}")
    return request


def approve(
    ctx: SecurityContext,
    request_id: int,
    *,
    reason: str,
    only: Iterable[str] | None = None,
    to_all: bool = False,
    to_case: str | None = None,
    days: int | None = None,
) -> Request:
    """Release the request's signals (``only`` these; the others are denied) to the
    requesting organisation, to every partner with ``to_all``, or to the members of a case
    of the requester with ``to_case``, for ``days`` (default: the ground's term)."""
    request = _decidable(ctx, request_id, "open")
    if to_case is not None and to_all:
        raise InvalidRequest("release to every partner or to a case, not both")
    if to_case is not None:
        requester_case(ctx, to_case, request.requester)
    why = _text(reason, "a reason")
    asked = [i.signal_id for i in request.items]
    chosen = list(dict.fromkeys(only)) if only is not None else asked
    stray = [s for s in chosen if s not in asked]
    if stray:
        raise InvalidRequest(f"request {request_id} does not ask for {', '.join(stray)}")
    until = _term(ctx, grounds(ctx).get(request.ground), days)
    to = CASE_PREFIX + to_case if to_case else ALL_PARTNERS if to_all else request.requester_org
    for signal in chosen:
        ctx.releases.add(
            signal, owner=request.owner_org, to=to, by=ctx.viewer.username,
            expires_at=until, request_id=request_id, reason=why,
        )  # fmt: skip
    decided = ctx.requests.decide(
        request_id, approved=chosen, by=ctx.viewer.username, reason=why, to_all=to_all,
        expires_at=until,
    )  # fmt: skip
    ctx.event(
        "exchange", target=request.item_id, change="approve" if chosen else "deny",
        request=request_id, decision=decided.decision, approved=chosen,
        denied=[s for s in asked if s not in chosen], to=to, until=until.isoformat(), reason=why,
    )  # fmt: skip
    return decided


def deny(ctx: SecurityContext, request_id: int, *, reason: str) -> Request:
    """Refuse the whole request, with a reason the requester reads."""
    request = _decidable(ctx, request_id, "open")
    why = _text(reason, "a reason")
    decided = ctx.requests.decide(request_id, approved=(), by=ctx.viewer.username, reason=why)
    ctx.event(
        "exchange", target=request.item_id, change="deny", request=request_id,
        denied=[i.signal_id for i in request.items], reason=why,
    )  # fmt: skip
    return decided


def revoke(ctx: SecurityContext, request_id: int, *, reason: str) -> Request:
    """Withdraw what an approved request released, before its term ends."""
    request = _decidable(ctx, request_id, "approved", "partial")
    why = _text(reason, "a reason")
    withdrawn = ctx.releases.revoke(request=request_id, by=ctx.viewer.username)
    closed = ctx.requests.close(request_id, "revoked", by=ctx.viewer.username, reason=why)
    ctx.event(
        "exchange", target=request.item_id, change="revoke", request=request_id,
        signals=[r.signal_id for r in withdrawn], reason=why,
    )  # fmt: skip
    return closed


def share(
    ctx: SecurityContext,
    signals: Sequence[str],
    *,
    what: str,
    to: str,
    days: int,
    reason: str,
) -> list[Release]:
    """Release the viewer's own organisation's ``signals`` without being asked (``what``
    names the item or theme they were chosen by, for the audit), to ``to`` (an
    organisation, ``all``, or ``case:ID`` of a live case the coordinator is a member of:
    read by its members only, while it lasts) for ``days``."""
    require(ctx.viewer, "release")
    why = _text(reason, "a reason")
    org = ctx.viewer.organisation
    if to.startswith(CASE_PREFIX):
        sharable_case(ctx, to.removeprefix(CASE_PREFIX))
    elif to != "all" and (to not in ORGANISATIONS or to == org):
        partners = ", ".join(o for o in ORGANISATIONS if o != org)
        raise InvalidRequest(f"--to must be one of {partners}, all or case:CASE_ID")
    if not signals:
        raise InvalidRequest(f"{what} has no {org.upper()} signal to share")
    until = _term(ctx, None, days)
    target = ALL_PARTNERS if to == "all" else to  # an organisation or case:ID
    made = [
        ctx.releases.add(s, owner=org, to=target, by=ctx.viewer.username, expires_at=until,
                         reason=why)
        for s in dict.fromkeys(signals)
    ]  # fmt: skip
    ctx.event(
        "exchange", target=what, change="share", to=target, signals=[r.signal_id for r in made],
        until=until.isoformat(), reason=why,
    )  # fmt: skip
    return made


LAPSE_ACTOR = "system"


def apply_lapses(ctx: SecurityContext) -> list[Release]:
    """End every release past its term, close the requests left with none, audit each.

    Called whenever a viewer's policy is built, so a term ends at the next
    read anywhere, with no command or scheduler needed.
    """
    lapsed = ctx.releases.lapse()
    for r in lapsed:
        ctx.audit.record(
            "exchange",
            actor=Viewer(LAPSE_ACTOR, r.owner, "-"),
            target=r.signal_id,
            details={"change": "lapse", "to": r.to, "release": r.id, "request": r.request_id,
                     "expired": r.expires_at},
        )  # fmt: skip
    for request_id in sorted({r.request_id for r in lapsed if r.request_id is not None}):
        if not ctx.releases.rows(active=True, request=request_id):
            ctx.requests.close(request_id, "lapsed", by=LAPSE_ACTOR, reason=TERM_ENDED)
    return lapsed
