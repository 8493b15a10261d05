"""Fellegi-Sunter match weights, learned without labels.

For every comparison level, ``m`` is the chance a true match reaches it and
``u`` the chance a non-match does; the level's weight is ``log2(m / u)``
and a pair's total weight is the prior's log-odds plus its levels' weights
(Fellegi & Sunter 1969, "A theory for record linkage", JASA 64:1183).
As in splink, ``u`` is estimated from random pairs (almost all non-matches)
and ``m`` by expectation-maximisation (Winkler 1988, "Using the EM
algorithm for weight computation in the Fellegi-Sunter model of record
linkage") in training sessions, each over pairs blocked on one feature with
that feature left out - pairs blocked on a name agree on it by
construction, so they cannot teach what a name agreement is worth.

Agreement on a value is term-frequency adjusted: sharing a rare name (or
birth date, nationality, route) says more than sharing the most common
one. As in splink, at an agreeing level the average ``u`` of the level is
replaced by the agreed value's own frequency among the records: a random
other record holds ``Mohammed Ali`` far more often than ``Tesfamariam
Gebrekidan``.

>>> import numpy as np
>>> gamma = np.array([[0, 0]] * 40 + [[1, 1]] * 60, dtype=np.int8)
>>> model = estimate((("a", "b"), ("x", "y")), gamma, u=[np.array([.1, .9]), np.array([.2, .8])])
>>> round(model.prior, 2), [round(w, 1) for w in model.weights[0]]
(0.39, [3.3, -13.1])
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["FSModel", "estimate", "level_frequencies", "term_frequencies", "tf_bits"]

Gamma = npt.NDArray[np.int8]  # pairs x features; -1 = null
SMOOTH = 1e-4
TF_CAP = 8.0  # bits either way: a table built on a small store should not dominate a score
TF_FLOOR = 1e-6  # the smallest frequency the adjustment believes
PRIOR_FLOOR = 1e-12


def tf_bits(u: npt.ArrayLike, share: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The frequency adjustment log2(u / share), for one value or many at once.

    ``u`` is the level's chance agreement (floored at ``SMOOTH``), ``share`` the
    agreed value's frequency (floored at ``TF_FLOOR``); capped at ``TF_CAP``
    bits either way.

    >>> tf_bits(0.01, 0.04).item(), tf_bits([0.01, 0.01], [1e-9, 1.0]).tolist()
    (-2.0, [8.0, -6.643856189774724])
    """
    ratio = np.maximum(u, SMOOTH) / np.maximum(share, TF_FLOOR)
    return np.clip(np.log2(ratio), -TF_CAP, TF_CAP)


