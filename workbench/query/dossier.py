"""What a cluster's dossier shows, read through the exporter's policy.

The dossier package (``workbench/dossier/``) assembles and renders; this
module is where it reads. Every node and edge read passes through the
viewer's policy first; whatever it withholds is dropped, and pseudonymised
copies are used as given, so nothing downstream can show more than the
viewer may see. An edge counts only when both its ends are visible.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from workbench.ingest.mapping import ROLE_EDGE
from workbench.query.errors import NotFound
from workbench.query.persons import person_links
from workbench.query.session import Session
from workbench.security.policy import prefetch, term_seen
from workbench.store.base import Edge, Node

if TYPE_CHECKING:
    from workbench.resolve.api import PairExplanation

log = logging.getLogger(__name__)

EDGE_ROLE = {edge: role for role, edge in ROLE_EDGE.items()}
VEHICLE_EDGES = {"SEEN_WITH_VEHICLE": "recorded", "MENTIONS_VEHICLE": "read from the text"}
SIGNAL_CONTEXT = (
    *EDGE_ROLE,
    "NAMES_FACILITATOR",
    "OBSERVED_AT",
    "TRAVELLED",
    *VEHICLE_EDGES,
    "MENTIONS_PHONE",
    "LOADED_IN",
)
IDENTIFIER_EDGES = ("HAS_PHONE", "HAS_DEVICE", "HAS_DOCUMENT")
Explain = Callable[[Session, str], "list[PairExplanation]"]


@dataclass(frozen=True)
class Evidence:
    """What the viewer may see about one cluster, as read from the store.

    ``nodes`` holds every visible node that was read, by id, and ``edges``
    every visible edge by type whose two ends are visible. ``explanations``
    maps a Person id to its entity-resolution pair explanations, or is None
    when entity resolution could not explain (``resolution_note`` says why).
    ``partial`` names the nodes the policy showed only in part (pseudonymised).
    """

    cluster: Node
    nodes: Mapping[str, Node]
    edges: Mapping[str, Sequence[Edge]]
    partial: frozenset[str] = frozenset()
    explanations: Mapping[str, Sequence[PairExplanation]] | None = None
    resolution_note: str = ""


@dataclass
class _Visible:
    """Reads through the policy, keeping what it let through.

    Queries are chained on stored ids; what is kept is what the viewer sees,
    under the ids the viewer sees (a policy may give a pseudonymised phone or
    document another id, and point the edges at it).
    """

    session: Session
    nodes: dict[str, Node] = field(default_factory=dict)  # by the id the viewer sees
    edges: dict[str, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    partial: set[str] = field(default_factory=set)  # nodes the policy showed only in part
    _seen_as: dict[str, str | None] = field(default_factory=dict)  # stored id -> id seen
    _kept: set[tuple[str, str, str]] = field(default_factory=set)

    def read_nodes(self, ids: Sequence[str]) -> list[Node]:
        """The visible nodes among the stored ``ids``, as the viewer sees them."""
        store, policy = self.session.store, self.session.policy
        wanted = list(dict.fromkeys(ids))
        new = [i for i in wanted if i not in self._seen_as]
        if new:
            found = store.get_nodes(new)
            prefetch(policy, list(found.values()))
            for i in new:
                node = found.get(i)
                seen = policy.view_node(node) if node is not None else None
                self._seen_as[i] = seen.id if seen is not None else None
                if seen is not None:
                    self.nodes[seen.id] = seen
                    if seen != node:
                        self.partial.add(seen.id)
        return [self.nodes[s] for i in wanted if (s := self._seen_as.get(i)) is not None]

    def read_edges(
        self, types: Sequence[str], *, src: Sequence[str] = (), dst: Sequence[str] = ()
    ) -> list[Edge]:
        """Edges of ``types`` leaving ``src`` (or entering ``dst``) whose ends and selves
        are visible; returned as stored, so the caller can follow them further."""
        if not src and not dst:
            return []
        store, policy = self.session.store, self.session.policy
        stored: list[Edge] = []
        for type_ in types:
            if src:
                stored += store.find_edges(type_, src=list(src))
            else:
                stored += store.find_edges(type_, dst=list(dst))
        self.read_nodes([e.dst if src else e.src for e in stored])
        prefetch(policy, stored)
        kept = []
        for edge in stored:
            if self._seen_as.get(edge.src) is None or self._seen_as.get(edge.dst) is None:
                continue
            seen = policy.view_edge(edge)
            if seen is None or seen.src not in self.nodes or seen.dst not in self.nodes:
                continue
            kept.append(edge)
            if (seen.type, seen.src, seen.dst) not in self._kept:  # an edge may be read twice
                self._kept.add((seen.type, seen.src, seen.dst))
                self.edges[seen.type].append(seen)
        return kept


def _ids(edges: Sequence[Edge], end: str, label: str | None = None) -> list[str]:
    """The stored ids at one ``end`` ("src" or "dst") of ``edges``, optionally of one label."""
    ids = [e.src if end == "src" else e.dst for e in edges]
    return list(dict.fromkeys(i for i in ids if label is None or i.startswith(label + ":")))


def records_of(v: _Visible, entities: Sequence[str]) -> tuple[list[str], list[str]]:
    """The visible mentions of resolved ``entities`` and the signals that make them."""
    mentions = _ids(v.read_edges(["RESOLVED_TO"], dst=entities), "src")
    persons = [m for m in mentions if m.startswith("PersonMention:")]
    facilitators = [m for m in mentions if m.startswith("FacilitatorMention:")]
    said = v.read_edges(list(EDGE_ROLE), dst=persons)
    said += v.read_edges(["NAMES_FACILITATOR"], dst=facilitators)
    return mentions, _ids(said, "src")


def collect(session: Session, cluster_id: str) -> Evidence:
    """Read everything the dossier of ``cluster_id`` shows, as the viewer may see it.

    Raises :class:`~workbench.query.errors.NotFound` when the cluster does not
    exist or the viewer may not see it.
    """
    with session.store.reader():
        v = _Visible(session)
        found = v.read_nodes([cluster_id])
        if not found or found[0].label != "Cluster":
            raise NotFound(
                f"no cluster {cluster_id!r} visible to {session.viewer.username}; "
                "list clusters with `workbench clusters`"
            )
        cluster = found[0]
        v.read_nodes([f"DetectionRun:{cluster.props.get('run_id')}"])
        members = _ids(v.read_edges(["MEMBER_OF"], dst=[cluster_id]), "src")
        mentions, signals = records_of(v, members)
        person_mentions = [m for m in mentions if m.startswith("PersonMention:")]
        fac_mentions = [m for m in mentions if m.startswith("FacilitatorMention:")]
        context = v.read_edges(SIGNAL_CONTEXT, src=signals)
        in_signals = _ids(context, "dst", "PersonMention")
        v.read_edges(["PAID"], src=in_signals)
        identifiers = v.read_edges(IDENTIFIER_EDGES, src=person_mentions)
        identifiers += v.read_edges(["HAS_PHONE"], src=fac_mentions)
        v.read_edges(["CONFLICTS_WITH"], dst=signals)
        vehicles = [e.dst for e in context if e.type in VEHICLE_EDGES]
        about = [cluster_id, *members, *mentions, *signals, *_ids(identifiers, "dst"), *vehicles]
        v.read_edges(["ABOUT"], dst=about)
        v.read_edges(["LINEAGE"], src=[cluster_id])
        v.read_edges(["LINEAGE"], dst=[cluster_id])
    return Evidence(
        cluster=cluster, nodes=v.nodes, edges=dict(v.edges), partial=frozenset(v.partial)
    )


def explanations(
    session: Session, evidence: Evidence, explainer: Explain = person_links
) -> tuple[dict[str, list[PairExplanation]] | None, str]:
    """Entity-resolution explanations of the merged persons (as the viewer may see them),
    or None and why not."""
    merged: dict[str, int] = defaultdict(int)
    for e in evidence.edges.get("RESOLVED_TO", []):
        if e.dst.startswith("Person:"):
            merged[e.dst] += 1
    out: dict[str, list[PairExplanation]] = {}
    with session.store.reader():  # one open and one lock for all of them
        for person, mentions in sorted(merged.items()):
            if mentions < 2:
                continue
            try:
                out[person] = list(explainer(session, person))
            except Exception as exc:  # an explanation must never block an export
                log.warning("entity resolution failed on %s: %s", person, exc, exc_info=True)
                return None, f"Entity resolution could not explain {person}: {type(exc).__name__}."
    return out, "Per-field contributions to the match weight (log2 odds), as in splink."


def dossier_evidence(
    session: Session, cluster_id: str, *, explainer: Explain = person_links
) -> Evidence:
    """The whole of what a dossier shows: the cluster's evidence and its explanations."""
    evidence = collect(session, cluster_id)
    found, note = explanations(session, evidence, explainer)
    if found is not None:
        found = {p: [_withheld(x, evidence.partial) for x in xs] for p, xs in found.items()}
    return replace(evidence, explanations=found, resolution_note=note)


def _withheld(pair: PairExplanation, partial: frozenset[str]) -> PairExplanation:
    """``pair`` with the values of a side the viewer sees only in part withheld.

    The person page's explanations already come so from the policy (a link's
    view); this applies the same rule (``term_seen``) to the mentions as the
    dossier read them, so a policy that only pseudonymises mentions cannot
    leak their values through an explanation either.
    """
    hidden = {side for side, m in (("left", pair.left), ("right", pair.right)) if m in partial}
    if not hidden:
        return pair
    terms = [replace(c, **term_seen({k: getattr(c, k) for k in _SIDED}, hidden))
             for c in pair.contributions]  # fmt: skip
    return replace(pair, contributions=terms)


_SIDED = ("left", "right", "frequency", "among")  # what term_seen may withhold
