"""Where entity resolution loses recall and precision, counted on a generated corpus.

    python benchmarks/er_errors.py [PERSONS]   (default 20,000; seed 2 as ``er_bench --scale``)
    python benchmarks/er_errors.py [PERSONS] --relational

Runs the pure pipeline as ``er_bench --scale`` does and sorts its errors:

- every missed true pair: was it a candidate at all (and if not, did the two
  share a blocking key whose block was too big), its weight against the
  merge line, and what stopped the merge at or above it (a constraint, a
  veto, the linkage of the two groups, the rivals test);
- the ceiling: true pairs where one of the two mentions scores at least as
  high with a mention of another person (a namesake as alike as the truth);
- every resolved person holding two true V-numbers: the strongest link that
  joins two true persons in it, whether its ends carry a V-number, and the
  comparison levels of that link.

``--relational`` asks instead whether the persons a mention is recorded with
(its record's other mentions: a travel party) could tell those errors apart
(ADR 0002, ninth round), and what a second pass weighing that would give.

Printed as counts (JSON), for deciding what to fix, not as a test.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.er_bench import (  # noqa: E402
    _mention_records,
    _true_person,
    _truth_labels,
    pairwise,
    quality,
)
from workbench.resolve import clustering  # noqa: E402
from workbench.resolve.blocking import (  # noqa: E402
    PERSON_RULES,
    PERSON_TRAINING,
    candidate_pairs,
    person_identifier,
)
from workbench.resolve.compare import PERSON  # noqa: E402
from workbench.resolve.pipeline import Thresholds, cluster, score, train, vectors  # noqa: E402
from workbench.resolve.records import Record  # noqa: E402
from workbench.resolve.scoring import Scorer  # noqa: E402
from workbench.resolve.spellings import learn_spellings, respell  # noqa: E402

Pair = tuple[str, str]


def corpus(persons: int) -> tuple[list[Record], dict[str, str], dict[str, str | None]]:
    """Records, record id -> true person, true person -> V-number."""
    import tempfile

    from workbench.generate import generate

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        generate(out, persons=persons, seed=2)
        truth = json.loads((out / "truth.json").read_text())
        records = _mention_records(out)
    labels = _truth_labels(truth)
    person = {r.id: t for r in records if (t := _true_person(r.id, labels)) is not None}
    true_v = {pid: p.get("v_number") for pid, p in truth["population"].items()}
    return records, person, true_v


class _Traced(clustering._Agglomeration):
    """The agglomeration, remembering why each link's last attempt did not merge."""

    outcome: dict[Pair, str]

    def attempt(self, a: str, b: str) -> str:
        if not hasattr(self, "outcome"):
            self.outcome = {}
        x, y = self.owner[a], self.owner[b]
        if x != y:
            cx, cy = self.clusters[x], self.clusters[y]
            if self.line(cx, cy) is None:
                self.outcome[(a, b)] = "constraint"
            elif (avg := self.linkage(cx, cy)) is None:
                self.outcome[(a, b)] = "veto"
            elif avg < self.line(cx, cy):  # type: ignore[operator]
                self.outcome[(a, b)] = "linkage below line"
        result = super().attempt(a, b)
        if result == "waiting":
            self.outcome[(a, b)] = "rivals"
        return result


def _block_keys(r: Record) -> dict[str, set[str]]:
    return {f"{i}": {f"{i}:{k}" for k in rule(r)} for i, rule in enumerate(PERSON_RULES)}


@dataclass
class Resolved:
    """One pure-pipeline run of ``er_bench --scale`` with the truth beside it."""

    records: list[Record]
    person: dict[str, str]  # record id -> true person
    true_v: dict[str, str | None]  # true person -> V-number
    pairs: list[Pair]
    weights: Mapping[Pair, float]
    kept: dict[Pair, float]
    clusters: list[list[str]]
    scorer: Scorer
    limits: Thresholds
    traced: dict[Pair, str]  # why a link's last attempt did not merge


