"""What the speed-ups must not change: the collector's state, and results with warm caches."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

import loaders
from loaders import pipeline, xlsx
from loaders.detect import detect_source
from loaders.records import LoadResult
from tests.conftest import EXAMPLES
from workbench.collector import gc_paused

from .conftest import kmar_obj, write_jsonl


def _load_all(folder: Path) -> list[LoadResult]:
    return [loaders.load(p) for p in sorted(folder.iterdir())]


def test_a_load_leaves_the_collector_as_it_found_it() -> None:
    """Loaders only parse; whoever loads in bulk pauses the collector (workbench.collector)."""
    assert gc.isenabled()
    loaders.load(EXAMPLES / "kmar_example.jsonl")
    assert gc.isenabled()
    gc.disable()
    try:
        loaders.load(EXAMPLES / "kmar_example.jsonl")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_paused_collector_stays_paused() -> None:
    gc.disable()
    try:
        with gc_paused():
            loaders.load(EXAMPLES / "kmar_example.jsonl")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_collector_runs_again_when_a_parse_fails() -> None:
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_someone_elses_freeze_stands() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            loaders.load(EXAMPLES / "kmar_example.jsonl")
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_warm_caches_give_the_same_records(tmp_path: Path) -> None:
    for path in EXAMPLES.iterdir():
        shutil.copy(path, tmp_path / path.name)
    first = _load_all(tmp_path)
    caches = [pipeline._extract_cached, pipeline._route_of, pipeline._canonical]
    for cache in [*caches, *pipeline._PARTIAL.values(), *pipeline._NAME.values()]:
        cache.cache_clear()
    xlsx._KEPT.clear()
    assert _load_all(tmp_path) == first
    assert _load_all(tmp_path) == first


def test_long_texts_are_not_cached(tmp_path: Path) -> None:
    text = "Betaalde € 2.500 aan Abu Omar, tel 06-12345678. " + "x" * pipeline._CACHED_TEXT
    path = write_jsonl(tmp_path, [kmar_obj(1, signaal={"soort": "hard", "thema": "overig",
                                                      "toelichting": text})])  # fmt: skip
    before = pipeline._extract_cached.cache_info().currsize
    signal = loaders.load(path).records[0]
    assert pipeline._extract_cached.cache_info().currsize == before
    assert [e.kind for e in signal.extracted] == ["amount", "alias", "phone"]


def test_route_warnings_name_their_stop(tmp_path: Path) -> None:
    route = ["SYR", "Koerdistan", "TUR", "Koerdistan"]
    signal = loaders.load(write_jsonl(tmp_path, [kmar_obj(1, reisroute=route)])).records[0]
    assert signal.route == ("SYR", "Koerdistan", "TUR", "Koerdistan")
    assert [(w.field, w.value) for w in signal.warnings] == [
        ("reisroute[1]", "Koerdistan"),
        ("reisroute[3]", "Koerdistan"),
    ]


def test_detection_of_a_broken_workbook_falls_to_the_name(tmp_path: Path) -> None:
    broken = tmp_path / "export.xlsx"
    data = (EXAMPLES / "coa_example.xlsx").read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    assert detect_source(broken) is None
    named = tmp_path / "coa_export.xlsx"
    named.write_bytes(broken.read_bytes())
    assert detect_source(named) == "coa"


def test_routes_of_equal_but_different_values_are_not_mixed_up(tmp_path: Path) -> None:
    lines = [kmar_obj(1, reisroute=["SYR", 1]), kmar_obj(2, reisroute=["SYR", True])]
    result = loaders.load(write_jsonl(tmp_path, lines))
    assert [s.route for s in result.records] == [("SYR", "1"), ("SYR", "true")]
