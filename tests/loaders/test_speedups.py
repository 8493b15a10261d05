"""The loaders' shortcuts give what the plain ways give (see decision 0007)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_schema.types.date import PartialDate, parse_timestamp
from graph_schema.types.name import Name
from loaders import pipeline, readers, records
from loaders.pipeline import RowContext

QUICK = [
    (records.new_phone, records.Phone, ("06", "+316", None)),
    (records.new_document, records.Document, ("paspoort", "X1", "X1", "SYR")),
    (records.new_facilitator, records.Facilitator, ("Abu Omar",)),
    (records.new_extracted, records.Extracted, ("phone", "+31612345678", "06-12345678", 3)),
    (
        records.new_person,
        records.Person,
        ("subject", Name("A B", "A", "B"), PartialDate("1990", "year"), "1990"),
    ),
    (records.new_issue, records.Issue, ("f.csv", 2, "datum", "why", "ID-1", "x")),
    (
        records.new_signal,
        records.Signal,
        ("kmar", "ID-1", "2015-01-01", "hard", "overig", "f", 1, {}),
    ),
]


@pytest.mark.parametrize(("quick", "cls", "args"), QUICK, ids=[c.__name__ for _, c, _ in QUICK])
def test_quick_constructors_build_the_frozen_records(quick: Any, cls: type, args: tuple) -> None:
    built, plain = quick(*args), cls(*args)
    assert type(built) is cls
    assert built == plain and repr(built) == repr(plain)
    if cls is not records.Signal:  # a Signal holds its raw dict: not hashable
        assert hash(built) == hash(plain)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.__setattr__(dataclasses.fields(cls)[0].name, None)
    assert dataclasses.replace(built) == plain


def test_quick_constructors_take_keywords_and_defaults() -> None:
    signal = records.new_signal(
        "ind", "IND-1", "2015-09-21", "zacht", "overig", "f", 1, {}, route=("SYR",), origin="x"
    )
    assert signal == records.Signal(
        "ind", "IND-1", "2015-09-21", "zacht", "overig", "f", 1, {}, route=("SYR",), origin="x"
    )
    with pytest.raises(TypeError):
        records.new_signal("ind")


def test_quick_needs_a_slots_dataclass() -> None:
    @dataclasses.dataclass(frozen=True)
    class Plain:
        value: int

    with pytest.raises(TypeError, match="not a slots dataclass"):
        records.quick(Plain)


def _timestamp(text: str) -> str | None:
    ctx = RowContext("f", 1, "kmar", {})
    return ctx.timestamp("tijdstip", text)


_TIMESTAMPS = st.from_regex(
    r"\A(19|20|21)[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9][+-][0-2][0-9]:[0-9]{2}\Z"
)


@settings(max_examples=300, deadline=None)
@given(_TIMESTAMPS)
def test_timestamps_as_written_are_their_isoformat(text: str) -> None:
    found = parse_timestamp(text)
    assert _timestamp(text) == (found.isoformat() if found else None)


@pytest.mark.parametrize(
    "text", ["2015-09-14T10:32:00-00:00", "2015-09-14T10:32:00+01:60", "2015-09-14T10:32:00Z"]
)
def test_timestamps_isoformat_changes_are_kept(text: str) -> None:
    assert _timestamp(text) == dt.datetime.fromisoformat(text).isoformat() != text


_JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_JSON_LINES = st.one_of(
    st.recursive(
        _JSON_LEAVES | st.sampled_from([[], {}]),
        lambda inner: (
            st.lists(inner, min_size=1, max_size=3)
            | st.dictionaries(st.text(), inner, min_size=1, max_size=3)
        ),
        max_leaves=8,
    ).map(json.dumps),
    st.text(alphabet=' \t\r\n{}[]",:0123456789.eE+-truefalsn\\u\ufeff', max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(_JSON_LINES)
def test_json_lines_read_as_json_loads_reads_them(line: str) -> None:
    def outcome(read: Any, text: str) -> Any:
        try:
            return "value", read(text)
        except (ValueError, RecursionError) as exc:
            return "error", type(exc), str(exc)

    for text in (line, line + "\n"):  # a line as read, with its line end or at the end
        expected = outcome(json.loads, text.removesuffix("\n"))
        assert repr(outcome(readers._json_line, text)) == repr(expected)


@pytest.mark.parametrize("order", ["ymd", "dmy"])
def test_partial_dates_by_order(order: Any) -> None:
    ctx = RowContext("f", 1, "ind", {})
    for text in ("1990", "1990-05-00", "00-05-1990", "17-05-1990", "1990-05-17", "2015-02-30"):
        assert ctx.partial_date("d", text, order=order)[0] == pipeline.parse_partial(
            text, order=order
        )
