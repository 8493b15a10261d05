"""Resolved persons as a viewer may see them: the whole list, and one person's resolution.

The list streams: persons are read a page at a time in id order, each page
with its mentions and one bulk prefetch of the policy, so its cost grows
with what is read and a million persons never sit in memory at once
(``workbench persons --json`` prints each page as it comes).

A person's history and explained links are read from the ``MatchDecision``
nodes entity resolution wrote, through the policy: a decision's reason and
an explanation's values show only for mentions the viewer may read in full.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.query import visibility
from workbench.query.errors import FeatureUnavailable, NotFound
from workbench.query.session import Session
from workbench.store import Node

if TYPE_CHECKING:
    from workbench.resolve.api import HistoryEvent, PairExplanation

PAGE = 2000  # persons per page: ~0.2 s of reading at 80k persons
PAIR_LOOKUPS = 300  # mentions of one person up to which its links are looked up by key


@dataclass(frozen=True)
class RecordRef:
    """A source record that mentions a person, and in which role."""

    source: str
    record_id: str
    role: str


@dataclass(frozen=True)
class PersonRow:
    """One resolved person with the records the viewer may see."""

    id: str  # the node id, ``Person:P...``
    name: str | None
    v_number: str | None
    birth_date: str | None
    nationality: str | None
    records: tuple[RecordRef, ...]
    v_number_conflict: bool | None = None  # two V-numbers not one typo apart (None: withheld)

    def to_dict(self) -> dict[str, Any]:
        """The shape of ``workbench persons --json`` (``id`` without its label)."""
        return {
            "id": self.id.partition(":")[2],
            "name": self.name,
            "v_number": self.v_number,
            "birth_date": self.birth_date,
            "nationality": self.nationality,
            "v_number_conflict": self.v_number_conflict,
            "records": [
                {"source": r.source, "record_id": r.record_id, "role": r.role} for r in self.records
            ],
        }


def _page(session: Session, people: Sequence[Node]) -> list[PersonRow]:
    """The visible persons of one page, with their visible records.

    A record's source, id and role are kept in a pseudonymised mention, so
    for the records the mentions are only judged, not shaped.
    """
    links = session.store.find_edges("RESOLVED_TO", dst=[p.id for p in people])
    mentions = session.store.get_nodes([e.src for e in links])
    visibility.known_resolution(session, people, links)
    seen = visibility.seen_ids(session, mentions, prefetch=people)
    records: dict[str, list[RecordRef]] = defaultdict(list)
    for e in links:
        if e.src in seen:
            p = mentions[e.src].props
            records[e.dst].append(RecordRef(p["source"], p["record_id"], p["role"]))
    out = []
    for person_id, shown in visibility.shown_by_stored_id(session, people).items():
        p = shown.props
        out.append(
            PersonRow(
                id=shown.id,
                name=p.get("name"),
                v_number=p.get("v_number"),
                birth_date=p.get("birth_date"),
                nationality=p.get("nationality"),
                v_number_conflict=p.get("v_number_conflict"),
                records=tuple(
                    sorted(records[person_id], key=lambda r: (r.source, r.record_id, r.role))
                ),
            )
        )
    return out


def persons(session: Session, *, page: int = PAGE) -> Iterator[PersonRow]:
    """Every person the viewer may see, in id order, read ``page`` persons at a time.

    The view is audited once, when the reading stops, with how many were shown.
    """
    shown = 0
    after: str | None = None
    try:
        while True:
            with session.store.reader():
                people = session.store.find_nodes("Person", limit=page, after=after)
                rows = _page(session, people) if people else []
            visibility.next_page(session)
            yield from rows
            shown += len(rows)
            if len(people) < page:
                return
            after = people[-1].id
    finally:
        session.record("view", target="persons", count=shown)


# -- one person's resolution -----------------------------------------------------------------


def _person_id(person_id: str) -> str:
    return person_id if person_id.startswith("Person:") else f"Person:{person_id}"


def _resolve_api() -> Any:
    """``workbench.resolve.api``, loaded on demand (the UI starts without entity resolution)."""
    try:
        return importlib.import_module("workbench.resolve.api")
    except ImportError as exc:
        raise FeatureUnavailable("entity resolution not available") from exc


def _members(session: Session, person: str) -> set[str]:
    return {e.src for e in session.store.find_edges("RESOLVED_TO", dst=[person])}


def _decisions(session: Session, members: set[str], **where: str) -> list[Any]:
    """Visible ``MatchDecision`` nodes with one side among ``members``, found by scanning
    (for a store whose last resolution run did not list them), as the viewer sees them."""
    found = [
        d
        for side in ("left", "right")
        for m in sorted(members)
        for d in session.store.find_nodes("MatchDecision", {side: m, **where})
    ]
    unique = {d.id: d for d in found}
    shown = _resolve_api().explained(session.store, unique.values())
    return list(visibility.view_nodes(session, shown).values())


def _links(session: Session, members: set[str]) -> list[Any]:
    """The model's links between ``members``, looked up by their keys, as the viewer sees them.

    A link's key names its two mentions, so the links of a person of k
    mentions are at most k(k-1)/2 lookups by id, where finding them by
    property would scan every link in the store (2.3 s a scan at 97k persons).
    """
    if len(members) > PAIR_LOOKUPS:
        return _decisions(session, members, judgement="suggested")
    api = _resolve_api()
    ordered = sorted(members)
    keys = [f"MatchDecision:{api.link_key(a, b)}" for i, a in enumerate(ordered)
            for b in ordered[i + 1 :]]  # fmt: skip
    found = session.store.get_nodes(keys).values() if keys else ()
    return list(visibility.view_nodes(session, api.explained(session.store, found)).values())


def _analyst_decisions(session: Session, members: set[str]) -> list[Any]:
    """Analysts' live decisions on any of ``members``, as the viewer sees them: from the list
    the last resolution run kept (a decision resolves again), else by scanning."""
    last = _resolve_api().last_run(session.store, ["decisions"])
    if last is None or last.props.get("decisions") is None:
        return [d for d in _decisions(session, members) if d.props["judgement"] != "suggested"]
    found = visibility.nodes(session, [str(i) for i in last.props["decisions"]])
    return [d for d in found.values() if {d.props["left"], d.props["right"]} & members]


def person_links(session: Session, person_id: str) -> list[PairExplanation]:
    """The explained links the model stored between this person's mentions, strongest first."""
    api = _resolve_api()
    person = _person_id(person_id)
    with session.store.reader():
        members = _members(session, person)
        shown = _links(session, members)
    pairs = [
        api.PairExplanation.from_props(d.props)
        for d in shown
        if d.props["left"] in members and d.props["right"] in members
    ]
    return sorted(pairs, key=lambda e: (-e.weight, e.left, e.right))


