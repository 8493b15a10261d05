"""Document numbers, V-numbers and IMEIs: tables and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_schema.types import document, imei, vnumber


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("N 0123456", "N0123456"), ("N0123456", "N0123456"), ("a09-876.543", "A09876543"),
        ("1234", None), ("N0123456/7", None), ("", None), ("X" * 21, None), ("ÄB12345", None),
    ],
)  # fmt: skip
def test_document_number(raw: str, expected: str | None) -> None:
    assert document.clean_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2803456781", "2803456781"), (" 2803456781 ", "2803456781"), ("0012345678", "0012345678"),
        ("280345678", None), ("28034567811", None), ("2803 456 781", None), ("28O3456781", None),
        ("", None), ("２８０３４５６７８１", None),
    ],
)  # fmt: skip
def test_vnumber(raw: str, expected: str | None) -> None:
    assert vnumber.clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("356938035643809", "356938035643809"), ("35-693803-564380-9", "356938035643809"),
        ("35 693803 564380 9", "356938035643809"), ("356938035643808", None),
        ("35693803564380", None), ("", None),
    ],
)  # fmt: skip
def test_imei(raw: str, expected: str | None) -> None:
    assert imei.clean(raw) == expected


@settings(max_examples=200)
@given(st.text(max_size=30))
def test_never_raise_and_idempotent(raw: str) -> None:
    for clean in (document.clean_number, vnumber.clean, imei.clean):
        result = clean(raw)
        if result is not None:
            assert clean(result) == result
    number = vnumber.clean(raw)
    assert number is None or (len(number) == 10 and number.isdigit())


@settings(max_examples=200)
@given(st.from_regex(r"[0-9]{14}", fullmatch=True))
def test_imei_outputs_pass_luhn(body: str) -> None:
    valid = [body + str(d) for d in range(10) if imei.clean(body + str(d))]
    assert len(valid) == 1  # exactly one check digit fits
    assert imei.luhn_valid(valid[0])
