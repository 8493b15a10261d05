"""Phone numbers: the README's forms, E.164 shape, and fast path == full parse."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_schema.types import phone

CASES = [
    ("+31 6 12345678", "+31612345678"),
    ("0031612345678", "+31612345678"),
    ("06-12345678", "+31612345678"),
    ("+963 944 123 456", "+963944123456"),
    ("00963944123456", "+963944123456"),
    ("0090 532 1234567", "+905321234567"),
    ("+90 532 123 4567", "+905321234567"),
    ("+218 91 2345678", "+218912345678"),
    ("06 87654321", "+31687654321"),
    ("+31 (0)6 12345678", "+31612345678"),
    ("020-1234567", "+31201234567"),
    ("12345", None),  # possible length for NL, but not valid
    ("2015-09-15", None),
    ("112", None),
    ("", None),
    ("   ", None),
    ("geen telefoon", None),
    ("+999 123 456 789", None),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_clean_table(raw: str, expected: str | None) -> None:
    assert phone.clean(raw) == expected


def test_find_in_text_spans() -> None:
    text = "Zegt dat hij via Abu Omar (+90 532 123 4567) is gereisd; bel 0612345678."
    found = phone.find_in_text(text)
    assert found == [
        ("+905321234567", "+90 532 123 4567", 27),
        ("+31612345678", "0612345678", 61),
    ]
    for _, span, start in found:
        assert text[start : start + len(span)] == span


@pytest.mark.parametrize(
    "text",
    ["Gezien op 2015-09-15 om 10:30.", "Zaak PL-2015-000101", "35.000 euro", "busje 53-VKT-8"],
)
def test_find_in_text_ignores_non_numbers(text: str) -> None:
    assert phone.find_in_text(text) == []


def _example_numbers() -> list[str]:
    """Valid numbers of every region, written in several forms."""
    forms = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
            intl = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            forms += [e164, intl, "00" + e164[1:]]
    return forms


def test_fast_path_agrees_with_full_parse() -> None:
    for raw in _example_numbers():
        fast = phone._fast(raw)
        if fast != phone._NO_ANSWER:
            assert fast == phone._slow(raw, "NL"), raw


@settings(max_examples=200)
@given(st.from_regex(r"(\+|00|0)[0-9][0-9 \-]{4,14}", fullmatch=True))
def test_fast_path_agrees_on_digit_strings(raw: str) -> None:
    fast = phone._fast(raw)
    if fast != phone._NO_ANSWER:
        assert fast == phone._slow(raw, "NL")


@settings(max_examples=200)
@given(st.text())
def test_clean_never_raises_and_is_e164(raw: str) -> None:
    result = phone.clean(raw)
    if result is not None:
        assert result[0] == "+" and result[1:].isdigit()
        assert phone.clean(result) == result  # idempotent


@settings(max_examples=200)
@given(st.text())
def test_find_in_text_never_raises(text: str) -> None:
    for e164, span, start in phone.find_in_text(text):
        assert e164.startswith("+") and e164[1:].isdigit()
        assert text[start : start + len(span)] == span


@settings(max_examples=200)
@given(
    st.sampled_from(sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)),
    st.from_regex(r"[1-9][0-9]{3,13}", fullmatch=True),
)
def test_fast_validity_agrees_with_phonenumbers(code: int, national: str) -> None:
    number = phonenumbers.PhoneNumber(country_code=code, national_number=int(national))
    assert phone._is_valid(code, national) == phonenumbers.is_valid_number(number)
