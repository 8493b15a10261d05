"""Roles: organisers, brokers, and betweenness exact or sampled with its stated accuracy."""

from __future__ import annotations

import igraph as ig  # type: ignore[import-untyped]

from workbench.detect.roles import betweenness, member_roles, pivots_needed


def _named(g: ig.Graph) -> ig.Graph:
    g.vs["name"] = [f"v{i}" for i in range(g.vcount())]
    g.es["weight"] = 1.0
    return g


def test_the_centre_of_a_star_organises() -> None:
    g = _named(ig.Graph.Star(8))
    bc = betweenness(g)
    roles = member_roles(g, bc)
    assert bc.exact
    assert [r.role for r in roles] == ["organiser"] + ["member"] * 7


def test_a_bridge_between_two_groups_is_a_broker() -> None:
    g = ig.Graph.Full(5) + ig.Graph.Full(5)
    g.add_vertices(1)
    g.add_edges([(0, 10), (10, 5)])
    g = _named(g)
    roles = member_roles(g, betweenness(g))
    by = {r.member: r.role for r in roles}
    assert by["v10"] == "broker"
    assert by["v0"] == by["v5"] == "broker"  # the two ends of the bridge carry the traffic too
    assert {by[f"v{i}"] for i in (1, 2, 3, 6, 7)} == {"member"}


def test_strong_links_are_short_paths() -> None:
    g = _named(ig.Graph(edges=[(0, 1), (1, 2), (0, 3), (3, 2)]))
    g.es["weight"] = [1.0, 1.0, 0.1, 0.1]  # the way through v1 is the short one
    values = betweenness(g).values
    assert values[1] > 0 and values[3] == 0


def test_sampled_betweenness_stays_within_its_stated_error() -> None:
    g = _named(ig.Graph.Barabasi(600, 2, implementation="psumtree"))
    exact = betweenness(g).values
    sampled = betweenness(g, exact_limit=100, epsilon=0.15, delta=0.1, seed=3)
    assert not sampled.exact and sampled.pivots == pivots_needed(600, 0.15, 0.1) < 600
    errors = [abs(a - b) for a, b in zip(exact, sampled.values, strict=True)]
    assert max(errors) <= 0.15 and sum(errors) / len(errors) < 0.01
