"""Roles of cluster members: who organises, who brokers, who is one of many, who is on the edge.

Community detection cuts a network into clusters, and a leader who ties
several of them together is a minor member of each. So a role is read from
two places: the cluster's own subgraph (betweenness inside it: who holds it
together) and the *wider network* the cluster belongs to - the clusters tied
to it by strong links (``workbench.detect.networks``) - where betweenness
over the whole of it and brokerage between its clusters show who ties them.
Betweenness uses distances ``1 / weight`` (a strong link is a short one); it
is exact up to ``exact_limit`` vertices and estimated from sampled source
vertices above that, with the number of samples chosen for a stated accuracy.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import igraph as ig  # type: ignore[import-untyped]

__all__ = [
    "ROLES",
    "Betweenness",
    "MemberRole",
    "Reach",
    "betweenness",
    "brokerage",
    "cluster_brokerage",
    "member_roles",
    "network_reach",
    "pivots_needed",
]

ROLES = ("organiser", "broker", "member", "peripheral")


@dataclass(frozen=True)
class Betweenness:
    """Normalised betweenness per vertex, and how it was obtained."""

    values: list[float]
    exact: bool
    pivots: int
    epsilon: float | None = None  # absolute error bound on every value ...
    delta: float | None = None  # ... holding with probability 1 - delta


@dataclass(frozen=True)
class Reach:
    """A member's place in its wider network (the clusters tied to its own).

    ``clusters``: clusters it links by strong links, its own included;
    ``bridging``: its share of the shortest paths between those clusters;
    ``betweenness``: normalised betweenness over the whole wider network;
    ``rank``: 1 for the most central member of it; ``size``: its members;
    ``degree``: links within it.
    """

    clusters: int = 1
    bridging: float = 0.0
    betweenness: float = 0.0
    rank: int = 0
    size: int = 0
    degree: int = 0


@dataclass(frozen=True)
class MemberRole:
    """One member's role, the measures behind it, and the reason in words."""

    member: str
    role: str  # one of ROLES
    degree: int
    strength: float
    betweenness: float  # inside its own cluster
    reason: str
    reach: Reach = Reach()


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


def cluster_brokerage(
    graph: ig.Graph, membership: Sequence[int], vertex: int, *, strong: float = 0.5
) -> tuple[int, float]:
    """How many clusters ``vertex`` ties together, and its share of the shortest paths
    between them.

    A vertex *links* a cluster when its links into that cluster weigh at least
    ``strong`` in total (one specific shared thing; a weak route window does
    not count). Its own cluster counts. The share is the fraction of shortest
    paths between members of *different* linked clusters that pass through
    ``vertex`` - betweenness restricted to those source-target pairs
    (distances ``1 / weight``). With fewer than two linked clusters it is 0.

    Parameters
    ----------
    graph : igraph.Graph
        The wider network around the vertex (weighted, undirected).
    membership : sequence of int
        Each vertex's cluster; -1 for a vertex in no cluster.
    vertex : int
    strong : float

    Examples
    --------
    Two triangles whose only tie is a member of the first: every path between
    them runs through him.

    >>> g = ig.Graph(edges=[(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (4, 5), (3, 5)])
    >>> g.es["weight"] = 1.0
    >>> cluster_brokerage(g, [0, 0, 0, 1, 1, 1], 2)
    (2, 1.0)
    >>> cluster_brokerage(g, [0, 0, 0, 1, 1, 1], 0)
    (1, 0.0)

    References
    ----------
    R. V. Gould, R. M. Fernandez, "Structures of mediation: a formal approach to
    brokerage in transaction networks", Sociological Methodology 19, 89 (1989),
    https://doi.org/10.2307/270949 (brokerage between groups); U. Brandes, "On
    variants of shortest-path betweenness centrality and their generic
    computation", Social Networks 30, 136 (2008),
    https://doi.org/10.1016/j.socnet.2007.11.001 (betweenness between vertex subsets).
    """
    return brokerage(graph, membership, [vertex], strong=strong)[vertex]


def _linked(
    graph: ig.Graph, weights: Sequence[float], membership: Sequence[int], vertex: int, strong: float
) -> list[int]:
    """The clusters ``vertex`` links (its own included), sorted."""
    into: dict[int, float] = {}
    for e in graph.incident(vertex):
        source, target = graph.es[e].tuple
        other = target if source == vertex else source
        if membership[other] >= 0:
            into[membership[other]] = into.get(membership[other], 0.0) + weights[e]
    linked = {c for c, w in into.items() if w >= strong}
    if membership[vertex] >= 0:
        linked.add(membership[vertex])
    return sorted(linked)


