"""V-numbers (vreemdelingennummer): exactly ten digits, nothing else.

The V-number is the strongest identifier in the chain, so it is never
repaired: no padding of lost leading zeros, no removal of inner spaces or
dashes. A value that is not ten digits after trimming is not a V-number
(loaders reject the row, per the formats contract).

>>> clean(" 2803456781 ")
'2803456781'
>>> clean("280345678") is None, clean("2803 456 781") is None
(True, True)
"""

from __future__ import annotations

import re

__all__ = ["clean"]

_VALID = re.compile(r"[0-9]{10}")


def clean(raw: str) -> str | None:
    """``raw`` trimmed if it is exactly ten ASCII digits, else None.

    >>> clean("0012345678")
    '0012345678'
    """
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    return text if _VALID.fullmatch(text) else None
