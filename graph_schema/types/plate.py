"""Licence plates: compared upper-cased without dashes or spaces.

Plates link vehicles (a van at the border, a car picking residents up at an
azc) across signals. In free text we recognise Dutch plates by their
side-codes (``53-VKT-8``, ``XR-123-K``), Belgian ones (``1-ABC-123``), and
other plates only right after a word that announces one (``kenteken``,
``nummerplaat``, ``plate``): precision over recall, since a false plate
would join unrelated signals.

>>> clean("53-vkt-8"), clean("XR 123 K")
('53VKT8', 'XR123K')
>>> clean("ABCDEF") is None, clean("123") is None
(True, True)
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["clean", "find_in_text"]

_SEPARATORS = re.compile(r"[\s\-.]+")
_VALID = re.compile(r"[A-Z0-9]{4,10}")

# Dutch side-codes 1-14 (L = letter, D = digit), always written with dashes.
_SIDECODES = (
    "LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL",
    "DD-LLL-D", "D-LLL-DD", "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "L-DD-LLL",
    "D-LL-DDD", "DDD-LL-D",
)  # fmt: skip


def _sidecode_pattern(code: str) -> str:
    return "".join({"L": "[A-Z]", "D": "[0-9]", "-": "-"}[c] for c in code)


_DUTCH = "|".join(_sidecode_pattern(code) for code in _SIDECODES)
_BELGIAN = r"[1-9]-[A-Z]{3}-[0-9]{3}"
_ANNOUNCED = r"[A-Z0-9]{1,4}(?:[ \-][A-Z0-9]{1,4}){0,3}"
_IN_TEXT = re.compile(
    r"(?<![\w\-])"
    r"(?:(?i:kentekenplaat|kenteken|nummerplaat|license plate|plate)\s*[:.]?\s*"
    rf"(?P<announced>{_ANNOUNCED})"
    rf"|(?P<plate>{_DUTCH}|{_BELGIAN}))"
    r"(?![\w\-])"
)


# Every recognised plate has a dash or follows an announcing word.
_TRIGGER = re.compile(r"-|(?i:kenteken|nummerplaat|plate)")


@lru_cache(maxsize=16384)
def clean(raw: str) -> str | None:
    """``raw`` upper-cased without spaces, dashes and dots, if plate-shaped.

    4 to 10 ASCII letters and digits, at least one of each.

    >>> clean("1-abc-123")
    '1ABC123'
    """
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    plate = _SEPARATORS.sub("", raw).upper()
    if not _VALID.fullmatch(plate):
        return None
    if plate.isdigit() or plate.isalpha():
        return None
    return plate


def find_in_text(text: str) -> list[tuple[str, str, int]]:
    """Plates in free text: ``(clean plate, matched span, start offset)``.

    >>> find_in_text("Bestuurder van busje 53-VKT-8 met 9 personen.")
    [('53VKT8', '53-VKT-8', 21)]
    >>> find_in_text("Duitse auto, kenteken: B-XY 1234.")
    [('BXY1234', 'B-XY 1234', 23)]
    >>> find_in_text("Zaak PL-2015-000101, datum 12-03-15.")
    []
    """
    if not isinstance(text, str) or not _TRIGGER.search(text):
        return []
    found: list[tuple[str, str, int]] = []
    for match in _IN_TEXT.finditer(text):
        group = "plate" if match.group("plate") else "announced"
        span = match.group(group)
        plate = clean(span)
        if plate is not None:
            found.append((plate, span, match.start(group)))
    return found
