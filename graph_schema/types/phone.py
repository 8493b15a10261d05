"""Phone numbers: any national or international form to E.164.

The E.164 form is the phone's identity: ``+31 6 12345678``, ``0031612345678``
and ``06-12345678`` are one number, and only one node in the graph.

Validity: a number must be *possible* (right length) **and** *valid* (in an
allocated range of its country's numbering plan, per ``phonenumbers``
metadata). ``is_possible_number`` alone accepts ``12345`` and ``2015-09-15``
as Dutch numbers; since E.164 numbers become pivot nodes that link signals,
a false number would link records that share nothing. The price is that a
number in a range allocated after the metadata release is not normalised;
it is then kept as written with a warning (see ``loaders``), so nothing is
lost.

>>> clean("+31 6 12345678"), clean("0031612345678"), clean("06-12345678")
('+31612345678', '+31612345678', '+31612345678')
>>> clean("+963 944 123 456"), clean("00963944123456")
('+963944123456', '+963944123456')
>>> clean("12345") is None, clean("geen") is None
(True, True)
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import Leniency, NumberParseException, PhoneNumber, PhoneNumberFormat
from phonenumbers.phonemetadata import PhoneMetadata

__all__ = ["clean", "find_in_text"]

# Longest text we try to parse as one number; longer input is not a number.
_MAX_LEN = 64
# Cheap pre-filter for free text: a run that could hold a phone number
# (optional + or opening parenthesis, then digits and separators, >= 7 chars).
# The matcher itself is ~100x slower than this regex, so we only run it on
# these candidate runs, and cache its answer per run (numbers repeat).
_CANDIDATE = re.compile(r"[+(]?\d[\d \t().\-/]{5,40}\d")
_DIGIT = re.compile(r"\d")


# Fast path (see ``_fast``): separators to drop, and the two shapes it reads.
_SEPARATORS = re.compile(r"[\s\-./()]+")
_INTERNATIONAL = re.compile(r"(?:\+|00)([1-9][0-9]{5,16})")
_NL_NATIONAL = re.compile(r"0([1-9][0-9]{8})")
_NO_ANSWER = "?"


@lru_cache(maxsize=1024)
def _plain_prefix(country_code: int) -> bool:
    """True if parsing strips at most a trunk ``0`` for this country code.

    For these codes a national number that does not start with 0 comes out
    of ``phonenumbers.parse`` unchanged, so we can skip the parse.
    """
    region = phonenumbers.region_code_for_country_code(country_code)
    meta = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    return (
        meta is not None
        and meta.national_prefix_for_parsing in (None, "0")
        and meta.national_prefix_transform_rule is None
    )


def _fast(text: str) -> str | None:
    """E.164 for the two common shapes, ``+CC…``/``00CC…`` and Dutch ``0…``.

    ``phonenumbers.parse`` is pure Python and ~4x slower than the validity
    check itself; for numbers in these shapes we build the number directly
    and only ask ``is_valid_number``. Returns ``_NO_ANSWER`` for any other
    shape, which then goes through the full parse (the tests check both
    paths agree).
    """
    digits = _SEPARATORS.sub("", text)
    if match := _INTERNATIONAL.fullmatch(digits):
        full = match[1]
        for size in (1, 2, 3):
            code = int(full[:size])
            if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                break
        else:
            return None
        national = full[size:]
        if not national or national[0] == "0" or not _plain_prefix(code):
            return _NO_ANSWER
    elif match := _NL_NATIONAL.fullmatch(digits):
        code, national = 31, match[1]
    else:
        return _NO_ANSWER
    return f"+{code}{national}" if _is_valid(code, national) else None


# Number types of the metadata; a number is valid when it matches the general
# description and one of these (as phonenumbers' _number_type_helper decides).
# Order does not change the answer; the common types come first.
_TYPES = (
    "mobile", "fixed_line", "voip", "toll_free", "premium_rate", "shared_cost",
    "personal_number", "pager", "uan", "voicemail",
)  # fmt: skip
_Desc = tuple[re.Pattern[str], frozenset[int]]


def _compiled(desc: object) -> _Desc | None:
    pattern = getattr(desc, "national_number_pattern", None)
    if not pattern:
        return None
    return re.compile(pattern), frozenset(getattr(desc, "possible_length", ()) or ())


@lru_cache(maxsize=512)
def _checker(code: int) -> tuple[_Desc, tuple[_Desc, ...]] | None:
    """Precompiled validity patterns of a country code with one region, else None."""
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ())
    if len(regions) != 1 or regions[0] == "001":
        return None
    meta = PhoneMetadata.metadata_for_region(regions[0])
    general = _compiled(meta.general_desc) if meta is not None else None
    if meta is None or general is None:
        return None
    kinds = (_compiled(getattr(meta, name, None)) for name in _TYPES)
    return general, tuple(k for k in kinds if k is not None)


def _matches(desc: _Desc, national: str) -> bool:
    pattern, lengths = desc
    return (not lengths or len(national) in lengths) and pattern.fullmatch(national) is not None


def _is_valid(code: int, national: str) -> bool:
    """``phonenumbers.is_valid_number`` for +code national, ~4x faster.

    phonenumbers looks up metadata and compiled patterns on every call; for
    country codes with a single region we keep them compiled. Codes shared
    by several regions (+1, +7, ...) go to phonenumbers itself.
    """
    checker = _checker(code)
    if checker is None:
        number = PhoneNumber(country_code=code, national_number=int(national))
        return bool(phonenumbers.is_valid_number(number))
    general, kinds = checker
    return _matches(general, national) and any(_matches(k, national) for k in kinds)


def _slow(text: str, region: str) -> str | None:
    """E.164 through the full ``phonenumbers.parse``."""
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return None
    except Exception:  # phonenumbers may raise others on odd Unicode; never raise
        return None
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, PhoneNumberFormat.E164))


@lru_cache(maxsize=65536)
def clean(raw: str, *, region: str = "NL") -> str | None:
    """The E.164 form of ``raw``, or ``None`` if it is not a valid number.

    ``region`` (ISO alpha-2) interprets numbers written without a country
    code; all four partners are Dutch, hence ``NL``.

    >>> clean("+90 532 123 4567")
    '+905321234567'
    >>> clean("020-1234567", region="NL")
    '+31201234567'
    """
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text or len(text) > _MAX_LEN:
        return None
    if region == "NL" and text.isascii():
        found = _fast(text)
        if found != _NO_ANSWER:
            return found
    return _slow(text, region)


# A run that is plainly one number (digits with single spaces or dashes, not
# a date) is checked with ``clean``; only other runs go to the matcher.
_PLAIN_RUN = re.compile(r"\+?[0-9]+(?:[ \-][0-9]+)*")
_DATE_LIKE = re.compile(r"[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,4}")


@lru_cache(maxsize=65536)
def _match_run(run: str, region: str) -> tuple[tuple[str, str, int], ...]:
    """Numbers in one candidate run: ``(e164, span, offset in run)``."""
    if _PLAIN_RUN.fullmatch(run) and not _DATE_LIKE.fullmatch(run):
        e164 = clean(run, region=region)
        if e164 is not None:
            return ((e164, run, 0),)
    found: list[tuple[str, str, int]] = []
    try:
        matcher = phonenumbers.PhoneNumberMatcher(run, region, leniency=Leniency.VALID)
        for match in matcher:
            e164 = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
            found.append((str(e164), str(match.raw_string), int(match.start)))
    except Exception:  # never raise on odd input
        return ()
    return tuple(found)


def find_in_text(text: str, *, region: str = "NL") -> list[tuple[str, str, int]]:
    """Phone numbers in free text: ``(e164, matched span, start offset)``.

    Uses ``PhoneNumberMatcher`` with ``Leniency.VALID``: the number must be
    valid and the matcher's own guards against dates, times and numbers
    glued to letters apply. Only digit runs that could be a number are given
    to the matcher (see ``_CANDIDATE``), which keeps loaders fast.

    >>> find_in_text("Via Abu Omar (+90 532 123 4567), bel 06-12345678.")
    [('+905321234567', '+90 532 123 4567', 14), ('+31612345678', '06-12345678', 37)]
    >>> find_in_text("Gezien op 2015-09-15 om 10:30.")
    []
    """
    if not isinstance(text, str) or not text:
        return []
    found: list[tuple[str, str, int]] = []
    for candidate in _CANDIDATE.finditer(text):
        run = candidate.group()
        if len(_DIGIT.findall(run)) < 7:
            continue
        offset = candidate.start()
        for e164, span, start in _match_run(run, region):
            found.append((e164, span, offset + start))
    return found
