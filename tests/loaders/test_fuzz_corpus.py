"""The committed corpus of malformed exports loads as its manifest says (issue 23).

Regenerate it with ``python -m tests.loaders.make_fuzz_corpus``; a test
checks that the committed files are what the script writes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import loaders

from .make_fuzz_corpus import CASES, OUT
from .test_fuzz import check

MANIFEST: dict[str, dict[str, Any]] = json.loads((OUT / "manifest.json").read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_corpus_file_loads_as_its_manifest_says(name: str) -> None:
    expected = MANIFEST[name]
    result = check(OUT / name, None if expected.get("error") else expected["rows"])
    if expected.get("error"):
        assert result.error is not None, f"{name} should be rejected whole"
    else:
        assert len(result.records) == expected["records"], (result.rejects, result.warnings)


def test_corpus_is_what_the_script_writes() -> None:
    written = {name: data for name, data, _ in (make() for make in CASES)}
    assert sorted(written) == sorted(MANIFEST)
    for name, data in written.items():
        assert (OUT / name).read_bytes() == data, f"{name}: run make_fuzz_corpus again"


def test_every_source_is_in_the_corpus() -> None:
    found = {loaders.detect_source(OUT / name) for name in MANIFEST}
    assert {"politie", "kmar", "ind", "coa"} <= found


def test_corpus_holds_small_files() -> None:
    assert sum(p.stat().st_size for p in Path(OUT).iterdir()) < 1_000_000
