"""Concurrency benchmark: four readers in a loop while a full pipeline writes (issue 21).

Run: ``.venv/bin/python benchmarks/concurrency_bench.py --persons 80000`` (minutes to
an hour). It generates a corpus, creates an empty store, starts four reader
processes that call the query layer as the UI pages do (search, person page,
cluster page, network), and runs the pipeline in the CLI: load, resolve,
detect, then ``resolve --full`` and ``detect`` again over the full store.
It prints each stage's time, the readers' latency p50 / p95 / max, how many
calls failed with ``StoreBusy`` and every half-written thing a reader saw (a
person without mentions, a cluster without members). Target (issue 21): max
<= 2 s, no StoreBusy, nothing half-written.

``--direct-rows N`` sets ``WORKBENCH_DIRECT_ROWS`` for the writers: a huge
value writes every run directly in one unit, as before ADR 0016, for a
side-by-side figure.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

from graph_schema.model import model
from workbench.config import Settings
from workbench.query import QueryError, Session, cluster, ego, entity, list_clusters, search
from workbench.security import cli_session
from workbench.store import StoreBusy, StoreError, embedded, open_store, staging

BIN = Path(sys.executable).parent
READERS = ("search", "person", "cluster", "network")
WORD = "mohammed"  # a name common in the generated corpora


def _timing_locks(waits: list[float]) -> None:
    """Record how long each of this process's store locks took to get (the reader's wait)."""
    original = vars(embedded)["locked"]

    @contextlib.contextmanager
    def timed_lock(path: Path, **kwargs: Any) -> Iterator[None]:
        start = time.perf_counter()
        with original(path, **kwargs):
            waits.append(time.perf_counter() - start)
            yield

    vars(embedded)["locked"] = timed_lock


def reader(home: Path, kind: str, stop: Path, out: Path) -> None:
    """Call one page's query-layer functions in a loop until ``stop`` exists."""
    waits: list[float] = []
    _timing_locks(waits)
    settings = Settings.from_env(home)
    store = open_store(settings)

    def session() -> Session:
        return Session(store, cli_session(settings, None, store=store).policy, lambda a, d: None)

    times: list[float] = []
    busy = errors = gone = 0
    half: list[str] = []

    def timed(call: Callable[[], Any]) -> Any:
        nonlocal busy, errors, gone
        start = time.perf_counter()
        try:
            return call()
        except StoreBusy:
            busy += 1
        except QueryError:  # a person or cluster a newly published run replaced
            gone += 1
        except StoreError as exc:  # e.g. the store not created yet
            errors += 1
            print(f"{kind}: {exc}", file=sys.stderr)
        finally:
            times.append(time.perf_counter() - start)
        return None

    def page(function: Callable[..., Any], target: Any) -> Any:
        return timed(lambda: function(session(), target))

    def person() -> str | None:
        hits = timed(lambda: search(session(), WORD, kinds=["persons"], limit=5)) or []
        return next((h.id for h in hits if h.label == "Person"), None)

    while not stop.exists():
        if kind == "search":
            timed(lambda: search(session(), WORD))
        elif kind == "cluster":
            found = timed(lambda: list_clusters(session(), limit=25))
            rows = found[1] if found else []
            half += [f"cluster {r.id} listed without members" for r in rows if not r.members]
            if rows:
                view = page(cluster, rows[0].id)
                if view is not None and not view.members:
                    half.append(f"cluster {rows[0].id} without members")
        else:
            pid = person()
            if pid is None:
                time.sleep(0.05)
                continue
            if kind == "person":
                view = page(entity, pid)
                if view is not None and not view.mentions:
                    half.append(f"person {pid} without mentions")
            else:
                page(ego, [pid])
    out.write_text(
        json.dumps(
            {
                "times": times,
                "waits": waits,
                "busy": busy,
                "errors": errors,
                "gone": gone,
                "half": half,
            }
        )
    )


