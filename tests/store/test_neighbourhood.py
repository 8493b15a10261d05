"""The capped neighbourhood equals a plain breadth-first search over every edge.

The stores expand hop by hop from bound seeds and fetch only what the cap
keeps (the embedded one with one query per seed and hop); this checks them,
for every backend, against the obvious algorithm run on all edges at once.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence

import pytest

from workbench.store.base import CypherStore, Edge
from workbench.store.errors import InvalidWrite

EdgeKey = tuple[str, str, str]


def _graph(store: CypherStore, seed: int) -> None:
    """A random evidence graph: signals, mentions, phones, devices, places."""
    rng = random.Random(seed)
    signals = [f"PL-{i}" for i in range(12)]
    phones = [f"+3161000{i:04d}" for i in range(8)]
    devices = [f"35693803564{i:04d}" for i in range(4)]
    places = ["Ter Apel", "Budel", "Cadier en Keer"]
    prov = ["Signal:politie|PL-0"]
    with store.writer() as w:
        w.upsert_nodes(
            "Signal",
            [
                {"source": "politie", "record_id": r, "date": dt.date(2015, 9, 1),
                 "kind": "hard", "theme": "mensensmokkel", "raw": {"id": r}, "content_hash": "h",
                 "file": "p.csv", "row": i, "batch_id": "b", "signals": [f"Signal:politie|{r}"]}
                for i, r in enumerate(signals)
            ],
        )  # fmt: skip
        w.upsert_nodes(
            "PersonMention",
            [
                {"source": "politie", "record_id": r, "role": "subject", "position": 0,
                 "name": f"Persoon {r}", "signals": [f"Signal:politie|{r}"]}
                for r in signals
            ],
        )  # fmt: skip
        w.upsert_nodes("Phone", [{"e164": p, "signals": prov} for p in phones])
        w.upsert_nodes("Device", [{"imei": d, "signals": prov} for d in devices])
        w.upsert_nodes(
            "Location", [{"key": p.casefold(), "name": p, "signals": prov} for p in places]
        )
        w.upsert_edges(
            "SUBJECT",
            [
                {"src": f"Signal:politie|{r}", "dst": f"PersonMention:politie|{r}|subject|0",
                 "signals": prov}
                for r in signals
            ],
        )  # fmt: skip
        w.upsert_edges(
            "HAS_PHONE",
            [
                {"src": f"PersonMention:politie|{rng.choice(signals)}|subject|0",
                 "dst": f"Phone:{rng.choice(phones)}", "raw": f"0{rng.randrange(10**6)}",
                 "signals": prov}
                for _ in range(20)
            ],
        )  # fmt: skip
        w.upsert_edges(
            "HAS_DEVICE",
            [{"src": f"Phone:{rng.choice(phones)}", "dst": f"Device:{rng.choice(devices)}",
              "signals": prov} for _ in range(6)]
            + [{"src": f"PersonMention:politie|{rng.choice(signals)}|subject|0",
                "dst": f"Device:{rng.choice(devices)}", "signals": prov} for _ in range(4)],
        )  # fmt: skip
        w.upsert_edges(
            "MENTIONS_PHONE",
            [
                {"src": f"Signal:politie|{rng.choice(signals)}",
                 "dst": f"Phone:{rng.choice(phones)}", "span": "bel 06",
                 "start": rng.randrange(50), "confidence": 0.5, "signals": prov}
                for _ in range(6)
            ],
        )  # fmt: skip
        w.upsert_edges(
            "OBSERVED_AT",
            [
                {"src": f"Signal:politie|{r}", "dst": f"Location:{rng.choice(places).casefold()}",
                 "signals": prov}
                for r in signals
            ],
        )  # fmt: skip


def _all_edges(store: CypherStore) -> dict[EdgeKey, Edge]:
    return {
        (e.type, e.src, e.dst): e for type_ in store.model.edges for e in store.find_edges(type_)
    }


def _reference(
    edges: dict[EdgeKey, Edge],
    seeds: Sequence[str],
    *,
    depth: int,
    limit: int,
    types: Sequence[str] | None,
) -> tuple[set[str], set[EdgeKey], dict[str, int]]:
    """Breadth first over all (allowed) edges, neighbours in id order, capped."""
    allowed = [k for k in edges if not types or k[0] in types]
    adjacency: dict[str, set[str]] = defaultdict(set)
    for _, src, dst in allowed:
        adjacency[src].add(dst)
        adjacency[dst].add(src)
    keep = list(dict.fromkeys(seeds))[:limit]
    kept, expanded, more = set(keep), set(), {}
    frontier = list(keep)
    for _ in range(depth):
        nxt = []
        for node in frontier:
            expanded.add(node)
            for other in sorted(adjacency[node]):
                if other in kept:
                    continue
                if len(kept) >= limit:
                    more[node] = more.get(node, 0) + 1
                    continue
                kept.add(other)
                nxt.append(other)
        frontier = nxt
    kept_edges = {k for k in allowed if k[1] in kept and k[2] in kept and ({k[1], k[2]} & expanded)}
    return kept, kept_edges, more


CASES = [
    (["Phone:+31610000000"], 1, 200, None),
    (["Phone:+31610000001"], 2, 200, None),
    (["Signal:politie|PL-3"], 3, 200, None),
    (["Signal:politie|PL-3"], 3, 9, None),
    (["Location:ter apel"], 2, 6, None),
    (["Location:ter apel", "Phone:+31610000002"], 2, 25, None),
    (["Device:356938035640001", "Signal:politie|PL-7"], 3, 40, ["HAS_PHONE", "HAS_DEVICE"]),
    (["PersonMention:politie|PL-5|subject|0"], 2, 1, None),
    (["PersonMention:politie|PL-5|subject|0", "Phone:+31610000009"], 2, 200, None),
]


@pytest.mark.parametrize(("seeds", "depth", "limit", "types"), CASES)
def test_neighbourhood_equals_a_plain_breadth_first_search(
    store: CypherStore,
    seeds: list[str],
    depth: int,
    limit: int,
    types: list[str] | None,
) -> None:
    _graph(store, seed=5)
    edges = _all_edges(store)
    present = [s for s in seeds if store.get_nodes([s])]
    kept, kept_edges, more = _reference(edges, present, depth=depth, limit=limit, types=types)
    sub = store.neighbourhood(seeds, depth=depth, limit=limit, edge_types=types)
    assert set(sub.nodes) == kept
    assert sub.more == more
    assert {(e.type, e.src, e.dst) for e in sub.edges} == kept_edges
    for e in sub.edges:  # edges come with their stored properties
        assert e.props == edges[(e.type, e.src, e.dst)].props
    assert sub.nodes == store.get_nodes(list(kept))


def test_every_edge_property_name_has_one_type(store: CypherStore) -> None:
    """The embedded neighbourhood reads edges of several types as shared columns."""
    types: dict[str, set[str]] = defaultdict(set)
    for edge in store.model.edges.values():
        for name, prop in edge.properties.items():
            types[name].add(prop.type)
    assert {name: t for name, t in types.items() if len(t) > 1} == {}


def test_an_edge_allowed_both_ways_keeps_its_direction(store: CypherStore) -> None:
    """Cluster LINEAGE runs Cluster -> Cluster: the labels cannot tell its direction."""
    with store.writer() as w:
        w.upsert_nodes(
            "Cluster", [{"run_id": run, "number": 1, "score": 0.5} for run in ("r1", "r2", "r3")]
        )
        w.upsert_edges(
            "LINEAGE",
            [
                {"src": "Cluster:r2|1", "dst": "Cluster:r1|1", "relation": "grown", "jaccard": 0.5},
                {"src": "Cluster:r3|1", "dst": "Cluster:r2|1", "relation": "same", "jaccard": 1.0},
            ],
        )
    for depth in (1, 2):
        sub = store.neighbourhood(["Cluster:r2|1"], depth=depth)
        assert {(e.src, e.dst, e.props["relation"]) for e in sub.edges} == {
            ("Cluster:r2|1", "Cluster:r1|1", "grown"),
            ("Cluster:r3|1", "Cluster:r2|1", "same"),
        }


def test_an_unknown_edge_type_is_refused_by_name(store: CypherStore) -> None:
    """Edge types go into query text, so only the model's names pass."""
    with pytest.raises(InvalidWrite, match="NOT_A_TYPE"):
        store.neighbourhood(["Phone:+31610000000"], edge_types=["HAS_PHONE", "NOT_A_TYPE"])


