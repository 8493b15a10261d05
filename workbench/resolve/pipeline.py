"""Entity resolution as pure functions: records in, weights and clusters out.

``train`` learns a :class:`~workbench.resolve.fellegi_sunter.FSModel`
without labels; ``score`` weighs candidate pairs; ``cluster`` turns them into
entities under the constraints. The store-facing code
(:mod:`workbench.resolve.service`) only reads records and decisions and
writes the result.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from workbench.resolve.blocking import Rule, blocked
from workbench.resolve.clustering import Constraints, Lines, Pair, agglomerate
from workbench.resolve.compare import Comparison
from workbench.resolve.fellegi_sunter import (
    FSModel,
    estimate,
    level_frequencies,
    term_frequencies,
)
from workbench.resolve.pairs import Pairs, PairWeights
from workbench.resolve.records import Record, v_number_typo
from workbench.resolve.scoring import Scorer, positions

__all__ = ["Thresholds", "cluster", "identifier_prior", "score", "train"]


@dataclass(frozen=True)
class Thresholds:
    """Where links become merges, and which pairs an analyst should see.

    Weights are log2 odds that two mentions are one person *after* the
    prior, and the prior is counted from the store (:func:`identifier_prior`:
    the true pairs the V-numbers reveal over all pairs), so these lines
    follow the population without being changed: at 20,000 persons every
    link needs two bits more evidence than at 5,000, because the prior is
    two bits lower. 0 is an even chance, +3 about 9 to 1.

    - ``merge`` (0): a group joins another when their *linkage* reaches
      even odds - every member's strongest link across, averaged (ADR 0002:
      -0.5 and -0.75 below even until its eighteenth round, whose better
      weights buy fewer mixed persons at the same recall here);
    - ``alternatives`` (+3): and when the odds that it belongs there rather
      than with a rival that can never be that person (a namesake with
      another V-number) are at least 8 to 1;
    - ``related`` (+6) and ``max_identifiers`` (2): two V-numbers one typo
      apart merge only on this stronger linkage (a matching name and birth
      date, not a name alone), and a person holds at most two of them;
    - ``move`` (+1): once the groups are final, a mention without a V-number
      that links this much more strongly into another group moves there;
    - ``review_low`` .. ``review_high``: the band an analyst sees (conflicting
      V-numbers from ``review_low`` up, whatever their weight).
    """

    merge: float = 0.0
    veto: float = -12.0
    review_low: float = -3.0
    review_high: float = 1.0
    keep: float = -3.0  # links weaker than this are not stored (the review band starts here)
    alternatives: float = 3.0
    related: float = 6.0
    max_identifiers: int = 2
    rival: float = -3.0
    move: float = 1.0

    def lines(self) -> Lines:
        """What clustering needs of these thresholds."""
        return Lines(
            self.merge, self.veto, self.alternatives, self.related, self.max_identifiers,
            self.rival, self.move,
        )  # fmt: skip


def vectors(
    pairs: Sequence[Pair], by_id: Mapping[str, Record], comparisons: Sequence[Comparison]
) -> npt.NDArray[np.int8]:
    """The comparison level of every pair for every feature (-1: missing).

    A comparison with a ``batch`` levels all pairs at once (each distinct pair
    of values once: names and birth dates repeat, at 80,000 persons far fewer
    distinct pairs than candidate pairs); the rest are compared pair by pair.
    """
    out = np.full((len(pairs), len(comparisons)), -1, dtype=np.int8)
    if not pairs:
        return out
    records, left, right = positions(pairs, by_id)
    # Values of the records in a pair only: training compares a few thousand
    # pairs (random pairs, each EM session) against a store of records.
    paired = np.zeros(len(records), dtype=bool)
    paired[left] = paired[right] = True
    needed = np.flatnonzero(paired).tolist()
    for j, c in enumerate(comparisons):
        if c.batch is not None:
            out[:, j] = c.batch(records, left, right, needed)
            continue
        for i, (a, b) in enumerate(pairs):
            level = c.level(by_id[a], by_id[b])
            out[i, j] = -1 if level is None else level
    return out


# Pairs an EM session learns m from. Sharing an exact birth date is quadratic in the
# population (2.0 M pairs at 385k mentions, 27.1 M at 1.55 M); m is a handful of
# level shares, which a sample of this size pins to the third decimal (ADR 0002).
SESSION_PAIRS = 2_000_000


def train(
    records: Sequence[Record],
    comparisons: Sequence[Comparison],
    rules: Sequence[Rule],
    sessions: Sequence[tuple[str, Rule]],
    *,
    seed: int = 0,
    u_sample: int = 30_000,
    session_pairs: int = SESSION_PAIRS,
    pairs: Sequence[Pair] | None = None,
    gamma: npt.NDArray[np.int8] | None = None,
    identifier: Callable[[Record], str | None] | None = None,
    spellings: Mapping[str, str] | None = None,
) -> FSModel:
    """Learn m, u and the prior from the records alone (no labels).

    ``u`` from random pairs; ``m`` from one EM session per ``(feature, rule)``
    in ``sessions`` over pairs blocked by ``rule``, leaving ``feature`` out
    (it agrees by construction; a session of more than ``session_pairs``
    pairs learns from a random sample of that many); each feature's ``m`` is
    the mean over the sessions that estimated it. The prior is the chance that two records
    taken at random are one entity: counted from the blocks of a unique
    ``identifier`` when the records have one (:func:`identifier_prior`),
    else fitted on the candidate pairs with m and u held and spread over
    all pairs. ``spellings``, the table the records were respelled with
    (:func:`~workbench.resolve.spellings.respell`), is kept with the model.
    """
    by_id = {r.id: r for r in records}
    names = [c.name for c in comparisons]
    levels = [c.levels for c in comparisons]
    sizes = [len(x) for x in levels]
    rng = random.Random(seed)  # noqa: S311 - sampling, not secrecy
    ids = [r.id for r in records]
    randoms: list[Pair] = []
    for _ in range(min(u_sample, len(ids) * (len(ids) - 1) // 2)):
        a, b = rng.sample(ids, 2)
        if by_id[a].group is None or by_id[a].group != by_id[b].group:
            randoms.append((a, b))
    u = level_frequencies(vectors(randoms, by_id, comparisons), sizes)
    estimates: list[list[np.ndarray]] = [[] for _ in comparisons]
    seen: list[list[int]] = [[] for _ in comparisons]
    for feature, rule in sessions:
        left_out = names.index(feature)
        block = blocked(records, [rule], max_block=200)
        if not block:
            continue
        if len(block) > session_pairs:
            sample = np.random.default_rng(seed).choice(len(block), session_pairs, replace=False)
            block = block.take(np.sort(sample))
        session = vectors(block, by_id, comparisons)
        fit = estimate(levels, session, u=u, ignore=[left_out])
        for j in range(len(comparisons)):
            if j != left_out:
                estimates[j].append(np.asarray(fit.m[j]))
                seen[j].append(int((session[:, j] >= 0).sum()))
    # Each session's m counts by how many of its pairs showed the feature: a
    # session that never saw it (no arrival dates among pairs sharing a
    # V-number) only returns its uniform starting point.
    m = [
        np.average(found, axis=0, weights=counts) if sum(counts) else np.full(size, 1.0 / size)
        for found, counts, size in zip(estimates, seen, sizes, strict=True)
    ]
    if gamma is None:
        found = sorted(pairs) if pairs is not None else blocked(records, rules)
        gamma = vectors(found, by_id, comparisons)
    model = estimate(levels, gamma, u=u, m=m, features=names, fix_m=True)
    # The prior of *any* pair, not of a candidate pair: blocking picked the
    # candidates for agreeing on a name, so their prior already counts that
    # agreement once. Over all pairs, a bigger population needs more evidence.
    groups = Counter(r.group for r in records if r.group is not None)
    comparable = len(records) * (len(records) - 1) / 2 - sum(
        n * (n - 1) / 2 for n in groups.values()
    )
    counted = identifier_prior(records, identifier, comparable) if identifier else None
    model.prior = min(
        counted if counted is not None else model.prior * len(gamma) / max(comparable, 1.0), 0.5
    )
    model.tf = {c.name: frequency_table(c, records) for c in comparisons if c.term}
    model.reach = {c.name: reach(c, records) for c in comparisons if c.reaches}
    model.within = {c.name: c.within for c in comparisons if c.within}
    model.spellings = dict(spellings or {})
    return model


def reach(c: Comparison, records: Sequence[Record]) -> dict[int, float]:
    """Per frequency level of ``c``, the share of the records holding a value whose
    value could agree at that level (``Comparison.reaches``, :meth:`FSModel.tf_u`)."""
    term, reaches = c.term, c.reaches
    if term is None or reaches is None:  # every value reaches every level
        return {}
    holding = [r for r in records if term(r)]
    return {
        level: max(sum(reaches(r, level) for r in holding), 1) / max(len(holding), 1)
        for level in c.tf_levels
    }


def frequency_table(c: Comparison, records: Sequence[Record]) -> dict[str, float]:
    """``c``'s value shares: over all records, and within each group (``Comparison.within``)."""
    shares = term_frequencies(c.term(r) for r in records) if c.term else {}
    if c.within:
        grouped = [(r, g) for r in records if (g := c.group(r))]
        shares |= term_frequencies((c.values(r) for r, _ in grouped), (g for _, g in grouped))
    return shares


