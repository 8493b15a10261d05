"""Name keys that survive transliteration, order swaps and ``SURNAME, Given``.

Names from Arabic, Tigrinya, Pashto or Farsi reach the chain partners in
Latin letters chosen by a clerk: ``Mohammed``, ``Muhammad`` and ``Mohamad``
are one name, as are ``Al-Hassan``, ``Alhassan`` and ``El Hassan``. Three
steps make such spellings comparable without a table per name:

1. :func:`tokens` folds case and accents, splits on spaces, hyphens and
   commas, and glues article-like particles (``al``, ``el``, ``abu``,
   ``abd``, ``bin`` ...) to the word they belong to, with ``el``/``ul``
   read as ``al``;
2. :func:`skeleton` keeps the consonant outline of a token (vowels and
   doubled letters dropped, common digraphs merged), the way the
   transliterations differ least;
3. comparisons are order-free (a bag of tokens), so swapped given and
   family names and ``SURNAME, Given`` compare equal.

>>> tokens("AL-HASSAN, Mohamed")
('alhassan', 'mohamed')
>>> [skeleton(t) for t in tokens("Muhammad El Hassan")]
['muhmd', 'alhasn']
>>> name_key("Mohammed Al-Hassan") == name_key("ALHASSAN, Muhammad")
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler

__all__ = ["name_key", "name_similarity", "outline_key", "skeleton", "token_similarity", "tokens"]

# Apostrophes are not split on: they write a sound inside a word (``Sa'ad``,
# ``Mas'ud``), and the typographic one is folded away with the accents.
# Words split on spaces, hyphens, dots and commas; a comma is kept, since it
# ends a part of the name (``SURNAME, Given``).
_SPLIT = re.compile(r"[\s\-_./]*(,)[\s\-_./,]*|[\s\-_./]+")
_NOT_LETTER = re.compile(r"[^a-z]")
# Particles glued to the next token; the value is their canonical spelling.
_PARTICLES = {
    "al": "al", "el": "al", "ul": "al", "ad": "al", "as": "al", "ash": "al", "at": "al",
    "abu": "abu", "abou": "abu", "abo": "abu",
    "abd": "abd", "abdel": "abdal", "abdul": "abdal", "abdal": "abdal", "abdol": "abdal",
    "bin": "bin", "ben": "bin", "ibn": "bin", "bint": "bint",
    "wad": "wad", "wedi": "wedi", "ould": "wad",
}  # fmt: skip
# Digraphs that different transliteration schemes write for one sound.
_DIGRAPHS = (("kh", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"), ("sh", "s"), ("ph", "f"),
             ("ch", "s"), ("c", "k"), ("ou", "u"), ("q", "k"), ("x", "h"), ("j", "g"), ("z", "s"),
             ("w", "u"), ("y", "i"), ("e", "i"), ("o", "u"))  # fmt: skip
_VOWELS = frozenset("aiu")
# Compound names clerks write as one word, two, or hyphenated: Ge'ez theophoric
# names (``Gebre Medhin``, ``Gebre-Medhin``, ``Gebremedhin``: "servant of the
# Saviour") and the Pashto and Dari ``-ullah`` (``Hafiz Ullah``). Two words that
# form one are glued, as a particle is to its word.
_COMPOUND_FIRST = frozenset({
    "gebre", "ghebre", "gebra", "wolde", "welde", "walda", "haile", "hayle", "tekle", "tecle",
    "habte", "habtu", "kidane", "tesfa", "tesfai", "zere", "berhane",
})  # fmt: skip
_COMPOUND_SECOND = frozenset({
    "mariam", "maryam", "michael", "mikael", "mikail", "giorgis", "giyorgis", "georgis",
    "selassie", "sellassie", "silassie", "medhin", "medhen", "mehdin", "yesus", "iyesus",
    "kristos", "christos", "cristos", "haimanot", "haymanot", "egziabher", "egziabeher", "amlak",
    "tensae", "kidan", "hiwet",
})  # fmt: skip
_SUFFIXES = frozenset({"ullah", "ulla", "ollah", "allah", "ulah"})


@lru_cache(maxsize=200_000)
def tokens(name: str) -> tuple[str, ...]:
    """The name's words folded to ASCII lower case, particles glued on.

    >>> tokens("Abd al-Rahman"), tokens("Abdul Rahman"), tokens("ABDELRAHMAN")
    (('abdalrahman',), ('abdalrahman',), ('abdalrahman',))
    >>> tokens("  "), tokens("Sa'ad Mas’ud")
    ((), ('saad', 'masud'))
    """
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    out: list[str] = []
    parts: list[int] = []
    pending = ""
    part, upper = 0, None
    for raw in filter(None, _SPLIT.split(ascii_)):
        if raw == ",":  # ``SURNAME, Given``: a new part of the name
            part, upper = part + 1, None
            continue
        word = _NOT_LETTER.sub("", raw.casefold())
        if not word:
            continue
        if upper is not None and raw.isupper() != upper:  # ``SURNAME Given``
            part += 1
        upper = raw.isupper()
        particle = _PARTICLES.get(word)
        if particle is not None:
            pending += particle
            continue
        if (
            word.startswith(("el", "ul"))
            and len(word) > 4
            and not pending
            and word not in _SUFFIXES
        ):
            word = "al" + word[2:]
        elif word.startswith(("abdel", "abdul", "abdol")) and len(word) > 7:
            word = "abdal" + word[5:]
        out.append(pending + word)
        parts.append(part)
        pending = ""
    if pending:
        out.append(pending)
        parts.append(part)
    return _compounds(out, parts)


def _compounds(words: list[str], parts: list[int]) -> tuple[str, ...]:
    """``words`` with the two halves of a compound name glued, within one part of the name.

    A compound is written in one part: ``GHEBRE Kidan`` and ``HAILE, Mariam``
    are a family name and a given name (Kidan Ghebre, Mariam Haile), not
    ``Ghebrekidan`` and ``Hailemariam``; ``parts`` numbers the word's part.

    >>> _compounds(["tesfay", "gebre", "medhin"], [0, 0, 0])
    ('tesfay', 'gebremedhin')
    >>> _compounds(["hafiz", "ullah", "karimi"], [0, 0, 0])
    ('hafizullah', 'karimi')
    >>> _compounds(["selam", "haile"], [0, 0])  # Haile alone is a name
    ('selam', 'haile')
    >>> _compounds(["ghebre", "kidan"], [0, 1])
    ('ghebre', 'kidan')
    >>> name_key("GHEBRE Kidan") == name_key("Kidan Ghebre")
    True
    """
    out: list[str] = []
    for n, word in enumerate(words):
        if (
            out
            and parts[n] == parts[n - 1]
            and (word in _SUFFIXES or (out[-1] in _COMPOUND_FIRST and word in _COMPOUND_SECOND))
        ):
            out[-1] += word
        else:
            out.append(word)
    return tuple(out)


# Particles as they start a glued token (longest first), and the shortest rest
# that is a word of its own (``Abdulla`` is one name, ``Abu Omar`` two words).
_PREFIXES = tuple(sorted(set(_PARTICLES.values()), key=len, reverse=True))
_MIN_REST = 4


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """The consonant outline of one folded token, with its first vowel.

    Vowels are where transliterations differ most, but dropping them all
    makes ``Mahmoud`` and ``Mohammed`` one name; the first vowel (after
    ``o``->``u`` and ``e``->``i``) keeps them apart - also behind a glued
    particle, whose own vowel would otherwise be the first.

    >>> skeleton("mohammed"), skeleton("muhammad"), skeleton("mohamad"), skeleton("mahmoud")
    ('muhmd', 'muhmd', 'muhmd', 'mahmd')
    >>> skeleton("youssef"), skeleton("yusuf"), [skeleton(t) for t in tokens("ABDELRAHMAN")]
    ('isf', 'isf', ['abdalrahmn'])
    >>> skeleton("tekle"), skeleton("tecle"), skeleton("fatemah"), skeleton("fatima")
    ('tikl', 'tikl', 'fatm', 'fatm')
    >>> skeleton("abumahmoud"), skeleton("abumohammed"), skeleton("alhassan")
    ('abumahmd', 'abumuhmd', 'alhasn')
    """
    if not token:
        return ""
    for prefix in _PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= _MIN_REST:
            return prefix + _outline(token[len(prefix) :])
    return _outline(token)


def _outline(token: str) -> str:
    text = token
    for old, new in _DIGRAPHS:
        text = text.replace(old, new)
    if len(text) > 3 and text[-1] == "h" and text[-2] in _VOWELS:
        text = text[:-1]  # a final h after a vowel is often not written: Fatemah, Fatima
    vowel = next((c for c in text if c in _VOWELS), "")
    out = [text[0]] if text[0] in _VOWELS else [text[0], vowel]
    for c in text[1:]:
        if c not in _VOWELS and c != out[-1]:
            out.append(c)
    return "".join(out)


def name_key(name: str) -> str:
    """An order-free key of the whole name: sorted token skeletons.

    >>> name_key("HAILE Yonas") == name_key("Yonas Haile")
    True
    """
    return outline_key(skeleton(t) for t in tokens(name))


def outline_key(outlines: Iterable[str]) -> str:
    """The order-free key of a name's word outlines: sorted, joined.

    >>> outline_key(["muhmd", "alhasn"])
    'alhasn muhmd'
    """
    return " ".join(sorted(outlines))


@lru_cache(maxsize=500_000)
def token_similarity(a: str, b: str) -> float:
    """1.0 for the same skeleton, else Jaro-Winkler similarity of the tokens.

    >>> token_similarity("hussein", "husein")
    1.0
    >>> round(token_similarity("yonas", "jonas"), 2)
    0.87
    """
    if a == b or skeleton(a) == skeleton(b):
        return 1.0
    return float(JaroWinkler.similarity(a, b))


def name_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[float, float]:
    """How well each side's tokens are found in the other: ``(worst side, best side)``.

    Each token is matched to its most similar token on the other side; a
    side's figure is the mean over its tokens. The worst side says whether
    the names are the same; the best side says whether one name is the other
    with words missing (a second given name left out).

    >>> name_similarity(("yonas", "haile"), ("haile", "yonas"))
    (1.0, 1.0)
    >>> name_similarity(("yonas", "haile", "tesfay"), ("yonas", "haile"))[1]
    1.0
    """
    if not a or not b:
        return 0.0, 0.0
    sims = [[token_similarity(s, t) for t in b] for s in a]
    ab = sum(max(row) for row in sims) / len(a)
    ba = sum(max(col) for col in zip(*sims, strict=True)) / len(b)
    return min(ab, ba), max(ab, ba)
