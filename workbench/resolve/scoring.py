"""Scoring a pair and explaining the score, feature by feature.

A pair's weight is the sum of its parts (log2 odds), which is what makes
every match explainable: the prior, and one weight per feature at the level
the pair reached - adjusted by the agreed value's frequency where the
feature has one (a common name counts for less, a rare one for more). When analysts have
decided enough pairs, a logistic regression rescales each feature's
weight (``scale``) and the baseline (``offset``); the sum stays a sum, so
the explanation stays exact.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from workbench.resolve.api import Contribution, PairExplanation
from workbench.resolve.clustering import Pair
from workbench.resolve.compare import Comparison
from workbench.resolve.fellegi_sunter import FSModel, tf_bits
from workbench.resolve.pairs import Pairs, sorted_unique
from workbench.resolve.records import Record, RecordIndex

__all__ = ["Scorer", "positions", "probability"]


def probability(weight: float) -> float:
    """Match probability from total log2 odds.

    >>> probability(0.0), round(probability(3.0), 3)
    (0.5, 0.889)
    """
    return float(1.0 / (1.0 + 2.0 ** (-max(min(weight, 60.0), -60.0))))


@dataclass
class Scorer:
    """Weights of a fitted model applied to record pairs."""

    model: FSModel
    comparisons: tuple[Comparison, ...]
    scale: list[float] = field(default_factory=list)
    offset: float = 0.0

    def __post_init__(self) -> None:
        self._weights = self.model.weights
        # (feature, level, value) -> the frequency adjustment: clustering scores pairs that
        # were never candidates one by one (namesakes across two groups), and their agreed
        # values repeat; numpy's log2 on one value at a time was most of that cost.
        self._bits: dict[tuple[int, int, str], float] = {}
        self._codes: dict[tuple[int, int], _ValueCodes] = {}  # (feature, coding) -> codes
        if not self.scale:
            self.scale = [1.0] * len(self.comparisons)

    @classmethod
    def of_run(
        cls, params: Mapping[str, Any], comparisons: tuple[Comparison, ...]
    ) -> Scorer | None:
        """The scorer a run's stored ``parameters`` describe, over the comparisons it
        learned (by name), or None when it learned one ``comparisons`` lacks or other
        levels (older code). A run from before a comparison was added still explains
        its links; resolution retrains instead (``service._scorer``)."""
        by_name = {c.name: c for c in comparisons}
        names = params.get("features") or list(by_name)
        if any(n not in by_name for n in names):
            return None
        comparisons = tuple(by_name[n] for n in names)
        if [tuple(x) for x in params["levels"]] != [c.levels for c in comparisons]:
            return None
        # Frequencies are looked up as they were counted: an older run counted them over
        # all records only, and its weights and explanations stay what they were.
        within = params.get("within") or {}
        counted = tuple(replace(c, within=within.get(c.name)) for c in comparisons)
        return cls(
            FSModel.from_json(params), counted, params.get("scale") or [],
            params.get("offset", 0.0),
        )  # fmt: skip

    def vector(self, a: Record, b: Record) -> list[int | None]:
        """The level each comparison reaches for the pair."""
        return [c.level(a, b) for c in self.comparisons]

    def _adjustment(self, j: int, level: int | None, a: Record, b: Record) -> tuple[float, float]:
        """(bits, frequency) of the agreed value of feature ``j``; (0, nan) when none applies.

        Of several agreed values (two shared phones), the rarest counts.
        """
        if level is None:
            return 0.0, math.nan
        known = [
            (share, value)
            for value in self.comparisons[j].agreed(a, b, level)
            if (share := self.model.frequency(j, value)) is not None
        ]
        if not known:
            return 0.0, math.nan
        share, value = min(known)
        key = (j, level, value)
        bits = self._bits.get(key)
        if bits is None:
            bits = self._bits[key] = self.model.tf_adjustment(j, level, value)
        return bits, share

    def _parts(self, a: Record, b: Record) -> tuple[list[int | None], list[float], list[_Tf]]:
        """Levels, unscaled weights with the frequency adjustment, and the adjustments."""
        levels = self.vector(a, b)
        parts, tfs = [], []
        for j, lv in enumerate(levels):
            bits, share = self._adjustment(j, lv, a, b)
            parts.append(0.0 if lv is None else self._weights[j][lv] + bits)
            tfs.append(_Tf(bits, share))
        return levels, parts, tfs

    def weight(self, a: Record, b: Record) -> float:
        """Total log2 odds that the two records are the same entity."""
        _, parts, _ = self._parts(a, b)
        return (
            self.model.prior_weight
            + self.offset
            + sum(s * w for s, w in zip(self.scale, parts, strict=True))
        )

    def weigh(
        self, gamma: npt.NDArray[np.int8], pairs: Sequence[Pair], by_id: Mapping[str, Record]
    ) -> npt.NDArray[np.float64]:
        """:meth:`weight` for many pairs at once, from their comparison vectors.

        Vectorised: the level weights by table lookup, the frequency adjustment
        from each record's value code (:meth:`_frequencies`).
        """
        total = np.full(len(gamma), self.model.prior_weight + self.offset)
        records, left, right = positions(pairs, by_id)
        for j, weights in enumerate(self._weights):
            table = np.array([*(self.scale[j] * w for w in weights), 0.0])  # -1 (missing) -> 0
            total += table[gamma[:, j]]
            found = self._frequencies(j, gamma, pairs, by_id, records, left, right)
            if found is not None:
                rows, bits, share = found
                total[rows] += self.scale[j] * np.where(np.isnan(share), 0.0, bits)
        return total

    def _frequencies(
        self,
        j: int,
        gamma: npt.NDArray[np.int8],
        pairs: Sequence[Pair],
        by_id: Mapping[str, Record],
        records: Sequence[Record],
        left: npt.NDArray[np.int64],
        right: npt.NDArray[np.int64],
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]] | None:
        """Rows adjusted for feature ``j``'s value frequency, their bits and shares (nan: none).

        At an agreeing level two records that hold one value each agree on
        that value; only pairs where a record holds several values (two
        phones) are looked at one by one (:meth:`_adjustment`). None when
        the feature has no frequency table.
        """
        comparison = self.comparisons[j]
        tf = self.model.tf.get(comparison.name)
        if comparison.term is None or not comparison.tf_levels or not tf:
            return None
        rows = np.flatnonzero(np.isin(gamma[:, j], comparison.tf_levels))
        paired = np.zeros(len(records), dtype=bool)  # a chunk of links: a few of the records
        paired[left[rows]] = paired[right[rows]] = True
        needed = np.flatnonzero(paired)
        found: list[npt.NDArray[np.int64]] = []
        shares: list[npt.NDArray[np.float64]] = []
        many: list[npt.NDArray[np.int64]] = []
        pending = rows  # not yet agreeing on one value of a coding (Comparison.codings)
        for k, coding in enumerate(comparison.codings()):
            if isinstance(pairs, Pairs):  # a run's pairs, weighed and stored in chunks: kept
                coded = self._codes.get((j, k))
                if coded is None or coded.records is not records:
                    coded = self._codes[(j, k)] = _ValueCodes(records, coding, tf)
            else:  # a page's few pairs, of records listed anew for each call
                coded = _ValueCodes(records, coding, tf)
            codes, table = coded.of(needed)
            ca, cb = codes[left[pending]], codes[right[pending]]
            one = (ca >= 0) & (ca == cb)
            several = (ca == MANY) | (cb == MANY)
            found.append(pending[one])
            shares.append(table[ca[one]])
            many.append(pending[several])
            pending = pending[~one & ~several]
        agreeing, share = np.concatenate(found), np.concatenate(shares)
        bits = tf_bits(np.asarray(self.model.tf_u(j))[gamma[agreeing, j]], share)
        rest = np.concatenate(many)
        single = [
            self._adjustment(j, int(gamma[i, j]), by_id[pairs[i][0]], by_id[pairs[i][1]])
            for i in rest
        ]
        return (
            np.concatenate([agreeing, rest]),
            np.concatenate([bits, [b for b, _ in single]]),
            np.concatenate([share, [s for _, s in single]]),
        )

    def _shown(
        self, gamma: npt.NDArray[np.int8], pairs: Sequence[Pair], by_id: Mapping[str, Record]
    ) -> _Shown:
        """Per pair and feature the weight an explanation shows (scaled, frequency-adjusted,
        rounded to 3 places), the adjustment's unscaled bits and the agreed value's share."""
        n, width = gamma.shape
        records, left, right = positions(pairs, by_id)
        shown = np.zeros((n, width))
        bits = np.zeros((n, width))
        shares = np.full((n, width), np.nan)
        for j, weights in enumerate(self._weights):
            table = np.array([*weights, 0.0])  # -1 (missing) -> 0
            found = self._frequencies(j, gamma, pairs, by_id, records, left, right)
            if found is not None:
                rows, b, s = found
                bits[rows, j] = np.where(np.isnan(s), 0.0, b)
                shares[rows, j] = s
            shown[:, j] = rounded(self.scale[j] * (table[gamma[:, j]] + bits[:, j]), 3)
        total = np.full(n, self.model.prior_weight + self.offset)
        for j in range(width):  # summed per pair in the explanation's order
            total += shown[:, j]
        return _Shown(records, left, right, shown, bits, shares, total)

    def stored(
        self, gamma: npt.NDArray[np.int8], pairs: Sequence[Pair], by_id: Mapping[str, Record]
    ) -> tuple[list[float], list[float]]:
        """Score (rounded to 6 places) and weight (to 3) of many pairs as a stored link
        holds them: the sum of its explanation's lines, which :meth:`explanations`
        rebuilds from the link's levels when it is read."""
        total = self._shown(gamma, pairs, by_id).total.tolist()
        return [round(probability(t), 6) for t in total], [round(t, 3) for t in total]

    def explanations(
        self, gamma: npt.NDArray[np.int8], pairs: Sequence[Pair], by_id: Mapping[str, Record]
    ) -> list[tuple[float, float, list[dict[str, Any]]]]:
        """``(score, weight, contributions as dicts)`` of :meth:`explain` for many pairs.

        The same numbers as :meth:`explain` (the same float operations per
        feature, rounded and summed per pair as there), built from the pairs'
        comparison vectors instead of comparing every pair again: a stored
        link keeps its vector, and its explanation is built from it when read.
        """
        width = gamma.shape[1]
        parts = self._shown(gamma, pairs, by_id)
        # Display values, once per record that appears in a pair.
        shown: dict[int, list[str | None]] = {
            k: [c.show(parts.records[k]) for c in self.comparisons]
            for k in sorted_unique(np.concatenate([parts.left, parts.right])).tolist()
        }
        names = [c.name for c in self.comparisons]
        labels = [c.levels for c in self.comparisons]
        among = [c.among for c in self.comparisons]
        records = parts.records
        scale = self.scale
        prior = {"feature": "prior", "level": "candidate pair",
                 "weight": self.model.prior_weight + self.offset, "left": None, "right": None,
                 "frequency": None, "adjustment": None, "among": None}  # fmt: skip
        out = []
        for lv, w, bit, share, x, y, total in zip(
            gamma.tolist(), parts.weights.tolist(), parts.bits.tolist(), parts.shares.tolist(),
            parts.left.tolist(), parts.right.tolist(), parts.total.tolist(), strict=True,
        ):  # fmt: skip
            lines: list[dict[str, Any]] = [{**prior}]
            for j in range(width):
                known = not math.isnan(share[j])
                lines.append(
                    {
                        "feature": names[j],
                        "level": "missing" if lv[j] < 0 else labels[j][lv[j]],
                        "weight": w[j],
                        "left": shown[x][j],
                        "right": shown[y][j],
                        "frequency": round(share[j], 6) if known else None,
                        "adjustment": round(scale[j] * bit[j], 3) if known else None,
                        "among": among[j](records[x], records[y]) if known else None,
                    }
                )
            out.append((probability(total), round(total, 3), lines))
        return out

    def explain(self, a: Record, b: Record) -> PairExplanation:
        """The weight as a waterfall: prior, then each feature's contribution.

        A feature whose agreed value has a known frequency shows that share
        (``frequency``) and the bits it added or took away (``adjustment``);
        ``weight`` already includes them, so the lines still sum to the total.
        """
        levels, parts, tfs = self._parts(a, b)
        out = [Contribution("prior", "candidate pair", self.model.prior_weight + self.offset)]
        for j, (c, lv, w, tf) in enumerate(zip(self.comparisons, levels, parts, tfs, strict=True)):
            known = not math.isnan(tf.share)
            out.append(
                Contribution(
                    c.name,
                    "missing" if lv is None else c.levels[lv],
                    round(self.scale[j] * w, 3),
                    c.show(a),
                    c.show(b),
                    frequency=round(tf.share, 6) if known else None,
                    adjustment=round(self.scale[j] * tf.bits, 3) if known else None,
                    among=c.among(a, b) if known else None,
                )
            )
        total = sum(x.weight for x in out)
        return PairExplanation(a.id, b.id, probability(total), round(total, 3), out)

    def feature_weights(self, a: Record, b: Record) -> list[float]:
        """Unscaled per-feature weights, frequency-adjusted (the regression's inputs)."""
        _, parts, _ = self._parts(a, b)
        return parts


