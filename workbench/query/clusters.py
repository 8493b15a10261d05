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

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.query import visibility
from workbench.query.annotations import AnnotationView, annotations_for
from workbench.query.describe import MENTION_LABELS, Ref, caption, display, is_pivot, ref
from workbench.query.errors import NotFound
from workbench.query.runs import RunInfo, latest_run, run_info
from workbench.query.session import Session
from workbench.query.signals import SignalRow, provenance, signal_rows
from workbench.security import policy as need_to_know
from workbench.store import Edge, Node

HUB = 20
PAGE = 50  # clusters judged and read at a time, in score order
SUGGESTIONS = 25


KIND = {"Person": "person", "FacilitatorEntity": "facilitator"}
STORED_ONLY = ("type", "suggested_links")  # explanation entries that are not score terms


@dataclass(frozen=True)
class Member:
    """A member of a cluster with its role and centrality in this run.

    ``records`` are the source records behind the member that the viewer may
    see (``source``, ``record_id``); ``organisations`` their owners' names;
    ``role_reason`` the measures behind the role in words (structure only).
    """

    ref: Ref
    role: str | None
    centrality: float | None
    organisations: tuple[str, ...]
    records: tuple[tuple[str, str], ...] = ()
    role_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.ref.id,
            "kind": KIND.get(self.ref.label, self.ref.label),
            "label": self.ref.caption,
            "role": self.role,
            "role_reason": self.role_reason,
            "centrality": self.centrality,
            "records": [{"source": s, "record_id": r} for s, r in self.records],
        }


@dataclass(frozen=True)
class Term:
    """One term of the score's explanation (a bar of the waterfall)."""

    term: str
    value: float
    reason: str
    measure: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "value": self.value, "measure": self.measure,
                "reason": self.reason}  # fmt: skip


@dataclass(frozen=True)
class ClusterRow:
    """A cluster of a run as the viewer may see it: the list's line and the page's head.

    ``themes`` are the stored codes (``display("theme", t)`` names them);
    ``withheld`` says the policy showed the cluster only in part, so its type
    reasons and stored link suggestions, derived from evidence the viewer
    may not read in full, are left out.
    """

    id: str
    number: int
    run_id: str
    score: float
    type: str
    size: int
    organisations: tuple[str, ...]
    themes: tuple[str, ...]
    lineage: str | None
    members: tuple[Member, ...] = ()
    hidden_members: int = 0
    explanation: tuple[Term, ...] = ()
    type_reasons: tuple[str, ...] = ()
    suggestions: tuple[dict[str, Any], ...] = ()
    withheld: bool = False
    verdict: dict[str, Any] | None = None  # own, inherited, or ancestors' to confirm
    ranking: str = "score"  # how the run ranked it: the hand-set score or a learned model
    probability: float | None = None  # learned: that an analyst confirms it
    network: WiderNetwork | None = None  # the tied clusters it is part of, as far as visible

    def to_dict(self) -> dict[str, Any]:
        """The shape of one cluster in ``workbench clusters --json``."""
        return {
            "id": self.id,
            "number": self.number,
            "run_id": self.run_id,
            "score": self.score,
            "type": self.type or None,
            "type_reasons": list(self.type_reasons),
            "themes": list(self.themes),
            "organisations": list(self.organisations),
            "size": self.size,
            "hidden_members": self.hidden_members,
            "explanation": [t.to_dict() for t in self.explanation],
            "lineage": self.lineage,
            "suggestions": list(self.suggestions),
            "withheld": self.withheld,
            "verdict": self.verdict,
            "ranking": {"method": self.ranking, "probability": self.probability},
            "network": self.network.to_dict() if self.network else None,
            "members": [m.to_dict() for m in self.members],
        }


@dataclass(frozen=True)
class WiderNetwork:
    """The clusters tied to this one by strong links, read as one network (those visible).

    ``links`` are this cluster's stored links into the others, between
    members the viewer may see (member ids, weight).
    """

    number: int
    clusters: tuple[str, ...]
    members: int
    links: tuple[tuple[str, str, float], ...] = ()

    @property
    def sentence(self) -> str:
        return f"part of wider network {self.number}: {len(self.clusters)} clusters, " \
            f"{self.members} members"  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "clusters": list(self.clusters), "members": self.members,
                "summary": self.sentence}  # fmt: skip


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


def term(explanation: Any, name: str) -> dict[str, Any]:
    """One named entry of a stored explanation list (an empty dict if absent)."""
    for item in explanation if isinstance(explanation, list) else []:
        if isinstance(item, dict) and item.get("term") == name:
            return item
    return {}


