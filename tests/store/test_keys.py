"""Every node stays findable by its key after a bulk write (the embedded store, ADR 0019).

LadybugDB 0.22 can drop keys of committed nodes from a label's primary-key
index when a later transaction ``COPY``s many new nodes into the label: the
nodes are still there (a scan finds them) but ``MATCH (n:L {id: $id})`` does
not. These 100,000 mention ids, 50,000 a unit, lost 3 keys in every run we
made before the store checked its keys after each unit.
"""

from __future__ import annotations

import logging
import random
from pathlib import Path
from typing import Any

import pytest

from graph_schema.model import model
from workbench.store.embedded import EmbeddedStore

pytestmark = pytest.mark.slow

UNIT = 50_000


def _mention(number: int) -> dict[str, Any]:
    return {
        "source": "ind",
        "record_id": f"IND-{number}",
        "role": "subject",
        "position": 0,
        "name": f"Name {number}",
        "signals": [f"Signal:ind|IND-{number}"],
    }


def _numbers() -> list[int]:
    """The record numbers of the mentions: the key set that lost keys (seed 1)."""
    return random.Random(1).sample(range(70_000, 250_000), 2 * UNIT)


def test_a_second_bulk_unit_leaves_every_earlier_node_findable_with_its_edges(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = EmbeddedStore(tmp_path, model(), lock_timeout=30)
    store.ensure_schema()
    numbers = _numbers()
    phones = [{"e164": f"+3161234{k:04d}", "signals": []} for k in range(10)]
    with store.writer() as w:
        w.upsert_nodes("Phone", phones)
    ids = [f"Phone:{p['e164']}" for p in phones]
    with store.writer() as w:
        w.upsert_nodes("PersonMention", [_mention(k) for k in numbers[:UNIT]])
    first = [f"PersonMention:ind|IND-{k}|subject|0" for k in numbers[:UNIT]]
    with store.writer() as w:  # edges in a unit of their own: their ends are looked up by key
        w.upsert_edges(
            "HAS_PHONE",
            [{"src": m, "dst": ids[i % 10], "raw": f"06-{i}", "signals": []}
             for i, m in enumerate(first)],
        )  # fmt: skip
    with caplog.at_level(logging.WARNING, "workbench.store.embedded"), store.writer() as w:
        w.upsert_nodes("PersonMention", [_mention(k) for k in numbers[UNIT:]])

    every = [f"PersonMention:ind|IND-{k}|subject|0" for k in numbers]
    found = store.get_nodes(every, fields=["record_id", "name", "signals"])  # by key
    assert sorted(set(every) - set(found)) == []
    assert store.counts()["nodes"]["PersonMention"] == 2 * UNIT
    k = numbers[0]
    assert found[every[0]].props == {
        "record_id": f"IND-{k}",
        "name": f"Name {k}",
        "signals": [f"Signal:ind|IND-{k}"],
    }
    edges = {(e.src, e.dst): e.props["raw"] for e in store.find_edges("HAS_PHONE", src=first)}
    assert edges == {(m, ids[i % 10]): f"06-{i}" for i, m in enumerate(first)}
    # a key the index lost was put back, and the log says which
    for record in caplog.records:
        assert "re-created" in record.getMessage()
