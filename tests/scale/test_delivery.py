"""A daily delivery, resolved incrementally and detected, ends where a full run ends.

Issue 21 point 3: a store that takes a delivery (new persons, news on known
persons, new network members) must hold the same persons and clusters as the
same store re-resolved from scratch and detected anew. The full run uses the
same trained weights (a delivery does not retrain), which is why the two must
agree exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import copy_home, make_store
from workbench.detect import detect, memo
from workbench.detect.results import Outcome, outcome
from workbench.generate import generate
from workbench.ingest import ingest
from workbench.resolve import resolve

EXPORTS = (".csv", ".jsonl", ".xlsx")


def _exports(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in EXPORTS)


@dataclass(frozen=True)
class Delivered:
    """A store of 1,500 persons, then a 3% delivery loaded into it."""

    loaded: Path  # a closed copy just after the delivery's load
    home: Path  # the store after the incremental resolution and detection
    incremental: Outcome


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory) -> Delivered:
    work = tmp_path_factory.mktemp("delivery")
    summary = generate(work / "corpus", persons=1500, seed=5, delivery=0.03)
    assert summary.mix is not None and summary.mix.new_persons and summary.mix.network_records
    store = make_store("embedded", work / "home")
    memo_path = work / "home" / memo.FILE  # as the CLI runs it: reusing untouched components
    ingest(store, _exports(work / "corpus"))
    resolve(store)
    detect(store, memo_path=memo_path)
    ingest(store, _exports(work / "corpus" / "delivery"))
    store.close()
    copy_home(work / "home", work / "loaded")
    store = make_store("embedded", work / "home")
    report = resolve(store)
    assert report.mode == "incremental" and report.new_mentions > 0
    assert detect(store, memo_path=memo_path).reused_components > 0
    result = outcome(store)
    store.close()
    return Delivered(work / "loaded", work / "home", result)


def test_incremental_resolution_and_detection_equal_a_full_run(
    delivered: Delivered, tmp_path: Path
) -> None:
    """The full run starts from the same store, so its previous detection run (which
    the growth term compares with) is the same as the incremental run's; it reuses
    nothing (no memo)."""
    store = make_store("embedded", copy_home(delivered.loaded, tmp_path / "full"))
    resolve(store, full=True)
    detect(store)
    full = outcome(store)
    store.close()
    assert delivered.incremental.persons == full.persons
    assert delivered.incremental.clusters == full.clusters
    assert len(full.clusters) > 10


def test_reloading_the_delivery_changes_nothing(delivered: Delivered, tmp_path: Path) -> None:
    store = make_store("embedded", copy_home(delivered.home, tmp_path / "again"))
    report = ingest(store, _exports(delivered.loaded.parent / "corpus" / "delivery"))
    resolve(store)
    detect(store)
    again = outcome(store)
    store.close()
    assert sum(f.loaded for f in report.files) == 0, report.files
    assert again.persons == delivered.incremental.persons
    # Same clusters; their scores differ by the growth term (nothing grew since the last run).
    assert {m for _, m in again.clusters} == {m for _, m in delivered.incremental.clusters}
