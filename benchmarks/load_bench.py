"""Load benchmark: parse + normalise rows/s per format, and end-to-end ingest.

Run: ``.venv/bin/python benchmarks/load_bench.py [--sizes 20000 80000]``.
For each size it generates a corpus, times ``loaders.load`` per file (parse +
normalise + validate, no store) and then the whole ingest into a fresh
embedded store. Targets (issue 4): >= 20,000 rows/s parse + normalise, and a
4x larger input taking <= 4.5x as long.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

import loaders
from tests.conftest import make_store
from workbench.generate import generate
from workbench.ingest import ingest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 80_000])
    args = parser.parse_args()
    totals: dict[int, tuple[float, float]] = {}
    for persons in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "in"
            t0 = time.perf_counter()
            generate(out, persons=persons, seed=1)
            gen = time.perf_counter() - t0
            files = sorted(p for p in out.iterdir() if p.suffix in (".csv", ".jsonl", ".xlsx"))
            print(f"{persons:,} persons (generated in {gen:.1f} s):")
            parse_total, rows_total = 0.0, 0
            for path in files:
                t0 = time.perf_counter()
                result = loaders.load(path)
                dt = time.perf_counter() - t0
                parse_total += dt
                rows_total += result.rows
                print(f"  {path.name:28} {result.rows:>8,} rows  {result.rows / dt:>9,.0f} rows/s")
            print(
                f"  parse + normalise, all files: {rows_total:,} rows in {parse_total:.1f} s "
                f"= {rows_total / parse_total:,.0f} rows/s"
            )
            store = make_store("embedded", Path(tmp) / "home")
            t0 = time.perf_counter()
            report = ingest(store, files)
            end_to_end = time.perf_counter() - t0
            loaded = sum(f.loaded for f in report.files)
            print(
                f"  end to end into the embedded store: {end_to_end:.1f} s "
                f"= {rows_total / end_to_end:,.0f} rows/s ({loaded:,} signals)"
            )
            totals[persons] = (parse_total, end_to_end)
    if len(args.sizes) >= 2:
        small, big = args.sizes[0], args.sizes[-1]
        factor = big / small
        for i, what in enumerate(("parse + normalise", "end to end")):
            ratio = totals[big][i] / totals[small][i]
            print(f"{what}: {factor:.0f}x the input took {ratio:.2f}x as long")


if __name__ == "__main__":
    main()
