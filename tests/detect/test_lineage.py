"""Lineage between runs (same, grown, shrunk, merged, split, new, dissolved) and alerts."""

from __future__ import annotations

from workbench.detect.lineage import Snapshot, alerts, match, summary


def _sets(**clusters: str) -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in clusters.items()}


def test_unchanged_clusters_are_the_same() -> None:
    prev = _sets(p1="abcd", p2="efg")
    lin = match(prev, _sets(c1="abcd", c2="efg"))
    assert lin.relation == {"c1": "same", "c2": "same"}
    assert [(e.current, e.previous, e.jaccard) for e in lin.edges] == [
        ("c1", "p1", 1.0),
        ("c2", "p2", 1.0),
    ]
    assert lin.dissolved == []


def test_two_clusters_that_came_together_are_merged() -> None:
    lin = match(_sets(p1="abcd", p2="efgh"), _sets(c1="abcdefgh"))
    assert lin.relation == {"c1": "merged"}
    assert sorted(e.previous for e in lin.edges) == ["p1", "p2"]
    assert {e.jaccard for e in lin.edges} == {0.5}


def test_a_cluster_that_fell_apart_is_split() -> None:
    lin = match(_sets(p1="abcdefgh"), _sets(c1="abcd", c2="efgh", c3="xyz"))
    assert lin.relation == {"c1": "split", "c2": "split", "c3": "new"}
    assert all(e.previous == "p1" for e in lin.edges)


def test_growth_shrinkage_newcomers_and_dissolution() -> None:
    prev = _sets(p1="abcd", p2="efghij", p3="klm")
    lin = match(prev, _sets(c1="abcdxy", c2="efgh", c3="nop"))
    assert lin.relation == {"c1": "grown", "c2": "shrunk", "c3": "new"}
    assert lin.dissolved == ["p3"]
    assert summary(lin) == {"dissolved": 1, "grown": 1, "new": 1, "shrunk": 1}


def test_a_small_cluster_grown_big_still_continues_it() -> None:
    # Jaccard 3/10 alone would call it new; all of the old cluster is in it
    lin = match(_sets(p1="abc"), _sets(c1="abcdefghij"))
    assert lin.relation == {"c1": "grown"}


def _snap(members: str, score: float = 30.0, hard: int = 1, orgs: int = 1) -> Snapshot:
    return Snapshot(frozenset(members), score, hard, orgs)


def test_unchanged_data_raises_no_alert() -> None:
    prev, cur = _sets(p="abcd"), _sets(c="abcd")
    assert alerts(match(prev, cur), {"c": _snap("abcd")}, {"p": _snap("abcd")}) == []


def test_material_changes_raise_alerts_on_high_scores_only() -> None:
    prev = _sets(p1="abcd", p2="efgh")
    cur = _sets(c1="abcdx", c2="efgh", c3="mnop", c4="qrs")
    now = {
        "c1": _snap("abcdx", hard=1, orgs=1),
        "c2": _snap("efgh", hard=2, orgs=2),
        "c3": _snap("mnop", score=40.0),
        "c4": _snap("qrs", score=5.0),  # new, but low: no alert
    }
    before = {"p1": _snap("abcd"), "p2": _snap("efgh")}
    found = [(a.cluster, a.kind) for a in alerts(match(prev, cur), now, before, min_score=15)]
    assert found == [
        ("c1", "grew"),
        ("c2", "hard_signal"),
        ("c2", "second_organisation"),
        ("c3", "new_high_score"),
    ]


def test_a_merged_cluster_is_compared_with_all_it_merged() -> None:
    prev = _sets(p1="abcd", p2="efgh")
    now = {"c": _snap("abcdefgh", hard=2, orgs=2)}
    before = {"p1": _snap("abcd", hard=2, orgs=1), "p2": _snap("efgh", hard=0, orgs=2)}
    assert alerts(match(prev, _sets(c="abcdefgh")), now, before) == []
