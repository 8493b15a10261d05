"""Blocking: which pairs are worth comparing at all.

Comparing every pair of 100,000 mentions is 5 billion comparisons; records
of one person almost always share something cheap to index - a V-number, a
phone, a document, or a name outline with the birth year. Each rule maps a
record to keys; records sharing a key become candidate pairs. Blocks larger
than ``max_block`` (a helpdesk number, the commonest name) carry little
information and are skipped: other rules still pair the records they hold.

>>> from workbench.resolve.records import Birth, Record
>>> rs = [Record("a", "Yonas HAILE", Birth(1990)), Record("b", "HAILE, Jonas", Birth(1990)),
...       Record("c", "Selam Tesfay", Birth(1990))]
>>> sorted(candidate_pairs(rs, PERSON_RULES))
[('a', 'b')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Container, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt

from workbench.resolve.pairs import Pairs, ranks
from workbench.resolve.records import Record

__all__ = [
    "FEBRL_RULES",
    "FEBRL_TRAINING",
    "PERSON_RULES",
    "PERSON_TRAINING",
    "Reblocked",
    "Rule",
    "Sorted",
    "Wide",
    "blocked",
    "candidate_pairs",
    "person_identifier",
    "reblocked",
]

Rule = Callable[[Record], Iterable[str]]
Pair = tuple[str, str]


def _ids(attr: str) -> Rule:
    def rule(r: Record) -> Iterable[str]:
        value = getattr(r, attr)
        if isinstance(value, frozenset):
            return value
        return [value] if value else []

    return rule


@cache
def _loose(outline: str) -> str:
    """An outline without its first sound, where transliterations differ most (``J``/``Y``)."""
    return "*" + "".join(c for c in outline[1:] if c not in "aiu")


# Keys are made per record and rule, and names repeat (hundreds of ``Mohammed Ali``s at
# 80,000 persons): the outlines of a name are worked out once per distinct name.
@lru_cache(maxsize=200_000)
def _sounds_of(outlines: tuple[str, ...]) -> tuple[str, ...]:
    """The name's token outlines (``Record.outlines``, respelled), and their loose forms."""
    out = []
    for s in outlines:
        out.append(s)
        if len(s) > 2:
            out.append(_loose(s))
    return tuple(out)


@lru_cache(maxsize=200_000)
def _loose_key(key: str) -> str:
    """The whole name's outline with each word's loose form, order-free."""
    return " ".join(sorted(_loose(s) for s in key.split()))


def _name_year(r: Record) -> Iterable[str]:
    """The whole name's outline (order-free) with the birth year, or the nationality."""
    if not r.key:
        return []
    loose = _loose_key(r.key)
    tail = str(r.birth.year) if r.birth is not None else f"?{r.nationality}"
    return [f"{r.key}|{tail}", f"{loose}|{tail}"]


def _token_date(r: Record) -> Iterable[str]:
    if r.birth is None or r.birth.month is None:
        return []
    born = r.birth.digits()
    return [f"{s}|{born}" for s in _sounds_of(r.outlines)]


def _full_date(r: Record) -> Iterable[str]:
    """The exact birth date alone: catches names mangled beyond their outline."""
    return [r.birth.digits()] if r.birth is not None and r.birth.precise else []


def _token_pairs(r: Record) -> Iterable[str]:
    """Any two name outlines together: catches a wrong birth year."""
    sounds = sorted(set(r.outlines))
    return [f"{a}+{b}" for i, a in enumerate(sounds) for b in sounds[i + 1 :]]


def _name_only(r: Record) -> Iterable[str]:
    """The whole name's outline alone: pairs a mention without a birth date with one with."""
    return [r.key] if r.key else []


@dataclass(frozen=True)
class Wide:
    """A rule whose oversized blocks (up to ``max_block``) still pair their ``pivot`` records.

    A mention without a birth date has only its name to be found by; under
    a common name its block is too big to compare in full, but comparing
    just the undated mentions with the rest of the block costs little.
    """

    rule: Rule
    pivot: Callable[[Record], bool]
    max_block: int = 500

    def __call__(self, r: Record) -> Iterable[str]:
        return self.rule(r)


def _undated(r: Record) -> bool:
    return r.birth is None


Order = Callable[[Record], tuple[str, ...]]


