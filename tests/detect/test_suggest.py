"""Suggested links: the sparse Adamic-Adar against the definition, walked pair by pair."""

from __future__ import annotations

import math
import random

import igraph as ig  # type: ignore[import-untyped]
import pytest

from workbench.detect import suggest
from workbench.detect.suggest import Suggestion, adamic_adar


def _walked(graph: ig.Graph, cluster: list[int], limit: int, min_common: int) -> list[Suggestion]:
    """The index as defined: every two-step path from a member, in Python."""
    names, degree = graph.vs["name"], graph.degree()
    neighbours = [set(n) for n in graph.get_adjlist()]
    inside = set(cluster)
    common: dict[tuple[int, int], list[int]] = {}
    for u in sorted(inside):
        for z in neighbours[u]:
            for v in neighbours[z]:
                if v == u or v in neighbours[u] or (v in inside and v < u):
                    continue
                common.setdefault((u, v), []).append(z)
    found = [
        Suggestion(
            names[u],
            names[v],
            round(sum(1 / math.log(degree[z]) for z in via), 4),
            tuple(sorted(names[z] for z in via)),
            v not in inside,
        )
        for (u, v), via in common.items()
        if len(via) >= min_common
    ]
    found.sort(key=lambda s: (-s.score, s.a, s.b))
    return found[:limit]


@pytest.mark.parametrize(("seed", "batch"), [(s, 20_000_000) for s in range(6)] + [(6, 40)])
def test_the_sparse_index_is_the_walked_one(
    seed: int, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also with batches so small that a cluster's members fall in several."""
    monkeypatch.setattr(suggest, "PAIRS_PER_BATCH", batch)
    rng = random.Random(seed)
    n = rng.randint(20, 120)
    graph = ig.Graph.Erdos_Renyi(n=n, m=rng.randint(n, 4 * n), loops=False)
    hub = rng.randrange(n)  # a hub: most two-step paths pass through it
    graph.add_edges([(hub, v) for v in rng.sample(range(n), n // 3) if v != hub])
    graph.vs["name"] = [f"Person:{rng.randint(0, 10**6):07d}-{v}" for v in range(n)]
    order = list(range(n))
    rng.shuffle(order)
    clusters = [order[i : i + rng.randint(2, 12)] for i in range(0, n // 2, 6)]
    for limit, min_common in ((10, 2), (3, 1)):
        found = adamic_adar(graph, clusters, limit=limit, min_common=min_common)
        assert found == [_walked(graph, c, limit, min_common) for c in clusters]


def test_a_graph_without_edges_or_clusters_suggests_nothing() -> None:
    graph = ig.Graph(n=3)
    graph.vs["name"] = list("abc")
    assert adamic_adar(graph, [[0, 1], []]) == [[], []]
    assert adamic_adar(ig.Graph(), []) == []


def test_pairs_already_linked_are_not_suggested() -> None:
    graph = ig.Graph(edges=[(0, 1), (1, 2), (0, 2)])  # a triangle: everyone is linked
    graph.vs["name"] = list("abc")
    assert adamic_adar(graph, [[0], [0, 1, 2]], min_common=1) == [[], []]
