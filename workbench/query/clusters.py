"""Clusters of the latest detection run: the ranked list and the cluster view.

Read by the graph model (``Cluster``, ``MEMBER_OF``, ``IN_RUN``, ``LINEAGE``)
from what detection wrote. Size and organisations are computed from what
the viewer may see: a member hidden by the policy is not counted, and an
organisation appears only through a mention the viewer may see.

Suggested links are leads, not findings: persons outside the cluster who
share a specific identifier (phone, document, device, vehicle) with a
member. Identifiers shared by more than ``HUB`` mentions (helpdesks, shelters)
are too common to suggest anything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.query import visibility
from workbench.query.annotations import AnnotationView, annotations_for
from workbench.query.describe import MENTION_LABELS, Ref, display, is_pivot, ref
from workbench.query.errors import NotFound
from workbench.query.runs import RunInfo, latest_run, run_info
from workbench.query.session import Session
from workbench.query.signals import SignalRow, provenance, signal_rows
from workbench.store import Edge, Node

HUB = 20
SUGGESTIONS = 25
BOUND_LOOKUPS = 200


@dataclass(frozen=True)
class ClusterRow:
    """One line of the ranked cluster list."""

    id: str
    number: int
    run_id: str
    score: float
    type: str
    size: int
    organisations: tuple[str, ...]
    themes: tuple[str, ...]
    lineage: str | None


@dataclass(frozen=True)
class Member:
    """A member of a cluster with its role and centrality in this run."""

    ref: Ref
    role: str | None
    centrality: float | None
    organisations: tuple[str, ...]


@dataclass(frozen=True)
class Term:
    """One term of the score's explanation (a bar of the waterfall)."""

    term: str
    value: float
    reason: str


@dataclass(frozen=True)
class LineageLink:
    """How this cluster relates to one of the previous (or next) run."""

    other: Ref
    relation: str
    jaccard: float
    direction: str  # "previous" or "next"


@dataclass(frozen=True)
class Suggestion:
    """A lead, not a finding: someone outside the cluster sharing an identifier."""

    person: Ref
    via: Ref
    members: tuple[Ref, ...]


@dataclass(frozen=True)
class ClusterView:
    """Everything the cluster page shows."""

    row: ClusterRow
    run: RunInfo | None
    members: list[Member]
    signals: list[SignalRow]
    explanation: list[Term]
    lineage: list[LineageLink]
    annotations: list[AnnotationView]


def _explanation(raw: Any) -> list[Term]:
    terms = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict):
            value = item.get("value")
            terms.append(
                Term(
                    term=str(item.get("term", "")),
                    value=float(value) if isinstance(value, int | float) else 0.0,
                    reason=str(item.get("reason", "")),
                )
            )
    return terms


def _members(session: Session, cluster_ids: Sequence[str]) -> tuple[list[Edge], dict[str, Node]]:
    """Visible MEMBER_OF edges into the clusters, and the visible member nodes."""
    edges = visibility.edges(session, "MEMBER_OF", dst=cluster_ids)
    found = visibility.nodes(session, [e.src for e in edges])
    return [e for e in edges if e.src in found], found


def _mentions(session: Session, entity_ids: Sequence[str]) -> tuple[list[Edge], dict[str, Node]]:
    """Visible RESOLVED_TO edges into the entities, and the visible mentions.

    For a few entities, one bound lookup each (the embedded store plans a
    list-driven match as a join over every RESOLVED_TO edge: 0.28 s at 20k
    persons, against 1 ms per entity); for many, that one join.
    """
    if len(entity_ids) <= BOUND_LOOKUPS:
        sub = visibility.around(
            session, entity_ids, limit=BOUND_LOOKUPS * 100, edge_types=["RESOLVED_TO"]
        )
        found = {i: n for i, n in sub.nodes.items() if n.label in MENTION_LABELS}
        return [e for e in sub.edges if e.src in found], found
    edges = visibility.edges(session, "RESOLVED_TO", dst=entity_ids)
    found = visibility.nodes(session, [e.src for e in edges])
    return [e for e in edges if e.src in found], found


def _organisations(mentions: Iterable[Node]) -> tuple[str, ...]:
    return tuple(sorted({display("source", m.props.get("source")) for m in mentions}))


def _row(cluster: Node, size: int, organisations: tuple[str, ...]) -> ClusterRow:
    p = cluster.props
    return ClusterRow(
        id=cluster.id,
        number=int(p.get("number") or 0),
        run_id=str(p.get("run_id") or ""),
        score=float(p.get("score") or 0.0),
        type=str(p.get("type") or ""),
        size=size,
        organisations=organisations,
        themes=tuple(display("theme", t) for t in p.get("themes") or ()),
        lineage=p.get("lineage"),
    )


