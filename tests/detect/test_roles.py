"""Roles: organisers, brokers, and betweenness exact or sampled with its stated accuracy."""

from __future__ import annotations

import igraph as ig  # type: ignore[import-untyped]
import pytest

from workbench.detect.networks import cluster_ties, wider_networks
from workbench.detect.roles import (
    betweenness,
    cluster_brokerage,
    member_roles,
    network_reach,
    pivots_needed,
)


def _named(g: ig.Graph) -> ig.Graph:
    g.vs["name"] = [f"v{i}" for i in range(g.vcount())]
    g.es["weight"] = 1.0
    return g


def test_the_centre_of_a_star_organises() -> None:
    g = _named(ig.Graph.Star(8))
    bc = betweenness(g)
    roles = member_roles(g, bc)
    assert bc.exact
    assert [r.role for r in roles] == ["organiser"] + ["peripheral"] * 7


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


def test_a_leader_who_ties_three_clusters_is_their_broker() -> None:
    """The cut that hides a leader: three cells, and the one who talks to all of them sits in
    one cell with few links there; from the wider network he is the broker."""
    g = ig.Graph.Full(5) + ig.Graph.Full(5) + ig.Graph.Full(5)
    g.add_edges([(0, 5), (0, 10), (0, 6)])
    g = _named(g)
    membership = [0] * 5 + [1] * 5 + [2] * 5
    reach = network_reach(g, membership, betweenness(g))
    assert (reach[0].clusters, reach[0].rank) == (3, 1)
    assert reach[0].bridging > 0.5
    cell = g.induced_subgraph(range(5))
    roles = member_roles(cell, betweenness(cell), reach=reach[:5])
    assert roles[0].betweenness == 0.0  # inside his own cell he is just one of five
    assert roles[0].role == "broker"
    assert roles[0].reason.startswith("links 3 clusters; ")
    assert {r.role for r in roles[1:]} == {"member"}


def test_a_weak_link_links_no_cluster() -> None:
    g = _named(ig.Graph(edges=[(0, 1), (1, 2), (2, 3), (3, 4)]))
    g.es["weight"] = [1.0, 1.0, 0.1, 1.0]  # a route window between the two pairs
    assert cluster_brokerage(g, [0, 0, 0, 1, 1], 2) == (1, 0.0)
    assert cluster_brokerage(g, [0, 0, 0, 1, 1], 2, strong=0.1)[0] == 2


def test_clusters_tied_by_strong_links_form_one_network() -> None:
    ties = cluster_ties(
        [("a1", "b1", 0.6), ("a2", "b2", 0.6), ("b1", "c1", 0.3), ("c1", "x", 5.0)],
        {"a1": 0, "a2": 0, "b1": 1, "b2": 1, "c1": 2},
    )
    assert ties == {(0, 1): pytest.approx(1.2), (1, 2): pytest.approx(0.3)}
    assert wider_networks(ties, 4) == [[0, 1]]
    assert wider_networks(ties, 4, tie=0.3) == [[0, 1, 2]]


def test_brokerage_of_a_big_network_counts_paths_inside_the_two_clusters() -> None:
    """Above the exact limit the paths between two clusters are those inside them and
    their linking members, not those around through a third cluster."""
    g = ig.Graph.Full(5) + ig.Graph.Full(5) + ig.Graph.Full(5)
    g.add_edges([(0, 5), (1, 10), (9, 14)])  # a ring of three cells, one tie between each two
    g = _named(g)
    membership = [0] * 5 + [1] * 5 + [2] * 5
    whole = network_reach(g, membership, betweenness(g))
    local = network_reach(g, membership, betweenness(g), exact_limit=10)
    for v in (0, 1, 5, 9, 10, 14):  # the ends of the three ties
        assert whole[v].clusters == local[v].clusters == 2
        assert local[v].bridging == 1.0  # every path between its two cells crosses its tie
        assert whole[v].bridging == pytest.approx(0.975)  # a few go around the ring