def _explanation(raw: Any) -> tuple[Term, ...]:
    terms = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict) and item.get("term") not in STORED_ONLY:
            value = item.get("value")
            terms.append(
                Term(
                    term=str(item.get("term", "")),
                    value=float(value) if isinstance(value, int | float) else 0.0,
                    reason=str(item.get("reason", "")),
                    measure=item.get("measure"),
                )
            )
    return tuple(terms)


def _record(signal_id: str) -> tuple[str, str]:
    """``(source, record_id)`` of a signal id (``Signal:ind|IND-1``)."""
    source, _, record_id = signal_id.partition(":")[2].partition("|")
    return source, record_id


def _rows(session: Session, read: Sequence[tuple[Node, Node]]) -> list[ClusterRow]:
    """The clusters (as stored, as the viewer sees them) with their visible members and records.

    A member's records are the signals the run stored behind it that the
    viewer may see; its organisations are their owners. One bulk read for
    the member edges, one for the members, one for the signals.
    """
    stored = {c.id: c for c, _ in read}
    clusters = [seen for _, seen in read]
    ids = [c.id for c in clusters]
    stored_edges = session.store.find_edges("MEMBER_OF", dst=ids) if ids else []
    member_edges = visibility.seen_edges(session, stored_edges)
    members = visibility.by_stored_id(session, [e.src for e in member_edges])
    records = {c.id: term(c.props.get("explanation"), "members").get("records") or {}
               for c in clusters}  # fmt: skip
    wanted = [s for rs in records.values() for ss in rs.values() for s in ss]
    # A record's source and id are its signal's id: the signals are judged, not shaped,
    # so only what sharing decides on is read of them, not their text and raw record.
    judged = session.store.get_nodes(wanted, fields=need_to_know.JUDGED_SIGNAL_FIELDS)
    signals = visibility.seen_ids(session, judged)
    edges_of: dict[str, list[Edge]] = defaultdict(list)
    for e in member_edges:
        edges_of[e.dst].append(e)
    all_members = Counter(e.dst for e in stored_edges)
    verdicts = _verdicts(session, ids)
    networks = _networks(session, clusters, set(members))
    out = []
    for c in clusters:
        shown = []
        for e in edges_of[c.id]:
            if e.src not in members:
                continue
            mine = tuple(_record(s) for s in records[c.id].get(e.src, ()) if s in signals)
            shown.append(
                Member(
                    ref=ref(members[e.src]),
                    role=e.props.get("role"),
                    centrality=e.props.get("centrality"),
                    organisations=tuple(sorted({display("source", s) for s, _ in mine})),
                    records=mine,
                    role_reason=e.props.get("role_reason"),
                )
            )
        shown.sort(key=lambda m: (-(m.centrality or 0.0), m.ref.caption, m.ref.id))
        original = stored.get(c.id)
        withheld = original is not None and original.props != c.props
        explanation = c.props.get("explanation")
        seen = {m.ref.id for m in shown}
        p = c.props
        out.append(
            ClusterRow(
                id=c.id,
                number=int(p.get("number") or 0),
                run_id=str(p.get("run_id") or ""),
                score=float(p.get("score") or 0.0),
                type=str(p.get("type") or ""),
                size=len(shown),
                organisations=tuple(sorted({o for m in shown for o in m.organisations})),
                themes=tuple(p.get("themes") or ()),
                lineage=p.get("lineage"),
                members=tuple(shown),
                hidden_members=all_members[c.id] - len(shown),
                explanation=_explanation(explanation),
                type_reasons=()
                if withheld
                else tuple(term(explanation, "type").get("reasons", [])),
                suggestions=()
                if withheld
                else tuple(
                    s
                    for s in term(explanation, "suggested_links").get("suggestions", [])
                    if s["a"] in seen and s["b"] in seen
                ),
                withheld=withheld,
                verdict=verdicts.get(c.id),
                ranking=str(p.get("ranking") or "score"),
                probability=p.get("probability"),
                network=networks.get(c.id),
            )
        )
    return out


