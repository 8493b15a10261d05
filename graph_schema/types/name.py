"""Person names as written, with the parts we can tell apart.

Names arrive in three shapes: separate columns (police ``achternaam`` and
``voornaam``: style ``parts``), ``SURNAME, Given`` in one field (KMar:
``surname_comma``), and a free full name (IND, COA: ``free``) that is
``Given SURNAME`` or ``SURNAME Given``. In the free style the case tells
the surname when one block of tokens at either end is all upper case and
the rest is not (``HAILE Yonas``, ``Muhammad ALHASSAN``). When the case
does not tell (``Selam Tesfay``), we guess ``Given Surname`` - the first
form the IND contract names - and set ``guessed=True`` so that matching can
compare such names order-free instead of trusting the parts.

``raw`` is always the text exactly as written; the parts are trimmed but
keep their case (folding is the comparison's business).

>>> parse_name("AL-HASSAN, Mohamed", style="surname_comma")
Name(raw='AL-HASSAN, Mohamed', given='Mohamed', surname='AL-HASSAN', guessed=False)
>>> parse_name("HAILE Yonas", style="free")
Name(raw='HAILE Yonas', given='Yonas', surname='HAILE', guessed=False)
>>> parse_name("Selam Tesfay", style="free")
Name(raw='Selam Tesfay', given='Selam', surname='Tesfay', guessed=True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = ["Name", "NameStyle", "parse_name"]

NameStyle = Literal["surname_comma", "parts", "free"]

_SPACES = re.compile(r"\s+")
# Lower-case particles that belong to the surname that follows them.
_PARTICLES = frozenset(
    {"al", "el", "ul", "abu", "abou", "bin", "ben", "ibn", "ould", "wad", "wold", "van", "de",
     "der", "den", "ter", "te", "da", "di", "du", "la", "le"}
)  # fmt: skip


@dataclass(frozen=True)
class Name:
    """A person's name as written, with the parts we could tell apart.

    ``guessed`` is True when the parts come from word order alone (the case
    of the name did not tell which part is the surname).
    """

    raw: str
    given: str | None = None
    surname: str | None = None
    guessed: bool = False


def _is_upper_token(token: str) -> bool:
    letters = [ch for ch in token if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _none_if_empty(text: str | None) -> str | None:
    if text is None:
        return None
    collapsed = _SPACES.sub(" ", text).strip()
    return collapsed or None


def _free(raw: str) -> Name:
    tokens = raw.split()
    if len(tokens) < 2:
        return Name(raw)
    upper = [_is_upper_token(t) for t in tokens]
    if any(upper) and not all(upper):
        # A block of upper-case tokens at one end, the rest not: that block is the surname.
        lead = next(i for i, u in enumerate(upper) if not u)
        trail = next(i for i, u in enumerate(reversed(upper)) if not u)
        if lead and not any(upper[lead:]):
            return Name(raw, " ".join(tokens[lead:]), " ".join(tokens[:lead]))
        if trail and not any(upper[: len(tokens) - trail]):
            cut = len(tokens) - trail
            return Name(raw, " ".join(tokens[:cut]), " ".join(tokens[cut:]))
    # Case does not tell: guess `Given Surname`, keeping particles with the surname.
    cut = len(tokens) - 1
    while cut > 1 and tokens[cut - 1].casefold().strip("-") in _PARTICLES:
        cut -= 1
    return Name(raw, " ".join(tokens[:cut]), " ".join(tokens[cut:]), guessed=True)


@lru_cache(maxsize=16384)
def _parse_text(raw: str, style: NameStyle) -> Name | None:
    if not raw.strip():
        return None
    if style == "surname_comma" and "," in raw:
        surname, _, given = raw.partition(",")
        return Name(raw, _none_if_empty(given), _none_if_empty(surname))
    return _free(raw)


def parse_name(raw: str | tuple[str | None, str | None], *, style: NameStyle) -> Name | None:
    """A Name from ``raw`` in ``style``, or None when there is no name.

    For ``parts``, ``raw`` is the pair ``(surname, given)`` as two columns
    gave them; ``Name.raw`` is then ``"given surname"`` (each part as
    written). ``surname_comma`` without a comma falls back to ``free``.

    >>> parse_name(("Al-Hassan", "Mohammed"), style="parts")
    Name(raw='Mohammed Al-Hassan', given='Mohammed', surname='Al-Hassan', guessed=False)
    >>> parse_name("Mohammed Al Hassan", style="free").surname
    'Al Hassan'
    >>> parse_name("  ", style="free") is None
    True
    """
    if style == "parts":
        if not isinstance(raw, tuple) or len(raw) != 2:
            return None
        surname, given = (p if isinstance(p, str) else None for p in raw)
        surname_clean, given_clean = _none_if_empty(surname), _none_if_empty(given)
        if surname_clean is None and given_clean is None:
            return None
        written = " ".join(p for p in (given, surname) if p and p.strip())
        return Name(written, given_clean, surname_clean)
    if not isinstance(raw, str):
        return None
    return _parse_text(raw, style)