def positions(
    pairs: Sequence[Pair], by_id: Mapping[str, Record]
) -> tuple[Sequence[Record], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The records in ``by_id``'s order, and each pair's two positions in that list:
    what the vectorised work over many pairs indexes its per-record tables by.

    :class:`~workbench.resolve.pairs.Pairs` of those records already hold them.

    >>> by_id = {"a": Record("a", "x"), "b": Record("b", "y")}
    >>> records, left, right = positions([("b", "a")], by_id)
    >>> [r.id for r in records], left.tolist(), right.tolist()
    (['a', 'b'], [1], [0])
    """
    if isinstance(pairs, Pairs) and (
        (isinstance(by_id, RecordIndex) and by_id.records is pairs.records)
        or _same(pairs.records, by_id.values())
    ):
        return pairs.records, pairs.left.astype(np.int64), pairs.right.astype(np.int64)
    index = {rid: k for k, rid in enumerate(by_id)}
    left = np.fromiter((index[a] for a, _ in pairs), np.int64, len(pairs))
    right = np.fromiter((index[b] for _, b in pairs), np.int64, len(pairs))
    return list(by_id.values()), left, right


def _same(records: Sequence[Record], others: Collection[Record]) -> bool:
    """Whether two collections hold the very same records in the same order."""
    return len(records) == len(others) and all(
        a is b for a, b in zip(records, others, strict=False)
    )


MANY = -2  # a record holding several values of a feature (value code)


class _ValueCodes:
    """Per record a code of its one value of a feature (-1 none, ``MANY`` several), and
    each code's share; records are coded when first needed, and once.

    A run weighs its candidate pairs, then compares and stores its links in
    chunks of 50,000; coding the records of every chunk anew was a Python
    call per record, feature and chunk - at 225k rows a chunk touches most
    records, and the chunks grow with the links (ADR 0002, tenth round).

    >>> coded = _ValueCodes([Record("a", "x", nationality="SYR"), Record("b", "y"),
    ...     Record("c", "z", nationality="SYR")],
    ...     lambda r: (r.nationality,) if r.nationality else (), {"SYR": 0.5})
    >>> codes, shares = coded.of(np.array([0, 1, 2]))
    >>> codes.tolist(), shares.tolist()
    ([0, -1, 0], [0.5])
    """

    def __init__(
        self,
        records: Sequence[Record],
        term: Callable[[Record], Collection[str]],
        tf: Mapping[str, float],
    ) -> None:
        self.records, self.term, self.tf = records, term, tf
        self.codes = np.full(len(records), _UNCODED, dtype=np.int64)
        self.seen: dict[str, int] = {}
        self.shares: list[float] = []

    def of(
        self, needed: npt.NDArray[np.intp]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The codes (valid at ``needed`` and every record coded before) and the shares."""
        records, term, seen, codes = self.records, self.term, self.seen, self.codes
        for k in needed[codes[needed] == _UNCODED].tolist():
            held = term(records[k])
            if len(held) == 1:
                (value,) = held
                code = seen.setdefault(value, len(seen))
                if code == len(self.shares):
                    self.shares.append(self.tf.get(value, np.nan))
                codes[k] = code
            else:
                codes[k] = MANY if held else -1
        return codes, np.array(self.shares, dtype=np.float64)


_UNCODED = -3  # a record not coded yet


@dataclass(frozen=True, slots=True)
class _Shown:
    """What the explanations of many pairs are made of (:meth:`Scorer._shown`)."""

    records: Sequence[Record]
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float64]  # pairs x features, as shown (rounded)
    bits: npt.NDArray[np.float64]  # pairs x features, the frequency adjustment, unscaled
    shares: npt.NDArray[np.float64]  # pairs x features, the agreed value's share (nan: none)
    total: npt.NDArray[np.float64]  # per pair: the prior plus the shown weights, in order


