"""Spellings of one name, learned from the records an identifier already links.

The name outline (:func:`~workbench.resolve.names.skeleton`) makes most
transliterations of a name one key, but not all: it keeps a word's first
vowel to tell ``Mahmoud`` from ``Mohammed``, so ``Osman`` and ``Othman``,
``Ahmed`` and the Kurdish ``Ehmed``, ``Selam`` and ``Salam`` keep two keys,
and a mention spelled the other way is compared as a *fuzzy* name - which
at national scale mostly means two different people. Which spellings are
one name is a habit of the clerks who write them, so it is learned, not
listed: records that share a V-number are one person (the chain's own
identifier), and where two of them differ in exactly one word's outline,
that pair of outlines is one name spelled twice. A pair seen at least
``SUPPORT`` times is a habit, not a typo; each group of outlines linked by
such pairs is then written as its smallest outline (:func:`respell`).

Learning from the identifier's links is the idea of mining name variants
from matched records (Christen, *Data Matching*, 2012, ch. 4 and 5: name
variation lists built from linked pairs; Bilenko & Mooney 2003 learn
string similarity from labelled duplicates the same way). The table is
part of the model a run stores: a run that reuses the weights reuses the
spellings, so an incremental run keys names as the full run did.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from workbench.resolve.names import outline_key
from workbench.resolve.records import Record

__all__ = ["SUPPORT", "learn_spellings", "respell"]

SUPPORT = 3  # identifier-linked pairs that must show two outlines as one name
MAX_BLOCK = 30  # records of one identifier compared at most (a shared number is an error)


def learn_spellings(
    records: Iterable[Record],
    identifier: Callable[[Record], str | None],
    *,
    support: int = SUPPORT,
) -> dict[str, str]:
    """Outline -> the outline it is written as, learned from records sharing ``identifier``.

    Only outlines that differ from their written form are keys. Deterministic:
    a group of linked outlines is written as its smallest.

    >>> rs = [Record(f"{v}{i}", name, v_number=v) for v in "abc"
    ...       for i, name in enumerate(("Osman Ali", "Othman Ali"))]
    >>> learn_spellings(rs, lambda r: r.v_number)
    {'utmn': 'usmn'}
    >>> learn_spellings(rs[:4], lambda r: r.v_number)  # seen twice: not yet a habit
    {}
    """
    linked: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        if (v := identifier(r)) and r.outlines:
            linked[v].append(r)
    seen: Counter[tuple[str, str]] = Counter()
    for group in linked.values():
        if len(group) > MAX_BLOCK:
            continue
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if (one := _one_word_apart(a, b)) is not None:
                    seen[one] += 1
    return _written_as(sorted(p for p, n in seen.items() if n >= support))


def _one_word_apart(a: Record, b: Record) -> tuple[str, str] | None:
    """The two outlines that tell ``a``'s name from ``b``'s, when exactly one word differs.

    >>> _one_word_apart(Record("a", "Ahmed Rasul"), Record("b", "RASUL, Ehmed"))
    ('ahmd', 'ihmd')
    >>> _one_word_apart(Record("a", "Ahmed Rasul"), Record("b", "Ehmed Resul")) is None
    True
    """
    if a.key == b.key:
        return None
    x, y = Counter(a.outlines), Counter(b.outlines)
    only_a, only_b = x - y, y - x
    if only_a.total() != 1 or only_b.total() != 1:
        return None
    s, t = next(iter(only_a)), next(iter(only_b))
    return (s, t) if s < t else (t, s)


def _written_as(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Each outline linked to a smaller one, mapped to the smallest of its group.

    >>> _written_as([("b", "c"), ("a", "c"), ("x", "y")])
    {'b': 'a', 'c': 'a', 'y': 'x'}
    """
    parent: dict[str, str] = {}

    def root(s: str) -> str:
        while parent.get(s, s) != s:
            s = parent[s]
        return s

    for s, t in pairs:
        rs, rt = root(s), root(t)
        if rs != rt:
            parent[max(rs, rt)] = min(rs, rt)
    return {s: root(s) for s in sorted(parent)}


def respell(records: Iterable[Record], spellings: Mapping[str, str]) -> None:
    """Write each record's outlines (and its mates') as ``spellings`` says, and re-key it.

    Set while a run prepares its records, before blocking: ``Record`` is
    otherwise immutable. Idempotent (a written form is never a key).

    >>> r = Record("a", "Othman ALI")
    >>> respell([r], {"utmn": "usmn"})
    >>> r.outlines, r.key
    (('usmn', 'al'), 'al usmn')
    """
    if not spellings:
        return
    # Per distinct outlines, what they are written as (None: as they are). Names repeat,
    # and a record met again as another's mate is looked up, not worked out again.
    written: dict[tuple[str, ...], tuple[tuple[str, ...], str] | None] = {}
    for r in records:
        for one in (r, *r.mates):
            if one.outlines not in written:
                written[one.outlines] = _written(one.outlines, spellings)
            found = written[one.outlines]
            if found is not None:
                object.__setattr__(one, "outlines", found[0])
                object.__setattr__(one, "key", found[1])


def _written(
    outlines: tuple[str, ...], spellings: Mapping[str, str]
) -> tuple[tuple[str, ...], str] | None:
    """The outlines as ``spellings`` writes them, and their key; None if unchanged."""
    if not any(o in spellings for o in outlines):
        return None
    out = tuple(spellings.get(o, o) for o in outlines)
    return out, outline_key(out)
