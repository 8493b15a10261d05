"""Countries: every written form to ISO 3166-1 alpha-3.

The partners write nationality and route as alpha-3 (``SYR``), alpha-2
(``SY``), Dutch names (``Syrië``, ``Syrie``), English names, official ones
included (``Syrian Arab Republic``) and stateless as ``Staatloos``,
``Stateless`` or ICAO ``XXA``. One code per country is what lets the graph
join nationalities and routes across organisations.

Only exact lookups after normalisation (case, diacritics, punctuation and
whitespace folded): no fuzzy matching, because a wrong country is worse than
an unresolved one (the raw text is always kept beside the code). Names that
point at several states (``Congo``) resolve to ``None``. Kosovo, which has no
ISO code, is ``XKX`` (the user-assigned code the EU uses).

>>> clean("Syrië"), clean("syrie"), clean("SY"), clean("Syrian Arab Republic")
('SYR', 'SYR', 'SYR', 'SYR')
>>> clean("Noord-Macedonië"), clean("Viet Nam"), clean("Staatloos")
('MKD', 'VNM', 'XXA')
>>> clean("Congo") is None, clean("Koerdistan") is None
(True, True)
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import pycountry
import yaml

__all__ = ["clean", "normalise_key"]

_DATA = Path(__file__).with_name("data") / "countries_nl.yaml"
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_key(text: str) -> str:
    """Fold case, diacritics, punctuation and whitespace for lookups.

    >>> normalise_key("  Noord-Macedonië ")
    'noord macedonie'
    >>> normalise_key("Côte d'Ivoire")
    'cote d ivoire'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", stripped).strip()


@cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """(codes, names): normalised key -> alpha-3, built once.

    Codes win over names so that ``IND`` is India rather than anything a name
    table might say; ambiguous names map to the empty string (= no answer).
    """
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    for country in pycountry.countries:
        alpha3 = str(country.alpha_3)
        codes[alpha3.casefold()] = alpha3
        codes[str(country.alpha_2).casefold()] = alpha3
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names[normalise_key(str(value))] = alpha3
    with _DATA.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    for section in ("names", "special"):
        for alpha3, variants in data[section].items():
            codes.setdefault(str(alpha3).casefold(), str(alpha3))
            for variant in variants:
                names[normalise_key(str(variant))] = str(alpha3)
    codes.setdefault("xk", "XKX")
    for variant in data["ambiguous"]:
        names[normalise_key(str(variant))] = ""
    return codes, names


@lru_cache(maxsize=4096)
def clean(raw: str) -> str | None:
    """The ISO 3166-1 alpha-3 code (or ``XXA``/``XXB``/``XKX``) for ``raw``.

    Returns ``None`` for empty, unknown, ambiguous or non-text input; never
    raises.

    >>> clean(" tur "), clean("Turkije"), clean("Türkiye"), clean("TR")
    ('TUR', 'TUR', 'TUR', 'TUR')
    >>> clean("") is None
    True
    """
    if not isinstance(raw, str) or len(raw) > 100:
        return None
    codes, names = _index()
    stripped = raw.strip()
    if 2 <= len(stripped) <= 3 and stripped.isascii() and stripped.isalpha():
        code = codes.get(stripped.casefold())
        if code:
            return code
    key = normalise_key(stripped)
    if not key:
        return None
    found = names.get(key)
    if found is None and key.startswith("the "):
        found = names.get(key[4:])
    return found or None