def rounded(x: npt.NDArray[np.float64], digits: int) -> npt.NDArray[np.float64]:
    """``round(v, digits)`` of every element, exactly as Python rounds, at numpy's speed.

    Python rounds the exact decimal value; scaling by ``10**digits`` first (as
    ``np.round`` does) can land a value a hair's breadth from a half on the other
    side, so values that close to a half are rounded by Python one at a time.

    >>> rounded(np.array([2.675, 0.0005, -1.23456, 1e-7]), 3).tolist()
    [2.675, 0.001, -1.235, 0.0]
    >>> [round(v, 3) for v in (2.675, 0.0005, -1.23456, 1e-7)]
    [2.675, 0.001, -1.235, 0.0]
    """
    scale = 10.0**digits
    scaled = x * scale
    out: npt.NDArray[np.float64] = np.rint(scaled) / scale
    near = np.flatnonzero(np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-6)
    out[near] = [round(v, digits) for v in x[near].tolist()]
    return out


@dataclass(frozen=True, slots=True)
class _Tf:
    bits: float
    share: float  # nan: no frequency applies


def refine(scorer: Scorer, pairs: list[tuple[Record, Record]], same: list[bool]) -> Scorer:
    """Rescale feature weights with analysts' decisions (logistic regression).

    Inputs are the Fellegi-Sunter weights per feature; the fitted
    coefficients become per-feature scales (log-odds converted to log2), so
    the explanation keeps one bar per feature.
    """
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    x = np.array([scorer.feature_weights(a, b) for a, b in pairs])
    fit = LogisticRegression(C=1.0, max_iter=1000).fit(x, np.array(same))
    ln2 = math.log(2)
    return Scorer(
        scorer.model,
        scorer.comparisons,
        scale=[float(c) / ln2 for c in fit.coef_[0]],
        offset=float(fit.intercept_[0]) / ln2 - scorer.model.prior_weight,
    )