MIN_IDENTIFIER_PAIRS = 50  # fewer pairs sharing an identifier: fall back to EM's prior


def identifier_prior(
    records: Sequence[Record], identifier: Callable[[Record], str | None], comparable: float
) -> float | None:
    """The prior from how often a unique identifier repeats: true pairs over all pairs.

    Records sharing a V-number are one person (but for rare typos). Only a
    share ``f`` of the records carries one, so a person's pair of records
    shows up in the identifier's blocks with chance ``f**2``: the store holds
    about ``pairs / f**2`` true pairs, and the prior is that over every
    comparable pair. It follows the population by itself - four times the
    persons, four times the true pairs, sixteen times the pairs: two bits
    more evidence needed. Measured on generated corpora against their truth:
    -12.5 bits for -12.4 true at 5,000 persons, -14.5 for -14.4 at 20,000;
    EM's estimate on the candidate pairs gave -11.6 and -12.5 (blocking
    hands it namesakes that look alike). None when too few records share an
    identifier.

    >>> rs = [Record(str(i), "x", v_number=str(i // 2) if i % 4 < 2 else None) for i in range(400)]
    >>> round(identifier_prior(rs, lambda r: r.v_number, 400 * 399 / 2), 5)
    0.00501
    """
    blocks = Counter(v for r in records if (v := identifier(r)))
    held = sum(blocks.values())
    pairs = sum(n * (n - 1) / 2 for n in blocks.values())
    if pairs < MIN_IDENTIFIER_PAIRS or not held:
        return None
    return pairs * (len(records) / held) ** 2 / max(comparable, 1.0)


