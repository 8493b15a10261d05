"""A held-back daily delivery: nothing lost, nothing doubled, every kind of news in it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.generate.corpus import make_corpus, read_rows
from workbench.generate import generate


def _rows(path: Path) -> Counter[tuple[str, str]]:
    """Every row as (source, content), wherever it is."""
    return Counter((p.source, repr(sorted(p.data.items()))) for p in read_rows(path))


def test_base_and_delivery_are_the_whole_corpus(tmp_path: Path) -> None:
    whole = make_corpus(tmp_path / "whole", persons=1000, seed=11)
    split = make_corpus(tmp_path / "split", persons=1000, seed=11, delivery=0.05)
    base, delivery = _rows(split.path), _rows(split.path / "delivery")
    assert base + delivery == _rows(whole.path)
    assert 0.04 < delivery.total() / (base + delivery).total() < 0.06
    # Positions in truth.json name the delivery's files for the delivery's rows.
    placed = {(c["file"], c["row"]) for d in split.truth["duplicates"] for c in d["copies"]}
    files = {p.name for p in split.path.iterdir()} | {
        f"delivery/{p.name}" for p in (split.path / "delivery").iterdir()
    }
    assert {f for f, _ in placed} <= files
    assert split.truth["records"] == whole.truth["records"]


def test_delivery_brings_new_persons_known_persons_and_network_members(tmp_path: Path) -> None:
    summary = generate(tmp_path, persons=2000, seed=3, delivery=0.02)
    assert summary.mix is not None
    assert summary.mix.new_persons > 0
    assert summary.mix.known_persons > 0
    assert summary.mix.network_records > 0
    assert sum(summary.delivery.values()) >= summary.mix.records


def test_a_fraction_outside_zero_to_one_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        generate(tmp_path, persons=200, seed=1, delivery=1.5)
