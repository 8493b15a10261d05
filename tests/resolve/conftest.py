"""A generated corpus resolved once for the package's store tests (copied before writing)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from workbench.generate import generate
from workbench.ingest import ingest
from workbench.resolve import resolve
from workbench.store.base import CypherStore

from ..conftest import copy_home, make_store


def exports(directory: Path) -> list[Path]:
    """The export files of a corpus directory, in name order."""
    return sorted(p for p in directory.iterdir() if p.suffix in (".csv", ".jsonl", ".xlsx"))


def politie_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """Rows as a police export (the columns not given left empty)."""
    header = ["registratie_id", "datum", "signaalsoort", "thema", "v_nummer", "achternaam",
              "voornaam", "geboortedatum", "nationaliteit", "geslacht", "telefoon",
              "document_type", "document_nummer", "document_land", "locatie", "facilitator",
              "omschrijving"]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in header})
    return path


@pytest.fixture(scope="package")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, persons=150, seed=3)
    return out


@pytest.fixture(scope="package")
def resolved_home(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus loaded and resolved: a closed data directory to copy."""
    home = tmp_path_factory.mktemp("resolved") / "home"
    store = make_store("embedded", home)
    ingest(store, exports(corpus), operator="test")
    resolve(store, operator="test")
    store.close()
    return home


@pytest.fixture
def resolved(resolved_home: Path, tmp_path: Path) -> CypherStore:
    """A private copy of the resolved store, so a test may decide and re-resolve."""
    return make_store("embedded", copy_home(resolved_home, tmp_path / "home"))