@dataclass(frozen=True)
class Sorted:
    """A rule whose oversized blocks are paired by neighbourhood instead of skipped.

    At national scale a name outline with a birth year holds hundreds of
    mentions (every ``Ahmad Hassan`` born in 1976); comparing them all is
    quadratic, skipping them (as below ``max_block``) lost a third of the
    recall at 80,000 persons. Sorted by each of ``orders``, a person's
    mentions lie close together (one birth day, nationality, arrival), so
    each is paired with the ``window`` mentions after it in each order - the
    sorted-neighbourhood method (Hernandez & Stolfo 1995), linear in the
    block's size.
    """

    rule: Rule
    orders: tuple[Order, ...]
    window: int = 8

    def __call__(self, r: Record) -> Iterable[str]:
        return self.rule(r)


def _by_birth(r: Record) -> tuple[str, ...]:
    born = r.birth.digits() if r.birth is not None else ""
    return (born, r.nationality or "", r.sex or "", " ".join(r.words))


def _by_travel(r: Record) -> tuple[str, ...]:
    arrived = f"{r.arrival:08d}" if r.arrival is not None else ""
    return (arrived, ">".join(r.route), r.nationality or "", _by_birth(r)[0])


NEIGHBOURS = (_by_birth, _by_travel)


PERSON_RULES: tuple[Rule, ...] = (
    _ids("v_number"),
    _ids("phones"),
    _ids("documents"),
    Sorted(_name_year, NEIGHBOURS),
    Sorted(_token_date, NEIGHBOURS),
    Wide(_name_only, _undated),
)
FEBRL_RULES: tuple[Rule, ...] = (_name_year, _token_date, _token_pairs, _full_date)


# EM training sessions (see ``pipeline.train``): pairs blocked on one feature teach the others.
# Persons: identifiers first - pairs sharing a V-number or phone are nearly all one person,
# while pairs sharing a name outline are not (common names, families).
PERSON_TRAINING: tuple[tuple[str, Rule], ...] = (
    ("v_number", _ids("v_number")),
    ("phone", _ids("phones")),
    ("birth_date", _full_date),
)
FEBRL_TRAINING: tuple[tuple[str, Rule], ...] = (("birth_date", _full_date), ("name", _name_only))


def person_identifier(r: Record) -> str | None:
    """The identifier unique to a person, whose repeats give the prior (``pipeline.train``)."""
    return r.v_number


def candidate_pairs(
    records: Sequence[Record],
    rules: Sequence[Rule],
    *,
    max_block: int = 30,
    new: Collection[str] | None = None,
) -> set[Pair]:
    """Ordered id pairs sharing a key under some rule (:func:`blocked` as a set of tuples)."""
    return set(blocked(records, rules, max_block=max_block, new=new))


def blocked(
    records: Sequence[Record],
    rules: Sequence[Rule],
    *,
    max_block: int = 30,
    new: Collection[str] | None = None,
) -> Pairs:
    """The pairs of records sharing a key under some rule, in id order.

    With ``new``, only pairs with at least one new record (incremental
    resolution: the old pairs were compared before; :func:`reblocked` also
    says which old pairs stopped being candidates). Records of one
    ``group`` are never paired. Pairs are made as integer codes (see
    :mod:`workbench.resolve.pairs`): a block's pairs cost no tuples.
    """
    fresh = None if new is None else [r.id in new for r in records]
    pairing = _Pairing.of(records, fresh)
    newcomers = None if new is None else [r for r in records if r.id in new]
    for rule in rules:
        touched = None if newcomers is None else _keys_of(newcomers, rule)
        for key, block in _keyed(records, rule).items():
            if len(block) >= 2 and (touched is None or key in touched):
                pairing.block(records, rule, block, max_block)
    return pairing.pairs(records)


def _keys_of(newcomers: Iterable[Record], rule: Rule) -> set[str]:
    """The keys of the new records: the blocks that hold one. Asked of each block by
    walking it, the question visited every key of every record (ten million at a
    million rows) to find the few blocks a delivery touches."""
    return {key for r in newcomers for key in rule(r)}


@dataclass(frozen=True)
class Reblocked:
    """Blocking for an incremental run: the pairs to compare, and the links to forget."""

    pairs: Pairs  # candidate pairs with at least one new record
    lost: set[Pair]  # old pairs given that are candidates no longer