@dataclass
class FSModel:
    """Learned m and u per feature level, the prior, and term frequencies per feature.

    ``tf`` maps a feature to its values' shares among the records that have
    one (only values held by two records or more: a value held once cannot
    agree with anything).
    """

    features: tuple[str, ...]
    levels: tuple[tuple[str, ...], ...]
    m: list[list[float]]
    u: list[list[float]]
    prior: float
    iterations: int = 0
    tf: dict[str, dict[str, float]] = field(default_factory=dict)  # feature -> value -> share
    # feature -> the record attribute its shares are counted within (``Comparison.within``)
    within: dict[str, str] = field(default_factory=dict)
    # name outline -> the outline it is written as (``spellings.learn_spellings``)
    spellings: dict[str, str] = field(default_factory=dict)
    # feature -> level -> the share of records whose value can agree at that level
    # (``Comparison.reaches``); 1 where not counted
    reach: dict[str, dict[int, float]] = field(default_factory=dict)

    @property
    def weights(self) -> list[list[float]]:
        """log2(m/u) per feature and level."""
        return [
            [math.log2(max(m, SMOOTH) / max(u, SMOOTH)) for m, u in zip(ms, us, strict=True)]
            for ms, us in zip(self.m, self.u, strict=True)
        ]

    @property
    def prior_weight(self) -> float:
        """log2 of the prior odds that two records are a match.

        Not clamped at ``SMOOTH``: over all pairs of 80,000 records the prior
        is below 1e-5, and a floor at 1e-4 (-13.3 bits, as before) would stop
        it from following the population - precision then fell with size.
        """
        p = min(max(self.prior, PRIOR_FLOOR), 1 - SMOOTH)
        return math.log2(p / (1 - p))

    def frequency(self, feature: int, value: str) -> float | None:
        """The share of records holding ``value`` of feature ``feature``, if known."""
        return self.tf.get(self.features[feature], {}).get(value)

    def tf_adjustment(self, feature: int, level: int, value: str) -> float:
        """Bits to add when a pair agrees on ``value`` at ``level``: log2(u_level / share),
        with ``u_level`` over the level's reach (:meth:`tf_u`).

        Positive for a value rarer than the level's average agreement, negative
        for a common one; 0 when the value's frequency is not known.

        >>> m = FSModel(("name",), (("same", "other"),), [[.9, .1]], [[.01, .99]], .1,
        ...             tf={"name": {"mohammed ali": .04, "tesfamariam": .0001}})
        >>> m.tf_adjustment(0, 0, "mohammed ali"), round(m.tf_adjustment(0, 0, "tesfamariam"), 2)
        (-2.0, 6.64)
        """
        share = self.frequency(feature, value)
        if share is None:
            return 0.0
        return float(tf_bits(self.tf_u(feature)[level], share))

    def tf_u(self, feature: int) -> list[float]:
        """Per level, the chance agreement a value's share is weighed against: ``u``
        over the level's *reach*, the share of records whose values can agree there.

        Splink's adjustment log2(u / share) takes an agreeing pair's value to be
        drawn from all values. A level only some values can reach - the same 1
        January, which only administrative dates reach - draws it from those:
        the odds are m / (reach x share), log2(1 / reach) bits more than the
        plain adjustment says (a fifth of the dates: 2.3 bits).

        >>> m = FSModel(("birth",), (("day", "1 Jan", "other"),), [[.5, .3, .2]],
        ...             [[.01, .004, .986]], .1, reach={"birth": {1: .2}})
        >>> m.tf_u(0)
        [0.01, 0.02, 0.986]
        """
        reach = self.reach.get(self.features[feature], {})
        return [u / reach.get(level, 1.0) for level, u in enumerate(self.u[feature])]

    @classmethod
    def from_json(cls, params: Mapping[str, Any]) -> FSModel:
        """The model :meth:`to_json` stored (a run's ``parameters``)."""
        return cls(
            features=tuple(params["features"]),
            levels=tuple(tuple(x) for x in params["levels"]),
            m=params["m"],
            u=params["u"],
            prior=params["prior"],
            iterations=params.get("iterations", 0),
            tf=_tf_tables(params.get("tf") or {}),
            within=dict(params.get("within") or {}),
            spellings=dict(params.get("spellings") or {}),
            reach={
                f: {int(level): share for level, share in levels.items()}
                for f, levels in (params.get("reach") or {}).items()
            },
        )

    def to_json(self) -> dict[str, Any]:
        """Parameters as plain JSON (stored with each resolution run)."""
        return {
            "features": list(self.features),
            "levels": [list(x) for x in self.levels],
            "m": self.m,
            "u": self.u,
            "prior": self.prior,
            "iterations": self.iterations,
            "tf": self.tf,
            "within": self.within,
            "spellings": self.spellings,
            "reach": {f: {str(k): v for k, v in by.items()} for f, by in self.reach.items()},
        }


def term_frequencies(
    values: Iterable[Collection[str]], groups: Iterable[str] | None = None
) -> dict[str, float]:
    """Each value's share of the records holding any, for values held twice or more.

    ``values`` has one collection per record (a name: one outline; phones: a set).
    With ``groups`` (one per record) a value's share is counted among the holders
    of its own group: the chance that two people *of one nationality* share a
    route. The values must then name their group (``Comparison.values``).

    >>> term_frequencies([("a",), ("a",), ("b",), (), ("a", "c"), ("c",)])
    {'a': 0.6, 'c': 0.4}
    >>> term_frequencies([("x|a",), ("x|a",), ("x|b",), ("y|a",), ("y|a",)], "xxxyy")
    {'x|a': 0.6666666666666666, 'y|a': 1.0}
    """
    counts: Counter[str] = Counter()
    holders: Counter[str] = Counter()
    group_of: dict[str, str] = {}
    for held, group in zip(values, groups if groups is not None else repeat(""), strict=False):
        held = set(held)
        counts.update(held)
        holders[group] += bool(held)
        if groups is not None:
            group_of.update(dict.fromkeys(held, group))
    return {v: n / holders[group_of.get(v, "")] for v, n in counts.items() if n > 1}


def level_frequencies(gamma: Gamma, sizes: Sequence[int]) -> list[npt.NDArray[np.float64]]:
    """Per feature, the share of non-null pairs at each level (Laplace-smoothed).

    >>> import numpy as np
    >>> [f.round(2).tolist() for f in level_frequencies(np.array([[0], [1], [1], [-1]]), [2])]
    [[0.4, 0.6]]
    """
    out = []
    for j, size in enumerate(sizes):
        col = gamma[:, j]
        counts = np.bincount(col[col >= 0], minlength=size).astype(np.float64) + 1.0
        out.append(counts / counts.sum())
    return out


