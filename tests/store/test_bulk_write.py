"""The bulk write path's shortcuts keep its results: validation, ids, text index, GC."""

from __future__ import annotations

import datetime as dt
import enum
import gc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_schema.model import Property, ValidationError, check_value
from workbench.store import InvalidWrite
from workbench.store.base import CypherStore, _column_valid, _merge
from workbench.store.fts import TextIndex


class _Text(str):
    """A str subclass: valid, but not the exact type the quick pass trusts."""


class _Count(enum.IntEnum):
    ONE = 1


# values of every plain type and their near misses (bool for int, datetime for date)
POOL: list[Any] = [
    "x",
    "",
    _Text("y"),
    1,
    0,
    _Count.ONE,
    True,
    1.5,
    dt.date(2015, 9, 1),
    dt.datetime(2015, 9, 1, tzinfo=dt.UTC),
    ["a"],
    None,
]
PLAIN = ["string", "int", "float", "bool", "date"]


def _accepted(prop: Property, column: list[Any]) -> bool:
    try:
        for value in column:
            check_value(prop, value, "row")
    except ValidationError:
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(PLAIN), st.booleans(), st.lists(st.sampled_from(POOL), max_size=5))
def test_a_plain_column_is_judged_as_value_by_value(
    type_: Any, required: bool, column: list[Any]
) -> None:
    prop = Property(name="p", type=type_, required=required)
    assert _column_valid(prop, column) == _accepted(prop, column)


def test_merge_leaves_out_a_rows_id_and_ends() -> None:
    props = {"signals": Property(name="signals", type="strings", merge="union")}
    old = {"signals": ["s1"]}
    new = {"id": "Phone:+31", "src": "a", "dst": "b", "signals": ["s2"]}
    assert _merge(props, old, new) == {"signals": ["s1", "s2"]}


def phone(e164: str, *signals: str) -> dict[str, Any]:
    return {"e164": e164, "signals": list(signals) or ["Signal:s1"]}


def test_the_callers_rows_are_left_as_given(store: CypherStore) -> None:
    rows = [phone("+31612345678"), {"id": "Phone:+31612345679", **phone("+31612345679")}]
    before = [dict(row) for row in rows]
    with store.writer() as w:
        w.upsert_nodes("Phone", rows)
        w.upsert_nodes("Phone", rows)
    assert rows == before
    assert set(store.get_nodes(["Phone:+31612345678", "Phone:+31612345679"])) == {
        "Phone:+31612345678",
        "Phone:+31612345679",
    }


def test_new_nodes_in_several_copies_all_arrive(embedded: CypherStore) -> None:
    embedded._create_chunk = 3  # type: ignore[misc]
    rows = [phone(f"+3161234567{i}") for i in range(8)]
    with embedded.writer() as w:
        assert w.upsert_nodes("Phone", rows).created == 8
        assert w.upsert_nodes("Phone", rows).unchanged == 8
    assert embedded.counts()["nodes"]["Phone"] == 8


def test_a_first_load_then_a_changed_text_keeps_one_index_entry(store: CypherStore) -> None:
    row = {
        "source": "politie",
        "record_id": "PL-1",
        "role": "subject",
        "position": 0,
        "signals": ["s"],
    }
    with store.writer() as w:
        w.upsert_nodes("PersonMention", [{**row, "name": "Abu Omar"}])
    with store.writer() as w:
        w.upsert_nodes("PersonMention", [{**row, "name": "Zoë Ñúñez"}])
    assert store.search("abu") == []
    assert [h.id for h in store.search("zoe")] == ["PersonMention:politie|PL-1|subject|0"]


def test_an_id_with_a_nul_character_can_be_written_again(store: CypherStore) -> None:
    """Hostile input is normal input: a NUL in a record id reaches the node id."""
    row = {"source": "politie", "record_id": "PL-\x00-1", "role": "subject", "position": 0}
    for name in ("Abu Omar", "Abu Omar Ali"):
        with store.writer() as w:
            w.upsert_nodes("PersonMention", [{**row, "name": name, "signals": ["s"]}])
    assert [h.id for h in store.search("ali")] == ["PersonMention:politie|PL-\x00-1|subject|0"]
    assert store.search("omar") == store.search("ali")


def test_the_text_index_replaces_an_entry_left_without_its_node(tmp_path: Path) -> None:
    """A graph commit that failed after the index committed leaves an entry: replaced later."""
    ix = TextIndex(tmp_path / "search.sqlite")
    ix.upsert([("Phone:+31", "Phone", "stale")])  # the empty-index path
    ix.commit()
    ix.upsert([("Phone:+31", "Phone", "fresh"), ("Phone:+32", "Phone", "fresh")])
    ix.commit()
    assert ix.search("stale", None, 10) == []
    assert sorted(hit[0] for hit in ix.search("fresh", None, 10)) == ["Phone:+31", "Phone:+32"]
    assert ix.conn.execute("SELECT count(*) FROM fts").fetchone()[0] == 2
    ix.close()


def test_garbage_collection_is_paused_only_while_writing(store: CypherStore) -> None:
    seen: list[bool] = []
    index_text = store._index_text

    def spy(r: Any, docs: list[tuple[str, str, str]]) -> None:
        seen.append(gc.isenabled())
        index_text(r, docs)

    store._index_text = spy  # type: ignore[method-assign]
    assert gc.isenabled()
    with store.writer() as w:
        w.upsert_nodes("Signal", [])
        w.upsert_nodes(
            "PersonMention",
            [
                {
                    "source": "kmar",
                    "record_id": "K",
                    "role": "subject",
                    "position": 0,
                    "signals": ["s"],
                }
            ],
        )
    assert gc.isenabled()
    with pytest.raises(InvalidWrite), store.writer() as w:
        w.upsert_nodes("Phone", [{"e164": 1, "signals": ["s"]}])
    assert gc.isenabled()
    gc.disable()
    try:
        with store.writer() as w:
            w.upsert_nodes("Phone", [phone("+31612345678")])
        assert not gc.isenabled()  # the caller's choice stands
    finally:
        gc.enable()
    assert seen and not any(seen)