def resolved(persons: int) -> Resolved:
    """Generate, block, compare, train, score and cluster as ``er_bench --scale``."""
    records, person, true_v = corpus(persons)
    spellings = learn_spellings(records, person_identifier)
    respell(records, spellings)
    by_id = {r.id: r for r in records}
    pairs = sorted(candidate_pairs(records, PERSON_RULES))
    gamma = vectors(pairs, by_id, PERSON)
    model = train(
        records, PERSON, PERSON_RULES, PERSON_TRAINING, pairs=pairs, gamma=gamma,
        identifier=person_identifier, spellings=spellings,
    )  # fmt: skip
    scorer = Scorer(model, PERSON)
    weights = score(pairs, by_id, scorer, gamma)
    limits = Thresholds()
    kept = {p: w for p, w in weights.items() if w >= limits.keep}
    traced: dict[Pair, str] = {}
    original = clustering._Agglomeration

    class Recording(_Traced):
        def run(self, same: Iterable[Pair]) -> list[tuple[int, list[str]]]:
            out = super().run(same)
            traced.update(getattr(self, "outcome", {}))
            return out

    clustering._Agglomeration = Recording  # type: ignore[misc]
    try:
        clusters = cluster(records, kept, scorer, thresholds=limits, scored=weights)
    finally:
        clustering._Agglomeration = original  # type: ignore[misc]
    return Resolved(records, person, true_v, pairs, weights, kept, clusters, scorer, limits, traced)


def analyse(persons: int) -> dict[str, Any]:
    run = resolved(persons)
    records, person, true_v, pairs = run.records, run.person, run.true_v, run.pairs
    weights, kept, clusters, scorer = run.weights, run.kept, run.clusters, run.scorer
    limits, traced = run.limits, run.traced
    by_id = {r.id: r for r in records}
    owner = {m: n for n, c in enumerate(clusters) for m in c}
    true_groups: dict[str, list[str]] = defaultdict(list)
    for rid, t in person.items():
        true_groups[t].append(rid)
    # Block sizes per key, to tell "never shared a key" from "shared one, block too big".
    sizes: Counter[str] = Counter()
    for r in records:
        for keys in _block_keys(r).values():
            sizes.update(keys)
    candidate = set(pairs)
    # The ceiling: a true pair is indistinguishable from namesakes when one of
    # its two mentions scores at least as high with a mention of another person.
    rival_best: dict[str, float] = defaultdict(lambda: -math.inf)
    for (a, b), w in weights.items():
        if person.get(a) != person.get(b):
            rival_best[a] = max(rival_best[a], w)
            rival_best[b] = max(rival_best[b], w)
    ambiguous = ambiguous_missed = 0
    missed: Counter[str] = Counter()
    levels_of_missed: Counter[str] = Counter()
    weight_bins: Counter[str] = Counter()
    examples: dict[str, list[Any]] = defaultdict(list)
    total_true = 0
    for members in true_groups.values():
        for a, b in itertools.combinations(sorted(members), 2):
            total_true += 1
            w = weights.get((a, b), -math.inf)
            alike = max(rival_best[a], rival_best[b]) >= w > -math.inf
            ambiguous += alike
            if owner[a] == owner[b]:
                continue
            ambiguous_missed += alike
            ra, rb = by_id[a], by_id[b]
            if (a, b) not in candidate:
                ka, kb = _block_keys(ra), _block_keys(rb)
                shared = {k for rule in ka for k in ka[rule] & kb[rule]}
                if shared:
                    biggest = min(sizes[k] for k in shared)
                    why = f"not a candidate: shared a key, smallest block {_bin(biggest)}"
                else:
                    why = "not a candidate: no shared key"
                missed[why] += 1
                if len(examples[why]) < 5:
                    examples[why].append((ra.name, rb.name, str(ra.birth), str(rb.birth)))
                continue
            w = weights[(a, b)]
            vec = scorer.vector(ra, rb)
            label = ", ".join(
                f"{c.name}={c.levels[lv]}" for c, lv in zip(PERSON, vec, strict=True)
                if lv is not None
            )  # fmt: skip
            if w < limits.keep:
                why = "weight below keep (-3)"
            elif w < limits.merge:
                why = "weight in review band below merge"
            else:
                why = f"weight >= merge, not merged: {traced.get((a, b), 'joined elsewhere')}"
            missed[why] += 1
            weight_bins[f"{why} | {_wbin(w)}"] += 1
            levels_of_missed[label] += 1
            if len(examples[why]) < 5:
                examples[why].append(
                    (ra.name, rb.name, str(ra.birth), str(rb.birth), round(w, 1), label)
                )
    # Persons mixing two true V-numbers: the strongest link between two true persons.
    mixed: Counter[str] = Counter()
    bridge_levels: Counter[str] = Counter()
    mixed_examples: list[Any] = []
    n_mixed = 0
    for members in clusters:
        vs = {true_v.get(person.get(m, ""), None) for m in members} - {None}
        if len(vs) < 2:
            continue
        n_mixed += 1
        best: tuple[float, Pair] | None = None
        for a, b in itertools.combinations(sorted(members), 2):
            if person.get(a) == person.get(b):
                continue
            link = kept.get((a, b))
            if link is not None and (best is None or link > best[0]):
                best = (link, (a, b))
        if best is None:
            mixed["no stored link between true persons"] += 1
            continue
        w, (a, b) = best
        ra, rb = by_id[a], by_id[b]
        ends = sum(bool(r.v_number) for r in (ra, rb))
        sizes_true = Counter(person.get(m) for m in members)
        mixed[f"bridge ends with V-number: {ends}; cluster size {_bin(len(members))}"] += 1
        vec = scorer.vector(ra, rb)
        bridge_levels[", ".join(
            f"{c.name}={c.levels[lv]}" for c, lv in zip(PERSON, vec, strict=True) if lv is not None
        )] += 1  # fmt: skip
        if len(mixed_examples) < 8:
            mixed_examples.append({
                "names": sorted({by_id[m].name for m in members}),
                "true_persons": len(sizes_true), "bridge": (ra.name, rb.name, round(w, 1)),
                "bridge_v": (ra.v_number, rb.v_number),
            })  # fmt: skip
    return {
        "persons": persons,
        "mentions": len(records),
        "prior_bits": round(scorer.model.prior_weight, 2),
        "true_pairs": total_true,
        "missed_pairs": sum(missed.values()),
        "true_pairs_a_namesake_scores_as_high": ambiguous,
        "missed_pairs_a_namesake_scores_as_high": ambiguous_missed,
        "missed_by_cause": dict(missed.most_common()),
        "missed_by_cause_and_weight": dict(sorted(weight_bins.items())),
        "missed_levels_top": dict(levels_of_missed.most_common(15)),
        "missed_examples": examples,
        "mixed_persons": n_mixed,
        "mixed_by_bridge": dict(mixed.most_common()),
        "bridge_levels_top": dict(bridge_levels.most_common(12)),
        "mixed_examples": mixed_examples,
    }