def _networks(
    session: Session, clusters: Sequence[Node], members: set[str]
) -> dict[str, WiderNetwork]:
    """Each cluster's wider network as the viewer may see it: only the clusters of it the
    viewer may see count (with their stored sizes), and only links between visible members."""
    stored = {c.id: c.props.get("network") for c in clusters}
    wanted = sorted({o for n in stored.values() if isinstance(n, dict) for o in n["clusters"]})
    seen: set[str] = set()
    if wanted:  # only whether each is visible counts: judged by members, not values
        fields = need_to_know.judging_fields("Cluster")
        seen = visibility.seen_ids(session, session.store.get_nodes(wanted, fields=fields))
    ends = sorted({m for n in stored.values() if isinstance(n, dict)
                   for lk in n.get("links", []) for m in (lk["a"], lk["b"])} - members)  # fmt: skip
    visible = members | set(visibility.by_stored_id(session, ends)) if ends else members
    out = {}
    for cluster_id, n in stored.items():
        if not isinstance(n, dict):
            continue
        sizes = dict(zip(n["clusters"], n.get("sizes") or [0] * len(n["clusters"]), strict=True))
        shown = tuple(o for o in n["clusters"] if o in seen)
        out[cluster_id] = WiderNetwork(
            number=int(n["number"]),
            clusters=shown,
            members=sum(sizes[o] for o in shown),
            links=tuple(
                (lk["a"], lk["b"], float(lk["weight"]))
                for lk in n.get("links", [])
                if lk["a"] in visible and lk["b"] in visible
            ),
        )
    return out


def _verdicts(session: Session, cluster_ids: Sequence[str]) -> dict[str, dict[str, Any] | None]:
    """Each cluster's verdict (its own, inherited along lineage, or its ancestors' to confirm)
    as the viewer may see it: a verdict is read through the policy like any node, so one
    on a cluster the viewer may not see is left out and a withheld reason stays withheld."""
    from workbench.detect.verdicts import Verdict, VerdictView, verdicts_for

    views = verdicts_for(session.store, cluster_ids)
    given = {
        f"Verdict:{v.verdict_id}"
        for view in views.values()
        for v in (*([view.verdict] if view.verdict else []), *view.to_confirm)
    }
    seen = visibility.by_stored_id(session, sorted(given))

    def shown(v: Verdict) -> Verdict | None:
        node = seen.get(f"Verdict:{v.verdict_id}")
        return Verdict.from_node(node) if node is not None else None

    out = {}
    for cluster_id, view in views.items():
        verdict = shown(view.verdict) if view.verdict else None
        confirm = tuple(x for v in view.to_confirm if (x := shown(v)) is not None)
        visible = VerdictView(cluster_id, verdict, view.inherited and verdict is not None, confirm)
        out[cluster_id] = visible.to_dict()
    return out


def _mentions(session: Session, entity_ids: Sequence[str]) -> tuple[list[Edge], dict[str, Node]]:
    """Visible RESOLVED_TO edges into the entities, and the visible mentions.

    (The store looks a few target ids up one at a time, where a list of them
    would be planned as a join over every RESOLVED_TO edge: ADR 0008.)
    """
    edges = visibility.edges(session, "RESOLVED_TO", dst=entity_ids)
    found = visibility.nodes(session, [e.src for e in edges])
    return [e for e in edges if e.src in found], found


def run_of(session: Session, run: str | None) -> RunInfo | None:
    """The visible run named ``run`` (a run id, or ``latest``/None for the newest)."""
    if run in (None, "latest"):
        return latest_run(session)
    found = visibility.find(session, "DetectionRun", {"run_id": run})
    return run_info(found[0]) if found else None


def _rank(cluster: Node) -> tuple[float, int]:
    """Order of the list: a learned ranking numbers clusters in its order; else by score."""
    p = cluster.props
    score = 0.0 if p.get("ranking") == "learned" else -float(p.get("score") or 0.0)
    return score, int(p["number"])


def list_clusters(
    session: Session, *, run_id: str | None = None, limit: int | None = None
) -> tuple[RunInfo | None, list[ClusterRow]]:
    """The run (latest unless ``run_id``) and its first ``limit`` clusters, highest score first.

    What the cluster list page and ``workbench clusters --json`` show; audited.
    Clusters are judged and read a ``PAGE`` at a time in score order, so the
    first page of a run with thousands of clusters costs what that page holds.
    """
    with session.store.reader():
        run = run_of(session, run_id)
        if run is None:
            return None, []
        ranked = session.store.find_nodes(
            "Cluster", {"run_id": run.run_id}, fields=["score", "number", "ranking"]
        )
        ranked.sort(key=_rank)
        rows: list[ClusterRow] = []
        step = min(PAGE, limit) if limit else PAGE  # judge no more than the page asks for
        for start in range(0, len(ranked), step):
            stored = session.store.get_nodes([c.id for c in ranked[start : start + step]])
            seen = visibility.shown_by_stored_id(session, stored.values())
            wanted = limit - len(rows) if limit is not None else None
            chunk = [(stored[c.id], seen[c.id]) for c in ranked[start : start + step]
                     if c.id in seen]  # fmt: skip
            rows += _rows(session, chunk[:wanted])
            if limit is not None and len(rows) >= limit:
                break
    session.record("view_clusters", run=run.run_id, shown=len(rows))
    return run, rows


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
        edges = visibility.edges(session, "MEMBER_OF", dst=[cluster_id])
        members = visibility.nodes(session, [e.src for e in edges])
        links, _ = _mentions(session, list(members))
        return _suggestions(session, members, {e.src: e.dst for e in links})