def brokerage(
    graph: ig.Graph,
    membership: Sequence[int],
    vertices: Sequence[int],
    *,
    strong: float = 0.5,
    exact_limit: int | None = None,
) -> dict[int, tuple[int, float]]:
    """:func:`cluster_brokerage` of many vertices of one wider network at once.

    The paths between two clusters are counted once for every vertex that
    links both (one restricted betweenness per pair of clusters, not per
    vertex and pair), and each cluster's members are listed once: per vertex,
    both made a run over a wider network quadratic in its size. A vertex is
    never on the paths it ends, so counting from all of a cluster's members,
    the vertex among them, gives what counting without it gave.

    In a wider network of more than ``exact_limit`` vertices (None: no
    limit) the paths between two clusters are counted inside the two
    clusters and the members linking them, not through the whole network:
    the whole-network count costs a shortest-path search over the network
    per member of one cluster and pair of clusters, which is quadratic in the
    network's size (a network of 3,796 members and 272 clusters at 80,000
    persons). The same limit makes betweenness sampled (:func:`betweenness`).
    """
    weights = graph.es["weight"] if graph.ecount() else []
    linked = {v: _linked(graph, weights, membership, v, strong) for v in vertices}
    wanted: dict[tuple[int, int], list[int]] = defaultdict(list)
    for v, found in linked.items():
        for pair in itertools.combinations(found, 2):
            wanted[pair].append(v)
    groups: dict[int, list[int]] = defaultdict(list)
    if wanted:
        for u, m in enumerate(membership):
            groups[m].append(u)
    distances = [1.0 / w for w in weights]
    through: dict[tuple[int, int, int], float] = {}
    local = exact_limit is not None and graph.vcount() > exact_limit
    for (a, b), at in sorted(wanted.items()):
        if local:
            values = _between_two(graph, groups[a], groups[b], at)
        else:
            values = graph.betweenness(
                vertices=at, directed=False, weights=distances, sources=groups[a], targets=groups[b]
            )
        # undirected: igraph counts each (source, target) pair half, once from each end
        through.update(((a, b, v), 2 * x) for v, x in zip(at, values, strict=True))
    out = {}
    for v, found in linked.items():
        total = pairs = 0.0
        for a, b in itertools.combinations(found, 2):
            pairs += _without(groups[a], v, membership) * _without(groups[b], v, membership)
            total += through[(a, b, v)]
        out[v] = (len(found), total / pairs if pairs else 0.0)
    return out


def _between_two(
    graph: ig.Graph, a: Sequence[int], b: Sequence[int], at: Sequence[int]
) -> list[float]:
    """Betweenness of ``at`` on the paths from ``a`` to ``b`` inside ``a``, ``b`` and ``at``."""
    keep = sorted({*a, *b, *at})
    position = {v: i for i, v in enumerate(keep)}
    sub = graph.induced_subgraph(keep, implementation="create_from_scratch")
    distances = [1.0 / w for w in sub.es["weight"]] if sub.ecount() else None
    values: list[float] = sub.betweenness(
        vertices=[position[v] for v in at],
        directed=False,
        weights=distances,
        sources=[position[v] for v in a],
        targets=[position[v] for v in b],
    )
    return values


def _without(group: Sequence[int], vertex: int, membership: Sequence[int]) -> int:
    """How many of ``group`` (one cluster's members) are not ``vertex``."""
    return len(group) - (1 if group and membership[group[0]] == membership[vertex] else 0)


def network_reach(
    graph: ig.Graph,
    membership: Sequence[int],
    bc: Betweenness,
    *,
    strong: float = 0.5,
    exact_limit: int | None = None,
) -> list[Reach]:
    """Every vertex's :class:`Reach` in a wider network ``graph``.

    ``membership`` gives each vertex's cluster (-1 for none) and ``bc`` the
    graph's :func:`betweenness`. Brokerage is computed only for vertices
    with a link into another cluster (the others link one cluster), and
    above ``exact_limit`` vertices locally (:func:`brokerage`).

    >>> g = ig.Graph(edges=[(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (4, 5), (3, 5)])
    >>> g.es["weight"] = 1.0
    >>> r = network_reach(g, [0, 0, 0, 1, 1, 1], betweenness(g))
    >>> (r[2].clusters, r[2].bridging, r[2].rank, r[0].clusters, r[0].degree)
    (2, 1.0, 1, 1, 2)
    """
    n = graph.vcount()
    order = sorted(range(n), key=lambda v: -bc.values[v])
    rank = {v: i + 1 for i, v in enumerate(order)}
    degrees = graph.degree()
    mixed = [v for v in range(n) if any(membership[u] != membership[v] for u in graph.neighbors(v))]
    found = brokerage(graph, membership, mixed, strong=strong, exact_limit=exact_limit)
    out = []
    for v in range(n):
        clusters, share = found.get(v, (1, 0.0))
        out.append(Reach(clusters, share, bc.values[v], rank[v], n, degrees[v]))
    return out