def _co_level(a: str, b: str, co: Mapping[str, list[str]], key: Mapping[str, object]) -> str:
    """``none`` (a side has no co-mention), ``agree`` (a co-mention of each side has
    the same ``key``: true person or first-pass cluster) or ``disagree``."""
    ca, cb = co.get(a, ()), co.get(b, ())
    if not ca or not cb:
        return "none"
    keys = {key.get(x) for x in ca} - {None}
    return "agree" if any(key.get(y) in keys for y in cb) else "disagree"


def relational(persons: int) -> dict[str, Any]:
    """How often co-mentioned persons (one record's travel party) tell pairs apart.

    For the missed true pairs and the wrong links inside persons holding two
    true V-numbers: do both mentions have co-mentions, and does a co-mention
    of one side belong to the same true person / the same first-pass cluster
    as a co-mention of the other? Plus the level's rate among all candidate
    pairs that are and are not one person (what a learned weight would be),
    and the figures of a second pass that adds such weights (an upper bound:
    the weights are counted against the truth, not learned).
    """
    run = resolved(persons)
    person, weights, limits = run.person, run.weights, run.limits
    by_group: dict[str, list[str]] = defaultdict(list)
    for r in run.records:
        if r.group:
            by_group[r.group].append(r.id)
    co = {
        m: [x for x in members if x != m]
        for members in by_group.values() if len(members) > 1 for m in members
    }  # fmt: skip
    index = {m: n for n, c in enumerate(run.clusters) for m in c}
    owner: dict[str, object] = dict(index)
    truth: dict[str, object] = dict(person)

    def levels(pairs: list[Pair]) -> dict[str, Any]:
        table: Counter[str] = Counter()
        for a, b in pairs:
            known, found = _co_level(a, b, co, truth), _co_level(a, b, co, owner)
            table[f"truth {known} / first pass {found}"] += 1
        return {"pairs": len(pairs), **dict(sorted(table.items()))}

    def grouped(sides: list[tuple[list[str], list[str]]]) -> dict[str, Any]:
        """The level between two groups of mentions (Bhattacharya and Getoor's
        cluster neighbourhoods): the first-pass clusters of their co-mentions."""
        table: Counter[str] = Counter()
        for xs, ys in sides:
            own = {owner[m] for m in (*xs, *ys)}
            na = {owner[c] for m in xs for c in co.get(m, ())} - own
            nb = {owner[c] for m in ys for c in co.get(m, ())} - own
            table["none" if not na or not nb else "agree" if na & nb else "disagree"] += 1
        return {"pairs": len(sides), **dict(sorted(table.items()))}

    # Every candidate pair by truth: the rate of each first-pass level among
    # matches and non-matches, and the log2 ratio a learned weight would approach.
    rates: dict[str, Counter[str]] = {"match": Counter(), "non-match": Counter()}
    kept_rates: dict[str, Counter[str]] = {"match": Counter(), "non-match": Counter()}
    for (a, b), w in weights.items():
        one = person.get(a) is not None and person.get(a) == person.get(b)
        side = "match" if one else "non-match"
        level = _co_level(a, b, co, owner)
        rates[side][level] += 1
        if w >= limits.keep:
            kept_rates[side][level] += 1

    on_kept = _ratio(kept_rates["match"], kept_rates["non-match"])
    true_groups: dict[str, list[str]] = defaultdict(list)
    for rid, t in person.items():
        true_groups[t].append(rid)
    missed = [
        (a, b) for members in true_groups.values()
        for a, b in itertools.combinations(sorted(members), 2) if owner[a] != owner[b]
    ]  # fmt: skip
    missed_candidates = [p for p in missed if p in weights]
    # Wrong links: stored links at or above the merge line between two true
    # persons inside a resolved person holding two true V-numbers.
    wrong: list[Pair] = []
    bridges: list[Pair] = []
    bridge_sides: list[tuple[list[str], list[str]]] = []
    for members in run.clusters:
        if len({run.true_v.get(person.get(m, "")) for m in members} - {None}) < 2:
            continue
        inside = [
            (p, link) for p in itertools.combinations(sorted(members), 2)
            if person.get(p[0]) != person.get(p[1]) and (link := run.kept.get(p)) is not None
        ]  # fmt: skip
        wrong.extend(p for p, link in inside if link >= limits.merge)
        if inside:
            a, b = max(inside, key=lambda x: x[1])[0]
            bridges.append((a, b))
            bridge_sides.append((
                [m for m in members if person.get(m) == person.get(a)],
                [m for m in members if person.get(m) == person.get(b)],
            ))  # fmt: skip
    # What a learned weight could do (crude: the pair alone, not the average
    # across groups): missed pairs that the agree weight lifts over the merge
    # line, wrong links that the disagree weight drops below it.
    lift = on_kept["agree"]["log2_m_over_u"]
    drop = on_kept["disagree"]["log2_m_over_u"]
    lifted = sum(
        1 for p in missed_candidates
        if _co_level(*p, co, owner) == "agree" and weights[p] < limits.merge <= weights[p] + lift
    )  # fmt: skip
    dropped = sum(
        1 for p in bridges
        if _co_level(*p, co, owner) == "disagree" and weights[p] + drop < limits.merge
    )  # fmt: skip
    agree_missed = Counter(
        _wbin(weights[p]) for p in missed_candidates if _co_level(*p, co, owner) == "agree"
    )
    # What a learned weight could do: each pair's weight plus the level's
    # log2 m/u counted against the truth, then clustered again. Either
    # conditional on being a candidate (or a stored link), or what
    # Fellegi-Sunter would learn Fellegi-Sunter would learn, assuming the level independent of
    # the other comparisons: u among random pairs (as ``train`` counts it), m
    # among true pairs or among the pairs sharing a V-number (a training session).
    rng = random.Random(0)
    ids = [r.id for r in run.records]
    drawn = (rng.sample(ids, 2) for _ in range(30_000))
    randoms: Counter[str] = Counter(_co_level(a, b, co, owner) for a, b in drawn)
    by_v: dict[str, list[str]] = defaultdict(list)
    for r in run.records:
        if r.v_number:
            by_v[r.v_number].append(r.id)
    sharing: Counter[str] = Counter(
        _co_level(a, b, co, owner) for ms in by_v.values()
        for a, b in itertools.combinations(ms, 2) if a.rsplit("|", 2)[0] != b.rsplit("|", 2)[0]
    )  # fmt: skip
    conditional = _ratio(rates["match"], rates["non-match"])
    fs = _ratio(rates["match"], randoms)
    bits = {lv: fs[lv]["log2_m_over_u"] for lv in fs}
    variants = {
        "conditional on candidates, all levels": {
            lv: conditional[lv]["log2_m_over_u"] for lv in fs
        },
        "conditional on stored links, all levels": {lv: on_kept[lv]["log2_m_over_u"] for lv in fs},
        "fs, all levels": bits,
        "fs, agree only": {**bits, "disagree": 0.0, "none": 0.0},
        "fs, disagree only": {**bits, "agree": 0.0, "none": 0.0},
    }
    second = {name: _second_pass(run, b, co, owner) for name, b in variants.items()}
    return {
        "persons": persons,
        "mentions": len(run.records),
        "first_pass": _figures(run.clusters, run),
        "second_pass": second,
        "missed_candidates_first_pass_agree_by_weight": dict(sorted(agree_missed.items())),
        "mentions_with_co_mentions": len(co),
        "missed_true_pairs": levels(missed),
        "missed_true_candidate_pairs": levels(missed_candidates),
        "wrong_links_at_merge_in_mixed_persons": levels(wrong),
        "strongest_wrong_link_per_mixed_person": levels(bridges),
        "wrong_links_by_roles": _roles(wrong),
        "missed_candidates_first_pass_agree_by_roles": _roles(
            [p for p in missed_candidates if _co_level(*p, co, owner) == "agree"]
        ),
        "missed_true_candidate_pairs_cluster_level": grouped(
            [(run.clusters[index[a]], run.clusters[index[b]]) for a, b in missed_candidates]
        ),
        "mixed_persons_true_parts_cluster_level": grouped(bridge_sides),
        "first_pass_level_among_candidates": conditional,
        "first_pass_level_among_kept_links": on_kept,
        "fs_true_pairs_vs_random_pairs": fs,
        "fs_pairs_sharing_v_number_vs_random_pairs": _ratio(sharing, randoms),
        "missed_candidates_lifted_over_merge_by_agree": lifted,
        "bridges_dropped_below_merge_by_disagree": dropped,
    }


