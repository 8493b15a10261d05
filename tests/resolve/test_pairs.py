"""Candidate pairs as index arrays give what the one-pair-at-a-time code gives (issue 21).

On a small generated corpus: blocking by codes equals a naive reference,
the weights looked up through ``PairWeights`` equal ``Scorer.weight`` pair
by pair, and the vectorised explanations equal ``Scorer.explain``.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from tests.resolve.generated import generated_records
from workbench.resolve.blocking import (
    PERSON_RULES,
    PERSON_TRAINING,
    Sorted,
    Wide,
    blocked,
    person_identifier,
    reblocked,
)
from workbench.resolve.compare import COMPANIONS, PERSON
from workbench.resolve.pairs import Pairs, PairWeights, sorted_unique, unique_inverse
from workbench.resolve.pipeline import score, train, vectors
from workbench.resolve.records import Record
from workbench.resolve.scoring import Scorer


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[Record]:
    out: Path = tmp_path_factory.mktemp("pairs")
    return generated_records(out, persons=400, seed=5)  # loader order, not id order


def _naive(records: list[Record], new: set[str] | None) -> set[tuple[str, str]]:
    """Blocks of at most 30 fully paired, by id tuples (the plain rules only)."""
    out = set()
    for rule in PERSON_RULES[:3]:  # the identifier rules: no oversized-block handling
        blocks: dict[str, list[Record]] = defaultdict(list)
        for r in records:
            for key in set(rule(r)):
                blocks[key].append(r)
        for block in blocks.values():
            if len(block) > 30:
                continue
            for a, b in itertools.combinations(block, 2):
                if a.id == b.id or (a.group is not None and a.group == b.group):
                    continue
                if new is not None and a.id not in new and b.id not in new:
                    continue
                out.add((a.id, b.id) if a.id < b.id else (b.id, a.id))
    return out


def _naive_every_rule(records: list[Record], max_block: int) -> set[tuple[str, str]]:
    """Every rule, pair by pair: blocks in full, an oversized ``Wide`` block's pivots
    with the rest, an oversized ``Sorted`` block's neighbours in each order."""
    made: set[tuple[str, str]] = set()

    def add(a: Record, b: Record) -> None:
        if a.id != b.id and (a.group is None or a.group != b.group):
            made.add((a.id, b.id) if a.id < b.id else (b.id, a.id))

    for rule in PERSON_RULES:
        blocks: dict[str, list[Record]] = defaultdict(list)
        for r in records:
            for key in set(rule(r)):
                blocks[key].append(r)
        for block in blocks.values():
            if len(block) <= max_block:
                for a, b in itertools.combinations(block, 2):
                    add(a, b)
            elif isinstance(rule, Wide) and len(block) <= rule.max_block:
                for a in (r for r in block if rule.pivot(r)):
                    for b in block:
                        add(a, b)
            elif isinstance(rule, Sorted):
                for order in rule.orders:
                    ranked = sorted(block, key=lambda r: (order(r), r.id))
                    for i, a in enumerate(ranked):
                        for b in ranked[i + 1 : i + 1 + rule.window]:
                            add(a, b)
    return made


@pytest.mark.parametrize("max_block", [4, 12, 30])
def test_blocking_by_arrays_equals_pair_by_pair_blocking(
    records: list[Record], max_block: int
) -> None:
    """Pairs made a batch of blocks at a time by numpy (ADR 0002, eighth round) are the
    pairs the rules make one by one, oversized blocks (windows, pivots) included."""
    assert set(blocked(records, PERSON_RULES, max_block=max_block)) == _naive_every_rule(
        records, max_block
    )


def test_batched_comparisons_equal_the_pair_by_pair_levels(records: list[Record]) -> None:
    by_id = {r.id: r for r in records}
    ids = sorted(by_id)
    rng = np.random.default_rng(7)
    others = [(ids[a], ids[b]) for a, b in rng.integers(0, len(ids), (3000, 2)) if a != b]
    for pairs in (blocked(records, PERSON_RULES), others):
        gamma = vectors(pairs, by_id, PERSON)
        expected = [
            [-1 if (lv := c.level(by_id[a], by_id[b])) is None else lv for c in PERSON]
            for a, b in pairs
        ]
        assert gamma.tolist() == expected
    assert any(c.batch is not None for c in PERSON)
    companions = vectors(blocked(records, PERSON_RULES), by_id, (COMPANIONS,))
    assert {0, 2, -1} <= set(companions[:, 0].tolist())  # border records pair with companions


def test_blocking_by_codes_equals_the_naive_pairs(records: list[Record]) -> None:
    assert set(blocked(records, PERSON_RULES[:3])) == _naive(records, None)
    new = {r.id for r in records[::7]}
    assert set(blocked(records, PERSON_RULES[:3], new=new)) == _naive(records, new)


