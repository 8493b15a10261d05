"""Roles benchmark: do the workbench's organisers and brokers find the known leaders?

    python benchmarks/roles_bench.py [--networks DIR] [--network NAME ...] [--persons N]
                                     [--only covert|corpus] [--workdir DIR]

- **Covert networks with known roles** (public data, never in this repository):
  each ``DIR/NAME/`` holds ``edges.csv`` or CAVIAR's ``phase*.csv`` and
  ``roles.csv`` (``workbench/generate/covert.py`` describes the files).
  ``DIR`` is ``--networks``, else ``$WORKBENCH_NETWORKS``, else
  ``../shared/networks``; the networks are ``--network`` (default ``caviar``
  and ``montagna``, plus any other directory there). Each is written as police
  tap reports, loaded, resolved and detected like any export; then: the share
  of leaders and of members the workbench labels organiser or broker (over
  all of them, and over those it placed in a cluster), the same with the
  roles from in-cluster betweenness only (the stored ``centrality`` >= 0.25,
  the rule before the wider network), and the ceiling: the share plain
  betweenness on the true graph puts in its top tenth. Targets: leaders
  labelled at least as often as the ceiling, and more often than members.
  A network whose files are missing says which files it expects and where,
  and makes the exit status 1; the others still run.
- **Generated corpus**: planted organisers (smugglers and recruiters, the
  ``smokkelaar`` and ``ronselaar`` of truth.json) labelled organiser or broker
  (target >= 0.9), after ``workbench.resolve`` and the default detection run.

``--covert-like`` adds a generated covert-shaped network (the tests' one).
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

import igraph as ig

from workbench.config import Settings
from workbench.detect import DetectionParams, detect
from workbench.detect.results import latest_run
from workbench.generate.covert import (
    CovertNetwork,
    NetworkFilesMissing,
    covert_like,
    read_network,
    write_police_export,
)
from workbench.ingest import ingest
from workbench.resolve import resolve
from workbench.store import GraphStore, open_store

log = logging.getLogger("roles_bench")
DEFAULT_NETWORKS = ("caviar", "montagna")
LABELLED = ("organiser", "broker")
OLD_BRIDGING = 0.25  # the in-cluster rule: organiser or broker needed this betweenness
ORGANISER_ROLES = ("smokkelaar", "ronselaar")


def _print(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def networks_dir(given: Path | None) -> Path:
    """``--networks``, else ``$WORKBENCH_NETWORKS``, else ``../shared/networks``."""
    if given is not None:
        return given
    env = os.environ.get("WORKBENCH_NETWORKS")
    return Path(env) if env else Path("..") / "shared" / "networks"


def true_ranks(network: CovertNetwork) -> dict[str, int]:
    """Each node's rank by plain betweenness on the true (unweighted) graph, 1 = highest."""
    nodes = network.nodes
    index = {n: i for i, n in enumerate(nodes)}
    pairs = {(min(index[a], index[b]), max(index[a], index[b])) for a, b, *_ in network.edges}
    values = ig.Graph(n=len(nodes), edges=sorted(pairs)).betweenness(directed=False)
    order = sorted(range(len(nodes)), key=lambda v: (-values[v], v))
    return {nodes[v]: i + 1 for i, v in enumerate(order)}


def true_top(network: CovertNetwork, share: float = 0.1) -> set[str]:
    """The top ``share`` of nodes by plain betweenness on the true graph."""
    cut = math.ceil(share * len(network.nodes))
    return {n for n, rank in true_ranks(network).items() if rank <= cut}


def detected_roles(
    store: GraphStore, subject_of: Mapping[str, str]
) -> dict[str, tuple[str, float]]:
    """Each node's role and in-cluster centrality in the latest run (nodes in no cluster
    are absent). A Person stands for the node most of its mentions are the subject of."""
    with store.reader():
        run = latest_run(store)
        assert run is not None
        clusters = [c.id for c in store.find_nodes("Cluster", {"run_id": run.props["run_id"]})]
        member_of = store.find_edges("MEMBER_OF", dst=clusters) if clusters else []
        subjects = store.find_edges("SUBJECT")
        resolved = {e.src: e.dst for e in store.find_edges("RESOLVED_TO")}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for e in subjects:
        record_id = e.src.partition("|")[2]
        node = subject_of.get(record_id)
        if node is not None and e.dst in resolved:
            votes[resolved[e.dst]][node] += 1
    node_of = {person: c.most_common(1)[0][0] for person, c in votes.items()}
    return {
        node_of[e.src]: (str(e.props.get("role")), float(e.props.get("centrality") or 0.0))
        for e in member_of
        if e.src in node_of
    }


