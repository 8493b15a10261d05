"""A run after a daily delivery reuses the untouched components and gives a full run's result.

One store is loaded without the delivery, resolved and detected (the memo
written); then the delivery is loaded and resolved, and the store copied.
The copy runs in full (no memo), the original reuses what it can. Both runs
start at the same instant, so every id is the same, and every cluster must
be equal: members and their roles, score, rank, explanation, network,
lineage, alerts, the run's input counts.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import make_store
from tests.detect.oracle import oracle_resolve
from workbench.detect import DetectionParams, RunReport, detect, memo
from workbench.detect.results import run_as_data
from workbench.generate import generate
from workbench.ingest import ingest

pytestmark = pytest.mark.slow

FIRST = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)
SECOND = dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC)
PARAMS = DetectionParams(alert_min_score=5.0)


def _exports(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".jsonl", ".xlsx"))


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunReport, RunReport, Path, Path]:
    """The same store after a delivery, detected with the memo (incremental) and without."""
    root = tmp_path_factory.mktemp("incremental")
    out, home, full_home = root / "in", root / "home", root / "full"
    generate(out, persons=1200, seed=5, delivery=0.02)
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    store = make_store("embedded", home)
    assert ingest(store, _exports(out)).ok
    oracle_resolve(store, truth)
    detect(store, PARAMS, now=FIRST, memo_path=home / memo.FILE)
    assert ingest(store, _exports(out / "delivery")).ok
    oracle_resolve(store, truth)
    store.close()
    shutil.copytree(home, full_home)
    (full_home / memo.FILE).unlink()
    runs = []
    for where in (home, full_home):  # the copy has no memo to reuse: a full run
        store = make_store("embedded", where)
        try:
            runs.append(detect(store, PARAMS, now=SECOND, memo_path=where / memo.FILE))
        finally:
            store.close()
    return runs[0], runs[1], home, full_home


def test_the_delivery_touches_some_components_and_the_rest_are_reused(
    delivered: tuple[RunReport, RunReport, Path, Path],
) -> None:
    incremental, full, _, _ = delivered
    assert full.reused_components == 0
    assert 0 < incremental.reused_components < incremental.components
    assert incremental.components == full.components


def test_reuse_gives_exactly_what_a_full_run_gives(
    delivered: tuple[RunReport, RunReport, Path, Path],
) -> None:
    incremental, full, home, full_home = delivered
    assert incremental.run_id == full.run_id
    assert (incremental.clusters, incremental.alerts, incremental.lineage) == (
        full.clusters,
        full.alerts,
        full.lineage,
    )
    assert incremental.lineage.get("grown", 0) + incremental.lineage.get("new", 0) > 0
    found = []
    for where in (home, full_home):
        store = make_store("embedded", where)
        try:
            found.append(run_as_data(store))
        finally:
            store.close()
    reused, recomputed = found
    assert reused["run"] == recomputed["run"]
    assert reused["lineage"] == recomputed["lineage"]
    assert reused["alerts"] == recomputed["alerts"]
    assert reused["clusters"].keys() == recomputed["clusters"].keys()
    for cluster, value in recomputed["clusters"].items():
        assert reused["clusters"][cluster] == value, cluster
    # and the memo left for the next run is the one a full run leaves
    assert json.loads((home / memo.FILE).read_text(encoding="utf-8")) == json.loads(
        (full_home / memo.FILE).read_text(encoding="utf-8")
    )


def test_a_memo_of_other_parameters_or_unreadable_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / memo.FILE
    kept = memo.Memo("h1")
    kept.save(path, {"d": {"communities": [], "clusters": {}, "networks": []}})
    assert memo.Memo.load(path, "h1").get("d") is not None
    assert memo.Memo.load(path, "h2").get("d") is None
    path.write_text("{not json", encoding="utf-8")
    assert memo.Memo.load(path, "h1").entries == {}
    assert memo.Memo.load(None, "h1").entries == {}
