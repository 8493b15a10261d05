"""Licence plates: clean form, Dutch side-codes in text, precision."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_schema.types import plate


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("53-VKT-8", "53VKT8"), ("xr-123-k", "XR123K"), ("XR 123 K", "XR123K"),
        ("1-ABC-123", "1ABC123"), ("ABCDEF", None), ("123456", None), ("A1", None),
        ("AB-12-CD-34-EFG", None), ("", None),
    ],
)  # fmt: skip
def test_clean(raw: str, expected: str | None) -> None:
    assert plate.clean(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("busje 53-VKT-8 met", [("53VKT8", "53-VKT-8", 6)]),
        ("auto XR-123-K.", [("XR123K", "XR-123-K", 5)]),
        ("12-ABC-3", [("12ABC3", "12-ABC-3", 0)]),
        ("AB-123-C", [("AB123C", "AB-123-C", 0)]),
        ("1-ABC-23", [("1ABC23", "1-ABC-23", 0)]),
        ("XX-99-99", [("XX9999", "XX-99-99", 0)]),
        ("Belgische auto 1-ABC-123", [("1ABC123", "1-ABC-123", 15)]),
        ("kenteken: B-XY 1234", [("BXY1234", "B-XY 1234", 10)]),
        ("Zaak PL-2015-000101", []),
        ("datum 12-03-2015", []),
        ("xr-123-k", []),  # lower case: not taken from prose
        ("ID-straat Ter Apel", []),
        ("kenteken onbekend", []),
    ],
)
def test_find_in_text(text: str, expected: list[tuple[str, str, int]]) -> None:
    assert plate.find_in_text(text) == expected


@settings(max_examples=200)
@given(st.text(max_size=40))
def test_never_raises_and_idempotent(raw: str) -> None:
    result = plate.clean(raw)
    if result is not None:
        assert plate.clean(result) == result
        assert result.isalnum() and result.isupper()
    for value, span, start in plate.find_in_text(raw):
        assert raw[start : start + len(span)] == span
        assert plate.clean(span) == value
