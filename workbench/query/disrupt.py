"""What-if disruption of a cluster or its wider network, as the viewer may see it.

The graph is what the viewer may see of the cluster (``cluster_links``: the
links whose evidence is visible, between visible members) and, for the wider
network, of each visible cluster of it plus the stored links between them.
Structure is shown; members are named as the policy names them (a
pseudonym where a partner's soft signal is not released). The algorithms
are ``workbench.detect.disrupt``; the view is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import igraph as ig  # type: ignore[import-untyped]

from workbench.detect.disrupt import Step, effects, key_players, sequential_removal
from workbench.query.clusters import Member, cluster_links, cluster_row
from workbench.query.errors import InvalidInput
from workbench.query.session import Session

__all__ = ["Disruption", "Target", "disruption"]

MAX_K = 20


@dataclass(frozen=True)
class Target:
    """A member whose removal the analysis suggests, named as the viewer may see them."""

    id: str
    label: str
    role: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "role": self.role}


@dataclass(frozen=True)
class Disruption:
    """Key players (Borgatti) with the effect of removing them one by one, and the
    sequential removal by betweenness (Cavallaro et al.) for comparison."""

    cluster_id: str
    scope: str  # "cluster" or "network"
    members: int
    components: int  # pieces before any removal
    targets: tuple[Target, ...]
    steps: tuple[Step, ...]
    sequential: tuple[Target, ...]
    sequential_steps: tuple[Step, ...]

    def to_dict(self) -> dict[str, Any]:
        """The shape of ``workbench disrupt --json``."""
        return {
            "cluster": self.cluster_id,
            "scope": self.scope,
            "members": self.members,
            "components": self.components,
            "targets": [t.to_dict() for t in self.targets],
            "steps": [s.to_dict() for s in self.steps],
            "sequential": {
                "targets": [t.to_dict() for t in self.sequential],
                "steps": [s.to_dict() for s in self.sequential_steps],
            },
        }


def _graph(
    session: Session, cluster_id: str, wider: bool
) -> tuple[dict[str, Member], list[tuple[str, str, float]], bool]:
    """Visible members (by id), visible links, and whether the wider network was used."""
    with session.store.reader():
        row = cluster_row(session, cluster_id)
        rows = [row]
        if wider and row.network is not None:
            rows += [cluster_row(session, c) for c in row.network.clusters if c != cluster_id]
    members = {m.ref.id: m for r in rows for m in r.members}
    links = [
        (lk["a"], lk["b"], float(lk["weight"])) for r in rows for lk in cluster_links(session, r.id)
    ]
    if len(rows) > 1:  # each cluster stores its links into the others: count each once
        links += sorted({lk for r in rows if r.network for lk in r.network.links})
    return members, [(a, b, w) for a, b, w in links if a in members and b in members], len(rows) > 1


def disruption(session: Session, cluster_id: str, *, k: int = 3, wider: bool = False) -> Disruption:
    """Which ``k`` removals fragment the cluster (or with ``wider``, its wider network) most.

    Raises NotFound for a cluster the viewer may not see, InvalidInput for a
    ``k`` outside 1..20.
    """
    if not 1 <= k <= MAX_K:
        raise InvalidInput(f"k must be between 1 and {MAX_K}, not {k}")
    members, links, used_wider = _graph(session, cluster_id, wider)
    ids = sorted(members)
    index = {m: i for i, m in enumerate(ids)}
    weights: dict[tuple[int, int], float] = {}
    for a, b, w in links:
        pair = (min(index[a], index[b]), max(index[a], index[b]))
        weights[pair] = weights.get(pair, 0.0) + w
    graph = ig.Graph(n=len(ids), edges=list(weights))
    graph.vs["name"] = ids
    graph.es["weight"] = list(weights.values())
    organisers = [index[m] for m in ids if members[m].role == "organiser"]
    chosen = key_players(graph, k)
    order = sequential_removal(graph, k)

    def targets(vertices: tuple[int, ...] | list[int]) -> tuple[Target, ...]:
        return tuple(
            Target(ids[v], members[ids[v]].ref.caption, members[ids[v]].role) for v in vertices
        )

    session.record("view_disruption", target=cluster_id, k=k, wider=used_wider)
    return Disruption(
        cluster_id=cluster_id,
        scope="network" if used_wider else "cluster",
        members=len(ids),
        components=len(graph.connected_components()) if ids else 0,
        targets=targets(chosen.vertices),
        steps=tuple(effects(graph, chosen.vertices, organisers)),
        sequential=targets(order),
        sequential_steps=tuple(effects(graph, order, organisers)),
    )
