"""Reading a generated corpus back with plain csv / json / openpyxl
(independent of ``loaders``, which are tested on their own)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from workbench.generate import generate

ID_FIELD = {"politie": "registratie_id", "kmar": "ref", "ind": "zaaknummer", "coa": "melding_nr"}


@dataclass(frozen=True)
class Placed:
    """One physical row: where it is and what it holds."""

    file: str
    row: int
    source: str
    data: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.source}:{self.data[ID_FIELD[self.source]]}"


@dataclass
class Corpus:
    path: Path
    seed: int
    truth: dict[str, Any]
    rows: list[Placed]

    def by_key(self) -> dict[str, list[Placed]]:
        out: dict[str, list[Placed]] = {}
        for placed in self.rows:
            out.setdefault(placed.key, []).append(placed)
        return out


def _source(name: str) -> str:
    return name.split("_", 1)[0]


def read_rows(path: Path) -> Iterator[Placed]:
    """Every data row of every export in ``path``, numbered from 1 per file."""
    for file in sorted(path.iterdir()):
        name = file.name
        if name == "truth.json":
            continue
        source = _source(name)
        if file.suffix == ".csv":
            encoding, delimiter = ("cp1252", ";") if source == "ind" else ("utf-8", ",")
            text = file.read_bytes().decode(encoding)
            reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
            for number, record in enumerate(reader, start=1):
                yield Placed(name, number, source, dict(record))
        elif file.suffix == ".jsonl":
            for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
                yield Placed(name, number, source, json.loads(line))
        elif file.suffix == ".xlsx":
            wb = openpyxl.load_workbook(file, read_only=True)
            rows = wb.worksheets[0].iter_rows(values_only=True)
            header = [str(h) for h in next(rows)]
            for number, values in enumerate(rows, start=1):
                yield Placed(name, number, source, dict(zip(header, values, strict=True)))
            wb.close()


def cell_text(value: Any) -> str:
    """A COA cell as text (dates DD-MM-YYYY, numbers without decimals)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y")
    return str(value)


def make_corpus(
    path: Path, *, persons: int, seed: int, bad_rows: bool = False, delivery: float = 0.0
) -> Corpus:
    generate(path, persons=persons, seed=seed, bad_rows=bad_rows, delivery=delivery)
    truth = json.loads((path / "truth.json").read_text(encoding="utf-8"))
    return Corpus(path, seed, truth, list(read_rows(path)))