def member_roles(
    graph: ig.Graph,
    bc: Betweenness,
    *,
    reach: Sequence[Reach] | None = None,
    central: float = 0.5,
    bridging: float = 0.25,
    brokerage: float = 0.25,
    top_share: float = 0.1,
    floor: float = 0.05,
) -> list[MemberRole]:
    """The role of every vertex of a cluster's subgraph (vertex ``name`` = member id).

    ``bc`` is the subgraph's :func:`betweenness`; ``reach`` each vertex's
    place in its wider network (without it, the cluster is its own network).
    In this order:

    - *organiser*: linked to more than ``central`` of the other members and on
      at least ``bridging`` of the shortest paths between them (the centre of
      a facilitator's star); or, in a wider network of several clusters,
      among its most central ``top_share`` (betweenness at least ``floor``)
      while linking no other cluster;
    - *broker*: among those most central while linking two or more clusters;
      or linking them and carrying at least ``brokerage`` of the shortest
      paths between them; or on at least ``bridging`` of the shortest paths
      inside its cluster (a bridge between its parts);
    - *peripheral*: a single link into its wider network, on no path;
    - *member*: everyone else.

    >>> g = ig.Graph.Star(5); g.vs["name"] = list("fabcd"); g.es["weight"] = 1.0
    >>> [r.role for r in member_roles(g, betweenness(g))]
    ['organiser', 'peripheral', 'peripheral', 'peripheral', 'peripheral']
    """
    n = graph.vcount()
    degrees = graph.degree()
    strengths = graph.strength(weights="weight") if graph.ecount() else [0.0] * n
    if reach is None:
        membership = [0] * n
        reach = network_reach(graph, membership, bc) if n else []
    out = []
    for v in range(n):
        role, reason = _role(v, n, degrees[v], bc.values[v], reach[v],
                             central, bridging, brokerage, top_share, floor)  # fmt: skip
        name = graph.vs[v]["name"]
        out.append(MemberRole(name, role, degrees[v], strengths[v], bc.values[v], reason, reach[v]))
    return out


def _role(
    v: int,
    n: int,
    degree: int,
    b: float,
    r: Reach,
    central: float,
    bridging: float,
    brokerage: float,
    top_share: float,
    floor: float,
) -> tuple[str, str]:
    """One vertex's role and its reason in words (no names: the reason is structure only)."""
    share = degree / (n - 1) if n > 1 else 0.0
    alone = r.size <= n  # the cluster is its own wider network
    top = not alone and r.rank <= max(1, math.ceil(top_share * r.size)) and r.betweenness >= floor
    wider = "its cluster" if alone else f"its wider network of {r.size} members"
    place = "" if r.rank == 1 else _ordinal(r.rank) + " "
    ranked = f"the {place}most central of {wider}: on {r.betweenness:.0%} of its shortest paths"
    links = f"links {r.clusters} clusters; {r.bridging:.0%} of the shortest paths between them "\
        "run through this member"  # fmt: skip
    if b >= bridging and share > central:
        return "organiser", (
            f"linked to {degree} of the {n - 1} other members and on {b:.0%} of the "
            "shortest paths between them" + ("" if alone else f"; {ranked}")
        )
    if top and r.clusters >= 2:
        return "broker", f"{links}; {ranked}"
    if r.clusters >= 2 and r.bridging >= brokerage:
        return "broker", links
    if b >= bridging:
        return "broker", (
            f"bridges otherwise separate parts of its cluster: on {b:.0%} of the shortest "
            "paths between its members"
        )
    if top:
        return "organiser", ranked
    if r.degree <= 1 and r.betweenness == 0.0:
        return "peripheral", f"a single link into {wider}, on no path between others"
    if alone:
        return "member", (
            f"linked to {degree} of the {n - 1} other members, on {b:.0%} of the shortest "
            "paths between them"
        )
    return "member", (
        f"linked to {degree} of the {n - 1} other members, on {b:.0%} of the shortest paths "
        f"between them; {_ordinal(r.rank) or '1st'} of {r.size} in its wider network"
    )


def _ordinal(k: int) -> str:
    """The rank in words ("2nd", "3rd"), empty for the first ("the most central").

    >>> [_ordinal(k) for k in (1, 2, 3, 4, 11, 22)]
    ['', '2nd', '3rd', '4th', '11th', '22nd']
    """
    if k == 1:
        return ""
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"