def cluster_row(session: Session, cluster_id: str) -> ClusterRow:
    """One cluster's row as the viewer may see it (inside the caller's reader), or NotFound."""
    stored = session.store.get_nodes([cluster_id]) if cluster_id.startswith("Cluster:") else {}
    node = visibility.shown_by_stored_id(session, stored.values()).get(cluster_id)
    if node is None:
        raise NotFound(f"no cluster {cluster_id!r} that you may see; search for it again")
    [row] = _rows(session, [(stored[cluster_id], node)])
    return row


def cluster(session: Session, cluster_id: str) -> ClusterView:
    """The cluster view: members with roles, signals, explanation, lineage, annotations."""
    with session.store.reader():
        row = cluster_row(session, cluster_id)
        session.record("view_cluster", target=cluster_id)
        _, mentions = _mentions(session, [m.ref.id for m in row.members])
        rows = signal_rows(session, provenance(mentions.values()))
        runs = visibility.find(session, "DetectionRun", {"run_id": row.run_id})
        lineage = _lineage(session, cluster_id)
        notes = annotations_for(session, cluster_id)
    return ClusterView(
        row=row,
        run=run_info(runs[0]) if runs else None,
        members=list(row.members),
        signals=rows,
        explanation=list(row.explanation),
        lineage=lineage,
        annotations=notes,
    )


# -- why members are linked ------------------------------------------------------------------

NODE_KINDS = ("phone", "vehicle", "document", "device", "cotravel")  # things keyed by a node id


def _thing_node(thing: Any) -> str | None:
    """The node a shared thing is (a phone, a facilitator, a KMar record), if it is one."""
    if thing.kind in ("facilitator", "visitor"):
        return f"{'FacilitatorEntity' if thing.kind == 'facilitator' else 'Person'}:{thing.key}"
    return str(thing.key) if thing.kind in NODE_KINDS else None


def _thing_label(thing: Any, nodes: dict[str, Node]) -> str | None:
    """What the viewer may read of a thing: the caption of its node as the policy shows it.

    None when that node is hidden. A batch is described without its numbers
    (they are the documents' to show); a route window is no personal data.
    """
    node_id = _thing_node(thing)
    if node_id is None:
        if thing.kind == "document_batch":
            country = thing.key.partition("|")[0] or "unknown country"
            return f"forged documents of {country} with consecutive numbers"
        return str(thing.label)
    node = nodes.get(node_id)
    return caption(node) if node is not None else None


def cluster_links(session: Session, cluster_id: str) -> list[dict[str, Any]]:
    """Why the members of a cluster are linked: each pair with its evidence.

    Built from the shared things the run stored with the cluster, keeping
    only members, signals and things the viewer may see (a thing is named
    as the policy shows its node, e.g. a pseudonymised number); a link with
    no visible evidence left is not shown. ``[{"a", "b", "weight",
    "evidence": [{"kind", "label", "shared_by", "weight", "records"}]}]``.
    """
    from workbench.detect.projection import Thing, thing_links  # the run's own definitions

    with session.store.reader():
        node = visibility.node(session, cluster_id)
        if node.label != "Cluster":
            raise NotFound(f"{cluster_id!r} is not a cluster")
        stored = session.store.get_nodes([cluster_id])[cluster_id]
        things = [
            Thing.from_dict(t)
            for t in term(stored.props.get("explanation"), "specific_links").get("evidence", [])
        ]
        members = visibility.by_stored_id(session, sorted({m for t in things for m in t.members}))
        said_by = sorted({s for t in things for ss in t.members.values() for s in ss})
        signals = visibility.by_stored_id(session, said_by)
        pivots = sorted({n for t in things if (n := _thing_node(t)) is not None})
        shown = visibility.by_stored_id(session, pivots)
    links: dict[tuple[str, str], dict[str, Any]] = {}
    for thing in things:
        label = _thing_label(thing, shown)
        if label is None:
            continue
        for a, b, w in thing_links(thing.restricted(set(members))):
            said = sorted({*thing.members[a], *thing.members[b]} & signals.keys())
            if not said:
                continue
            link = links.setdefault((a, b), {"a": a, "b": b, "weight": 0.0, "evidence": []})
            link["weight"] = round(link["weight"] + w, 6)
            link["evidence"].append(
                {
                    "kind": thing.kind,
                    "label": label,
                    "shared_by": thing.size,
                    "weight": round(w, 6),
                    "records": [{"source": s, "record_id": r} for s, r in map(_record, said)],
                }
            )
    return [links[k] for k in sorted(links)]
