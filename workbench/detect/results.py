"""Reading detection results back for the next run: the latest run and its clusters.

Internal reads for computation (lineage, alerts, benchmarks); what a viewer
sees of a run is read through the query layer (``workbench.query.clusters``
and ``workbench.query.alerts``), the one place the need-to-know policy applies.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.detect.lineage import Snapshot
from workbench.store import Edge, GraphStore, Node

__all__ = ["Outcome", "latest_run", "outcome", "run_as_data", "run_snapshots", "term"]


def term(explanation: Any, name: str) -> dict[str, Any]:
    """One named entry of a stored explanation list (an empty dict if absent)."""
    for item in explanation if isinstance(explanation, list) else []:
        if isinstance(item, dict) and item.get("term") == name:
            return item
    return {}


def latest_run(store: GraphStore) -> Node | None:
    """The newest DetectionRun (by start time), or None before the first run."""
    runs = store.find_nodes("DetectionRun")
    return max(runs, key=lambda n: (n.props["started_at"], n.props["run_id"]), default=None)


def _members(store: GraphStore, cluster_ids: Sequence[str]) -> dict[str, list[Edge]]:
    out: dict[str, list[Edge]] = {c: [] for c in cluster_ids}
    if cluster_ids:
        for e in store.find_edges("MEMBER_OF", dst=list(cluster_ids)):
            out[e.dst].append(e)
    return out


def run_snapshots(store: GraphStore, run_id: str) -> dict[str, Snapshot]:
    """Each cluster of a stored run as lineage and alerts compare it (internal read)."""
    clusters = store.find_nodes("Cluster", {"run_id": run_id})
    members = _members(store, [c.id for c in clusters])
    out = {}
    for c in clusters:
        explanation = c.props.get("explanation")
        out[c.id] = Snapshot(
            members=frozenset(e.src for e in members[c.id]),
            score=float(c.props["score"]),
            hard_signals=int(term(explanation, "hard_signals").get("measure") or 0),
            organisations=int(term(explanation, "organisations").get("measure") or 0),
        )
    return out


@dataclass(frozen=True)
class Outcome:
    """Persons and the latest run's clusters, free of the store's history.

    A person keeps its id when it grows, so two stores that reached the same
    persons by different histories (a delivery resolved incrementally, or
    everything at once) name them differently: persons are compared by the
    mentions they hold, and cluster members that are persons likewise. The
    rank is left out: clusters of equal score are ordered by member ids.
    """

    persons: frozenset[frozenset[str]]
    clusters: frozenset[tuple[float, frozenset[str]]]  # (score, members)


def outcome(store: GraphStore) -> Outcome:
    """What an incremental run must share with a full one (internal read, issue 21)."""
    with store.reader():
        held: dict[str, set[str]] = {}
        for mention, entity in store.edge_ends("RESOLVED_TO"):
            held.setdefault(entity, set()).add(mention)
        run = latest_run(store)
        clusters = store.find_nodes("Cluster", {"run_id": run.props["run_id"]}) if run else []
        members = _members(store, [c.id for c in clusters])

    def ref(node: str) -> str:
        return ",".join(sorted(held[node])) if node in held else node

    return Outcome(
        frozenset(frozenset(m) for m in held.values()),
        frozenset(
            (round(float(c.props["score"]), 6), frozenset(ref(e.src) for e in members[c.id]))
            for c in clusters
        ),
    )


def run_as_data(store: GraphStore) -> dict[str, Any]:
    """Everything the latest run wrote, as plain JSON data, to compare two runs exactly.

    The run record without its start and finish times and code version; every cluster
    with its members' MEMBER_OF properties; LINEAGE edges; alerts. Internal
    (tests and benchmarks), not a viewer's read.
    """
    with store.reader():
        run = latest_run(store)
        if run is None:
            return {}
        clusters = store.find_nodes("Cluster", {"run_id": run.props["run_id"]})
        ids = [c.id for c in clusters]
        members = _members(store, ids)
        lineage = store.find_edges("LINEAGE", src=ids)
        alerts = store.find_nodes("Alert", {"run_id": run.props["run_id"]})
    roles = {c: [(e.src, e.props) for e in edges] for c, edges in members.items()}
    data = {
        "run": {
            k: v
            for k, v in run.props.items()
            if k not in ("started_at", "finished_at", "code_version")
        },
        "clusters": {c.id: (c.props, sorted(roles[c.id], key=lambda r: r[0])) for c in clusters},
        "lineage": sorted((e.src, e.dst, json.dumps(e.props, default=str)) for e in lineage),
        "alerts": sorted((a.id, a.props["kind"], a.props["message"]) for a in alerts),
    }
    loaded: dict[str, Any] = json.loads(json.dumps(data, sort_keys=True, default=str))
    return loaded