def figures(network: CovertNetwork, roles: Mapping[str, tuple[str, float]]) -> dict[str, Any]:
    """Shares of leaders and members labelled organiser or broker, against the ceiling."""
    top = true_top(network)
    out: dict[str, Any] = {"nodes": len(network.nodes), "top_tenth": len(top)}
    for kind in ("leader", "member"):
        group = [n for n, r in network.roles.items() if r == kind and n in set(network.nodes)]
        placed = [n for n in group if n in roles]
        new = [n for n in placed if roles[n][0] in LABELLED]
        old = [n for n in placed if roles[n][1] >= OLD_BRIDGING]
        out[kind] = {
            "count": len(group),
            "placed": len(placed),
            "labelled": len(new) / len(group) if group else 0.0,
            "labelled_of_placed": len(new) / len(placed) if placed else 0.0,
            "in_cluster_only": len(old) / len(group) if group else 0.0,
            "in_cluster_only_of_placed": len(old) / len(placed) if placed else 0.0,
            "ceiling_top_tenth": sum(n in top for n in group) / len(group) if group else 0.0,
            "median_true_rank": _median_rank(network, group),
        }
    leaders, members = out["leader"], out["member"]
    out["targets"] = {
        "leaders_at_least_ceiling": leaders["labelled"] >= leaders["ceiling_top_tenth"],
        "leaders_above_members": leaders["labelled"] > members["labelled"],
    }
    return out


def _median_rank(network: CovertNetwork, group: list[str]) -> float:
    rank = true_ranks(network)
    return statistics.median(rank[n] for n in group) if group else 0.0


def run_network(
    network: CovertNetwork, workdir: Path, params: DetectionParams | None = None
) -> dict[str, Any]:
    """Export, load, resolve, detect; the figures of :func:`figures` plus timings."""
    shutil.rmtree(workdir, ignore_errors=True)
    exports = workdir / "exports"
    subject_of = write_police_export(network, exports)
    store = open_store(Settings.from_env(workdir / "store"))
    try:
        t0 = time.perf_counter()
        ingest(store, sorted(exports.iterdir()), operator="bench")
        resolve(store)
        report = detect(store, params or DetectionParams())
        found = figures(network, detected_roles(store, subject_of))
        found["clusters"] = report.clusters
        found["wider_networks"] = report.input_counts.get("wider_networks")
        found["seconds"] = round(time.perf_counter() - t0, 1)
        found["records"] = len(subject_of)
    finally:
        store.close()
    return found


def _report(name: str, f: dict[str, Any]) -> None:
    ld, mb = f["leader"], f["member"]
    _print(
        f"{name}: {f['nodes']} nodes, {f['records']} tap reports -> {f['clusters']} clusters, "
        f"{f['wider_networks']} wider networks ({f['seconds']} s)\n"
        f"  leaders {ld['count']} (placed {ld['placed']}, median true betweenness rank "
        f"{ld['median_true_rank']:g}), members {mb['count']} (placed {mb['placed']}, median "
        f"rank {mb['median_true_rank']:g})\n"
        f"  labelled organiser/broker: leaders {ld['labelled']:.2f} "
        f"({ld['labelled_of_placed']:.2f} of placed), members {mb['labelled']:.2f} "
        f"({mb['labelled_of_placed']:.2f} of placed)\n"
        f"  in-cluster betweenness only (before): leaders {ld['in_cluster_only']:.2f} "
        f"({ld['in_cluster_only_of_placed']:.2f} of placed), members {mb['in_cluster_only']:.2f} "
        f"({mb['in_cluster_only_of_placed']:.2f} of placed)\n"
        f"  ceiling, plain betweenness top tenth of the true graph: leaders "
        f"{ld['ceiling_top_tenth']:.2f}, members {mb['ceiling_top_tenth']:.2f}\n"
        f"  targets: {f['targets']}"
    )