def estimate(
    levels: Sequence[Sequence[str]],
    gamma: Gamma,
    *,
    u: Sequence[npt.NDArray[np.float64]],
    m: Sequence[npt.NDArray[np.float64]] | None = None,
    features: Sequence[str] | None = None,
    prior: float = 0.3,
    ignore: Sequence[int] = (),
    fix_m: bool = False,
    max_iter: int = 200,
    tol: float = 1e-6,
) -> FSModel:
    """EM for ``m`` and the prior over candidate pairs, ``u`` held fixed.

    Features in ``ignore`` (those the training pairs were blocked on: they
    agree by construction) are left out of the likelihood and keep their
    starting ``m``. With ``fix_m`` only the prior is estimated. Works on the
    distinct comparison patterns with their counts, so the cost does not grow
    with the number of pairs.
    """
    sizes = [len(x) for x in levels]
    g = gamma.copy()
    for j in ignore:
        g[:, j] = -1
    patterns, counts = _patterns(g, sizes)
    counts = counts.astype(np.float64)
    u_cols = [np.asarray(x, dtype=np.float64) for x in u]
    m_cols = (
        [np.asarray(x, dtype=np.float64) for x in m]
        if m is not None
        else [np.linspace(0.9, 0.1, s) / np.linspace(0.9, 0.1, s).sum() for s in sizes]
    )
    lam = prior
    log_u = _log_prob(patterns, u_cols)
    it = 0
    total = float(counts.sum())  # 0: no pairs to learn from, the starting values stand
    for it in range(1, (max_iter if total else 0) + 1):  # noqa: B007 - the count is reported
        log_m = _log_prob(patterns, m_cols)
        post = 1.0 / (1.0 + np.exp(np.clip(np.log(1 - lam) + log_u - np.log(lam) - log_m, -50, 50)))
        weight = post * counts
        new_lam = min(max(float(weight.sum()) / total, SMOOTH), 1 - SMOOTH)
        new_m = m_cols if fix_m else _level_mass(patterns, weight, sizes)
        for j in ignore:
            new_m[j] = m_cols[j]
        shift = max(
            abs(new_lam - lam),
            *(float(np.abs(x - y).max()) for x, y in zip(new_m, m_cols, strict=True)),
        )
        m_cols, lam = new_m, new_lam
        if shift < tol:
            break
    return FSModel(
        features=tuple(features or (f"f{j}" for j in range(len(sizes)))),
        levels=tuple(tuple(x) for x in levels),
        m=[x.tolist() for x in m_cols],
        u=[x.tolist() for x in u_cols],
        prior=lam,
        iterations=it,
    )


def _patterns(
    gamma: Gamma, sizes: Sequence[int]
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int64]]:
    """The distinct rows of ``gamma`` and how often each occurs.

    Each row is packed into one integer first (a digit per feature, base its
    level count + 1): ``np.unique`` over rows sorts row by row and took a
    quarter of training at 80,000 persons.

    >>> rows, n = _patterns(np.array([[0, 1], [-1, 1], [0, 1]], dtype=np.int8), [2, 2])
    >>> rows.tolist(), n.tolist()
    ([[-1, 1], [0, 1]], [1, 2])
    """
    bases = [size + 1 for size in sizes]
    if math.prod(bases) >= 2**62:
        rows, counts = np.unique(gamma, axis=0, return_counts=True)
        return rows, counts
    code = np.zeros(len(gamma), dtype=np.int64)
    for j, base in enumerate(bases):
        code = code * base + (gamma[:, j].astype(np.int64) + 1)
    values, counts = np.unique(code, return_counts=True)
    rows = np.empty((len(values), len(sizes)), dtype=np.int8)
    for j in range(len(sizes) - 1, -1, -1):
        values, digit = np.divmod(values, bases[j])
        rows[:, j] = digit - 1
    return rows, counts


def _level_mass(
    patterns: npt.NDArray[np.int8], weight: npt.NDArray[np.float64], sizes: Sequence[int]
) -> list[npt.NDArray[np.float64]]:
    out = []
    for j, size in enumerate(sizes):
        col = patterns[:, j]
        ok = col >= 0
        mass = np.bincount(col[ok], weights=weight[ok], minlength=size) + SMOOTH
        out.append(mass / mass.sum())
    return out


def _log_prob(
    patterns: npt.NDArray[np.int8], cols: Sequence[npt.NDArray[np.float64]]
) -> npt.NDArray[np.float64]:
    total = np.zeros(len(patterns))
    for j, col in enumerate(cols):
        g = patterns[:, j]
        ok = g >= 0
        total[ok] += np.log(np.maximum(col[g[ok]], SMOOTH))
    return total


def _tf_tables(tf: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    """Frequency tables as stored; a run before they were per feature kept the names' only."""
    if any(not isinstance(v, dict) for v in tf.values()):
        return {"name": {k: float(v) for k, v in tf.items()}}
    return {feature: dict(values) for feature, values in tf.items()}
