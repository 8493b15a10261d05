"""Document numbers: compared without spaces, dashes and dots, upper-cased.

KMar writes ``N0123456`` where the police write ``N 0123456``; the contract
says to compare document numbers this way (and only together with the
issuing country, which is the caller's business).

>>> clean_number("N 0123456"), clean_number("a09-876.543")
('N0123456', 'A09876543')
>>> clean_number("123") is None, clean_number("N0123456/7") is None
(True, True)
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["clean_number"]

_SEPARATORS = re.compile(r"[\s.\-]+")
_VALID = re.compile(r"[A-Z0-9]{5,20}")


@lru_cache(maxsize=16384)
def clean_number(raw: str) -> str | None:
    """The comparable form of a document number, or None if it is not one.

    Letters and digits only (ASCII, as printed in the machine-readable zone),
    5 to 20 of them once spaces, dashes and dots are removed.

    >>> clean_number(" ab-12 34 5 ")
    'AB12345'
    """
    if not isinstance(raw, str) or len(raw) > 100:
        return None
    number = _SEPARATORS.sub("", raw).upper()
    return number if _VALID.fullmatch(number) else None