@pytest.mark.parametrize("max_block", [6, 12])
def test_new_records_only_take_candidacy_from_old_pairs_and_reblocking_finds_which(
    records: list[Record], max_block: int
) -> None:
    """A full blocking before and after some records arrive: the old pairs it still
    makes were all made before, and ``reblocked`` names exactly the ones it lost
    (a small ``max_block`` makes many blocks oversized: windows, pivots, skipped)."""
    new = {r.id for r in records[::20]}
    before = set(
        blocked([r for r in records if r.id not in new], PERSON_RULES, max_block=max_block)
    )
    after = set(blocked(records, PERSON_RULES, max_block=max_block))
    with_new = set(blocked(records, PERSON_RULES, max_block=max_block, new=new))
    assert after - with_new <= before
    assert before - after, "the delivery pushes some old pairs out"
    delivered = reblocked(records, PERSON_RULES, new, before, max_block=max_block)
    assert set(delivered.pairs) == with_new
    assert delivered.lost == before - after
    some = set(sorted(before)[::3])  # the stored links: a part of the old candidates
    assert reblocked(records, PERSON_RULES, new, some, max_block=max_block).lost == some - after
    # No new records (a run for an analyst's decision): nothing to compare, nothing lost.
    alone = reblocked(records, PERSON_RULES, set(), after, max_block=max_block)
    assert list(alone.pairs) == [] and alone.lost == set()


def test_pairs_are_in_id_order_whatever_the_records_order(records: list[Record]) -> None:
    pairs = blocked(records, PERSON_RULES)
    listed = list(pairs)
    assert listed == sorted(set(listed))
    assert all(a < b for a, b in listed)
    assert list(Pairs.of(reversed(listed), records)) == listed


def test_weights_and_explanations_equal_the_pair_by_pair_ones(records: list[Record]) -> None:
    by_id = {r.id: r for r in records}
    pairs = blocked(records, PERSON_RULES)
    gamma = vectors(pairs, by_id, PERSON)
    model = train(records, PERSON, PERSON_RULES, PERSON_TRAINING, pairs=pairs, gamma=gamma,
                  identifier=person_identifier)  # fmt: skip
    scorer = Scorer(model, PERSON)
    weights = score(pairs, by_id, scorer, gamma)
    assert isinstance(weights, PairWeights)
    sample = list(range(0, len(pairs), max(1, len(pairs) // 400)))
    for i in sample:
        a, b = pairs[i]
        assert weights[(a, b)] == pytest.approx(scorer.weight(by_id[a], by_id[b]), abs=1e-9)
        assert (b, a) not in weights
    explained = scorer.explanations(gamma[sample], pairs.take(sample), by_id)
    for i, (probability, total, contributions) in zip(sample, explained, strict=True):
        a, b = pairs[i]
        one = scorer.explain(by_id[a], by_id[b])
        assert (probability, total) == (one.score, one.weight)
        assert contributions == [asdict(c) for c in one.contributions]


def test_sorted_unique_and_unique_inverse_equal_numpys_unique() -> None:
    rng = np.random.default_rng(3)
    for values in (
        rng.integers(0, 5000, 100_000),  # many repeats
        rng.integers(0, 2**40, 100_000),  # few
        np.array([2**61, 5, 2**61]),  # too large to pack: numpy's own
        np.array([], dtype=np.int64),
    ):
        assert sorted_unique(values).tolist() == np.unique(values).tolist()
        distinct, inverse = unique_inverse(values)
        expected, where = np.unique(values, return_inverse=True)
        assert distinct.tolist() == expected.tolist() and inverse.tolist() == where.tolist()


def test_batched_v_numbers_find_the_typos_pair_by_pair() -> None:
    """Swaps, one wrong digit (not in the last two), other lengths: every pair of them."""
    numbers = [
        *("2803456781", "2803456718", "2813456781", "2803456782", "1234567890", "280345678"),
        *("8203456781", "2803456781", None, "28034567811", "2803465781"),
    ]
    records = [Record(str(i), "x", v_number=v) for i, v in enumerate(numbers)]
    by_id = {r.id: r for r in records}
    pairs = [(a.id, b.id) for a, b in itertools.combinations(records, 2)]
    gamma = vectors(pairs, by_id, PERSON)
    column = [c.name for c in PERSON].index("v_number")
    expected = [PERSON[column].level(by_id[a], by_id[b]) for a, b in pairs]
    assert gamma[:, column].tolist() == [-1 if lv is None else lv for lv in expected]
    assert {1, 2, 0, -1} <= set(gamma[:, column].tolist())


def test_a_training_session_over_its_cap_learns_from_a_sample(tmp_path: Path) -> None:
    """A session of more pairs than ``session_pairs`` learns m from a fixed random sample.

    Sharing a birth date is quadratic in the population (27 M pairs at a
    million rows); a sample gives m to within sampling error - here half the
    pairs, on the features that most pairs show - and the same sample every
    run, so a model stays reproducible.
    """
    records = generated_records(tmp_path, persons=1500, seed=5)
    by_id = {r.id: r for r in records}
    pairs = blocked(records, PERSON_RULES)
    gamma = vectors(pairs, by_id, PERSON)
    biggest = max(len(blocked(records, [rule], max_block=200)) for _, rule in PERSON_TRAINING)

    def trained(cap: int) -> dict[str, list[float]]:
        model = train(records, PERSON, PERSON_RULES, PERSON_TRAINING, pairs=pairs, gamma=gamma,
                      identifier=person_identifier, session_pairs=cap)  # fmt: skip
        return dict(zip(model.features, model.m, strict=True))

    whole, sampled = trained(biggest), trained(biggest // 2)
    assert sampled == trained(biggest // 2)
    assert sampled != whole
    for feature in ("name", "birth_date", "v_number", "timing"):
        assert np.abs(np.subtract(whole[feature], sampled[feature])).max() < 0.02, feature
