"""Comparisons: for each feature, which agreement level a pair of records reaches.

As in splink, a comparison is an ordered list of levels, strongest first,
with ``None`` meaning "cannot say" (a value missing on either side): a
missing value neither helps nor hurts. How much each level weighs is not
decided here but learned (:mod:`workbench.resolve.fellegi_sunter`).

>>> a = Record("a", "Mohammed AL-HASSAN", Birth(1990, 5, 17), "SYR")
>>> b = Record("b", "ALHASSAN, Muhammad", Birth(1990), "SYR")
>>> [(c.name, c.label(a, b)) for c in PERSON]  # doctest: +NORMALIZE_WHITESPACE
[('name', 'transliteration'), ('birth_date', 'same year, one imprecise'),
 ('nationality', 'same'), ('sex', None), ('v_number', None), ('phone', None),
 ('document', None), ('route', None), ('arrival', None), ('timing', None),
 ('companions', None), ('reception_centre', None)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

from workbench.resolve.names import name_similarity, token_similarity
from workbench.resolve.pairs import unique_inverse
from workbench.resolve.records import Birth, Record, v_number_typo

__all__ = ["CENTRE", "COMPANIONS", "FEBRL", "PERSON", "Comparison"]

Level = int | None
Positions = npt.NDArray[np.int64]
# Levels of many pairs at once: the records, each pair's two positions among them, and the
# positions of the records any pair holds (the only ones whose values are needed).
Batch = Callable[[Sequence[Record], Positions, Positions, Sequence[int]], npt.NDArray[np.int8]]


@dataclass(frozen=True)
class Comparison:
    """One feature: its level labels (strongest first) and how to pick a level.

    ``term`` gives a record's values of the feature (the name's outline, the
    birth date, the phones ...); at the ``tf_levels`` two records agree on
    one of them. Agreeing on a rare value is stronger evidence than agreeing
    on a common one - a helpdesk number shared by hundreds says nothing - so
    at those levels the weight is adjusted by the value's frequency
    (splink's term-frequency adjustment, :meth:`FSModel.tf_adjustment`).

    ``within`` names a record attribute the frequency is counted within, for a
    feature that depends on another one: two Syrians sharing the usual Syrian
    route is no coincidence, though the route is rare among all records. Summing
    a nationality's weight and a route's weight counted over everyone took the two
    as independent and counted the agreement twice (ADR 0002, fourteenth round).
    """

    name: str
    levels: tuple[str, ...]
    compare: Callable[[Record, Record], Level]
    show: Callable[[Record], str | None]
    term: Callable[[Record], Collection[str]] | None = None
    tf_levels: tuple[int, ...] = ()
    # The same levels as ``compare`` for many pairs at once, in numpy: for features whose
    # distinct key pairs are nearly all pairs (a day and an arrival), a Python call each
    # was most of comparing's time and grew with the pairs (ADR 0002, eighth round).
    batch: Batch | None = None
    within: str | None = None
    # Whether a record's value can agree at a frequency level at all (``FSModel.tf_u``):
    # only administrative dates agree on "the same 1 January". None: every value can.
    reaches: Callable[[Record, int], bool] | None = None

    def values(self, r: Record) -> tuple[str, ...]:
        """The record's ``term`` values, each prefixed by its ``within`` group.

        Without ``within``, the ``term`` values; with it, none when the record's
        group is unknown (its plain ``term`` values then count, see :meth:`agreed`).

        >>> ROUTE.values(Record("a", "x", nationality="SYR", route=("TR", "GR")))
        ('SYR|TR>GR',)
        """
        if self.term is None:
            return ()
        if self.within is None:
            return tuple(self.term(r))
        group = self.group(r)
        return tuple(f"{group}|{v}" for v in self.term(r)) if group else ()

    def group(self, r: Record) -> str | None:
        """The record's ``within`` group; None without ``within`` or when it is unknown."""
        return (getattr(r, self.within) or None) if self.within else None

    def codings(self) -> tuple[Callable[[Record], Collection[str]], ...]:
        """How a record's values are keyed, the most specific first: a pair's
        frequency is that of the first coding it agrees on (:meth:`agreed`)."""
        if self.term is None:
            return ()
        return (self.values, self.term) if self.within else (self.values,)

    def among(self, a: Record, b: Record) -> str | None:
        """The ``within`` group an agreed value's frequency is counted among: the two
        records' shared group, or None when the share is over all records.

        >>> a = Record("a", "x", nationality="SYR", route=("SYR", "TUR"))
        >>> ROUTE.among(a, a), ROUTE.among(a, Record("b", "x", route=("SYR", "TUR")))
        ('SYR', None)
        """
        group = self.group(a)
        return group if group and group == self.group(b) else None

    def agreed(self, a: Record, b: Record, level: Level) -> tuple[str, ...]:
        """The values both records hold when the level is one of ``tf_levels``, else none.

        Two records of one ``within`` group agree on its prefixed values; two of
        different or unknown groups on the plain ones.

        >>> a, b = Record("a", "Yonas HAILE"), Record("b", "HAILE, Yonas")
        >>> NAME.agreed(a, b, NAME.level(a, b)), NAME.agreed(a, b, 5)
        (('hal ins',), ())
        """
        if self.term is None or level not in self.tf_levels:
            return ()
        for coding in self.codings():
            if shared := set(coding(a)) & set(coding(b)):
                return tuple(sorted(shared))
        return ()

    def level(self, a: Record, b: Record) -> Level:
        """The index into ``levels`` the pair reaches, or None when it cannot be told."""
        return self.compare(a, b)

    def label(self, a: Record, b: Record) -> str | None:
        """The name of the level the pair reaches, None when it cannot be told."""
        level = self.compare(a, b)
        return None if level is None else self.levels[level]


def _name(a: Record, b: Record) -> Level:
    if not a.tokens or not b.tokens:
        return None
    if a.words == b.words:
        return 0
    if a.key == b.key:
        return 1
    worst, best = name_similarity(a.tokens, b.tokens)
    if worst >= 0.92:
        return 2
    if worst >= 0.8:
        return 3
    if best >= 0.95:  # one name is the other with words left out
        return 4
    return 5


def _coded(
    records: Sequence[Record], needed: Sequence[int], value: Callable[[Record], Hashable | None]
) -> tuple[npt.NDArray[np.int64], list[Any]]:
    """A code per record at ``needed`` for its ``value`` (-1: none, and for the records not
    needed), and the distinct values by code."""
    codes = np.full(len(records), -1, dtype=np.int64)
    seen: dict[Hashable, int] = {}
    for k in needed:
        held = value(records[k])
        if held is not None:
            codes[k] = seen.setdefault(held, len(seen))
    return codes, list(seen)


def _distinct(
    records: Sequence[Record],
    left: Positions,
    right: Positions,
    needed: Sequence[int],
    value: Callable[[Record], Hashable | None],
    levels: Callable[[list[Any], Positions, Positions], npt.NDArray[np.int8]],
) -> npt.NDArray[np.int8]:
    """Levels of many pairs from each distinct pair of values both records hold: missing
    (-1) where either holds none - most pairs for phones and documents, which a keyed
    comparison still sorted and compared one by one. ``levels`` gets the distinct values
    and the pairs of them (by position) to level."""
    codes, values = _coded(records, needed, value)
    a, b = codes[left], codes[right]
    out = np.full(len(left), -1, dtype=np.int8)
    both = np.flatnonzero((a >= 0) & (b >= 0))
    if len(both):
        distinct, inverse = unique_inverse(a[both] * len(values) + b[both])
        x, y = np.divmod(distinct, len(values))
        out[both] = levels(values, x, y)[inverse]
    return out


def _each(
    level: Callable[[Any, Any], int],
) -> Callable[[list[Any], Positions, Positions], npt.NDArray[np.int8]]:
    """Levels of pairs of values, one Python call per distinct pair."""

    def levels(values: list[Any], x: Positions, y: Positions) -> npt.NDArray[np.int8]:
        return np.array(
            [level(values[i], values[j]) for i, j in zip(x.tolist(), y.tolist(), strict=True)],
            dtype=np.int8,
        )

    return levels


def _shares(attr: str) -> Batch:
    """:func:`_shared` of many pairs."""

    def batch(
        records: Sequence[Record], left: Positions, right: Positions, needed: Sequence[int]
    ) -> npt.NDArray[np.int8]:
        return _distinct(records, left, right, needed, lambda r: getattr(r, attr) or None,
                         _each(lambda x, y: 0 if x & y else 1))  # fmt: skip

    return batch


def _routes(
    records: Sequence[Record], left: Positions, right: Positions, needed: Sequence[int]
) -> npt.NDArray[np.int8]:
    """:func:`_route` of many pairs."""
    return _distinct(records, left, right, needed, _long_route, _each(_route_level))


def _long_route(r: Record) -> tuple[str, ...] | None:
    """A route of at least two countries (a shorter one says nothing to compare)."""
    return r.route if len(r.route) >= 2 else None


def _births(
    records: Sequence[Record], left: Positions, right: Positions, needed: Sequence[int]
) -> npt.NDArray[np.int8]:
    """:func:`_birth` of many pairs."""
    return _distinct(records, left, right, needed, lambda r: r.birth, _each(_birth_level))


def _names(
    records: Sequence[Record], left: Positions, right: Positions, needed: Sequence[int]
) -> npt.NDArray[np.int8]:
    """:func:`_name` of many pairs: each distinct pair of names once, and their token
    similarities as arrays (a Python call per token pair, not per pair of names).

    Namesakes make distinct name pairs grow faster than the mentions (6.8x for
    4x at 88k persons); :func:`name_similarity` is rebuilt on arrays with the
    same float operations (row maxima summed in order, then divided).
    """
    return _distinct(
        records, left, right, needed, lambda r: (r.tokens, r.key) if r.tokens else None,
        _name_levels,
    )  # fmt: skip


def _name_levels(
    named: Sequence[tuple[tuple[str, ...], str]], x: Positions, y: Positions
) -> npt.NDArray[np.int8]:
    """:func:`_name` of the pairs of ``named`` (tokens, key) at ``x`` and ``y`` (none empty)."""
    names = [t for t, _ in named]
    words = _codes(tuple(sorted(t)) for t in names)
    keys = _codes(key for _, key in named)
    levels = np.where(words[x] == words[y], 0, np.where(keys[x] == keys[y], 1, -1))
    token: dict[str, int] = {}
    held = [[token.setdefault(w, len(token)) for w in t] for t in names]
    sizes = np.array([len(t) for t in names], dtype=np.int64)
    rest = np.flatnonzero(levels < 0)
    spoken = list(token)
    groups = sizes[x[rest]] * (sizes.max() + 1) + sizes[y[rest]]
    for group in np.unique(groups):
        rows = rest[groups == group]
        la, lb = int(sizes[x[rows[0]]]), int(sizes[y[rows[0]]])
        for chunk in np.array_split(rows, max(1, len(rows) // 200_000)):
            ta = np.array([held[i] for i in x[chunk].tolist()], dtype=np.int64)  # pairs x la
            tb = np.array([held[i] for i in y[chunk].tolist()], dtype=np.int64)  # pairs x lb
            pair_codes = (ta[:, :, None] * len(spoken) + tb[:, None, :]).ravel()
            found, where = unique_inverse(pair_codes)
            sims = np.array(
                [token_similarity(spoken[s], spoken[t]) for s, t in
                 zip(*np.divmod(found, len(spoken)), strict=True)],
                dtype=np.float64,
            )[where].reshape(len(chunk), la, lb)  # fmt: skip
            ab, ba = _mean_of(sims.max(axis=2)), _mean_of(sims.max(axis=1))
            worst, best = np.minimum(ab, ba), np.maximum(ab, ba)
            levels[chunk] = np.where(
                worst >= 0.92, 2, np.where(worst >= 0.8, 3, np.where(best >= 0.95, 4, 5))
            )
    return levels.astype(np.int8)


def _mean_of(columns: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Each row's mean, summed left to right as Python's ``sum`` does (the same floats)."""
    total = np.zeros(len(columns))
    for j in range(columns.shape[1]):
        total += columns[:, j]
    mean: npt.NDArray[np.float64] = total / columns.shape[1]
    return mean


def _codes(values: Iterable[Hashable]) -> npt.NDArray[np.int64]:
    """A code per value, equal codes for equal values."""
    seen: dict[Hashable, int] = {}
    return np.array([seen.setdefault(v, len(seen)) for v in values], dtype=np.int64)


def _birth(a: Record, b: Record) -> Level:
    x, y = a.birth, b.birth
    if x is None or y is None:
        return None
    return _birth_level(x, y)


def _birth_level(x: Birth, y: Birth) -> int:
    if x.precise and y.precise and x == y:
        return 0
    if x.day is not None and (x.year, x.month, x.day) == (y.year, y.month, y.day):
        return 1  # the same 1 January: often administrative
    if x.year == y.year and not (x.precise and y.precise):
        return 2
    if x.precise and y.precise and _typo(x, y):
        return 3
    if abs(x.year - y.year) <= 1 and not (x.precise and y.precise):
        return 4
    return 5


def _typo(x: Birth, y: Birth) -> bool:
    """One digit wrong or two swapped, or day and month transposed."""
    if (x.year, x.month, x.day) == (y.year, y.day, y.month):
        return True
    return DamerauLevenshtein.distance(x.digits(), y.digits()) <= 1


def _equal(attr: str) -> Callable[[Record, Record], Level]:
    def compare(a: Record, b: Record) -> Level:
        x, y = getattr(a, attr), getattr(b, attr)
        if not x or not y:
            return None
        return 0 if x == y else 1

    return compare


def _v_number(a: Record, b: Record) -> Level:
    if not a.v_number or not b.v_number:
        return None
    if a.v_number == b.v_number:
        return 0
    return 1 if v_number_typo(a.v_number, b.v_number) else 2


def _route(a: Record, b: Record) -> Level:
    if len(a.route) < 2 or len(b.route) < 2:
        return None
    return _route_level(a.route, b.route)


def _route_level(x: tuple[str, ...], y: tuple[str, ...]) -> int:
    if x == y:
        return 0
    # One transit country told at one interview and not at the other.
    return 1 if Levenshtein.distance(x, y) == 1 else 2


def _arrival(a: Record, b: Record) -> Level:
    if a.arrival is None or b.arrival is None:
        return None
    days = abs(a.arrival - b.arrival)
    return 0 if days == 0 else 1 if days <= 3 else 2


SOON = 60  # days: the first IND interview or COA report follows arrival within weeks


def _timing(a: Record, b: Record) -> Level:
    """One mention's record date against the other's arrival day (when only one has it)."""
    if (a.arrival is None) == (b.arrival is None):
        return None
    arrived, other = (a, b) if a.arrival is not None else (b, a)
    if other.seen is None or arrived.arrival is None:
        return None
    days = other.seen - arrived.arrival
    return 0 if 0 <= days <= SOON else 1 if days > SOON else 2


def _days(
    records: Sequence[Record], attr: str, needed: Sequence[int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """A day attribute (an ordinal) of the records at ``needed`` as an array, and where known."""
    days = np.zeros(len(records), dtype=np.int64)
    known = np.zeros(len(records), dtype=bool)
    for k in needed:
        value = getattr(records[k], attr)
        if value is not None:
            days[k], known[k] = value, True
    return days, known


def _arrivals(
    records: Sequence[Record], left: Positions, right: Positions, needed: Sequence[int]
) -> npt.NDArray[np.int8]:
    """:func:`_arrival` of many pairs."""
    day, known = _days(records, "arrival", needed)
    apart = np.abs(day[left] - day[right])
    levels = np.where(apart == 0, 0, np.where(apart <= 3, 1, 2))
    return np.where(known[left] & known[right], levels, -1).astype(np.int8)


def _timings(
    records: Sequence[Record], left: Positions, right: Positions, needed: Sequence[int]
) -> npt.NDArray[np.int8]:
    """:func:`_timing` of many pairs."""
    arrival, arrived = _days(records, "arrival", needed)
    seen, dated = _days(records, "seen", needed)
    first = arrived[left]  # the left record has the arrival day (when only one has it)
    days = np.where(first, seen[right] - arrival[left], seen[left] - arrival[right])
    known = (first != arrived[right]) & np.where(first, dated[right], dated[left])
    levels = np.where((days >= 0) & (days <= SOON), 0, np.where(days > SOON, 1, 2))
    return np.where(known, levels, -1).astype(np.int8)


def _v_numbers(
    records: Sequence[Record], left: Positions, right: Positions, needed: Sequence[int]
) -> npt.NDArray[np.int8]:
    """:func:`_v_number` of many pairs: :func:`v_number_typo` on the numbers' characters."""
    codes, numbers = _coded(records, needed, lambda r: r.v_number or None)
    a, b = codes[left], codes[right]
    out = np.where((a < 0) | (b < 0), -1, np.where(a == b, 0, 2)).astype(np.int8)
    if not numbers:
        return out
    width = max(map(len, numbers))
    chars = np.array(numbers, dtype=f"<U{width}").view(np.uint32).reshape(len(numbers), width)
    length = np.array([len(v) for v in numbers], dtype=np.int64)
    rows = np.flatnonzero(out == 2)
    for chunk in np.array_split(rows, max(1, len(rows) // 1_000_000)):
        x, y = a[chunk], b[chunk]
        differs = chars[x] != chars[y]  # pairs x characters (padding agrees at equal lengths)
        count = differs.sum(axis=1)
        first = differs.argmax(axis=1)
        last = width - 1 - differs[:, ::-1].argmax(axis=1)
        swapped = (
            (last == first + 1)
            & (chars[x, first] == chars[y, last])
            & (chars[x, last] == chars[y, first])
        )
        typo = (length[x] == length[y]) & (
            ((count == 2) & swapped) | ((count == 1) & (first < length[x] - 2))
        )
        out[chunk[typo]] = 1
    return out


def _equals(attr: str) -> Batch:
    """:func:`_equal` of many pairs."""

    def batch(
        records: Sequence[Record], left: Positions, right: Positions, needed: Sequence[int]
    ) -> npt.NDArray[np.int8]:
        codes, _ = _coded(records, needed, lambda r: getattr(r, attr) or None)
        a, b = codes[left], codes[right]
        return np.where((a < 0) | (b < 0), -1, np.where(a == b, 0, 1)).astype(np.int8)

    return batch


def _show_route(r: Record) -> str | None:
    return " > ".join(r.route) or None


def _show_seen(r: Record) -> str | None:
    return dt.date.fromordinal(r.seen).isoformat() if r.seen is not None else None


def _show_arrival(r: Record) -> str | None:
    return dt.date.fromordinal(r.arrival).isoformat() if r.arrival is not None else None


def _shared(attr: str) -> Callable[[Record, Record], Level]:
    def compare(a: Record, b: Record) -> Level:
        x, y = getattr(a, attr), getattr(b, attr)
        if not x or not y:
            return None
        return 0 if x & y else 1

    return compare


def _show_birth(r: Record) -> str | None:
    b = r.birth
    if b is None:
        return None
    text = "-".join(f"{p:02d}" for p in (b.year, b.month, b.day) if p is not None)
    return text + (" (1 Jan)" if b.administrative else "")


def _birth_term(r: Record) -> Collection[str]:
    return (r.birth.digits(),) if r.birth is not None else ()


def _birth_reaches(r: Record, level: int) -> bool:
    """Whether ``r``'s birth date can agree at ``level`` of ``BIRTH``: the same
    day takes a date to the day, the same 1 January a 1 January.

    >>> admin = Record("a", "x", Birth(1990, 1, 1, administrative=True))
    >>> _birth_reaches(admin, 0), _birth_reaches(admin, 1), _birth_reaches(Record("b", "x"), 1)
    (False, True, False)
    """
    b = r.birth
    if b is None:
        return False
    return b.precise if level == 0 else (b.month, b.day) == (1, 1)


def _route_term(r: Record) -> Collection[str]:
    return (">".join(r.route),) if r.route else ()


def _arrival_term(r: Record) -> Collection[str]:
    return (str(r.arrival),) if r.arrival is not None else ()


def _attr(attr: str) -> Callable[[Record], Collection[str]]:
    """The attribute's value(s): a set of identifiers as it is, a single value as a 1-tuple."""

    def term(r: Record) -> Collection[str]:
        value = getattr(r, attr)
        if isinstance(value, frozenset):
            return value
        return (str(value),) if value else ()

    return term


def _show(attr: str) -> Callable[[Record], str | None]:
    def show(r: Record) -> str | None:
        value = getattr(r, attr)
        if isinstance(value, frozenset):
            return ", ".join(sorted(value)) or None
        return str(value) if value else None

    return show


NAME = Comparison(
    "name",
    (
        "exact",
        "transliteration",
        "fuzzy (>= 0.92)",
        "fuzzy (>= 0.80)",
        "words missing",
        "different",
    ),
    _name,
    _show("name"),
    batch=_names,
    term=_attr("key"),
    tf_levels=(0, 1),  # same words, or the same outline
    within="nationality",
)
BIRTH = Comparison(
    "birth_date",
    (
        "exact day",
        "same 1 January",
        "same year, one imprecise",
        "one typo",
        "within a year, one imprecise",
        "different",
    ),
    _birth,
    _show_birth,
    term=_birth_term,
    tf_levels=(0, 1),  # the same day, or the same 1 January (administrative dates cluster)
    batch=_births,
    reaches=_birth_reaches,
)

# The usual route of a nationality is shared by thousands of its people; a rare one says
# more. Counted within the nationality: across nationalities a route's share is not the
# chance that two people of one nationality share it.
ROUTE = Comparison(
    "route",
    ("same", "one country more or less", "different"),
    _route,
    _show_route,
    term=_route_term,
    tf_levels=(0,),
    batch=_routes,
    within="nationality",
)

# A household is recorded at the border once per member, each record listing the others:
# the same person's border records name the same companions, while a namesake travelled
# with other people (collective entity resolution: Bhattacharya and Getoor 2007,
# "Collective entity resolution in relational data", ACM TKDD 1(1)). Companions are alike
# when their names share the outline (any spelling of one name) and their birth years
# do not differ: keys, not similarities, so that every pair of companions of millions of
# candidate pairs is compared in numpy (the levels of NAME and BIRTH found the same
# persons at 80k at six times the cost).
COMPANIONS_LEVELS = (
    "a companion of the same name and birth year",
    "a companion of the same name",
    "companions, none alike",
)
_ROWS = 200_000  # candidate pairs expanded into their companions' pairs at a time


def _companions_of(a: Record, b: Record) -> Level:
    """The closest pair of companions of two border records; None when either travelled
    alone or both are on one record (two people in one record are two people anyway).

    >>> mother = Record("m1", "Amina HASSAN", Birth(1992, 3, 4), group="k:1")
    >>> son = Record("s1", "Omar HASSAN", Birth(2015), group="k:1", mates=(mother,))
    >>> again = Record("m2", "HASAN, Amina", Birth(1992), group="k:2")
    >>> other = Record("x", "Yonas HAILE", Birth(1990), group="k:3")
    >>> _companions_of(son, Record("s2", "Omar HASSAN", group="k:2", mates=(again,)))
    0
    >>> _companions_of(son, Record("s3", "Omar HASSAN", group="k:3", mates=(other,)))
    2
    """
    if not a.mates or not b.mates or a.group == b.group:
        return None
    best = 2
    for x in a.mates:
        for y in b.mates:
            if not x.key or x.key != y.key:
                continue
            if x.birth is None or y.birth is None:
                best = 1
            elif x.birth.year == y.birth.year:
                return 0
    return best


def _companions(
    records: Sequence[Record], left: Positions, right: Positions, needed: Sequence[int]
) -> npt.NDArray[np.int8]:
    """:func:`_companions_of` of many pairs: each pair expanded into every pair of their
    companions (name outline and birth year as integer codes), the closest one kept."""
    out = np.full(len(left), -1, dtype=np.int8)
    count = np.zeros(len(records), dtype=np.int64)
    first = np.zeros(len(records), dtype=np.int64)
    group = np.full(len(records), -1, dtype=np.int64)
    groups: dict[str | None, int] = {}
    outlines: dict[str, int] = {}
    names: list[int] = []  # each record's companions in turn: their outline's code (-1: none)
    years: list[int] = []  # and birth year (-1: unknown)
    for i in needed:
        r = records[i]
        if not r.mates:
            continue
        count[i], first[i] = len(r.mates), len(names)
        group[i] = groups.setdefault(r.group, len(groups))
        for m in r.mates:
            names.append(outlines.setdefault(m.key, len(outlines)) if m.key else -1)
            years.append(m.birth.year if m.birth is not None else -1)
    name, year = np.asarray(names, dtype=np.int64), np.asarray(years, dtype=np.int64)
    both = np.flatnonzero((count[left] > 0) & (count[right] > 0) & (group[left] != group[right]))
    for rows in np.array_split(both, max(1, -(-len(both) // _ROWS))):
        if not len(rows):
            continue
        a, b = left[rows], right[rows]
        sizes = count[a] * count[b]
        starts = np.cumsum(sizes) - sizes
        owner = np.repeat(np.arange(len(rows)), sizes)
        k = np.arange(int(sizes.sum())) - starts[owner]
        x = first[a][owner] + k // count[b][owner]
        y = first[b][owner] + k % count[b][owner]
        named = (name[x] == name[y]) & (name[x] >= 0)
        unknown = (year[x] < 0) | (year[y] < 0)
        levels = np.where(named, np.where(unknown, 1, np.where(year[x] == year[y], 0, 2)), 2)
        out[rows] = np.minimum.reduceat(levels.astype(np.int8), starts)
    return out


def _show_companions(r: Record) -> str | None:
    """The companions as an analyst reads them: name and birth date."""
    shown = [f"{m.name} ({_show_birth(m)})" if m.birth else m.name for m in r.mates]
    return "; ".join(shown) or None


COMPANIONS = Comparison(
    "companions",
    COMPANIONS_LEVELS,
    _companions_of,
    _show_companions,
    batch=_companions,
)


def _one_value(
    name: str, attr: str, show: Callable[[Record], str | None] | None = None
) -> Comparison:
    """Same or different on one value of ``attr``, an agreement weighed by its frequency."""
    return Comparison(
        name,
        ("same", "different"),
        _equal(attr),
        show or _show(attr),
        batch=_equals(attr),
        term=_attr(attr),
        tf_levels=(0,),
    )


def _show_nationality(r: Record) -> str | None:
    if r.nationality and r.party_nationality:
        return f"{r.nationality} (of the travel party)"
    return r.nationality


# A COA resident's reports come from the centre that houses them; a centre houses
# hundreds, so agreeing says little alone, more for a small centre than for Ter Apel.
CENTRE = _one_value("reception_centre", "centre")

# Person mentions from the four chain partners.
PERSON: tuple[Comparison, ...] = (
    NAME,
    BIRTH,
    # A companion's own nationality is seldom recorded: it holds its travel party's
    # (``link_companions``), shown as such.
    _one_value("nationality", "nationality", _show_nationality),
    Comparison(
        "sex",
        ("same", "different"),
        _equal("sex"),
        _show("sex"),
        batch=_equals("sex"),
    ),
    Comparison(
        "v_number",
        ("same", "one typo", "different"),
        _v_number,
        _show("v_number"),
        batch=_v_numbers,
    ),
    Comparison(
        "phone",
        ("shared", "none shared"),
        _shared("phones"),
        _show("phones"),
        term=_attr("phones"),
        tf_levels=(0,),
        batch=_shares("phones"),
    ),
    Comparison(
        "document",
        ("shared", "none shared"),
        _shared("documents"),
        _show("documents"),
        term=_attr("documents"),
        tf_levels=(0,),
        batch=_shares("documents"),
    ),
    # Households travel together: a companion on a border record shares the
    # route and the arrival day of the person it travelled with.
    ROUTE,
    Comparison(
        "arrival",
        ("same day", "within 3 days", "different"),
        _arrival,
        _show_arrival,
        term=_arrival_term,
        tf_levels=(0,),
        batch=_arrivals,
    ),
    # A record made before the other mention's arrival in the Netherlands is
    # about someone else; one made in the weeks after it fits.
    Comparison(
        "timing",
        ("within 60 days after arrival", "later", "before arrival"),
        _timing,
        _show_seen,
        batch=_timings,
    ),
    COMPANIONS,
    CENTRE,
)

# The FEBRL benchmark's fields (given name, surname, date of birth, state).
FEBRL: tuple[Comparison, ...] = (
    NAME,
    BIRTH,
    _one_value("state", "region"),
)