def test_a_missing_seed_loses_no_edge_between_nodes_of_one_hop(store: CypherStore) -> None:
    """The expansion is redone without the missing seed; it must start afresh.

    The mention and the device are both one hop from the phone, and joined
    to each other: that edge must be in the result.
    """
    prov = ["Signal:politie|PL-1"]
    mention = "PersonMention:politie|PL-1|subject|0"
    with store.writer() as w:
        w.upsert_nodes("Phone", [{"e164": "+31610000001", "signals": prov}])
        w.upsert_nodes("Device", [{"imei": "356938035643809", "signals": prov}])
        w.upsert_nodes(
            "PersonMention",
            [{"source": "politie", "record_id": "PL-1", "role": "subject", "position": 0,
              "name": "Persoon", "signals": prov}],
        )  # fmt: skip
        w.upsert_edges(
            "HAS_PHONE", [{"src": mention, "dst": "Phone:+31610000001", "signals": prov}]
        )
        w.upsert_edges(
            "HAS_DEVICE",
            [{"src": "Phone:+31610000001", "dst": "Device:356938035643809", "signals": prov},
             {"src": mention, "dst": "Device:356938035643809", "signals": prov}],
        )  # fmt: skip
    for seeds in (["Phone:+31610000001"], ["Phone:+31610000001", "Phone:+31699999999"]):
        sub = store.neighbourhood(seeds, depth=2)
        assert ("HAS_DEVICE", mention, "Device:356938035643809") in {
            (e.type, e.src, e.dst) for e in sub.edges
        }
        assert len(sub.edges) == 3 and "Phone:+31699999999" not in sub.nodes
