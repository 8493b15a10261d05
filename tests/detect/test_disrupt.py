"""What-if disruption: the key-player set against brute force, removal by betweenness."""

from __future__ import annotations

import itertools
import random

import igraph as ig  # type: ignore[import-untyped]
import pytest

from workbench.detect.disrupt import effects, fragmentation, key_players, sequential_removal


def _random_graph(n: int, p: float, seed: int) -> ig.Graph:
    rng = random.Random(seed)
    edges = [(a, b) for a, b in itertools.combinations(range(n), 2) if rng.random() < p]
    g = ig.Graph(n=n, edges=edges)
    g.vs["name"] = [f"v{i}" for i in range(n)]
    g.es["weight"] = 1.0
    return g


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("k", [1, 2, 3])
def test_the_key_player_set_fragments_as_much_as_the_best_set_brute_force_finds(
    seed: int, k: int
) -> None:
    g = _random_graph(10, 0.25, seed)
    best = max(fragmentation(g, s) for s in itertools.combinations(range(10), k))
    found = key_players(g, k)
    assert len(set(found.vertices)) == k
    assert found.fragmentation == pytest.approx(fragmentation(g, found.vertices))
    assert found.fragmentation == pytest.approx(best)


def test_removing_the_bridge_first_splits_two_groups() -> None:
    g = ig.Graph.Full(4) + ig.Graph.Full(4)
    g.add_vertices(1)
    g.add_edges([(0, 8), (8, 4)])
    g.vs["name"] = [f"v{i}" for i in range(9)]
    g.es["weight"] = 1.0
    order = sequential_removal(g, 3)
    assert order[0] == 8
    steps = effects(g, order, organisers=[0])
    assert (steps[0].largest_component, steps[0].components) == (4, 2)
    assert steps[0].cut_off == 4  # the other group lost every path to the organiser
    assert [s.removed for s in steps] == [g.vs[v]["name"] for v in order]


def test_asking_for_more_than_there_are_removes_everyone() -> None:
    g = _random_graph(4, 1.0, 0)
    assert sorted(key_players(g, 10).vertices) == [0, 1, 2, 3]
    assert len(sequential_removal(g, 10)) == 4
