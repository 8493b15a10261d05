"""Contract: withdrawing signals as provenance (``retract_signals``), for every backend."""

from __future__ import annotations

import datetime as dt

from workbench.store.base import CypherStore


def _signal(record_id: str) -> dict[str, object]:
    return {
        "source": "politie",
        "record_id": record_id,
        "date": dt.date(2015, 9, 14),
        "kind": "hard",
        "theme": "mensensmokkel",
        "text": f"text of {record_id} mentions Ahmed",
        "raw": {"id": record_id},
        "content_hash": record_id,
        "file": "p.csv",
        "row": 1,
        "batch_id": "B",
        "signals": [f"Signal:politie|{record_id}"],
    }


A, B = "Signal:politie|A", "Signal:politie|B"
PHONE_AB, PHONE_A = "Phone:+31612345678", "Phone:+31612345679"
DEVICE = "Device:356938035643809"


def _fill(store: CypherStore) -> None:
    with store.writer() as w:
        w.upsert_nodes("Signal", [_signal("A"), _signal("B")])
        w.upsert_nodes(
            "Phone",
            [
                {"e164": "+31612345678", "signals": [A, B]},
                {"e164": "+31612345679", "signals": [A]},
            ],
        )
        w.upsert_nodes("Device", [{"imei": "356938035643809", "signals": [A]}])
        w.upsert_edges("MENTIONS_PHONE", [{"src": A, "dst": PHONE_AB, "signals": [A]}])
        w.upsert_edges("MENTIONS_PHONE", [{"src": B, "dst": PHONE_AB, "signals": [B]}])
        w.upsert_edges(
            "HAS_DEVICE",
            [
                {"src": PHONE_AB, "dst": DEVICE, "signals": [A, B]},
                {"src": PHONE_A, "dst": DEVICE, "signals": [A]},
            ],
        )


def test_plan_changes_nothing_and_predicts_the_retraction(store: CypherStore) -> None:
    _fill(store)
    before = store.counts()
    plan = store.plan_retraction([A])
    assert store.counts() == before
    assert sorted(plan.deleted_nodes) == sorted([A, PHONE_A, DEVICE])
    assert (plan.updated_nodes, plan.deleted_edges, plan.updated_edges) == (1, 2, 1)
    with store.writer() as w:
        done = w.retract_signals([A])
    assert sorted(done.deleted_nodes) == sorted(plan.deleted_nodes)
    assert (done.updated_nodes, done.deleted_edges, done.updated_edges) == (1, 2, 1)


def test_retract_keeps_what_other_signals_assert_and_forgets_the_ids(store: CypherStore) -> None:
    _fill(store)
    with store.writer() as w:
        w.retract_signals([A])
    assert set(store.get_nodes([A, B, PHONE_AB, PHONE_A, DEVICE])) == {B, PHONE_AB}
    assert store.get_nodes([PHONE_AB])[PHONE_AB].props["signals"] == [B]
    edges = store.find_edges("MENTIONS_PHONE") + store.find_edges("HAS_DEVICE")
    assert [(e.src, e.dst, e.props["signals"]) for e in edges] == [(B, PHONE_AB, [B])]


def test_retracted_signals_leave_the_text_index(store: CypherStore) -> None:
    _fill(store)
    assert {h.id for h in store.search("Ahmed")} == {A, B}
    with store.writer() as w:
        w.retract_signals([A])
    assert [h.id for h in store.search("Ahmed")] == [B]


def test_unknown_ids_and_nothing_to_retract_change_nothing(store: CypherStore) -> None:
    _fill(store)
    before = store.counts()
    with store.writer() as w:
        result = w.retract_signals(["Signal:politie|nope"])
    assert result.deleted_nodes == [] and result.updated_nodes == 0
    assert store.counts() == before


def test_a_failed_unit_rolls_the_retraction_back(store: CypherStore) -> None:
    _fill(store)
    before = store.counts()
    try:
        with store.writer() as w:
            w.retract_signals([A, B])
            raise RuntimeError("crash mid-purge")
    except RuntimeError:
        pass
    assert store.counts() == before