def list_clusters(
    session: Session, *, run_id: str | None = None, limit: int | None = None
) -> tuple[RunInfo | None, list[ClusterRow]]:
    """The run (latest unless ``run_id``) and its clusters, highest score first."""
    with session.store.reader():
        if run_id is None:
            run = latest_run(session)
        else:
            found = visibility.find(session, "DetectionRun", {"run_id": run_id})
            run = run_info(found[0]) if found else None
        if run is None:
            return None, []
        clusters = visibility.find(session, "Cluster", {"run_id": run.run_id})
        member_edges, _ = _members(session, [c.id for c in clusters])
        by_cluster: dict[str, list[str]] = defaultdict(list)
        for e in member_edges:
            by_cluster[e.dst].append(e.src)
        links, mentions = _mentions(session, [e.src for e in member_edges])
    mentions_of: dict[str, list[Node]] = defaultdict(list)
    for e in links:
        mentions_of[e.dst].append(mentions[e.src])
    rows = [
        _row(
            c,
            len(by_cluster[c.id]),
            _organisations(m for member in by_cluster[c.id] for m in mentions_of[member]),
        )
        for c in clusters
    ]
    rows.sort(key=lambda r: (-r.score, r.number))
    return run, rows[:limit] if limit is not None else rows


def _lineage(session: Session, cluster_id: str) -> list[LineageLink]:
    out_edges = visibility.edges(session, "LINEAGE", src=[cluster_id])
    in_edges = visibility.edges(session, "LINEAGE", dst=[cluster_id])
    others = visibility.nodes(session, [e.dst for e in out_edges] + [e.src for e in in_edges])
    links = [
        LineageLink(
            ref(others[e.dst]), str(e.props.get("relation")), e.props["jaccard"], "previous"
        )
        for e in out_edges
        if e.dst in others
    ]
    links += [
        LineageLink(ref(others[e.src]), str(e.props.get("relation")), e.props["jaccard"], "next")
        for e in in_edges
        if e.src in others
    ]
    return links


def _suggestions(
    session: Session, members: dict[str, Node], mention_person: dict[str, str]
) -> list[Suggestion]:
    """Persons outside the cluster sharing a specific identifier with a member."""
    near = visibility.around(session, list(mention_person), limit=5000)
    shared: dict[str, set[str]] = defaultdict(set)  # identifier -> member persons
    for e in near.edges:
        for mention, other in ((e.src, e.dst), (e.dst, e.src)):
            if mention in mention_person and is_pivot(other.partition(":")[0]):
                shared[other].add(mention_person[mention])
    wider = visibility.around(session, sorted(shared), limit=5000)
    users: dict[str, set[str]] = defaultdict(set)  # identifier -> mentions using it
    for e in wider.edges:
        for ident, other in ((e.dst, e.src), (e.src, e.dst)):
            if ident in shared and other.partition(":")[0] in MENTION_LABELS:
                users[ident].add(other)
    via: dict[str, list[str]] = defaultdict(list)  # outside mention -> specific identifiers
    for ident, ms in users.items():
        if len(ms) < HUB and ident in wider.nodes:
            for m in ms - set(mention_person):
                via[m].append(ident)
    links = visibility.edges(session, "RESOLVED_TO", src=sorted(via))
    persons = visibility.nodes(session, sorted({e.dst for e in links} - set(members)))
    out: dict[tuple[str, str], Suggestion] = {}
    for e in links:
        if e.dst not in persons:
            continue
        for ident in via[e.src]:
            out.setdefault(
                (e.dst, ident),
                Suggestion(
                    person=ref(persons[e.dst]),
                    via=ref(wider.nodes[ident]),
                    members=tuple(ref(members[p]) for p in sorted(shared[ident])),
                ),
            )
    return sorted(out.values(), key=lambda s: (-len(s.members), s.person.id))[:SUGGESTIONS]


def suggestions(session: Session, cluster_id: str) -> list[Suggestion]:
    """Leads for a cluster (see the module's docstring); computed apart, on demand."""
    with session.store.reader():
        if visibility.node(session, cluster_id).label != "Cluster":
            raise NotFound(f"{cluster_id!r} is not a cluster")
        _, members = _members(session, [cluster_id])
        links, _ = _mentions(session, list(members))
        return _suggestions(session, members, {e.src: e.dst for e in links})


def cluster(session: Session, cluster_id: str) -> ClusterView:
    """The cluster view: members with roles, signals, explanation, lineage, annotations."""
    with session.store.reader():
        node = visibility.node(session, cluster_id)
        if node.label != "Cluster":
            raise NotFound(f"{cluster_id!r} is not a cluster")
        session.record("view_cluster", target=cluster_id)
        member_edges, members = _members(session, [cluster_id])
        links, mentions = _mentions(session, list(members))
        per_member: dict[str, list[Node]] = defaultdict(list)
        for e in links:
            per_member[e.dst].append(mentions[e.src])
        rows = signal_rows(session, provenance(mentions.values()))
        runs = visibility.find(session, "DetectionRun", {"run_id": node.props.get("run_id")})
        lineage = _lineage(session, cluster_id)
        notes = annotations_for(session, cluster_id)
    member_rows = sorted(
        (
            Member(
                ref=ref(members[e.src]),
                role=e.props.get("role"),
                centrality=e.props.get("centrality"),
                organisations=_organisations(per_member[e.src]),
            )
            for e in member_edges
        ),
        key=lambda m: (-(m.centrality or 0.0), m.ref.caption, m.ref.id),
    )
    return ClusterView(
        row=_row(node, len(members), _organisations(mentions.values())),
        run=run_info(runs[0]) if runs else None,
        members=member_rows,
        signals=rows,
        explanation=_explanation(node.props.get("explanation")),
        lineage=lineage,
        annotations=notes,
    )
