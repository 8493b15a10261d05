"""A scan decodes a column in one loop (``_decode_column``): it must give what ``decode``
gives value by value, for every type that needs decoding."""

from __future__ import annotations

import datetime as dt

import pytest

from graph_schema.model import Property, PropType
from workbench.store.base import _decode_column, decode

NAIVE = dt.datetime(2024, 5, 1, 12, 30)
AWARE = dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("kind", "values"),
    [
        ("datetime", [None, NAIVE, AWARE, "2024-05-01"]),
        ("float", [None, 1, 2.5, True, 0]),
        ("json", [None, '{"a": [1, 2]}', "[]", {"already": "decoded"}]),
    ],
)
def test_a_column_decodes_as_each_of_its_values(kind: PropType, values: list[object]) -> None:
    prop = Property(name="x", type=kind)
    rows = [["id", v, "other"] for v in values]
    _decode_column(prop, rows, 1)
    assert [r[1] for r in rows] == [decode(prop, v) for v in values]
    assert [type(r[1]) for r in rows] == [type(decode(prop, v)) for v in values]
    assert all(r[0] == "id" and r[2] == "other" for r in rows)  # the other columns untouched
