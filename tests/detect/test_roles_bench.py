"""The roles benchmark's harness on a generated covert-shaped network (never fetched data):
the reader's two layouts, the missing-files message, and the pipeline's figures."""

from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from loaders import load
from workbench.generate.covert import (
    NetworkFilesMissing,
    covert_like,
    read_network,
    write_police_export,
)

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks" / "roles_bench.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("roles_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write_roles(directory: Path, roles: dict[str, str]) -> None:
    with (directory / "roles.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["node", "role"])
        w.writerows(sorted(roles.items()))


def test_an_edge_list_and_caviar_phase_matrices_read_the_same(tmp_path: Path) -> None:
    edges, phases = tmp_path / "edges", tmp_path / "phases"
    edges.mkdir()
    phases.mkdir()
    (edges / "edges.csv").write_text("a,b,weight,phase\nn1,n2,2,1\nn2,n3,1,2\nn1,n2,1,2\n")
    (phases / "phase1.csv").write_text(",n1,n2,n3\nn1,0,2,0\nn2,0,0,0\nn3,0,0,0\n")
    (phases / "phase2.csv").write_text(",n1,n2,n3\nn1,0,1,0\nn2,0,0,1\nn3,0,0,0\n")
    for d in (edges, phases):
        _write_roles(d, {"n1": "leader", "n2": "member", "n3": "Member"})
    a, b = read_network(edges), read_network(phases)
    assert sorted(a.edges) == sorted(b.edges) == [
        ("n1", "n2", 1.0, 2), ("n1", "n2", 2.0, 1), ("n2", "n3", 1.0, 2)]  # fmt: skip
    assert a.roles == b.roles == {"n1": "leader", "n2": "member", "n3": "member"}


def test_a_missing_network_says_which_files_it_expects(tmp_path: Path) -> None:
    with pytest.raises(NetworkFilesMissing, match=r"roles\.csv"):
        read_network(tmp_path / "caviar")
    result = subprocess.run(
        [sys.executable, str(BENCH), "--only", "covert", "--networks", str(tmp_path),
         "--network", "caviar"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert "caviar: MISSING" in result.stdout and "edges.csv" in result.stdout


def test_tap_reports_load_as_police_signals_without_rejects(tmp_path: Path) -> None:
    net = covert_like(seed=2)
    subject_of = write_police_export(net, tmp_path)
    [path] = tmp_path.iterdir()
    loaded = load(path)
    assert not loaded.rejects and len(loaded.records) == len(net.edges) == len(subject_of)


def test_the_workbench_labels_the_leaders_of_a_covert_network(tmp_path: Path) -> None:
    """Loaded, resolved and detected like any export: leaders are labelled organiser or
    broker more often than foot soldiers, and more often than in-cluster roles did."""
    bench = _bench()
    found = bench.run_network(covert_like(seed=2), tmp_path / "net")
    leaders, members = found["leader"], found["member"]
    assert leaders["placed"] == leaders["count"] == 4
    assert found["targets"] == {"leaders_at_least_ceiling": True, "leaders_above_members": True}
    assert leaders["labelled"] > leaders["in_cluster_only"]
    assert members["labelled"] < 0.2
