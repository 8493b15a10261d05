"""``Subgraphs.induced`` gives the very graph igraph's ``induced_subgraph`` gives."""

from __future__ import annotations

import random

import igraph as ig  # type: ignore[import-untyped]
import pytest

from workbench.detect.subgraphs import Subgraphs


def _graph(rng: random.Random) -> ig.Graph:
    n = rng.randint(2, 40)
    pairs = [(a, b) for a, b in (rng.sample(range(n), 2) for _ in range(rng.randint(0, 3 * n)))]
    g = ig.Graph(n=n, edges=pairs)  # repeated edges included; no loops, as in a projection
    g.vs["name"] = [f"Person:{i}" for i in range(n)]
    g.es["weight"] = [rng.random() for _ in range(g.ecount())]
    return g


@pytest.mark.parametrize("implementation", ["create_from_scratch", "auto"])
@pytest.mark.parametrize("small", [float("inf"), 0.0])  # built here, or left to igraph
def test_the_same_subgraph_as_igraph(implementation: str, small: float) -> None:
    rng = random.Random(7)
    for _ in range(300):
        g = _graph(rng)
        vertices = rng.sample(range(g.vcount()), rng.randint(1, g.vcount()))
        ours = Subgraphs(g, small=small).induced(vertices, implementation)  # type: ignore[arg-type]
        theirs = g.induced_subgraph(vertices, implementation=implementation)
        assert ours.get_edgelist() == theirs.get_edgelist()
        assert ours.vs["name"] == theirs.vs["name"]
        assert ours.es["weight"] == theirs.es["weight"]
