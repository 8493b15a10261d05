"""The soft-signal exchange as a viewer sees it: what they may ask for, their requests,
an owner's queue, and the follow-up figures.

The actions (ask, approve, deny, revoke, share) are in
:mod:`workbench.security.exchange`; they take the signal ids found here.
What may be asked for is decided here, once: the signals behind an item
that the viewer sees only pseudonymised. Signals hidden from the viewer are
never offered (asking would tell that they exist), nor are their own
organisation's.

Who sees which requests: the requester their own; a coordinator (or admin)
every request to or from their organisation; the local operator all. An
owner's queue shows each signal in full, as the owner sees it; the
requester sees nothing new until a release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from graph_schema import enums
from graph_schema.model import model
from workbench.query import visibility
from workbench.query.errors import InvalidInput, NotFound
from workbench.query.session import Session
from workbench.query.signals import SignalRow, in_time_order, signal_row
from workbench.security.requests import STATUSES, Flow, Request, RequestBook, by_owner, flows
from workbench.security.sharing import Access, signal_owner

ENTITIES = ("Person", "FacilitatorEntity")
OVERSEERS = ("coordinator", "admin")  # see every request to or from their organisation


@dataclass(frozen=True)
class Incoming:
    """An open request in the owner's queue, with each signal as the owner reads it."""

    request: Request
    signals: tuple[SignalRow, ...]


def _mentions_signals(session: Session, entities: Sequence[str]) -> list[str]:
    links = session.store.find_edges("RESOLVED_TO", dst=list(entities)) if entities else []
    found = session.store.get_nodes([e.src for e in links], fields=["signals"])
    return [s for n in found.values() for s in n.props.get("signals") or ()]


def signals_behind(session: Session, item_id: str) -> list[str]:
    """The stored signals behind an item the viewer may see (else :class:`NotFound`).

    A signal is itself; an evidence node is what asserts it; a person or
    facilitator is its records; a cluster its members' records; an alert
    what it is about.
    """
    visibility.node(session, item_id)  # NotFound when hidden: asking must not probe
    item = visibility.stored_id(session, item_id)  # a pseudonymised phone: its stored id
    label = item.partition(":")[0]
    if label == "Signal":
        return [item]
    if label in ENTITIES:
        return _mentions_signals(session, [item])
    if label == "Cluster":
        members = [e.src for e in session.store.find_edges("MEMBER_OF", dst=[item])]
        return _mentions_signals(session, members)
    if label == "Alert":
        about = [e.dst for e in session.store.find_edges("ABOUT", src=[item])]
        return [s for a in about for s in signals_behind(session, a)]
    spec = model().nodes.get(label)
    if spec is not None and "signals" in spec.properties:
        stored = session.store.get_nodes([item], fields=["signals"]).get(item)
        return list(stored.props.get("signals") or ()) if stored else []
    raise InvalidInput(f"a {label} has no signals of its own to ask for")


def withheld_behind(session: Session, item_id: str) -> dict[str, list[str]]:
    """Owner -> the signals behind ``item_id`` the viewer sees only pseudonymised.

    This is exactly what a request on the item asks for, one request per owner.
    """
    behind = list(dict.fromkeys(signals_behind(session, item_id)))
    levels = visibility.signal_levels(session, behind)
    return by_owner({s: signal_owner(s) for s in behind if levels.get(s) == Access.PSEUDONYMISED})


def own_behind(session: Session, item_id: str) -> list[str]:
    """The viewer's own organisation's signals behind ``item_id`` (what an owner may share)."""
    org = session.viewer.organisation
    return sorted({s for s in signals_behind(session, item_id) if signal_owner(s) == org})


def theme_signals(session: Session, theme: str, since: dt.date) -> list[str]:
    """The viewer's own organisation's soft signals of ``theme`` dated ``since`` or later."""
    themes = tuple(enums.values("theme"))
    if theme not in themes:
        raise InvalidInput(f"unknown theme {theme!r}; one of {', '.join(themes)}")
    where = {"source": session.viewer.organisation, "kind": "zacht", "theme": theme}
    found = session.store.find_nodes("Signal", where, fields=["date"])
    return sorted(n.id for n in found if (d := n.props.get("date")) is not None and d >= since)


def requests_for(
    session: Session, book: RequestBook, *, status: str | None = None, item: str | None = None
) -> list[Request]:
    """The requests the viewer may see, newest first (``item``: only those on that item)."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
    me = session.viewer
    if visibility.custodian(session):
        found = book.rows(status=status)
    elif me.role in OVERSEERS:
        found = book.rows(status=status, organisation=me.organisation)
    else:
        found = book.rows(status=status, requester=me.username)
    return [r for r in found if item is None or r.item_id == item]


def mine(session: Session, book: RequestBook, item: str | None = None) -> list[Request]:
    """The requests the viewer made (on ``item``, or all): the "My requests" page."""
    return [r for r in book.rows(requester=session.viewer.username)
            if item is None or r.item_id == item]  # fmt: skip


def queue(session: Session, book: RequestBook) -> list[Incoming]:
    """Open requests to the viewer's organisation that they may decide, oldest first, each
    signal as the owner reads it (one bulk read for the whole queue)."""
    me = session.viewer
    if me.role != "coordinator":
        return []
    waiting = [r for r in book.rows(status="open", organisation=me.organisation)
               if r.owner_org == me.organisation]  # fmt: skip
    ids = [i.signal_id for r in waiting for i in r.items]
    seen = visibility.nodes(session, ids)
    out = []
    for r in reversed(waiting):
        rows = [signal_row(seen[i.signal_id]) for i in r.items if i.signal_id in seen]
        out.append(Incoming(r, tuple(in_time_order(rows))))
    return out


def waiting(session: Session, book: RequestBook) -> int:
    """How many requests wait for the viewer's organisation (the sidebar count)."""
    me = session.viewer
    return book.count_open(me.organisation) if me.role == "coordinator" else 0


def follow_up(session: Session, book: RequestBook) -> list[Flow]:
    """Requests made, approved, partly approved, denied and lapsed per pair of organisations,
    with the median time to a decision: for coordinators and admins (their organisation's
    pairs) and the local operator (all)."""
    me = session.viewer
    if visibility.custodian(session):
        return flows(book.rows())
    if me.role not in OVERSEERS:
        raise NotFound("the exchange figures are for coordinators and administrators")
    return flows(book.rows(organisation=me.organisation))
