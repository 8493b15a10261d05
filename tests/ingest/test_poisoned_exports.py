"""Poisoned and malformed exports through ingest: nothing stored from a rejected file (issue 23).

The committed corpus of malformed exports (``tests/loaders/fuzz_corpus``) is
loaded into a temporary embedded store in one load: every data row is
loaded, a duplicate, a conflict or rejected; a file rejected whole leaves
no signal and no reject; what is stored is exactly what the accepted files
brought.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_schema.limits import limits
from tests.loaders.make_fuzz_corpus import OUT
from workbench.config import ConfigError, Settings
from workbench.ingest import ingest
from workbench.store.base import CypherStore

MANIFEST = json.loads((OUT / "manifest.json").read_text("utf-8"))


def test_the_malformed_corpus_stores_only_what_its_accepted_files_hold(
    embedded: CypherStore,
) -> None:
    files = sorted(OUT / name for name in MANIFEST)
    report = ingest(embedded, files)
    by_name = {Path(f.path).name: f for f in report.files}
    for name, expected in MANIFEST.items():
        f = by_name[name]
        assert f.loaded + f.duplicates + f.conflicts + f.rejected == f.rows, f
        assert (f.error is not None) == bool(expected.get("error")), (name, f.error)
    signals = embedded.find_nodes("Signal")
    stored = {n.props["file"] for n in signals} | {
        n.props["file"] for n in embedded.find_nodes("Reject")
    }
    rejected = {name for name, f in by_name.items() if f.error is not None}
    assert rejected and not stored & rejected
    assert len(signals) == sum(f.loaded for f in report.files)
    conflicts = sum(f.conflicts for f in report.files)  # the same conflict twice is one node
    assert 0 < len(embedded.find_nodes("Conflict")) <= conflicts
    assert not report.ok  # a file was rejected whole: exit status 1


def test_a_file_over_the_configured_size_is_refused_and_stores_nothing(
    embedded: CypherStore,
) -> None:
    tiny = limits().with_files(max_file_bytes=100)
    report = ingest(embedded, [OUT / "politie_valid.csv"], limits=tiny)
    (f,) = report.files
    assert f.error is not None and "WORKBENCH_MAX_FILE_MB" in f.error
    assert embedded.find_nodes("Signal") == [] and embedded.find_nodes("Reject") == []


def test_limits_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_MAX_FILE_MB", "2")
    monkeypatch.setenv("WORKBENCH_MAX_ZIP_RATIO", "50")
    files = Settings.from_env().load_limits().files
    assert (files.max_file_bytes, files.xlsx_max_ratio) == (2 << 20, 50)
    assert files.xlsx_max_inflated_bytes == limits().files.xlsx_max_inflated_bytes
    monkeypatch.setenv("WORKBENCH_MAX_INFLATED_MB", "-1")
    with pytest.raises(ConfigError, match="WORKBENCH_MAX_INFLATED_MB must be a positive"):
        Settings.from_env()
