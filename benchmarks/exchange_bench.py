"""The exchange's cost on every page: reading releases, checking lapses, listing requests.

Run: ``.venv/bin/python benchmarks/exchange_bench.py [--releases 10000] [--requests 2000]``.

Every page run builds the viewer's policy, which first lapses releases past
their term and then reads the active ones; coordinators also get the count
of waiting requests in the sidebar, and the Requests page lists the queue
and the follow-up figures. This fills a temporary data directory with
``--releases`` active releases (a tenth of them due to lapse on the first
read) and ``--requests`` requests of 1-5 signals each between the four
organisations, and prints the median time of each of those reads over 20
repetitions. No graph store is needed: all of it lives in governance.sqlite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from workbench.security.releases import ReleaseBook
from workbench.security.requests import RequestBook, flows

ORGS = ("politie", "kmar", "ind", "coa")


def median_ms(fn: Callable[[], object], times: int = 20) -> float:
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        spent.append(time.perf_counter() - start)
    return statistics.median(spent) * 1000


def fill(home: Path, releases: int, requests: int, now: dt.datetime) -> None:
    rng = random.Random(7)
    book, asks = ReleaseBook(home, clock=lambda: now), RequestBook(home, clock=lambda: now)
    for n in range(requests):
        owner, requester = rng.sample(ORGS, 2)
        signals = [f"Signal:{owner}|R-{n}-{k}" for k in range(rng.randint(1, 5))]
        made = asks.add(requester=f"{requester}.analyst", requester_org=requester,
                        owner_org=owner, item_id=f"Cluster:R|{n}", purpose="p",
                        ground="vw-107", signals=signals)  # fmt: skip
        if n % 3:
            asks.decide(made.id, approved=signals[: 1 + n % 2], by=f"{owner}.coordinator",
                        reason="r", expires_at=now + dt.timedelta(days=90))  # fmt: skip
    for n in range(releases):
        owner, to = rng.sample(ORGS, 2)
        days = -1 if n % 10 == 0 else 90  # a tenth due to lapse at the first read
        book.add(f"Signal:{owner}|X-{n}", owner=owner, to=to, by="bench",
                 expires_at=now + dt.timedelta(days=days))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2_000)
    args = parser.parse_args()
    now = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        start = time.perf_counter()
        fill(home, args.releases, args.requests, now)
        print(f"filled {args.releases:,} releases, {args.requests:,} requests "
              f"in {time.perf_counter() - start:.1f} s")  # fmt: skip
        book, asks = ReleaseBook(home), RequestBook(home)
        start = time.perf_counter()
        lapsed = book.lapse()
        spent = 1000 * (time.perf_counter() - start)
        print(f"first read lapses {len(lapsed):,} releases: {spent:.1f} ms")
        rows = [
            ("lapse check, nothing due (every page run)", book.lapse),
            ("active releases for the policy (every page run)", book.active),
            ("releases' version (cluster-list cache key)", book.version),
            ("waiting requests of one owner (sidebar count)", lambda: asks.count_open("ind")),
            ("open requests of one owner (the queue)", lambda: asks.rows(status="open",
                                                                        organisation="ind")),
            ("one requester's requests (My requests)", lambda: asks.rows(requester="coa.analyst")),
            ("follow-up figures over all requests", lambda: flows(asks.rows())),
        ]  # fmt: skip
        for name, fn in rows:
            print(f"{name:50s} {median_ms(fn):8.2f} ms")


if __name__ == "__main__":
    main()
