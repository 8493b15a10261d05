"""Roles within a cluster: who organises, who bridges, who is one of many.

Computed on the cluster's own subgraph of the projection. Betweenness uses
distances ``1 / weight`` (a strong link is a short one); it is exact up to
``exact_limit`` vertices and estimated from sampled source vertices above
that, with the number of samples chosen for a stated accuracy.
"""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass

import igraph as ig  # type: ignore[import-untyped]

__all__ = ["Betweenness", "MemberRole", "betweenness", "member_roles", "pivots_needed"]


@dataclass(frozen=True)
class Betweenness:
    """Normalised betweenness per vertex, and how it was obtained."""

    values: list[float]
    exact: bool
    pivots: int
    epsilon: float | None = None  # absolute error bound on every value ...
    delta: float | None = None  # ... holding with probability 1 - delta


@dataclass(frozen=True)
class MemberRole:
    """One member's place in its cluster."""

    member: str
    role: str  # organiser, broker or member
    degree: int
    strength: float
    betweenness: float
    reason: str


def pivots_needed(n: int, epsilon: float, delta: float) -> int:
    """Sample sources so that every normalised betweenness is within ``epsilon``
    of the exact value with probability at least ``1 - delta``.

    Hoeffding's bound for each vertex and a union bound over all ``n``:
    ``k >= ln(2n / delta) / (2 epsilon**2)`` (Brandes and Pich 2007).

    >>> pivots_needed(10_000, 0.05, 0.1)
    2442
    """
    return math.ceil(math.log(2 * n / delta) / (2 * epsilon**2))


def betweenness(
    graph: ig.Graph,
    *,
    exact_limit: int = 2000,
    epsilon: float = 0.05,
    delta: float = 0.1,
    seed: int = 0,
) -> Betweenness:
    """Normalised weighted betweenness: exact when affordable, else sampled.

    Parameters
    ----------
    graph : igraph.Graph
        Undirected, with a ``weight`` edge attribute (distances are 1/weight).
    exact_limit : int
        Up to this many vertices (or when sampling would not be cheaper) the
        exact Brandes algorithm runs.
    epsilon, delta : float
        Accuracy of the estimate above ``exact_limit``: every value within
        ``epsilon`` with probability ``1 - delta``.
    seed : int

    Examples
    --------
    The centre of a path of three lies on the only path between the ends:

    >>> g = ig.Graph(edges=[(0, 1), (1, 2)]); g.es["weight"] = 1.0
    >>> betweenness(g).values
    [0.0, 1.0, 0.0]

    References
    ----------
    U. Brandes, "A faster algorithm for betweenness centrality", J. Math.
    Sociol. 25, 163 (2001), https://doi.org/10.1080/0022250X.2001.9990249.
    U. Brandes, C. Pich, "Centrality estimation in large networks", Int. J.
    Bifurcation and Chaos 17, 2303 (2007), https://doi.org/10.1142/S0218127407018403.
    """
    n = graph.vcount()
    if n < 3:
        return Betweenness([0.0] * n, exact=True, pivots=n)
    distances = [1.0 / w for w in graph.es["weight"]] if graph.ecount() else None
    pairs = (n - 1) * (n - 2) / 2
    k = pivots_needed(n, epsilon, delta)
    if n <= exact_limit or k >= n:
        raw = graph.betweenness(directed=False, weights=distances)
        return Betweenness([v / pairs for v in raw], exact=True, pivots=n)
    sources = sorted(random.Random(seed).sample(range(n), k))  # noqa: S311 - not secret
    raw = graph.betweenness(directed=False, weights=distances, sources=sources)
    scale = n / k
    values = [min(1.0, v * scale / pairs) for v in raw]
    return Betweenness(values, exact=False, pivots=k, epsilon=epsilon, delta=delta)


def member_roles(
    graph: ig.Graph, bc: Betweenness, *, central: float = 0.5, bridging: float = 0.25
) -> list[MemberRole]:
    """The role of every vertex of a cluster's subgraph (vertex ``name`` = member id).

    ``bc`` is the subgraph's :func:`betweenness`.

    - *organiser*: linked to more than ``central`` of the other members and on
      at least ``bridging`` of the shortest paths between them (the centre of
      a facilitator's star);
    - *broker*: on at least ``bridging`` of the shortest paths without being
      linked to most members (a bridge between otherwise separate groups);
    - *member*: everyone else.

    >>> g = ig.Graph.Star(5); g.vs["name"] = list("fabcd"); g.es["weight"] = 1.0
    >>> [(r.member, r.role) for r in member_roles(g, betweenness(g))]
    [('f', 'organiser'), ('a', 'member'), ('b', 'member'), ('c', 'member'), ('d', 'member')]
    """
    n = graph.vcount()
    degrees = graph.degree()
    strengths = graph.strength(weights="weight") if graph.ecount() else [0.0] * n
    typical = statistics.median(strengths) if strengths else 0.0
    out = []
    for v in range(n):
        share = degrees[v] / (n - 1) if n > 1 else 0.0
        b = bc.values[v]
        if b >= bridging and share > central:
            role = "organiser"
            reason = (
                f"linked to {degrees[v]} of the {n - 1} other members and on {b:.0%} of the "
                "shortest paths between them"
            )
        elif b >= bridging:
            role = "broker"
            reason = f"bridges otherwise separate parts: on {b:.0%} of the shortest paths"
        else:
            role = "member"
            reason = f"linked to {degrees[v]} members (link strength {strengths[v]:.2f}"
            reason += f", median {typical:.2f})"
        out.append(MemberRole(graph.vs[v]["name"], role, degrees[v], strengths[v], b, reason))
    return out
