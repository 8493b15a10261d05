"""Store benchmark: bulk upsert throughput and neighbourhood latency.

Run: ``.venv/bin/python benchmarks/store_bench.py [--backend embedded|neo4j]``.
Builds 100k nodes (95k person mentions, 5k phones) and 300k HAS_PHONE edges,
so a phone's 2-hop neighbourhood holds about 200 nodes, then prints:
bulk upsert nodes/s and edges/s, a no-op re-upsert (idempotency cost), and
2-hop neighbourhood latency (median and p95) inside an open reader and cold
(open + lock + query), the way the UI and the CLI see it.
Targets (issue 3): >= 50k nodes/s bulk upsert; < 5 ms for a 2-hop
neighbourhood of 200 nodes.

Each figure is printed as wall-clock time and as CPU time of this process
(``time.process_time``, all threads): on a machine shared with other work,
wall-clock time measures the neighbours as much as the store.

The first write in a process pays one-off costs that are not throughput,
mostly pyarrow importing pandas on its first ``pa.array`` (0.2-0.3 s: it asks
whether its input is a pandas object). The bench first writes one node into
a throwaway store and prints that cost on its own line, so the bulk figures
are throughput; a CLI load pays the first-write cost once on top of them.
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from tests.conftest import make_store

log = logging.getLogger("store_bench")
PERSONS, PHONES, EDGES = 95_000, 5_000, 300_000
SEEDS = 1000  # neighbourhoods timed: enough for a median that the machine's jitter moves little


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
        warm_up = make_store(args.backend, Path(tmp) / "warm-up")
        with timed() as t_first, warm_up.writer() as w:
            w.upsert_nodes("Phone", [{"e164": "+31600000000", "signals": ["Signal:bench"]}])
        warm_up.close()
        store = make_store(args.backend, Path(tmp) / "home")
        with timed() as t_nodes, store.writer() as w:
            w.upsert_nodes("PersonMention", people)
            w.upsert_nodes("Phone", phones)
        with timed() as t_edges, store.writer() as w:
            w.upsert_edges("HAS_PHONE", edges)
        with timed() as t_again, store.writer() as w:
            w.upsert_nodes("PersonMention", people)
            w.upsert_nodes("Phone", phones)
            w.upsert_edges("HAS_PHONE", edges)

        seeds = [f"Phone:+3161{rng.randrange(PHONES):07d}" for _ in range(SEEDS)]
        warm: list[Timing] = []
        sizes = []
        with store.reader():
            for seed in seeds:
                with timed() as t:
                    sub = store.neighbourhood([seed], depth=2, limit=200)
                warm.append(t)
                sizes.append(len(sub.nodes))
        cold: list[Timing] = []
        for seed in seeds[:50]:
            with timed() as t:
                store.neighbourhood([seed], depth=2, limit=200)
            cold.append(t)
        store.close()

    n_nodes = PERSONS + PHONES
    print(f"backend: {args.backend}")
    print(f"first write in this process (1 node, one-off imports; not in the rates): {t_first}")
    print(f"bulk upsert nodes: {n_nodes:,} in {t_nodes}: {rates(n_nodes, t_nodes)} nodes/s")
    print(f"bulk upsert edges: {EDGES:,} in {t_edges}: {rates(EDGES, t_edges)} edges/s")
    print(f"re-upsert of everything (no change): {t_again}")
    mean = statistics.mean(sizes)
    print(f"2-hop neighbourhood of {SEEDS} phones, {mean:.0f} nodes on average (cap 200):")
    print(f"  in an open reader: {latency(warm)}")
    print(f"  cold (lock + open + query): {latency(cold)}")


class Timing:
    """Wall-clock and CPU seconds of one measured block."""

    wall = cpu = 0.0

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (CPU {self.cpu:.2f} s)"


@contextmanager
def timed() -> Iterator[Timing]:
    t = Timing()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield t
    finally:
        t.wall, t.cpu = time.perf_counter() - wall, time.process_time() - cpu


def rates(n: int, t: Timing) -> str:
    return f"{n / t.wall:,.0f} (CPU: {n / t.cpu:,.0f})"


def latency(ts: list[Timing]) -> str:
    def ms(xs: list[float], q: int) -> float:
        return 1000 * statistics.quantiles(xs, n=100)[q - 1]

    walls, cpus = [t.wall for t in ts], [t.cpu for t in ts]
    return (
        f"median {ms(walls, 50):.1f} ms, p95 {ms(walls, 95):.1f} ms "
        f"(CPU: median {ms(cpus, 50):.1f} ms, p95 {ms(cpus, 95):.1f} ms)"
    )


if __name__ == "__main__":
    main()
