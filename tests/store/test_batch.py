"""Batch helpers of the shared store: column-wise validation and merging in one upsert."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_schema.model import ValidationError, check_properties, model
from workbench.store.base import _Batch, _union, check_rows

SIGNAL = model().node("Signal").properties
HAS_PHONE = model().edge("HAS_PHONE").properties

# values for Signal's properties, good and bad: wrong types, bool for int,
# datetime for date, naive datetimes, unknown enum values, non-string lists
VALUES: dict[str, list[Any]] = {
    "source": ["politie", "kmar", "Politie", "nope", 3, None],
    "record_id": ["PL-1", "", None, 7],
    "date": [dt.date(2015, 9, 1), dt.datetime(2015, 9, 1, tzinfo=dt.UTC), "2015-09-01", None],
    "timestamp": [
        dt.datetime(2015, 9, 1, 10, tzinfo=dt.UTC),
        dt.datetime(2015, 9, 1, 10),
        dt.date(2015, 9, 1),
        None,
    ],
    "row": [1, 0, True, 1.5, None],
    "indicators": [["VERMIST"], ("SCHULD",), [], ["x", 1], "VERMIST", None],
    "raw": [{"a": [1, None]}, [1, 2], "text", 1.5, {1, 2}, None],
    "signals": [["Signal:a"], ["Signal:a", "Signal:b"], [None], None],
}
REQUIRED_ROW = {
    "source": "politie",
    "record_id": "PL-1",
    "date": dt.date(2015, 9, 1),
    "kind": "hard",
    "raw": {},
    "content_hash": "h",
    "file": "f.csv",
    "row": 1,
    "batch_id": "b",
    "signals": ["Signal:a"],
}


def _first_error(rows: list[dict[str, Any]]) -> str | None:
    for i, row in enumerate(rows):
        try:
            check_properties(SIGNAL, row, f"row {i}")
        except ValidationError as exc:
            return str(exc)
    return None


rows_strategy = st.lists(
    st.fixed_dictionaries(
        {},
        optional={name: st.sampled_from(values) for name, values in VALUES.items()}
        | {"unknown_property": st.just("x")},
    ).map(lambda extra: {**REQUIRED_ROW, **extra}),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(rows_strategy)
def test_a_batch_is_checked_exactly_as_row_by_row(rows: list[dict[str, Any]]) -> None:
    """Same verdict and, on failure, the same message as ``check_properties`` per row."""
    expected = _first_error(rows)
    if expected is None:
        check_rows(SIGNAL, rows, lambda i: f"row {i}")
    else:
        with pytest.raises(ValidationError) as err:
            check_rows(SIGNAL, rows, lambda i: f"row {i}")
        assert str(err.value) == expected


def test_edge_rows_skip_their_ends() -> None:
    rows = [{"src": "PersonMention:x", "dst": "Phone:+31", "raw": "06", "signals": ["s"]}]
    check_rows(HAS_PHONE, rows, lambda i: "edge")
    with pytest.raises(ValidationError, match="edge: property 'raw' expects string"):
        check_rows(HAS_PHONE, [{**rows[0], "raw": 6}], lambda i: "edge")


def test_union_keeps_order_and_drops_repeats() -> None:
    assert _union(None, ["a", "a"]) == ["a"]
    assert _union(("a", "b"), None) == ["a", "b"]
    big = [f"s{i}" for i in range(50_000)]
    assert _union(big, [*big[::-1], "new"]) == [*big, "new"]  # linear: instant


def test_a_batch_merges_repeats_without_touching_the_callers_lists() -> None:
    shared = ["Signal:a"]
    batch = _Batch(model().node("Location").properties)
    batch.add("Location:x", {"key": "x", "name": "X", "signals": shared})
    batch.add("Location:x", {"key": "x", "name": "X2", "signals": ["Signal:b", "Signal:a"]})
    batch.add("Location:y", {"key": "y", "name": "Y", "signals": shared})
    assert batch.rows["Location:x"] == {
        "key": "x",
        "name": "X2",
        "signals": ["Signal:a", "Signal:b"],
    }
    assert shared == ["Signal:a"]
    assert batch.rows["Location:y"]["signals"] == ["Signal:a"]
