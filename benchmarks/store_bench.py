"""Store benchmark: bulk upsert throughput and neighbourhood latency.

Run: ``.venv/bin/python benchmarks/store_bench.py [--backend embedded|neo4j]``.
Builds 100k nodes (95k person mentions, 5k phones) and 300k HAS_PHONE edges,
so a phone's 2-hop neighbourhood holds about 200 nodes, then prints:
bulk upsert nodes/s and edges/s, a no-op re-upsert (idempotency cost), and
2-hop neighbourhood latency (median and p95) inside an open reader and cold
(open + lock + query), the way the UI and the CLI see it.
Targets (issue 3): >= 50k nodes/s bulk upsert; < 5 ms for a 2-hop
neighbourhood of 200 nodes.
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from tests.conftest import make_store

log = logging.getLogger("store_bench")
PERSONS, PHONES, EDGES = 95_000, 5_000, 300_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="embedded", choices=["embedded", "neo4j"])
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    rng = random.Random(7)
    people = [
        {
            "source": "kmar",
            "record_id": f"KM-{i}",
            "role": "subject",
            "position": 0,
            "name": f"Person {i}",
            "signals": [f"Signal:kmar|KM-{i}"],
        }
        for i in range(PERSONS)
    ]
    phones = [{"e164": f"+3161{i:07d}", "signals": ["Signal:bench"]} for i in range(PHONES)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < EDGES:
        pairs.add((rng.randrange(PERSONS), rng.randrange(PHONES)))
    edges = [
        {
            "src": f"PersonMention:kmar|KM-{p}|subject|0",
            "dst": f"Phone:+3161{f:07d}",
            "signals": [f"Signal:kmar|KM-{p}"],
        }
        for p, f in sorted(pairs)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        store = make_store(args.backend, Path(tmp) / "home")
        t0 = time.perf_counter()
        with store.writer() as w:
            w.upsert_nodes("PersonMention", people)
            w.upsert_nodes("Phone", phones)
        t_nodes = time.perf_counter() - t0
        t0 = time.perf_counter()
        with store.writer() as w:
            w.upsert_edges("HAS_PHONE", edges)
        t_edges = time.perf_counter() - t0
        t0 = time.perf_counter()
        with store.writer() as w:
            w.upsert_nodes("PersonMention", people)
            w.upsert_nodes("Phone", phones)
            w.upsert_edges("HAS_PHONE", edges)
        t_again = time.perf_counter() - t0

        seeds = [f"Phone:+3161{rng.randrange(PHONES):07d}" for _ in range(200)]
        warm, sizes = [], []
        with store.reader():
            for seed in seeds:
                t0 = time.perf_counter()
                sub = store.neighbourhood([seed], depth=2, limit=200)
                warm.append(time.perf_counter() - t0)
                sizes.append(len(sub.nodes))
        cold = []
        for seed in seeds[:50]:
            t0 = time.perf_counter()
            store.neighbourhood([seed], depth=2, limit=200)
            cold.append(time.perf_counter() - t0)
        store.close()

    def ms(xs: list[float], q: float) -> float:
        return 1000 * statistics.quantiles(xs, n=100)[int(q) - 1] if q < 100 else 1000 * max(xs)

    n_nodes = PERSONS + PHONES
    print(f"backend: {args.backend}")
    print(f"bulk upsert nodes: {n_nodes:,} in {t_nodes:.2f} s = {n_nodes / t_nodes:,.0f} nodes/s")
    print(f"bulk upsert edges: {EDGES:,} in {t_edges:.2f} s = {EDGES / t_edges:,.0f} edges/s")
    print(f"re-upsert of everything (no change): {t_again:.2f} s")
    print(f"2-hop neighbourhood, {statistics.mean(sizes):.0f} nodes on average (cap 200):")
    print(f"  in an open reader: median {ms(warm, 50):.1f} ms, p95 {ms(warm, 95):.1f} ms")
    print(f"  cold (lock + open + query): median {ms(cold, 50):.1f} ms, p95 {ms(cold, 95):.1f} ms")


if __name__ == "__main__":
    main()
