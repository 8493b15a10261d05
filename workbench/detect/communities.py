"""Community detection on the projection: Leiden (default), Infomap, consensus, GDS Leiden.

Each algorithm takes an undirected igraph ``Graph`` with a ``weight`` edge
attribute and returns communities as lists of vertex indices. They run per
connected component, each with a seed derived from the run's seed and the
component's own vertex names, so a component nobody touched since the last
run is partitioned exactly as before, whatever changed elsewhere - the
property lineage needs. (Leiden never joins disconnected vertices, and the
constant Potts model is a sum over communities, so per component is the
same optimisation as all at once; with the modularity objective each
component is measured against its own null model.)

Algorithms are chosen by name from :data:`ALGORITHMS`.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import igraph as ig  # type: ignore[import-untyped]
import leidenalg  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt

from workbench.detect.projection import Projection
from workbench.detect.subgraphs import Subgraphs

__all__ = [
    "ALGORITHMS",
    "DetectionError",
    "Registered",
    "communities",
    "component_communities",
    "component_seed",
    "consensus",
    "gds_leiden",
    "infomap",
    "leiden",
    "leidenalg_cpm",
    "seeded",
    "to_igraph",
]

Communities = list[list[int]]


class DetectionError(ValueError):
    """A detection parameter or algorithm cannot be used as asked."""


def to_igraph(projection: Projection) -> ig.Graph:
    """The projection as an undirected igraph ``Graph`` (vertex ``name`` = member id).

    Vertices are in member order and edges in link order, so the same
    projection always gives the same graph.
    """
    index = {m: i for i, m in enumerate(projection.members)}
    pairs = sorted(projection.links)
    graph = ig.Graph(n=len(index), edges=[(index[a], index[b]) for a, b in pairs])
    graph.vs["name"] = projection.members
    graph.es["weight"] = [projection.links[p].weight for p in pairs]
    return graph


@contextmanager
def seeded(seed: int) -> Iterator[random.Random]:
    """Run igraph's randomised algorithms on a private, seeded generator.

    >>> with seeded(1) as a: x = a.random()
    >>> with seeded(1) as b: y = b.random()
    >>> x == y
    True
    """
    rng = random.Random(seed)  # noqa: S311 - reproducibility, not secrecy
    ig.set_random_number_generator(rng)
    try:
        yield rng
    finally:
        ig.set_random_number_generator(random)


def component_seed(seed: int, names: Sequence[str]) -> int:
    """A seed for one component: the run's seed mixed with the component's vertex names."""
    text = f"{seed}\n" + "\n".join(sorted(names))
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def leiden(
    graph: ig.Graph,
    *,
    resolution: float = 0.02,
    objective: str = "CPM",
    seed: int = 0,
    iterations: int = -1,
) -> Communities:
    """Leiden communities of one connected graph (igraph's own implementation).

    Parameters
    ----------
    graph : igraph.Graph
        Undirected, with a ``weight`` edge attribute.
    resolution : float
        For ``CPM`` the density a community must exceed: the average link
        weight between its members. For ``modularity`` the usual gamma.
    objective : {"CPM", "modularity"}
    seed : int
    iterations : int
        Leiden iterations; negative means until the partition is stable.

    Examples
    --------
    Two triangles joined by one weak link are two communities:

    >>> g = ig.Graph(edges=[(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    >>> g.es["weight"] = [1, 1, 1, 1, 1, 1, 0.1]
    >>> sorted(map(sorted, leiden(g, resolution=0.2)))
    [[0, 1, 2], [3, 4, 5]]

    References
    ----------
    V. A. Traag, L. Waltman, N. J. van Eck, "From Louvain to Leiden:
    guaranteeing well-connected communities", Sci. Rep. 9, 5233 (2019),
    https://doi.org/10.1038/s41598-019-41695-z. The constant Potts model:
    V. A. Traag, P. Van Dooren, Y. Nesterov, Phys. Rev. E 84, 016114 (2011),
    https://doi.org/10.1103/PhysRevE.84.016114.
    """
    if objective not in ("CPM", "modularity"):
        raise DetectionError(f"Leiden objective must be CPM or modularity, not {objective!r}")
    with seeded(seed):
        found = graph.community_leiden(
            objective_function=objective,
            weights="weight",
            resolution=resolution,
            n_iterations=iterations,
        )
    return [list(c) for c in found]


def leidenalg_cpm(graph: ig.Graph, *, resolution: float = 0.02, seed: int = 0) -> Communities:
    """The same constant Potts model through the ``leidenalg`` package (a cross-check).

    >>> g = ig.Graph(edges=[(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    >>> g.es["weight"] = [1, 1, 1, 1, 1, 1, 0.1]
    >>> sorted(map(sorted, leidenalg_cpm(g, resolution=0.2)))
    [[0, 1, 2], [3, 4, 5]]
    """
    found = leidenalg.find_partition(
        graph,
        leidenalg.CPMVertexPartition,
        weights="weight",
        resolution_parameter=resolution,
        n_iterations=-1,
        seed=seed % 2**31,
    )
    return [list(c) for c in found]


def infomap(graph: ig.Graph, *, trials: int = 10, seed: int = 0) -> Communities:
    """Infomap communities: the partition that best compresses a random walk.

    Parameter-free (no resolution); ``trials`` attempts, the best kept.

    >>> g = ig.Graph(edges=[(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    >>> g.es["weight"] = [1, 1, 1, 1, 1, 1, 0.1]
    >>> sorted(map(sorted, infomap(g)))
    [[0, 1, 2], [3, 4, 5]]

    References
    ----------
    M. Rosvall, C. T. Bergstrom, "Maps of random walks on complex networks
    reveal community structure", PNAS 105, 1118 (2008),
    https://doi.org/10.1073/pnas.0706851105.
    """
    with seeded(seed):
        found = graph.community_infomap(edge_weights="weight", trials=trials)
    return [list(c) for c in found]


def consensus(
    graph: ig.Graph,
    *,
    resolution: float = 0.02,
    objective: str = "CPM",
    seed: int = 0,
    runs: int = 20,
    threshold: float = 0.5,
    rounds: int = 10,
) -> Communities:
    """Consensus of many seeded Leiden runs: what most of them agree on.

    One Leiden run is one local optimum among many; where communities are
    barely there, runs with different seeds disagree on the vertices in
    between. Each round runs :func:`leiden` ``runs`` times, weighs each link
    by the share of runs that put its two ends together, drops links below
    ``threshold`` (a vertex left with none keeps its strongest) and clusters
    that agreement graph again, until all runs agree or ``rounds`` are done.
    Agreement is kept on the graph's own links only, so it stays as sparse as
    the graph (Tandon et al.'s fast variant without the added triangles).
    About ``runs`` times the cost of one Leiden run per round.

    Parameters
    ----------
    graph : igraph.Graph
        Undirected, with a ``weight`` edge attribute.
    resolution, objective : as for :func:`leiden`, in every round.
    seed : int
        Seeds the runs' seeds: the same seed gives the same communities.
    runs : int
        Leiden runs per round (the paper's n_P).
    threshold : float
        Share of runs below which a link is dropped (the paper's tau).
    rounds : int
        At most this many rounds; then the last round's first partition.

    Examples
    --------
    >>> g = ig.Graph(edges=[(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    >>> g.es["weight"] = [1, 1, 1, 1, 1, 1, 0.1]
    >>> sorted(map(sorted, consensus(g, resolution=0.2, runs=5)))
    [[0, 1, 2], [3, 4, 5]]

    References
    ----------
    A. Lancichinetti, S. Fortunato, "Consensus clustering in complex
    networks", Sci. Rep. 2, 336 (2012), https://doi.org/10.1038/srep00336.
    A. Tandon, A. Albeshri, V. Thayananthan, W. Alhalabi, S. Fortunato,
    "Fast consensus clustering in complex networks", Phys. Rev. E 99,
    042301 (2019), https://doi.org/10.1103/PhysRevE.99.042301.
    """
    if runs < 1 or rounds < 1 or not 0 < threshold <= 1:
        raise DetectionError(
            f"consensus needs runs and rounds >= 1 and 0 < threshold <= 1, "
            f"not runs={runs}, rounds={rounds}, threshold={threshold}"
        )
    rng = random.Random(seed)  # noqa: S311 - reproducibility, not secrecy
    current = graph
    for _ in range(rounds):
        labels = np.array(
            [
                _membership(
                    leiden(
                        current,
                        resolution=resolution,
                        objective=objective,
                        seed=rng.randrange(2**31),
                    ),
                    graph.vcount(),
                )
                for _ in range(runs)
            ]
        )
        if (labels == labels[0]).all():
            break
        current = _agreement(current, labels, threshold)
    return _groups(labels[0])


def _membership(found: Communities, n: int) -> npt.NDArray[np.int64]:
    """Community labels numbered by first appearance, so equal partitions compare equal."""
    label = np.empty(n, dtype=np.int64)
    for k, c in enumerate(sorted(found, key=min)):
        label[c] = k
    return label


def _groups(label: npt.NDArray[np.int64]) -> Communities:
    order = np.argsort(label, kind="stable")
    cuts = np.flatnonzero(np.diff(label[order])) + 1
    return [part.tolist() for part in np.split(order, cuts)]


def _agreement(graph: ig.Graph, labels: npt.NDArray[np.int64], threshold: float) -> ig.Graph:
    """The graph's links weighted by the share of partitions joining their ends, thresholded."""
    edges = np.array(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    share = (labels[:, edges[:, 0]] == labels[:, edges[:, 1]]).mean(axis=0)
    keep = share >= threshold
    linked = np.zeros(graph.vcount(), dtype=bool)
    linked[edges[keep].ravel()] = True
    for v in np.flatnonzero(~linked):  # left alone: keep its strongest link (as in the paper)
        incident = graph.incident(int(v))
        if incident:
            keep[max(incident, key=lambda e: share[e])] = True
    out = ig.Graph(n=graph.vcount(), edges=edges[keep].tolist())
    out.es["weight"] = share[keep].tolist()
    return out


@dataclass(frozen=True)
class Registered:
    """An algorithm and the parameters it accepts (the rest are not passed)."""

    run: Callable[..., Communities]
    parameters: tuple[str, ...]


ALGORITHMS: Mapping[str, Registered] = {
    "leiden": Registered(leiden, ("resolution", "objective", "seed", "iterations")),
    "leidenalg": Registered(leidenalg_cpm, ("resolution", "seed")),
    "infomap": Registered(infomap, ("trials", "seed")),
    "consensus": Registered(consensus, ("resolution", "objective", "seed", "runs", "threshold")),
}


def communities(
    graph: ig.Graph, algorithm: str = "leiden", *, min_size: int = 1, **params: Any
) -> Communities:
    """Communities of ``graph`` by a registered algorithm, per connected component.

    Communities smaller than ``min_size`` are left out (and components
    smaller than that not even searched). Communities come back sorted, each
    sorted, in a canonical order (by their smallest vertex).

    >>> g = ig.Graph(edges=[(0, 1), (1, 2), (0, 2), (3, 4)])
    >>> g.vs["name"] = list("abcde"); g.es["weight"] = 1.0
    >>> communities(g, "leiden", min_size=3, resolution=0.5)
    [[0, 1, 2]]
    """
    if algorithm not in ALGORITHMS:
        raise DetectionError(
            f"unknown algorithm {algorithm!r}; choose one of {', '.join(sorted(ALGORITHMS))}"
        )
    out: Communities = []
    subgraphs = Subgraphs(graph)
    for component in graph.connected_components():
        out += component_communities(subgraphs, list(component), algorithm, min_size=min_size,
                                     **params)  # fmt: skip
    return sorted(out)


def component_communities(
    subgraphs: Subgraphs,
    component: Sequence[int],
    algorithm: str = "leiden",
    *,
    min_size: int = 1,
    **params: Any,
) -> Communities:
    """The communities of one connected component of a graph (vertex indices of the graph
    of ``subgraphs``, which induces the component's subgraph).

    Seeded from the run's seed and the component's own vertex names
    (:func:`component_seed`), so it depends on nothing outside the component.
    """
    spec = ALGORITHMS[algorithm]
    kwargs = {k: v for k, v in params.items() if k in spec.parameters}
    if len(component) < min_size:
        return []
    if len(component) == 1:
        return [list(component)]
    sub = subgraphs.induced(component)
    if "seed" in spec.parameters:
        kwargs["seed"] = component_seed(int(params.get("seed", 0)), sub.vs["name"])
    return [
        sorted(component[i] for i in part)
        for part in spec.run(sub, **kwargs)
        if len(part) >= min_size
    ]


def gds_leiden(
    run_query: Callable[[str, Mapping[str, Any]], list[dict[str, Any]]],
    graph: ig.Graph,
    *,
    resolution: float = 1.0,
    seed: int = 0,
    name: str = "workbench-detect",
) -> Communities:
    """Leiden in Neo4j Graph Data Science on the same projection (modularity objective).

    GDS optimises modularity with ``gamma``; it has no constant Potts model,
    so it is equivalent to :func:`leiden` with ``objective="modularity"``
    and the same ``resolution`` (compare with NMI; the test suite does when
    ``NEO4J_URI`` is set). ``run_query`` runs one Cypher statement with
    parameters in the Neo4j database and returns its rows.
    """
    edges = [[e.source, e.target, float(e["weight"])] for e in graph.es]
    run_query("CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName", {"name": name})
    run_query(
        "UNWIND $edges AS e "
        "WITH gds.graph.project($name, e[0], e[1], {relationshipProperties: {weight: e[2]}}, "
        "{undirectedRelationshipTypes: ['*']}) AS g RETURN g.graphName AS graphName",
        {"name": name, "edges": edges},
    )
    try:
        rows = run_query(
            "CALL gds.leiden.stream($name, {relationshipWeightProperty: 'weight', gamma: $gamma, "
            "randomSeed: $seed, concurrency: 1}) YIELD nodeId, communityId "
            "RETURN nodeId, communityId",
            {"name": name, "gamma": resolution, "seed": seed},
        )
    finally:
        run_query(
            "CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName", {"name": name}
        )
    groups: dict[int, list[int]] = {}
    for row in rows:
        groups.setdefault(int(row["communityId"]), []).append(int(row["nodeId"]))
    return sorted(sorted(g) for g in groups.values())
