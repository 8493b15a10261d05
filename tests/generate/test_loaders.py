"""The generated corpus through the real loaders (written in parallel).

Skipped when ``loaders.load`` is not there yet; otherwise a normal corpus
must load with zero rejects, and a ``bad_rows`` corpus with exactly the
rejects truth.json lists.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.generate.corpus import Corpus


def _load() -> Any:
    loaders = pytest.importorskip("loaders")
    if not hasattr(loaders, "load"):
        pytest.skip("loaders.load is not written yet")
    return loaders.load


def test_corpus_loads_with_zero_rejects(corpus: Corpus) -> None:
    load = _load()
    rows = corpus.truth["generated"]["rows_per_file"]
    for name, count in rows.items():
        result = load(corpus.path / name)
        assert result.error is None, result.error
        assert result.rejects == [], result.rejects[:3]
        assert result.rows == count == len(result.records)


def test_bad_rows_are_exactly_the_rejects(bad_corpus: Corpus) -> None:
    load = _load()
    rejected = set()
    for name in bad_corpus.truth["generated"]["rows_per_file"]:
        result = load(bad_corpus.path / name)
        assert result.error is None
        rejected |= {(name, issue.row) for issue in result.rejects}
    expected = {(b["file"], b["row"]) for b in bad_corpus.truth["bad_rows"]}
    assert rejected == expected
