"""Candidate pairs as two arrays of record positions, not as tuples of id strings.

At 400,000 persons blocking yields about 38 million candidate pairs; as
tuples of two id strings in a set (and again as dict keys with their
weights) that is some 200 bytes a pair and most of a run's memory. Here a
pair is two int32 positions into the records and one int64 code for
lookups: 16 bytes. They still read as a sequence of ``(left id, right id)``
tuples for the code that wants one pair at a time.

Pairs are kept in the order of their ids (left id < right id, sorted by
left then right), the order the tuple-based code sorted them in, so every
result that depends on order stays the same.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import overload

import numpy as np
import numpy.typing as npt

from workbench.resolve.records import Record

__all__ = ["PairWeights", "Pairs", "ranks", "sorted_unique", "unique_inverse"]

Pair = tuple[str, str]
Positions = npt.NDArray[np.int32]


def ranks(records: Sequence[Record]) -> npt.NDArray[np.int64]:
    """Each record's place in id order (what orders a pair and the pairs).

    >>> ranks([Record("b", "x"), Record("a", "y"), Record("c", "z")]).tolist()
    [1, 0, 2]
    """
    order = np.argsort(np.array([r.id for r in records], dtype=object), kind="stable")
    out = np.empty(len(records), dtype=np.int64)
    out[order] = np.arange(len(records))
    return out


def sorted_unique(values: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """The distinct integers of ``values``, sorted: ``np.unique`` by a sort.

    Since numpy 2.3, ``np.unique`` of integers (asked for nothing else) first
    collects them in a hash table: for pair codes it took 1.6 CPU s for 2.6
    million codes and 12.9 s for 14 million (the candidates at 88,000
    persons), where a sort takes 0.16 and 1.0 s - most of blocking's growth.

    >>> sorted_unique([5, 1, 5, 3]).tolist()
    [1, 3, 5]
    """
    out = np.sort(np.asarray(values, dtype=np.int64))
    return out[_firsts(out)]


def _firsts(ordered: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Where each run of equal values in the sorted ``ordered`` starts."""
    keep = np.empty(len(ordered), dtype=bool)
    keep[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return keep


def unique_inverse(
    values: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """``np.unique(values, return_inverse=True)`` of non-negative integers, by a direct sort.

    Each value is packed with its position into one integer and sorted, where
    ``np.unique`` sorts the positions indirectly (``argsort``: a cache miss a
    comparison, 1.8 against 1.2 CPU s for 6.4 million pair codes). Values too
    large to pack go to ``np.unique``.

    >>> distinct, inverse = unique_inverse(np.array([7, 3, 7, 0]))
    >>> distinct.tolist(), inverse.tolist()
    ([0, 3, 7], [2, 1, 2, 0])
    """
    n = len(values)
    bits = max(int(n - 1).bit_length(), 1)
    if n == 0 or int(values.min()) < 0 or int(values.max()) >= 1 << (62 - bits):
        distinct, inverse = np.unique(values, return_inverse=True)
        return distinct, inverse
    packed = (values.astype(np.int64) << bits) | np.arange(n, dtype=np.int64)
    packed.sort()
    ordered = packed >> bits
    keep = _firsts(ordered)
    inverse = np.empty(n, dtype=np.intp)
    inverse[packed & ((1 << bits) - 1)] = np.cumsum(keep) - 1
    return ordered[keep], inverse


class Pairs(Sequence[Pair]):
    """Pairs of ``records`` by position, in id order; a sequence of id tuples to read.

    >>> rs = [Record("b", "x"), Record("a", "y"), Record("c", "z")]
    >>> pairs = Pairs.from_codes(rs, [5, 1, 1])  # (a, b) twice, (b, c) once, by rank
    >>> list(pairs), pairs.left.tolist(), len(pairs[1:])
    ([('a', 'b'), ('b', 'c')], [1, 0], 1)
    """

    def __init__(
        self,
        records: Sequence[Record],
        left: Positions,
        right: Positions,
        codes: npt.NDArray[np.int64],
    ) -> None:
        self.records, self.left, self.right, self.codes = records, left, right, codes

    @classmethod
    def from_codes(
        cls,
        records: Sequence[Record],
        codes: Iterable[int],
        rank: npt.NDArray[np.int64] | None = None,
    ) -> Pairs:
        """From ``rank(left) * len(records) + rank(right)`` codes (duplicates dropped).

        ``rank``: :func:`ranks` of the records, when the caller has it.
        """
        n = len(records)
        if isinstance(codes, np.ndarray):  # the caller's to sort in place (blocking's)
            codes.sort()
            unique = codes[_firsts(codes)]
        else:
            found = codes if isinstance(codes, array) else array("q", codes)
            unique = sorted_unique(np.frombuffer(found, dtype=np.int64))
        if not len(unique):  # ranking a million ids for no pair took 1.5 s
            none = np.empty(0, dtype=np.int32)
            return cls(records, none, none, unique)
        order = np.argsort(ranks(records) if rank is None else rank)  # rank -> position
        left = order[unique // max(n, 1)].astype(np.int32)
        right = order[unique % max(n, 1)].astype(np.int32)
        return cls(records, left, right, unique)

    @classmethod
    def of(cls, pairs: Iterable[Pair], records: Sequence[Record]) -> Pairs:
        """Id tuples as positions into ``records`` (each ordered, duplicates dropped)."""
        rank = ranks(records)
        index = {r.id: k for k, r in enumerate(records)}
        n = len(records)
        codes = []
        for a, b in pairs:
            x, y = rank[index[a]], rank[index[b]]
            codes.append(int(min(x, y)) * n + int(max(x, y)))
        return cls.from_codes(records, codes, rank)

    def __len__(self) -> int:
        return len(self.codes)

    @overload
    def __getitem__(self, i: int) -> Pair: ...
    @overload
    def __getitem__(self, i: slice) -> Pairs: ...
    def __getitem__(self, i: int | slice) -> Pair | Pairs:
        if isinstance(i, slice):
            return Pairs(self.records, self.left[i], self.right[i], self.codes[i])
        return (self.records[self.left[i]].id, self.records[self.right[i]].id)

    def __iter__(self) -> Iterator[Pair]:
        records = self.records
        for x, y in zip(self.left.tolist(), self.right.tolist(), strict=True):
            yield (records[x].id, records[y].id)

    def take(self, rows: npt.NDArray[np.integer] | Sequence[int]) -> Pairs:
        """The pairs at ``rows`` (in the order given)."""
        rows = np.asarray(rows, dtype=np.int64)
        return Pairs(self.records, self.left[rows], self.right[rows], self.codes[rows])


class PairWeights(Mapping[Pair, float]):
    """The weight of every candidate pair, looked up by id tuple (a read-only mapping).

    Two arrays instead of a dict of tuples: lookups (clustering's averages
    across groups) find the pair's code by binary search.

    >>> rs = [Record("a", "x"), Record("b", "y"), Record("c", "z")]
    >>> w = PairWeights(Pairs.from_codes(rs, [1, 5]), np.array([2.0, -1.0]))
    >>> w[("a", "b")], w.get(("a", "c")), ("b", "c") in w, dict(w)
    (2.0, None, True, {('a', 'b'): 2.0, ('b', 'c'): -1.0})
    """

    def __init__(self, pairs: Pairs, weights: npt.NDArray[np.float64]) -> None:
        self.pairs, self.weights = pairs, weights
        self._rank = ranks(pairs.records).tolist()
        self._index = {r.id: k for k, r in enumerate(pairs.records)}
        self._n = len(pairs.records)

    def _row(self, key: Pair) -> int:
        x, y = self._index.get(key[0]), self._index.get(key[1])
        if x is None or y is None:
            return -1
        rx, ry = self._rank[x], self._rank[y]
        if rx >= ry:
            return -1
        code = rx * self._n + ry
        row = int(np.searchsorted(self.pairs.codes, code))
        return row if row < len(self.pairs.codes) and self.pairs.codes[row] == code else -1

    def __getitem__(self, key: Pair) -> float:
        row = self._row(key)
        if row < 0:
            raise KeyError(key)
        return float(self.weights[row])

    def get(self, key: Pair, default: float | None = None) -> float | None:  # type: ignore[override]
        """The weight, or ``default``: most pairs clustering and planning ask for were never
        candidates, and ``Mapping.get`` raised and caught a ``KeyError`` for each (26 of 680
        profiled seconds of a first run at a million rows)."""
        row = self._row(key)
        return default if row < 0 else float(self.weights[row])

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 2 and self._row(key) >= 0

    def __len__(self) -> int:
        return len(self.pairs)

    def __iter__(self) -> Iterator[Pair]:
        return iter(self.pairs)

    def rows_at_least(self, line: float) -> npt.NDArray[np.int64]:
        """The rows (positions among the pairs) whose weight reaches ``line``."""
        return np.flatnonzero(self.weights >= line)

    def at_least(self, line: float) -> dict[Pair, float]:
        """The pairs whose weight reaches ``line``, with their weights, in id order."""
        rows = self.rows_at_least(line)
        return dict(zip(self.pairs.take(rows), self.weights[rows].tolist(), strict=True))

    def items(self) -> Iterator[tuple[Pair, float]]:  # type: ignore[override]
        return zip(self.pairs, self.weights.tolist(), strict=True)