def person_history(session: Session, person_id: str) -> list[HistoryEvent]:
    """Analysts' decisions on this person's mentions and the runs that placed them, oldest first.

    A decision's reason shows only when the viewer may read both mentions in full.
    """
    api = _resolve_api()
    person = _person_id(person_id)
    with session.store.reader():
        edges = session.store.find_edges("RESOLVED_TO", dst=[person])
        members = {e.src for e in edges}
        decisions = _analyst_decisions(session, members)
        runs = visibility.nodes(
            session, [f"ResolutionRun:{r}" for r in {e.props.get("run") for e in edges} if r]
        )
    events = [
        api.HistoryEvent(
            at=p["created_at"],
            kind="decision",
            judgement=p["judgement"],
            left=p["left"],
            right=p["right"],
            author=p["author"],
            reason=p.get("reason"),
        )
        for d in decisions
        if (p := d.props)["judgement"] != "suggested"
    ]
    events += [
        api.HistoryEvent(
            at=run.props["started_at"],
            kind="resolve",
            judgement=None,
            left=None,
            right=None,
            author=run.props.get("operator") or api.MODEL,
            reason=f"{run.props['mode']} run {run.props['run_id']}",
        )
        for run in runs.values()
    ]
    return sorted(events, key=lambda e: (e.at, e.kind))


@dataclass(frozen=True)
class Resolution:
    """Entity resolution's account of a person: history and per-feature explanation.

    ``events`` are :class:`workbench.resolve.api.HistoryEvent` and ``pairs``
    :class:`workbench.resolve.api.PairExplanation`, both limited to mentions
    the viewer may see. ``note`` says why there is nothing to show, if so.
    """

    available: bool
    note: str = ""
    events: list[Any] = field(default_factory=list)
    pairs: list[Any] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The shape of ``workbench person --json``."""
        return {
            "history": [asdict(e) for e in self.events],
            "links": [asdict(p) for p in self.pairs],
        }


def resolution(session: Session, person_id: str) -> Resolution:
    """History and explained links of a person, leaving out what names a hidden mention."""
    try:
        events = person_history(session, person_id)
        pairs = person_links(session, person_id)
    except FeatureUnavailable as exc:
        return Resolution(available=False, note=str(exc))
    named = {x for e in events for x in (e.left, e.right) if x}
    named |= {x for p in pairs for x in (p.left, p.right)}
    seen = visibility.by_stored_id(session, sorted(named))
    return Resolution(
        available=True,
        events=[e for e in events if all(x is None or x in seen for x in (e.left, e.right))],
        pairs=[p for p in pairs if p.left in seen and p.right in seen],
    )


def person(session: Session, person_id: str) -> Resolution:
    """One person's resolution, audited; :class:`NotFound` if the viewer may not see them."""
    person_node = _person_id(person_id)
    with session.store.reader():
        if person_node not in visibility.nodes(session, [person_node]):
            raise NotFound(
                f"no person {person_id!r} that you may see (list them with `workbench persons`)"
            )
        session.record("view", target=person_node)
        return resolution(session, person_node)
