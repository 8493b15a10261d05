"""Community detection: planted groups found, seeded and reproducible, stable per component."""

from __future__ import annotations

import random

import igraph as ig  # type: ignore[import-untyped]
import pytest
from sklearn.metrics import normalized_mutual_info_score  # type: ignore[import-untyped]

from workbench.detect.communities import DetectionError, communities, consensus, leiden


def planted(groups: int, size: int, *, p_in: float, p_out: float, seed: int) -> ig.Graph:
    """A planted partition graph with named vertices and unit weights."""
    rng = random.Random(seed)
    n = groups * size
    edges = [
        (a, b)
        for a in range(n)
        for b in range(a + 1, n)
        if rng.random() < (p_in if a // size == b // size else p_out)
    ]
    g = ig.Graph(n=n, edges=edges)
    g.vs["name"] = [f"Person:{i:04d}" for i in range(n)]
    g.es["weight"] = 1.0
    return g


def _labels(found: list[list[int]], n: int) -> list[int]:
    label = [-1] * n
    for k, c in enumerate(found):
        for v in c:
            label[v] = k
    return label


@pytest.mark.parametrize("algorithm", ["leiden", "leidenalg", "infomap", "consensus"])
def test_planted_groups_are_found(algorithm: str) -> None:
    g = planted(8, 15, p_in=0.5, p_out=0.01, seed=3)
    found = communities(g, algorithm, seed=1, resolution=0.05)
    truth = [v // 15 for v in range(g.vcount())]
    assert normalized_mutual_info_score(truth, _labels(found, g.vcount())) > 0.95


@pytest.mark.parametrize("algorithm", ["leiden", "infomap", "consensus"])
def test_the_same_seed_gives_the_same_communities(algorithm: str) -> None:
    g = planted(6, 20, p_in=0.3, p_out=0.05, seed=5)  # noisy: a seed matters
    first = communities(g, algorithm, seed=7, resolution=0.05)
    assert communities(g, algorithm, seed=7, resolution=0.05) == first


def test_an_untouched_component_is_partitioned_as_before_whatever_changed_elsewhere() -> None:
    a = planted(3, 12, p_in=0.3, p_out=0.05, seed=11)
    before = communities(a, "leiden", seed=1, resolution=0.05)
    names = a.vs["name"]
    b = a.copy()
    b.add_vertices(30)
    b.vs[a.vcount() :]["name"] = [f"Person:x{i:02d}" for i in range(30)]
    b.add_edges([(a.vcount() + i, a.vcount() + (i + 1) % 30) for i in range(30)])
    b.es[a.ecount() :]["weight"] = 1.0
    after = communities(b, "leiden", seed=1, resolution=0.05)
    as_names = {frozenset(names[v] for v in c) for c in before}
    assert as_names <= {frozenset(b.vs[v]["name"] for v in c) for c in after}


def test_communities_below_the_minimum_size_are_left_out() -> None:
    g = ig.Graph(edges=[(0, 1), (1, 2), (0, 2), (3, 4)])
    g.vs["name"] = list("abcde")
    g.es["weight"] = 1.0
    assert communities(g, "leiden", min_size=3, resolution=0.5) == [[0, 1, 2]]


def test_resolution_is_the_density_a_cluster_must_exceed() -> None:
    g = ig.Graph(edges=[(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (4, 5), (3, 5)])
    g.es["weight"] = 1.0
    assert len(leiden(g, resolution=0.2)) == 2  # two triangles
    assert len(leiden(g, resolution=0.01)) == 1  # one sparse group


def test_unknown_algorithms_and_objectives_are_refused() -> None:
    g = planted(2, 5, p_in=1.0, p_out=0.0, seed=1)
    with pytest.raises(DetectionError, match="unknown algorithm 'louvain'"):
        communities(g, "louvain")
    with pytest.raises(DetectionError, match="objective"):
        leiden(g, objective="surprise")


def test_consensus_keeps_what_most_runs_agree_on_and_loses_no_vertex() -> None:
    g = planted(6, 20, p_in=0.25, p_out=0.04, seed=5)  # noisy: single runs disagree
    truth = [v // 20 for v in range(g.vcount())]
    singles = [
        normalized_mutual_info_score(truth, _labels(leiden(g, resolution=0.05, seed=s), 120))
        for s in range(10)
    ]
    found = consensus(g, resolution=0.05, runs=10, seed=1)
    assert sorted(v for c in found for v in c) == list(range(g.vcount()))
    agreed = normalized_mutual_info_score(truth, _labels(found, g.vcount()))
    assert agreed >= sum(singles) / len(singles)


def test_consensus_parameters_pass_through_and_are_checked() -> None:
    g = planted(4, 10, p_in=0.6, p_out=0.02, seed=2)
    once = communities(g, "consensus", seed=3, resolution=0.05, runs=1)
    assert sorted(v for c in once for v in c) == list(range(g.vcount()))
    with pytest.raises(DetectionError, match="threshold"):
        communities(g, "consensus", threshold=0.0)
    with pytest.raises(DetectionError, match="runs"):
        consensus(g, runs=0)
