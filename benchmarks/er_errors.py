"""Where entity resolution loses recall and precision, counted on a generated corpus.

    python benchmarks/er_errors.py [PERSONS]   (default 20,000; seed 2 as ``er_bench --scale``)

Runs the pure pipeline as ``er_bench --scale`` does and sorts its errors:

- every missed true pair: was it a candidate at all (and if not, did the two
  share a blocking key whose block was too big), its weight against the
  merge line, and what stopped the merge at or above it (a constraint, a
  veto, the average across the two groups, the rivals test);
- the ceiling: true pairs where one of the two mentions scores at least as
  high with a mention of another person (a namesake as alike as the truth);
- every resolved person holding two true V-numbers: the strongest link that
  joins two true persons in it, whether its ends carry a V-number, and the
  comparison levels of that link.

Printed as counts (JSON), for deciding what to fix, not as a test.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.er_bench import _mention_records, _true_person, _truth_labels  # noqa: E402
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
            elif (avg := self.average(cx, cy)) is None:
                self.outcome[(a, b)] = "veto"
            elif avg < self.line(cx, cy):  # type: ignore[operator]
                self.outcome[(a, b)] = "average below line"
        result = super().attempt(a, b)
        if result == "waiting":
            self.outcome[(a, b)] = "rivals"
        return result


def _block_keys(r: Record) -> dict[str, set[str]]:
    return {f"{i}": {f"{i}:{k}" for k in rule(r)} for i, rule in enumerate(PERSON_RULES)}


def analyse(persons: int) -> dict[str, Any]:
    records, person, true_v = corpus(persons)
    by_id = {r.id: r for r in records}
    pairs = sorted(candidate_pairs(records, PERSON_RULES))
    gamma = vectors(pairs, by_id, PERSON)
    model = train(
        records, PERSON, PERSON_RULES, PERSON_TRAINING, pairs=pairs, gamma=gamma,
        identifier=person_identifier,
    )  # fmt: skip
    scorer = Scorer(model, PERSON)
    weights = score(pairs, by_id, scorer, gamma)
    limits = Thresholds()
    kept = {p: w for p, w in weights.items() if w >= limits.keep}
    traced: dict[Pair, str] = {}
    original = clustering._Agglomeration

    class Recording(_Traced):
        def run(self) -> list[list[str]]:
            out = super().run()
            traced.update(getattr(self, "outcome", {}))
            return out

    clustering._Agglomeration = Recording  # type: ignore[misc]
    try:
        clusters = cluster(records, kept, scorer, thresholds=limits, scored=weights)
    finally:
        clustering._Agglomeration = original  # type: ignore[misc]
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
            w = kept.get((a, b))
            if w is not None and (best is None or w > best[0]):
                best = (w, (a, b))
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
        "prior_bits": round(model.prior_weight, 2),
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


def _bin(n: int) -> str:
    return "<=30" if n <= 30 else "31-500" if n <= 500 else ">500"


def _wbin(w: float) -> str:
    return f"[{int(w // 2) * 2},{int(w // 2) * 2 + 2})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("persons", type=int, nargs="?", default=20_000)
    args = parser.parse_args()
    print(json.dumps(analyse(args.persons), indent=1, default=str))


if __name__ == "__main__":
    main()
