"""The learning curve: a simulated analyst judges clusters; does the ranking improve?

    python benchmarks/learning_bench.py [--persons 20000] [--judgements 100] [--workdir DIR]

On a generated corpus (entity resolution by ``workbench.resolve``), the
analyst is simulated with the generator's truth (truth.json):

1. run detection;
2. judge the top 10 clusters not yet judged, in the order of the ranking in
   force: ``confirmed`` when the cluster recovers a planted network (best
   Jaccard >= 0.5, as ``detect_bench.py`` scores), ``partly`` when most of
   its members belong to one planted network but it does not recover it, and
   ``benign`` otherwise (noise, or built around a decoy); a cluster judged
   benign that is formed around a decoy identifier (a lawyer's office, a
   taxi: below the hub cap) gets that identifier marked benign, as the
   cluster page's Suggestions tab proposes;
3. rerun detection (verdicts are inherited along lineage), and repeat to
   ``--judgements``.

After each run it prints, on the clusters *not yet judged* (no verdict of
their own and none inherited): precision@K of the ranking in force and, beside
it, of the hand-set score on the same clusters (what the run would rank
without verdicts), with K the number of planted networks no judged cluster
recovers yet (so precision@K is R-precision: 1.0 means every remaining
network is at the top); precision of the next 10; recall of the remaining
planted networks by unjudged clusters; and the number of clusters formed
around a decoy. Then the benign-mark check: with the hub cap lifted so the
helpdesk line is not left out as a hub, count the clusters formed around it,
mark it benign as an analyst would type it, rerun (target: none), remove the
mark and rerun (they come back). The hub cap is lifted for phones and visitors only
(``hub_sizes``): the helpdesk line then stands for a support line below the cap.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parent))

from detect_bench import HELPDESK_PHONE, _copy, _identities, _loaded, decoy_ids, formed_around

from workbench.detect import DetectionParams, detect
from workbench.detect.benign import add_mark, remove_mark
from workbench.detect.projection import Thing
from workbench.detect.results import latest_run
from workbench.detect.verdicts import record_verdict, verdicts_for
from workbench.resolve import resolve
from workbench.store.base import CypherStore

log = logging.getLogger("learning_bench")
ROUND = 10


def _print(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _resolved(workdir: Path, persons: int) -> tuple[Path, dict[str, Any]]:
    """The generated, loaded and resolved corpus (kept in ``workdir``)."""
    home, truth = _loaded(workdir, persons)
    resolved = workdir / f"resolved{persons}"
    if not (resolved / "RESOLVED").exists():
        t0 = time.perf_counter()
        store = _copy(home, resolved)
        resolve(store)
        store.close()
        (resolved / "RESOLVED").write_text("ok")
        _print(f"entity resolution in {time.perf_counter() - t0:.0f} s")
    return resolved, truth


class Oracle:
    """The generator's truth about clusters: what a perfect analyst would say."""

    def __init__(self, store: CypherStore, truth: dict[str, Any]) -> None:
        self.entity, self.decoys = _identities(store, truth)
        self.decoy_ids = decoy_ids(truth)
        self.planted = {
            n["id"]: set(n["members"]) | set(n["facilitators"]) for n in truth["networks"]
        }

    def members(self, store: CypherStore, clusters: Sequence[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for e in store.find_edges("MEMBER_OF", dst=list(clusters)):
            out[e.dst].add(self.entity.get(e.src, e.src))
        return out

    def recovers(self, members: set[str]) -> str | None:
        """The planted network this cluster recovers (Jaccard >= 0.5), if any."""
        for nid, p in self.planted.items():
            if len(members & p) / len(members | p) >= 0.5:
                return nid
        return None

    def judge(self, members: set[str]) -> str:
        if self.recovers(members):
            return "confirmed"
        share = max((len(members & p) / len(members) for p in self.planted.values()), default=0)
        return "partly" if share >= 0.5 else "benign"

    def around_decoy(self, explanation: Any) -> bool:
        return bool(formed_around(explanation, self.decoy_ids, self.decoys))

    def around_helpdesk(self, explanation: Any) -> bool:
        """Formed around the helpdesk line, or an entity known only through it."""
        return bool(formed_around(explanation, {HELPDESK_PHONE}, self.decoys))

    def decoy_things(self, explanation: Any) -> list[Thing]:
        """The decoy identifiers (helpdesk, office, taxi) a cluster is formed around."""
        return formed_around(explanation, self.decoy_ids)


def _precision(
    ranked: Sequence[str], hits: Mapping[str, str | None], k: int, remaining: set[str]
) -> float:
    """Share of the top ``k`` that recover a planted network still to be found (each once)."""
    if k <= 0:
        return float("nan")
    seen: set[str] = set()
    good = 0
    for c in ranked[:k]:
        nid = hits.get(c)
        if nid in remaining and nid not in seen:
            seen.add(nid)
            good += 1
    return good / k


def _round(store: CypherStore, oracle: Oracle, judged: int) -> tuple[dict[str, Any], list[str]]:
    """Figures of the latest run on unjudged clusters, and those clusters in ranking order."""
    run = latest_run(store)
    assert run is not None
    clusters = store.find_nodes("Cluster", {"run_id": run.props["run_id"]})
    by_id = {c.id: c for c in clusters}
    views = verdicts_for(store, list(by_id))
    members = oracle.members(store, list(by_id))
    hits = {c: oracle.recovers(members[c]) for c in by_id}
    done = {c for c, v in views.items() if v.verdict is not None}
    found = {hits[c] for c in done if hits[c] and views[c].verdict.verdict == "confirmed"}
    remaining = set(oracle.planted) - found
    open_ = [c for c in by_id if c not in done]
    in_force = sorted(open_, key=lambda c: int(by_id[c].props["number"]))
    by_score = sorted(open_, key=lambda c: (-float(by_id[c].props["score"]), c))
    k = len(remaining)
    recalled = {hits[c] for c in open_ if hits[c] in remaining}
    model = run.props.get("model") or {}
    figures = {
        "judged": judged,
        "ranking": model.get("method", "score"),
        "k": k,
        "precision_at_k": _precision(in_force, hits, k, remaining),
        "score_precision_at_k": _precision(by_score, hits, k, remaining),
        "precision_at_10": _precision(in_force, hits, ROUND, remaining),
        "score_precision_at_10": _precision(by_score, hits, ROUND, remaining),
        "recall": len(recalled) / k if k else float("nan"),
        "decoy_clusters": sum(oracle.around_decoy(by_id[c].props["explanation"]) for c in by_id),
        "model": {
            x: model.get(x)
            for x in ("verdicts", "confirmed", "benign_or_partly", "cross_validated", "why")
        },
    }
    return figures, in_force


def learning_curve(store: CypherStore, oracle: Oracle, judgements: int) -> list[dict[str, Any]]:
    """Detect, judge the next 10, rerun, ... : one row of figures per run."""
    rows = []
    judged = 0
    while True:
        t0 = time.perf_counter()
        report = detect(store, DetectionParams())
        figures, ranked = _round(store, oracle, judged)
        figures["seconds"] = round(time.perf_counter() - t0, 1)
        figures["lineage"] = report.lineage
        rows.append(figures)
        _print(
            f"judged {judged:>3}: ranking {figures['ranking']:<7} "
            f"P@K(K={figures['k']}) {figures['precision_at_k']:.3f} "
            f"(hand-set score {figures['score_precision_at_k']:.3f}); "
            f"P@10 {figures['precision_at_10']:.2f} "
            f"(score {figures['score_precision_at_10']:.2f}); "
            f"recall {figures['recall']:.3f}; decoy clusters {figures['decoy_clusters']}; "
            f"run {figures['seconds']} s; model {json.dumps(figures['model'])}"
        )
        if judged >= judgements:
            return rows
        batch = ranked[:ROUND]
        members = oracle.members(store, batch)
        tally: dict[str, int] = defaultdict(int)
        explanations = {c.id: c.props["explanation"] for c in store.get_nodes(batch).values()}
        for c in batch:
            verdict = oracle.judge(members[c])
            tally[verdict] += 1
            record_verdict(
                store, c, verdict, reason="simulated analyst (truth.json)",
                author="bench", organisation="joint",
            )  # fmt: skip
            if verdict == "benign":
                tally["marks"] += _mark_decoys(store, oracle.decoy_things(explanations[c]))
        judged += len(batch)
        log.info("judged %s", dict(tally))


def _mark_decoys(store: CypherStore, things: Sequence[Thing]) -> int:
    """Mark benign, as the analyst does from the cluster's Suggestions tab, the
    decoy identifiers a cluster judged benign is formed around (one already
    marked keeps its mark)."""
    for thing in things:
        add_mark(store, thing.key, label=f"{thing.kind}: {thing.label}",
                 reason="simulated analyst: the cluster around it was judged benign",
                 author="bench", organisation="joint")  # fmt: skip
    return len(things)


def _around_helpdesk(store: CypherStore, oracle: Oracle) -> int:
    run = latest_run(store)
    assert run is not None
    clusters = store.find_nodes("Cluster", {"run_id": run.props["run_id"]})
    return sum(oracle.around_helpdesk(c.props["explanation"]) for c in clusters)


def benign_check(store: CypherStore, oracle: Oracle) -> dict[str, Any]:
    """Clusters around the helpdesk line with no hub cap for phones and visitors; after a
    benign mark; after removing it."""
    params = DetectionParams(hub_sizes={"phone": 100_000, "visitor": 100_000})
    detect(store, params)
    before = _around_helpdesk(store, oracle)
    typed = "020 - 000 0000"  # the helpdesk line as an analyst types it
    add_mark(store, typed, label="juridische helpdesk", reason="support line", author="bench",
             organisation="joint")  # fmt: skip
    marked = detect(store, params)
    after = _around_helpdesk(store, oracle)
    remove_mark(store, typed, reason="benchmark: undo", author="bench")
    detect(store, params)
    back = _around_helpdesk(store, oracle)
    left = [(x["kind"], x["label"], x["members"], x["via"]) for x in marked.benign_left_out]
    _print(
        f"benign mark (hub cap lifted): clusters around the helpdesk line {before} -> "
        f"{after} with the mark (target 0) -> {back} after removing it; left out: {left}"
    )
    return {"before": before, "with_mark": after, "removed": back, "left_out": left}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--judgements", type=int, default=100)
    parser.add_argument("--workdir", type=Path, help="keep the corpus and stores here")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--skip-benign", action="store_true", help="only the learning curve")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="learning-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    resolved, truth = _resolved(work, args.persons)
    _print(f"== learning curve, {args.persons:,} persons, {len(truth['networks'])} planted ==")
    store = _copy(resolved, work / "learning")
    oracle = Oracle(store, truth)
    rows = learning_curve(store, oracle, args.judgements)
    store.close()
    out: dict[str, Any] = {"persons": args.persons, "rounds": rows}
    if not args.skip_benign:
        store = _copy(resolved, work / "benign")
        out["benign"] = benign_check(store, oracle)
        store.close()
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=str), encoding="utf-8")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
