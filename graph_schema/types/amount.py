"""Amounts in euros: what a person paid a smuggler, what a victim owes.

IND writes amounts with a Dutch decimal comma (``3.500,00``); KMar gives a
JSON number; free text says ``€ 2.500``, ``2500 euro`` or ``EUR 3000``.
Only euros are read: an amount in another currency is not converted and
not taken (a wrong amount is worse than none). A separator that could mean
either thousands or decimals under the given convention (``3.500`` without
a decimal comma) is not guessed.

>>> parse_eur("3.500,00", decimal_comma=True), parse_eur("€ 3.500", decimal_comma=True)
(3500.0, 3500.0)
>>> parse_eur(3000, decimal_comma=False), parse_eur("3.500", decimal_comma=False) is None
(3000.0, True)
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

__all__ = ["find_in_text", "parse_eur"]

_MARKER = re.compile(r"^(?:€|eur(?:o|os)?\b)\s*|\s*(?:€|\beur(?:o|os)?)$", re.IGNORECASE)
_COMMA_DECIMAL = re.compile(r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2})|,-{1,2})?")
_POINT_DECIMAL = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2})|\.-{1,2})?")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")

# Free text is Dutch: thousands dot, decimal comma, optional ",-".
_NUMBER = r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d{1,2}|,-{1,2})?"
_EURO = r"(?:€|\bEUR\b|\beuros?\b)"
_IN_TEXT = re.compile(
    rf"{_EURO}\s?(?P<after>{_NUMBER})(?![\d.,]\d)|(?<![\d.,])(?P<before>{_NUMBER})\s?{_EURO}",
    re.IGNORECASE,
)
# Most texts name no euros: one cheap search decides whether to run _IN_TEXT.
_TRIGGER = re.compile(r"€|eur", re.IGNORECASE)


@lru_cache(maxsize=16384)
def _parse_text(text: str, decimal_comma: bool) -> float | None:
    stripped = text.strip()
    for _ in range(2):  # a marker may stand before and after (`€ 3.000 EUR`)
        stripped = _MARKER.sub("", stripped, count=1).strip()
    stripped = _SPACES.sub("", stripped)
    pattern = _COMMA_DECIMAL if decimal_comma else _POINT_DECIMAL
    match = pattern.fullmatch(stripped)
    if match is None:
        return None
    thousands, decimal = (".", ",") if decimal_comma else (",", ".")
    number = stripped.replace(thousands, "").rstrip("-").rstrip(decimal)
    return float(number.replace(decimal, "."))


def parse_eur(raw: str | int | float, *, decimal_comma: bool) -> float | None:
    """An amount in euros from a number or text, or None (never negative).

    >>> parse_eur("3500", decimal_comma=True), parse_eur("2.500,-", decimal_comma=True)
    (3500.0, 2500.0)
    >>> parse_eur("1,234.50", decimal_comma=False)
    1234.5
    >>> parse_eur("$ 300", decimal_comma=True) is None
    True
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        value = float(raw)
        return value if math.isfinite(value) and value >= 0 else None
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    return _parse_text(raw, decimal_comma)


def find_in_text(text: str) -> list[tuple[float, str, int]]:
    """Euro amounts in Dutch free text: ``(amount, matched span, start)``.

    The span includes the euro marker, which is what makes it an amount.

    >>> find_in_text("Noemt schuld van 35.000 euro; betaalde € 2.500,- en EUR 300.")
    [(35000.0, '35.000 euro', 17), (2500.0, '€ 2.500,-', 39), (300.0, 'EUR 300', 52)]
    >>> find_in_text("Betaalde 300 dollar in 2015.")
    []
    """
    if not isinstance(text, str) or not _TRIGGER.search(text):
        return []
    found: list[tuple[float, str, int]] = []
    for match in _IN_TEXT.finditer(text):
        number = match.group("after") or match.group("before")
        value = _parse_text(number, True)
        if value is not None:
            found.append((value, match.group(), match.start()))
    return found
