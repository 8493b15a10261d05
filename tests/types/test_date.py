"""Dates: full and partial forms of the README, impossible dates, typed cells."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_schema.types.date import (
    PartialDate,
    from_value,
    parse_date,
    parse_partial,
    parse_timestamp,
)
from loaders.records import PartialDate as ReExported

YMD = [
    ("1990", PartialDate("1990", "year")),
    ("1990-00-00", PartialDate("1990", "year")),
    ("1990-05-00", PartialDate("1990-05", "month")),
    ("1990-05", PartialDate("1990-05", "month")),
    ("1990-05-17", PartialDate("1990-05-17", "day")),
    ("1991-01-01", PartialDate("1991-01-01", "day", administrative=True)),
    (" 2009 ", PartialDate("2009", "year")),
    ("2015-02-30", None),
    ("2015-13-01", None),
    ("1990-00-15", None),
    ("0000-00-00", None),
    ("17-05-1990", None),  # dmy layout under ymd: not guessed
    ("", None),
    ("onbekend", None),
]
DMY = [
    ("1990", PartialDate("1990", "year")),
    ("00-00-1990", PartialDate("1990", "year")),
    ("00-05-1990", PartialDate("1990-05", "month")),
    ("17-05-1990", PartialDate("1990-05-17", "day")),
    ("01-01-1991", PartialDate("1991-01-01", "day", administrative=True)),
    ("45-13-2015", None),
    ("30-02-2015", None),
    ("1990-05-17", None),
]


@pytest.mark.parametrize(("raw", "expected"), YMD)
def test_partial_ymd(raw: str, expected: PartialDate | None) -> None:
    assert parse_partial(raw, order="ymd") == expected


@pytest.mark.parametrize(("raw", "expected"), DMY)
def test_partial_dmy(raw: str, expected: PartialDate | None) -> None:
    assert parse_partial(raw, order="dmy") == expected


def test_full_dates() -> None:
    assert parse_date("2015-09-15", order="ymd") == dt.date(2015, 9, 15)
    assert parse_date("21-09-2015", order="dmy") == dt.date(2015, 9, 21)
    assert parse_date("2015", order="ymd") is None
    assert parse_date("2015-02-30", order="ymd") is None


def test_timestamp_keeps_offset() -> None:
    value = parse_timestamp("2015-09-14T10:32:00+02:00")
    assert value is not None and value.isoformat() == "2015-09-14T10:32:00+02:00"
    assert parse_timestamp("2015-09-14T25:32:00+02:00") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2015, 10, 20), PartialDate("2015-10-20", "day")),
        (dt.date(2001, 1, 1), PartialDate("2001-01-01", "day", administrative=True)),
        ("03-11-2015", PartialDate("2015-11-03", "day")),
        (1996, PartialDate("1996", "year")),
        (1996.0, PartialDate("1996", "year")),
        (1996.5, None),
        (True, None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_from_value(value: object, expected: PartialDate | None) -> None:
    assert from_value(value, order="dmy") == expected


def test_excel_serial_only_when_asked() -> None:
    assert from_value(42297, order="dmy") is None
    assert from_value(42297, order="dmy", excel_serial=True) == PartialDate("2015-10-20", "day")


def test_reexported_from_records() -> None:
    assert ReExported is PartialDate


@settings(max_examples=200)
@given(st.text(max_size=20), st.sampled_from(["ymd", "dmy"]))
def test_never_raises_and_idempotent(raw: str, order: str) -> None:
    result = parse_partial(raw, order=order)  # type: ignore[arg-type]
    if result is not None:
        assert len(result.value) == {"year": 4, "month": 7, "day": 10}[result.precision]
        # the ISO prefix reads back as itself under ymd
        assert parse_partial(result.value, order="ymd") == result


@settings(max_examples=200)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_real_date_roundtrips(day: dt.date) -> None:
    assert parse_date(day.isoformat(), order="ymd") == day
    assert parse_date(day.strftime("%d-%m-%Y"), order="dmy") == day