def unit_costs(home: Path) -> dict[str, float]:
    """What a unit of work costs on this store: the figures behind ``WORKBENCH_DIRECT_ROWS``.

    A unit's fixed cost (open, an empty transaction, commit, close), a unit
    writing ``n`` new nodes (then deleting them), and staging a copy of the
    store (what a big run pays before it writes).
    """
    store = embedded.EmbeddedStore(home, model())
    out: dict[str, float] = {"database_mb": (home / staging.GRAPH).stat().st_size / 1e6}

    def seconds(work: Callable[[], Any], repeat: int = 5) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    def empty_unit() -> None:
        with store.writer():
            pass

    out["unit_fixed_s"] = seconds(empty_unit)
    for n in (500, 2000, 8000):
        ids = [f"+3169{i:07d}" for i in range(n)]

        def write(ids: list[str] = ids) -> None:
            with store.writer() as w:
                w.upsert_nodes("Phone", [{"e164": e, "signals": ["bench"]} for e in ids])
            with store.writer() as w:
                w.delete_nodes([f"Phone:{e}" for e in ids])

        out[f"unit_{n}_nodes_s"] = seconds(write, 3) / 2  # the write's unit and the delete's
    out["stage_copy_s"] = seconds(lambda: staging.copy_store(home), 3)
    shutil.rmtree(staging.stage_dir(home))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=80000, help="persons to generate")
    parser.add_argument("--home", type=Path, help="where to build (default /tmp/...)")
    parser.add_argument("--direct-rows", type=int, help="WORKBENCH_DIRECT_ROWS for writers")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--costs", action="store_true", help="only measure unit costs in --home")
    parser.add_argument("--reader", choices=READERS, help=argparse.SUPPRESS)
    parser.add_argument("--stop", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    home = args.home or Path(f"/tmp/concurrency-bench-{args.persons}")
    if args.reader:
        reader(home, args.reader, args.stop, args.out)
        return
    if args.costs:
        print(json.dumps(unit_costs(home), indent=2))
        return

    env = {**os.environ, "WORKBENCH_HOME": str(home)}
    if args.direct_rows is not None:
        env["WORKBENCH_DIRECT_ROWS"] = str(args.direct_rows)
    wb = [str(BIN / "workbench"), "--home", str(home)]
    exports = home.parent / f"{home.name}-exports"
    if not exports.exists():
        print(f"generating {args.persons:,} persons in {exports}", flush=True)
        subprocess.run([*wb, "generate", "--out", str(exports), "--persons", str(args.persons),
                        "--seed", "1"], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    if home.exists():
        raise SystemExit(f"{home} exists: the benchmark builds its store from empty")
    subprocess.run([*wb, "status"], check=True, stdout=subprocess.DEVNULL, env=env)
    stop = home / "bench-stop"
    readers = []
    for kind in READERS:
        cmd = [sys.executable, __file__, "--home", str(home), "--reader", kind,
               "--stop", str(stop), "--out", str(home / f"bench-{kind}.json")]  # fmt: skip
        readers.append(subprocess.Popen(cmd, env=env))
    figures: dict[str, Any] = {"persons": args.persons, "direct_rows": args.direct_rows}
    stages = [
        ("load", [str(p) for p in sorted(exports.iterdir()) if p.suffix != ".json"]),
        ("resolve", []),
        ("detect", []),
        ("resolve", ["--full"]),
        ("detect", []),
    ]
    time.sleep(2)  # the readers are reading
    for name, extra in stages:
        start = time.perf_counter()
        subprocess.run([*wb, name, *extra], check=True, stdout=subprocess.DEVNULL, env=env)
        seconds = time.perf_counter() - start
        label = " ".join([name, *(e for e in extra if e.startswith("--"))])
        label += " again" if label in figures else ""
        figures[label] = round(seconds, 1)
        print(f"  {label:15} {seconds:7.1f} s  (load average {os.getloadavg()[0]:.1f})",
              flush=True)  # fmt: skip
    stop.touch()
    for p in readers:
        p.wait(timeout=300)
    print("readers (latency of each query-layer call, during the whole pipeline):")
    for kind in READERS:
        result = json.loads((home / f"bench-{kind}.json").read_text())
        t = sorted(result["times"]) or [0.0]
        row = {
            "calls": len(result["times"]),
            "p50": statistics.median(t),
            "p95": t[int(0.95 * (len(t) - 1))],
            "max": t[-1],
            "lock_wait_max": max(result["waits"], default=0.0),
            "busy": result["busy"],
            "half_written": result["half"],
        }
        figures[kind] = row
        print(f"  {kind:8} {row['calls']:6} calls  p50 {row['p50']:6.3f} s  "
              f"p95 {row['p95']:6.3f} s  max {row['max']:6.3f} s  "
              f"lock wait max {row['lock_wait_max']:6.3f} s  StoreBusy {row['busy']}  "
              f"half-written {len(row['half_written'])}", flush=True)  # fmt: skip
        for what in row["half_written"][:5]:
            print(f"    {what}")
    costs = unit_costs(home)
    figures["unit_costs"] = costs
    print("unit costs on the final store: " + ", ".join(f"{k} {v:.3f}" for k, v in costs.items()))
    figures["load_average"] = os.getloadavg()[0]
    print(f"load average {figures['load_average']:.1f} at the end")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