def covert_section(
    root: Path, names: list[str], workdir: Path, extra: bool, params: DetectionParams
) -> int:
    """Each network's figures; 1 when a network's files are missing (the others still run)."""
    _print(f"\n== covert networks with known roles (from {root.resolve()}) ==")
    found = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    status = 0
    for name in dict.fromkeys([*names, *found]):
        try:
            network = read_network(root / name)
        except NetworkFilesMissing as exc:
            _print(f"{name}: MISSING - {exc}")
            status = 1
            continue
        _report(name, run_network(network, workdir / name, params))
    if extra:
        for seed in (1, 2, 3):
            net = covert_like(seed=seed)
            _report(f"covert-like seed {seed} (generated)",
                    run_network(net, workdir / f"covert-like-{seed}", params))  # fmt: skip
    return status


def corpus_section(persons: int, workdir: Path, params: DetectionParams) -> None:
    """Planted organisers of a generated corpus labelled organiser or broker (target >= 0.9)."""
    from detect_bench import _copy, _loaded

    _print(f"\n== planted organisers, generated corpus of {persons:,} persons ==")
    home, truth = _loaded(workdir, persons)
    store = _copy(home, workdir / "roles-resolved")
    try:
        t0 = time.perf_counter()
        resolve(store)
        report = detect(store, params)
        _print(
            f"{report.clusters} clusters, {report.input_counts.get('wider_networks')} wider "
            f"networks, resolve + detect in {time.perf_counter() - t0:.0f} s"
        )
        corpus_figures(store, truth)
    finally:
        store.close()


def corpus_figures(store: GraphStore, truth: dict[str, Any]) -> None:
    """Print the shares of the latest run: planted organisers, their helpers, their clients,
    labelled organiser or broker now and by in-cluster betweenness alone (before)."""
    from detect_bench import _identities

    entity_truth, _ = _identities(store, truth)
    with store.reader():
        run = latest_run(store)
        assert run is not None
        clusters = [c.id for c in store.find_nodes("Cluster", {"run_id": run.props["run_id"]})]
        member_of = store.find_edges("MEMBER_OF", dst=clusters)
    now: dict[str, list[bool]] = defaultdict(list)
    before: dict[str, list[bool]] = defaultdict(list)
    for e in member_of:
        who = entity_truth.get(e.src, e.src)
        now[who].append(str(e.props.get("role")) in LABELLED)
        before[who].append(float(e.props.get("centrality") or 0.0) >= OLD_BRIDGING)
    facilitators = truth["facilitators"]
    clients = sorted({p for n in truth["networks"] for p in n["members"]})
    groups = (
        ("planted organisers (smokkelaar, ronselaar)",
         [f for f, v in facilitators.items() if v["role"] in ORGANISER_ROLES]),
        ("their couriers and drivers (geldkoerier, chauffeur)",
         [f for f, v in facilitators.items() if v["role"] in ("geldkoerier", "chauffeur")]),
        ("planted clients and victims", clients),
    )  # fmt: skip
    for label, group in groups:
        placed = [f for f in group if f in now]
        hit = sum(any(now[f]) for f in placed)
        old = sum(any(before[f]) for f in placed)
        _print(
            f"  {label}: {len(group)}, in a cluster {len(placed)}; labelled organiser or broker "
            f"{hit / max(1, len(group)):.3f} ({hit / max(1, len(placed)):.3f} of those in a "
            f"cluster); in-cluster betweenness only (before) {old / max(1, len(group)):.3f}"
        )
    counts = Counter(str(e.props.get("role")) for e in member_of)
    _print(f"  roles over all cluster members: {dict(sorted(counts.items()))}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--networks", type=Path, help="directory of networks (see above)")
    parser.add_argument("--network", action="append", help="a network's directory name")
    parser.add_argument("--covert-like", action="store_true", help="add a generated network")
    parser.add_argument("--persons", type=int, default=5_000, help="generated corpus size")
    parser.add_argument("--only", choices=("covert", "corpus"), action="append")
    parser.add_argument("--workdir", type=Path, help="keep the stores here")
    parser.add_argument(
        "--tie", type=float, help="tie weight of wider networks (default: the run's)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    only = set(args.only or ("covert", "corpus"))
    work = args.workdir or Path(tempfile.mkdtemp(prefix="roles-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    status = 0
    params = DetectionParams(tie=args.tie) if args.tie is not None else DetectionParams()
    try:
        if "covert" in only:
            names = args.network or list(DEFAULT_NETWORKS)
            status = covert_section(
                networks_dir(args.networks), names, work, args.covert_like, params
            )
        if "corpus" in only:
            corpus_section(args.persons, work, params)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
