"""Source detection: content first, the file name only as a tie-breaker."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loaders.detect import detect_source

from .conftest import EXAMPLES


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("politie_example.csv", "politie"),
        ("kmar_example.jsonl", "kmar"),
        ("ind_example.csv", "ind"),
        ("coa_example.xlsx", "coa"),
    ],
)
def test_detects_renamed_examples_by_content(tmp_path: Path, name: str, source: str) -> None:
    target = tmp_path / f"export (3){Path(name).suffix}"
    shutil.copy(EXAMPLES / name, target)
    assert detect_source(target) == source


def test_content_beats_name(tmp_path: Path) -> None:
    target = tmp_path / "coa_misnamed.csv"
    shutil.copy(EXAMPLES / "politie_example.csv", target)
    assert detect_source(target) == "politie"


@pytest.mark.parametrize("name", ["politie_x.csv", "kmar_x.jsonl", "ind_x.csv", "coa_x.xlsx"])
def test_name_decides_for_empty_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    assert detect_source(path) == name.split("_")[0]


def test_unknown(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n", encoding="utf-8")
    assert detect_source(path) is None
    assert detect_source(tmp_path / "missing.csv") is None