def _ratio(m: Counter[str], u: Counter[str]) -> dict[str, Any]:
    """Each level's count among matches ``m`` and non-matches ``u``, and log2 m/u."""
    tm, tu = sum(m.values()) or 1, sum(u.values()) or 1
    return {
        lv: {"match": m[lv], "non-match": u[lv],
             "log2_m_over_u": round(math.log2(((m[lv] + 1) / tm) / ((u[lv] + 1) / tu)), 2)}
        for lv in ("agree", "disagree", "none")
    }  # fmt: skip


def _roles(pairs: list[Pair]) -> dict[str, int]:
    """How many pairs join mentions of each kind (source and role: ``kmar subject``)."""
    kinds = Counter(" + ".join(sorted(" ".join(m.split("|")[::2][:2]) for m in p)) for p in pairs)
    return dict(kinds.most_common(8))


def _second_pass(
    run: Resolved,
    bits: Mapping[str, float],
    co: Mapping[str, list[str]],
    owner: Mapping[str, object],
) -> dict[str, Any]:
    adjusted = {p: w + bits[_co_level(*p, co, owner)] for p, w in run.weights.items()}
    kept = {p: w for p, w in adjusted.items() if w >= run.limits.keep}
    clusters = cluster(run.records, kept, run.scorer, thresholds=run.limits, scored=adjusted)
    return {"level_bits": dict(bits), **_figures(clusters, run)}


def _figures(clusters: list[list[str]], run: Resolved) -> dict[str, Any]:
    """Pairwise precision, recall, F1 and persons holding two true V-numbers, as er_bench."""
    true_groups: dict[str, list[str]] = defaultdict(list)
    found: list[list[str]] = []
    mixed = 0
    for members in clusters:
        labelled = [m for m in members if m in run.person]
        found.append(labelled)
        for m in labelled:
            true_groups[run.person[m]].append(m)
        mixed += len({run.true_v.get(run.person[m]) for m in labelled} - {None}) > 1
    return {**quality(pairwise(found), pairwise(true_groups.values())), "mixed_persons": mixed}


def _bin(n: int) -> str:
    return "<=30" if n <= 30 else "31-500" if n <= 500 else ">500"


def _wbin(w: float) -> str:
    return f"[{int(w // 2) * 2},{int(w // 2) * 2 + 2})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("persons", type=int, nargs="?", default=20_000)
    parser.add_argument(
        "--relational", action="store_true", help="co-mentioned persons as evidence (issue 25)"
    )
    args = parser.parse_args()
    found = relational(args.persons) if args.relational else analyse(args.persons)
    print(json.dumps(found, indent=1, default=str))


if __name__ == "__main__":
    main()
