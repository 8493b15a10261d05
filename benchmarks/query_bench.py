"""Read-path benchmark: ``persons --json`` and every list page, through the query layer.

Run: ``.venv/bin/python benchmarks/query_bench.py --persons 80000`` (builds a
store: generate, load, resolve, detect; minutes) or ``--home DIR`` for a store
built before (``workbench --home DIR load/resolve/detect``). Targets
(issue 16): ``persons --json`` on 80,000 persons in <= 60 s with its first
output within 5 s; every list the UI shows in <= 1 s at p95.

``persons --json`` runs as the CLI runs it, in a subprocess, as the local
operator and as a partner organisation's analyst; the time to the first
byte and the peak memory (RSS) are read from the process. The pages are
timed as they call the query layer: a fresh policy per call (the UI builds
one per page run), ``--repeat`` calls each, p50 / p95 / max printed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

from workbench.config import Settings
from workbench.query import (
    Session,
    alerts,
    cluster,
    ego,
    entity,
    list_clusters,
    readiness,
    review_queue,
    search,
)
from workbench.query.desk import desk
from workbench.query.rejects import rejects
from workbench.security import cli_session, operator_session
from workbench.security.errors import SecurityError
from workbench.security.manage import add_user
from workbench.store import open_store

BIN = Path(sys.executable).parent
ANALYST = "bench.ind.analyst"  # a partner's view: soft signals of others pseudonymised
PASSWORD = "correct horse battery staple"  # synthetic benchmark account
FIRST_PAGE = 25  # clusters the list page reads at first (ui.views.clusters.LIST_PAGE)
NETWORK_LIMIT = 80  # nodes the network page shows before any expansion (its default)


def build(home: Path, persons: int) -> None:
    """A store of ``persons`` generated persons: generate, load, resolve, detect (timed)."""
    wb = [str(BIN / "workbench"), "--home", str(home)]
    exports = home / "exports"

    def step(name: str, *args: str) -> None:
        start = time.perf_counter()
        subprocess.run([*wb, name, *args], check=True, stdout=subprocess.DEVNULL)
        print(f"  {name:9} {time.perf_counter() - start:7.1f} s", flush=True)

    step("generate", "--out", str(exports), "--persons", str(persons), "--seed", "1")
    step("load", *(str(p) for p in sorted(exports.iterdir()) if p.suffix != ".json"))
    step("resolve")
    step("detect")


def account(home: Path) -> None:
    with contextlib.suppress(SecurityError):  # made by an earlier run
        add_user(operator_session(Settings(home=home)), ANALYST, organisation="ind",
                 role="analyst", password=PASSWORD)  # fmt: skip


def persons_json(home: Path, as_user: str | None) -> dict[str, Any]:
    """``workbench persons --json`` in a subprocess: total, first byte, rows, peak RSS."""
    cmd = [str(BIN / "workbench"), "--home", str(home), "persons", "--json"]
    cmd += ["--as", as_user] if as_user else []
    start = time.perf_counter()
    first = None
    size = 0
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    while chunk := proc.stdout.read1(1 << 16):
        first = first or time.perf_counter() - start
        size += len(chunk)
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak memory
    proc.stdout.close()
    total = time.perf_counter() - start
    assert os.waitstatus_to_exitcode(status) == 0, f"{cmd} failed"
    peak = usage.ru_maxrss / 1024
    return {"seconds": total, "first_output": first, "bytes": size, "peak_rss_mb": peak}


def timings(work: Callable[[], Any], repeat: int) -> dict[str, float]:
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    seconds.sort()
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    return {"p50": statistics.median(seconds), "p95": p95, "max": seconds[-1]}


def pages(home: Path, as_user: str | None, repeat: int) -> dict[str, dict[str, float]]:
    """Each list page's query-layer calls, with a fresh policy per call (as a page run)."""
    settings = Settings(home=home)
    store = open_store(settings)

    def session() -> Session:
        ctx = cli_session(settings, as_user, store=store)
        return Session(store, ctx.policy, lambda action, details: None)

    _, rows = list_clusters(session())
    top = rows[0].id if rows else None
    person = next((m.ref.id for r in rows for m in r.members if m.ref.label == "Person"), None)
    out = {
        "clusters list": timings(lambda: list_clusters(session(), limit=FIRST_PAGE), repeat),
        "alerts": timings(lambda: alerts(session()), repeat),
        "review queue": timings(lambda: review_queue(session(), limit=50), repeat),
        "search 'mohammed'": timings(lambda: search(session(), "mohammed"), repeat),
        "rejects": timings(lambda: rejects(session()), repeat),
    }
    if top is not None:
        out["cluster page"] = timings(lambda: cluster(session(), top), repeat)
    if person is not None:
        out["person page"] = timings(lambda: entity(session(), person), repeat)
        out["network (person, 2 hops)"] = timings(
            lambda: ego(session(), [person], depth=2, limit=NETWORK_LIMIT), repeat
        )
    out["desk"] = timings(lambda: desk(session(), home), repeat)
    out["readiness"] = timings(lambda: readiness(session()), repeat)
    store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="an existing store (else one is built)")
    parser.add_argument("--persons", type=int, default=80000, help="persons to build with")
    parser.add_argument("--repeat", type=int, default=20, help="calls per page")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    home = args.home or Path(f"/tmp/query-bench-{args.persons}")
    if not (home / "graph.lbdb").exists():
        print(f"building a store of {args.persons:,} persons in {home}", flush=True)
        build(home, args.persons)
    account(home)
    status = subprocess.run([str(BIN / "workbench"), "--home", str(home), "status", "--json"],
                            check=True, capture_output=True, text=True)  # fmt: skip
    nodes = json.loads(status.stdout)["nodes"]
    print(f"store {home}: {nodes.get('Person', 0):,} persons, {nodes.get('Signal', 0):,} signals")
    figures: dict[str, Any] = {"persons": nodes.get("Person", 0), "load": os.getloadavg()[0]}
    viewers = (("operator", None), ("ind analyst", ANALYST))
    # The subprocesses first: a child's peak memory counts what it shared with this
    # process when forked, so they run before the pages below fill this one.
    for who, as_user in viewers:
        result = persons_json(home, as_user)
        figures[f"persons --json ({who})"] = result
        print(f"persons --json as {who:11}: {result['seconds']:6.1f} s, first output "
              f"{result['first_output']:.2f} s, {result['bytes'] / 1e6:.1f} MB, "
              f"peak RSS {result['peak_rss_mb']:.0f} MB", flush=True)  # fmt: skip
    for who, as_user in viewers:
        print(f"pages as {who}:")
        for page, t in pages(home, as_user, args.repeat).items():
            figures[f"{page} ({who})"] = t
            print(f"  {page:20} p50 {t['p50']:6.3f} s  p95 {t['p95']:6.3f} s  "
                  f"max {t['max']:6.3f} s", flush=True)  # fmt: skip
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