def reblocked(
    records: Sequence[Record],
    rules: Sequence[Rule],
    new: Collection[str],
    old: Container[Pair],
    *,
    max_block: int = 30,
) -> Reblocked:
    """:func:`blocked` with ``new``, and which ``old`` pairs new records pushed out.

    Blocking is not stable under insertion: a block that grows past
    ``max_block`` is paired by its windows (``Sorted``) or its pivots
    (``Wide``) instead of in full, or not at all, and a record inserted into
    a sorted block pushes two old neighbours out of each other's window. A
    full run no longer compares such a pair, so its stored link must go
    (ADR 0002, seventh round). New records only ever take candidacy away from
    two old ones: blocks only grow, and in a grown block two old records are
    at least as far apart in each order. So a pair is lost only where a
    block over ``max_block`` gained a record and no longer makes a pair it
    made before; it is lost for good if no block (grown or not) makes it now.
    ``old`` are the pairs that matter (the stored links).
    """
    if not new:  # a run for an analyst's decision: nothing to pair, nothing pushed out
        return Reblocked(Pairs.from_codes(records, np.empty(0, dtype=np.int64)), set())
    fresh = [r.id in new for r in records]
    newcomers = [r for r, f in zip(records, fresh, strict=True) if f]
    pairing = _Pairing.of(records, fresh)
    now = _Oversized(records, rules, pairing.empty(), max_block)
    dropped: set[int] = set()  # pairs an oversized block made before the new records came
    for j, rule in enumerate(rules):
        touched = _keys_of(newcomers, rule)
        for key, block in _keyed(records, rule).items():
            if len(block) > max_block:
                now.blocks[j][key] = block
            if len(block) < 2 or key not in touched:
                continue
            pairing.block(records, rule, block, max_block)
            kept = [k for k in block if not fresh[k]]
            if len(block) > max_block and _may_drop(rule, len(kept), len(block), max_block):
                before = pairing.empty()
                before.block(records, rule, kept, max_block)
                dropped.update(set(before.codes.tolist()) - now.made(j, key))
    n = len(records)
    position = np.argsort(pairing.ranked_ids)  # rank -> position
    lost = set()
    for code in dropped:
        a, b = int(position[code // n]), int(position[code % n])
        ids = (records[a].id, records[b].id)
        if ids in old and not now.pairs(a, b):
            lost.add(ids)
    return Reblocked(pairing.pairs(records), lost)


def _may_drop(rule: Rule, before: int, after: int, max_block: int) -> bool:
    """Whether a block grown from ``before`` to ``after`` records may stop making a pair."""
    if before <= max_block:  # it made every pair
        return True
    if isinstance(rule, Sorted):  # windows shift
        return True
    return isinstance(rule, Wide) and before <= rule.max_block < after  # pivots stop pairing


class _Oversized:
    """The blocks over ``max_block`` (by rule and key) and the pairs each makes, on demand."""

    def __init__(
        self, records: Sequence[Record], rules: Sequence[Rule], pairing: _Pairing, max_block: int
    ) -> None:
        self.records, self.rules, self.pairing, self.max_block = records, rules, pairing, max_block
        self.blocks: list[dict[str, list[int]]] = [{} for _ in rules]
        self.codes: dict[tuple[int, str], set[int]] = {}

    def made(self, j: int, key: str) -> set[int]:
        """The pair codes the block of rule ``j`` under ``key`` makes."""
        if (j, key) not in self.codes:
            alone = self.pairing.empty()
            alone.block(self.records, self.rules[j], self.blocks[j][key], self.max_block)
            self.codes[(j, key)] = set(alone.codes.tolist())
        return self.codes[(j, key)]

    def pairs(self, a: int, b: int) -> bool:
        """Whether some block pairs the two records: a shared block of at most
        ``max_block`` pairs all of its records, an oversized one its few."""
        ra, rb = self.records[a], self.records[b]
        for j, rule in enumerate(self.rules):
            for key in set(rule(ra)) & set(rule(rb)):
                if key not in self.blocks[j] or self.pairing.code(a, b) in self.made(j, key):
                    return True
        return False


def _keyed(records: Sequence[Record], rule: Rule) -> dict[str, list[int]]:
    """The records (by position) under each key of the rule."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for k, r in enumerate(records):
        for key in set(rule(r)):
            blocks[key].append(k)
    return blocks


class _Pairing:
    """Collects pair codes (``rank * n + rank``), skipping one group's and old-old pairs.

    Pairs are made as arrays of positions, a block (or a batch of equal-sized
    blocks) at a time, and filtered and coded by numpy: a Python call per raw
    pair was blocking's cost and grew 11x for 4x the data (ADR 0002, eighth
    round). Blocks paired in full wait in batches of one size until the codes
    are read.
    """

    BATCH = 4096  # blocks of one size paired together

    def __init__(
        self,
        ranked_ids: npt.NDArray[np.int64],
        groups: npt.NDArray[np.int64],
        fresh: npt.NDArray[np.bool_] | None,
        orders: dict[Order, dict[int, tuple[tuple[str, ...], str]]] | None = None,
        rank: list[int] | None = None,
    ) -> None:
        self.ranked_ids, self.groups, self.fresh = ranked_ids, groups, fresh
        self.n = len(ranked_ids)
        self.rank: list[int] = ranked_ids.tolist() if rank is None else rank
        self.orders = {} if orders is None else orders  # sort keys, per order, shared
        self._found: list[npt.NDArray[np.int64]] = []  # 8 bytes a code
        self._full: dict[int, list[Sequence[int]]] = defaultdict(list)  # blocks by size

    @classmethod
    def of(cls, records: Sequence[Record], fresh: list[bool] | None) -> _Pairing:
        """An empty pairing of the records (with ``fresh``, only pairs with a fresh one)."""
        group_codes: dict[str, int] = {}
        groups = [-1 if r.group is None else group_codes.setdefault(r.group, len(group_codes))
                  for r in records]  # fmt: skip
        flags = None if fresh is None else np.array(fresh, dtype=bool)
        return cls(ranks(records), np.array(groups, dtype=np.int64), flags)

    def empty(self) -> _Pairing:
        """A new empty pairing of the same records, of every pair.

        It shares the records' arrays: an incremental run makes one per grown
        oversized block, and a list of every record's rank each took 62 of a
        delivery's 115 s at 225k rows."""
        return _Pairing(self.ranked_ids, self.groups, None, self.orders, self.rank)

    @property
    def codes(self) -> npt.NDArray[np.int64]:
        """Every code made so far (unsorted, with repeats)."""
        for size, blocks in self._full.items():
            self._all(size, blocks)
        self._full.clear()
        if len(self._found) != 1:
            self._found = [np.concatenate(self._found) if self._found else _NONE]
        return self._found[0]

    def pairs(self, records: Sequence[Record]) -> Pairs:
        codes = self.codes
        self._found = []  # the caller's now: sorted in place, not copied
        return Pairs.from_codes(records, codes, self.ranked_ids)

    def code(self, a: int, b: int) -> int:
        x, y = self.rank[a], self.rank[b]
        return x * self.n + y if x < y else y * self.n + x

    def add(self, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> None:
        """The pairs ``(a[i], b[i])`` but a record with itself, one group's and old-old ones."""
        keep = a != b
        ga = self.groups[a]
        keep &= (ga < 0) | (ga != self.groups[b])
        if self.fresh is not None:
            keep &= self.fresh[a] | self.fresh[b]
        x, y = self.ranked_ids[a[keep]], self.ranked_ids[b[keep]]
        self._found.append(np.minimum(x, y) * self.n + np.maximum(x, y))

    def block(
        self, records: Sequence[Record], rule: Rule, block: Sequence[int], max_block: int
    ) -> None:
        """The pairs a rule makes of one block: all of them, or an oversized block's few."""
        if len(block) <= max_block:
            self.all(block)
        elif isinstance(rule, Wide) and len(block) <= rule.max_block:
            self.across([k for k in block if rule.pivot(records[k])], block)
        elif isinstance(rule, Sorted):
            for order in rule.orders:
                keys = self.orders.setdefault(order, {})
                for k in block:
                    if k not in keys:
                        keys[k] = (order(records[k]), records[k].id)
                self.window(sorted(block, key=keys.__getitem__), rule.window)

    def all(self, block: Sequence[int]) -> None:
        """Every pair within the block (batched with blocks of its size)."""
        waiting = self._full[len(block)]
        waiting.append(block)
        if len(waiting) >= self.BATCH:
            self._all(len(block), waiting)
            waiting.clear()

    def _all(self, size: int, blocks: Sequence[Sequence[int]]) -> None:
        if size < 2 or not blocks:
            return
        held = np.array(blocks, dtype=np.int64)  # blocks x size
        i, j = _within(size)
        self.add(held[:, i].ravel(), held[:, j].ravel())

    def across(self, left: Sequence[int], block: Sequence[int]) -> None:
        """Each record of ``left`` with every other record of the block."""
        if left:
            a, b = np.array(left, dtype=np.int64), np.array(block, dtype=np.int64)
            self.add(np.repeat(a, len(b)), np.tile(b, len(a)))

    def window(self, ranked: Sequence[int], window: int) -> None:
        """Each record with the ``window`` records after it (sorted neighbourhood)."""
        held = np.array(ranked, dtype=np.int64)
        for d in range(1, min(window, len(held) - 1) + 1):
            self.add(held[:-d], held[d:])


_NONE = np.empty(0, dtype=np.int64)


@cache
def _within(size: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The two places of every pair within a block of ``size`` (upper triangle)."""
    i, j = np.triu_indices(size, 1)
    return i, j
