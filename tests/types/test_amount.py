"""Amounts in euros: the IND's decimal comma, JSON numbers, prose with a euro marker."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_schema.types.amount import find_in_text, parse_eur


@pytest.mark.parametrize(
    ("raw", "comma", "expected"),
    [
        ("3.500,00", True, 3500.0), ("3500", True, 3500.0), ("€ 3.500", True, 3500.0),
        ("3000", False, 3000.0), ("4.500,00", True, 4500.0), ("2.500,-", True, 2500.0),
        ("EUR 300", True, 300.0), ("300 euro", True, 300.0), ("1,234.50", False, 1234.5),
        (3000, False, 3000.0), (3000.5, True, 3000.5), (-5, True, None), (True, True, None),
        ("3.500", False, None), ("$ 300", True, None), ("veel", True, None), ("", True, None),
    ],
)  # fmt: skip
def test_parse(raw: str | int | float, comma: bool, expected: float | None) -> None:
    assert parse_eur(raw, decimal_comma=comma) == expected


def test_find_in_text() -> None:
    text = "Schuld van 35.000 euro; betaalde € 2.500,- en EUR 3000, plus 300 dollar."
    assert find_in_text(text) == [
        (35000.0, "35.000 euro", 11),
        (2500.0, "€ 2.500,-", 33),
        (3000.0, "EUR 3000", 46),
    ]
    assert find_in_text("Betaalde USD 300 in 2015.") == []


@settings(max_examples=200)
@given(st.text(max_size=40), st.booleans())
def test_never_raises(raw: str, comma: bool) -> None:
    value = parse_eur(raw, decimal_comma=comma)
    assert value is None or value >= 0
    for amount, span, start in find_in_text(raw):
        assert amount >= 0 and raw[start : start + len(span)] == span


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=10**9))
def test_dutch_thousands_roundtrip(value: int) -> None:
    written = f"{value:,}".replace(",", ".") + ",00"
    assert parse_eur(written, decimal_comma=True) == float(value)
