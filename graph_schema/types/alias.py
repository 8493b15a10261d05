"""Aliases in free text: the names smugglers and traffickers go by.

An alias (``Abu Omar``, ``Madam Joy``, ``Wedi Issak``) is often the only
handle on a facilitator, and the same alias in signals of different
organisations is a lead. We take an alias only where the text marks it:

- after a word that announces one (``alias``, ``bijnaam``, ``genaamd``,
  ``roepnaam``, ``schuilnaam``, ``ook wel``, ``aka``), quoted or as one to
  three capitalised words;
- as a kunya or honorific (``Abu``/``Umm``/``Wedi``/``Madam``/``Mama``
  followed by a capitalised name), minus place names (``Abu Dhabi``).

Precision over recall: a quoted word without such a marker is not taken.

>>> find_in_text('Reisde via Abu Omar en een man genaamd "Kaptan".')
[('Abu Omar', 'Abu Omar', 11), ('Kaptan', 'Kaptan', 40)]
>>> find_in_text("Vloog via Abu Dhabi naar Istanbul.")
[]
"""

from __future__ import annotations

import re

__all__ = ["find_in_text"]

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ"
_WORD = rf"[{_UP}][{_LOW}{_UP}]*(?:['’\-][{_UP}{_LOW}]+)*"
_PARTICLE = r"(?:al|el|bin|ibn|ben|abu|abou|wad|ould|de|van|der)"
_CAPS = rf"{_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_WORD}){{0,2}}"
_QUOTED = r"""["“”'‘’„](?P<quoted>[^"“”'‘’„\n]{2,40}?)["“”'‘’„]"""
_KEYWORD = r"(?i:alias|bijnaam|genaamd|genoemd|roepnaam|schuilnaam|ook wel|a\.k\.a\.|aka)"
_HONORIFIC = rf"(?:Abu|Abou|Umm|Om|Wedi|Madam|Madame|Mama|Mummy)[ \t]+{_WORD}"
_PATTERN = re.compile(
    rf"\b{_KEYWORD}[ \t]*:?[ \t]*(?:{_QUOTED}|(?P<plain>{_CAPS}))"
    rf"|(?<![\w\-])(?P<honorific>{_HONORIFIC})(?![\w\-])"
)
# Texts without any announcing word or honorific skip the full pattern.
_TRIGGER = re.compile(
    r"(?i:alias|bijnaam|genaamd|genoemd|roepnaam|schuilnaam|ook wel|aka\b|a\.k\.a)"
    r"|Abu|Abou|Umm|Om\b|Wedi|Madam|Mama|Mummy"
)
_SPACES = re.compile(r"\s+")
_TRIM = " \t.,;:"
_NOT_ALIASES = frozenset({"abu dhabi", "abu ghraib", "abu simbel", "abu kamal", "umm qasr"})


def find_in_text(text: str) -> list[tuple[str, str, int]]:
    """Aliases in ``text``: ``(alias, matched span, start offset)``.

    The span is the alias itself (without the announcing word or quotes),
    so that it can be highlighted.

    >>> find_in_text("Schuld aan 'Madam Joy'; bijnaam: Wedi Issak.")
    [('Madam Joy', 'Madam Joy', 12), ('Wedi Issak', 'Wedi Issak', 33)]
    """
    if not isinstance(text, str) or not _TRIGGER.search(text):
        return []
    found: list[tuple[str, str, int]] = []
    for match in _PATTERN.finditer(text):
        group = next(g for g in ("quoted", "plain", "honorific") if match.group(g))
        start, end = match.span(group)
        while start < end and text[start] in _TRIM:
            start += 1
        while end > start and text[end - 1] in _TRIM:
            end -= 1
        span = text[start:end]
        alias = _SPACES.sub(" ", span)
        if len(alias) >= 2 and alias.casefold() not in _NOT_ALIASES:
            found.append((alias, span, start))
    return found