def score(
    pairs: Sequence[Pair],
    by_id: Mapping[str, Record],
    scorer: Scorer,
    gamma: npt.NDArray[np.int8] | None = None,
) -> Mapping[Pair, float]:
    """Total log2 odds for each pair (``gamma``: their comparison vectors, if known).

    :class:`~workbench.resolve.pairs.Pairs` get their weights as one array
    (:class:`~workbench.resolve.pairs.PairWeights`), other pairs a dict.
    """
    if gamma is None:
        gamma = vectors(pairs, by_id, scorer.comparisons)
    weights = scorer.weigh(gamma, pairs, by_id)
    if isinstance(pairs, Pairs):
        return PairWeights(pairs, weights)
    return dict(zip(pairs, weights.tolist(), strict=True))


def cluster(
    records: Sequence[Record],
    links: Mapping[Pair, float],
    scorer: Scorer,
    *,
    thresholds: Thresholds,
    same: Collection[Pair] = (),
    different: Collection[Pair] = (),
    scored: Mapping[Pair, float] | None = None,
) -> list[list[str]]:
    """Entities from scored links, analysts' decisions and exclusive V-numbers.

    ``scored``: weights already known for pairs that are not links (candidate
    pairs below the ``keep`` line); linkages across groups look them up
    instead of scoring those pairs again one by one (most of clustering's
    time at 80,000 persons).
    """
    by_id = {r.id: r for r in records}
    known = scored or {}

    def weight(a: str, b: str) -> float:
        found = known.get((a, b))
        return found if found is not None else scorer.weight(by_id[a], by_id[b])

    constraints = Constraints(
        same=same,
        different=different,
        exclusive={r.id: r.v_number for r in records if r.v_number},
        group={r.id: r.group for r in records if r.group},
        related=v_number_typo,
    )
    return agglomerate(
        [r.id for r in records],
        {p: w for p, w in links.items() if p[0] in by_id and p[1] in by_id},
        weight=weight,
        constraints=constraints,
        lines=thresholds.lines(),
    )
