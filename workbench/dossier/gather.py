"""Store -> dossier: the one module of the dossier package that reads the store.

Every node and edge read passes through the viewer's ``Policy`` first;
whatever it withholds (``None``) is dropped, and pseudonymised copies are used
as given, so nothing downstream can show more than the viewer may see. An edge
counts only when both its ends are visible.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from workbench.dossier.assemble import (
    DEFAULT_CLASSIFICATION,
    EDGE_ROLE,
    VEHICLE_EDGES,
    Context,
    Evidence,
    assemble,
)
from workbench.dossier.errors import ClusterNotFound
from workbench.resolve.api import PairExplanation
from workbench.security.policy import Policy, prefetch
from workbench.store.base import Edge, GraphStore, Node

log = logging.getLogger(__name__)
Explain = Callable[[GraphStore, str], list[PairExplanation]]
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


class _Visible:
    """Reads through the policy, keeping what it let through.

    Queries are chained on stored ids; what is kept is what the viewer sees,
    under the ids the viewer sees (a policy may give a pseudonymised phone or
    document another id, and point the edges at it).
    """

    def __init__(self, store: GraphStore, policy: Policy) -> None:
        self.store, self.policy = store, policy
        self.nodes: dict[str, Node] = {}  # by the id the viewer sees
        self.edges: dict[str, list[Edge]] = defaultdict(list)
        self.partial: set[str] = set()  # nodes the policy showed only in part
        self._seen_as: dict[str, str | None] = {}  # stored id -> id seen (None: withheld)
        self._kept: set[tuple[str, str, str]] = set()

    def read_nodes(self, ids: Sequence[str]) -> list[Node]:
        """The visible nodes among the stored ``ids``, as the viewer sees them."""
        wanted = list(dict.fromkeys(ids))
        new = [i for i in wanted if i not in self._seen_as]
        if new:
            found = self.store.get_nodes(new)
            prefetch(self.policy, list(found.values()))
            for i in new:
                node = found.get(i)
                seen = self.policy.view_node(node) if node is not None else None
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
        stored: list[Edge] = []
        for type_ in types:
            if src:
                stored += self.store.find_edges(type_, src=list(src))
            else:
                stored += self.store.find_edges(type_, dst=list(dst))
        self.read_nodes([e.dst if src else e.src for e in stored])
        prefetch(self.policy, stored)
        kept = []
        for edge in stored:
            if self._seen_as.get(edge.src) is None or self._seen_as.get(edge.dst) is None:
                continue
            seen = self.policy.view_edge(edge)
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


def collect(store: GraphStore, cluster_id: str, policy: Policy) -> Evidence:
    """Read everything the dossier of ``cluster_id`` shows, through ``policy``.

    Raises :class:`ClusterNotFound` when the cluster does not exist or the
    viewer may not see it.
    """
    with store.reader():
        v = _Visible(store, policy)
        found = v.read_nodes([cluster_id])
        if not found or found[0].label != "Cluster":
            raise ClusterNotFound(
                f"no cluster {cluster_id!r} visible to {policy.viewer.username}; "
                "list clusters with `workbench clusters`"
            )
        cluster = found[0]
        v.read_nodes([f"DetectionRun:{cluster.props.get('run_id')}"])
        members = _ids(v.read_edges(["MEMBER_OF"], dst=[cluster_id]), "src")
        mentions = _ids(v.read_edges(["RESOLVED_TO"], dst=members), "src")
        person_mentions = [m for m in mentions if m.startswith("PersonMention:")]
        fac_mentions = [m for m in mentions if m.startswith("FacilitatorMention:")]
        signals = _ids(
            v.read_edges(list(EDGE_ROLE), dst=person_mentions)
            + v.read_edges(["NAMES_FACILITATOR"], dst=fac_mentions),
            "src",
        )
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


def _explainer() -> Explain | None:
    try:
        from workbench.resolve import explain_person
    except ImportError:
        return None
    return explain_person


def explain(
    store: GraphStore, evidence: Evidence, explainer: Explain | None
) -> tuple[dict[str, list[PairExplanation]] | None, str]:
    """Entity-resolution explanations of the merged persons, or None and why not."""
    if explainer is None:
        return None, "Entity-resolution explanations are not available in this installation."
    merged: dict[str, int] = defaultdict(int)
    for e in evidence.edges.get("RESOLVED_TO", []):
        if e.dst.startswith("Person:"):
            merged[e.dst] += 1
    out: dict[str, list[PairExplanation]] = {}
    with store.reader():  # one open and one lock for all of them
        for person, mentions in sorted(merged.items()):
            if mentions < 2:
                continue
            try:
                out[person] = list(explainer(store, person))
            except Exception as exc:  # an explanation must never block an export
                log.warning("entity resolution failed on %s: %s", person, exc, exc_info=True)
                return None, f"Entity resolution could not explain {person}: {type(exc).__name__}."
    return out, "Per-field contributions to the match weight (log2 odds), as in splink."


def gather(
    store: GraphStore,
    cluster_id: str,
    *,
    policy: Policy,
    reason: str,
    classification: str = DEFAULT_CLASSIFICATION,
    now: dt.datetime | None = None,
    explainer: Explain | None = None,
) -> dict[str, Any]:
    """The dossier of ``cluster_id`` as ``policy.viewer`` may see it, as a JSON-able dict.

    ``explainer`` (person id -> pair explanations) defaults to
    ``workbench.resolve.explain_person`` where entity resolution provides it.
    """
    evidence = collect(store, cluster_id, policy)
    explanations, note = explain(store, evidence, explainer or _explainer())
    evidence = replace(evidence, explanations=explanations, resolution_note=note)
    ctx = Context(
        viewer=policy.viewer,
        reason=reason,
        classification=classification,
        at=now or dt.datetime.now(dt.UTC),
    )
    return assemble(evidence, ctx)
