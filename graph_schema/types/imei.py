"""IMEI numbers: 15 digits whose last is a Luhn check digit.

An IMEI ties a handset to every SIM used in it, so it links phone numbers
that a person changed. The check digit catches most typing errors, which
would otherwise create false handsets.

>>> clean("356938035643809"), clean("35-693803-564380-9")
('356938035643809', '356938035643809')
>>> clean("356938035643808") is None
True
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["clean", "luhn_valid"]

_SEPARATORS = re.compile(r"[\s\-]+")
_FIFTEEN = re.compile(r"[0-9]{15}")


def luhn_valid(digits: str) -> bool:
    """True if the string of ASCII digits passes the Luhn check.

    >>> luhn_valid("79927398713")
    True
    """
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = ord(char) - 48
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


@lru_cache(maxsize=16384)
def clean(raw: str) -> str | None:
    """The 15-digit IMEI in ``raw`` (spaces and dashes removed), or None.

    >>> clean("35 693803 564380 9")
    '356938035643809'
    """
    if not isinstance(raw, str) or len(raw) > 60:
        return None
    digits = _SEPARATORS.sub("", raw)
    if not _FIFTEEN.fullmatch(digits) or not luhn_valid(digits):
        return None
    return digits
