"""Helpers to build export files (good and bad) in a test's tmp_path."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from loaders.records import LoadResult
from tests.conftest import EXAMPLES
from workbench.generate.records import COLUMNS

# The contract's column order, as the generator writes it: one table for both.
POLITIE_HEADER = list(COLUMNS["politie"])
IND_HEADER = list(COLUMNS["ind"])
COA_HEADER = list(COLUMNS["coa"])

HOSTILE = [
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil.example","klik")',
    "' OR 1=1 --",
    "MATCH (n) DETACH DELETE n",
    "abc\u202edcba",
]


def politie_row(number: int = 1, **values: str) -> dict[str, str]:
    """A valid police row; keyword arguments replace columns."""
    row = dict.fromkeys(POLITIE_HEADER, "")
    row.update(
        registratie_id=f"PL-2015-{number:06d}", datum="2015-09-15", signaalsoort="zacht",
        thema="mensensmokkel", v_nummer="2803456781", achternaam="Al-Hassan",
        voornaam="Mohammed", geboortedatum="1991-01-01", nationaliteit="Syrië", geslacht="M",
        telefoon="06-12345678", locatie="Ter Apel", omschrijving="Geen bijzonderheden.",
    )  # fmt: skip
    row.update(values)
    return row


def ind_row(number: int = 1, **values: str) -> dict[str, str]:
    """A valid IND row; keyword arguments replace columns."""
    row = dict.fromkeys(IND_HEADER, "")
    row.update(
        zaaknummer=f"IND-{number}", v_nummer="2803456781", naam="Muhammad ALHASSAN",
        geboortedatum="01-01-1991", nationaliteit="Syrië", signaaldatum="21-09-2015",
        soort="zacht", thema="mensensmokkel", bron="gehoor", reisroute="Syrië - Turkije",
        toelichting="Geen bijzonderheden.",
    )  # fmt: skip
    row.update(values)
    return row


def kmar_obj(number: int = 1, **values: Any) -> dict[str, Any]:
    """A valid KMar object; keyword arguments replace top-level keys."""
    obj: dict[str, Any] = {
        "ref": f"KM-2015-{number:06d}",
        "tijdstip": "2015-09-14T10:32:00+02:00",
        "post": "ID-straat Ter Apel",
        "signaal": {"soort": "hard", "thema": "mensensmokkel", "toelichting": "Tekst."},
        "persoon": {"naam": "AL-HASSAN, Mohamed", "geboortedatum": "1991-01-01",
                    "nationaliteit": "SYR", "geslacht": "M", "v_nummer": None},
    }  # fmt: skip
    obj.update(values)
    return obj


def coa_row(number: int = 1, **values: Any) -> dict[str, Any]:
    """A valid COA row (typed cells); keyword arguments replace columns."""
    row: dict[str, Any] = dict.fromkeys(COA_HEADER)
    row.update(
        melding_nr=f"COA-{number}", datum="20-10-2015", locatie="azc Ter Apel",
        v_nummer="2901122334", naam_bewoner="TESFAY Selam", nationaliteit="ERI",
        soort="zacht", thema="mensenhandel", indicatoren="VERMIST;MINDERJARIG",
        toelichting="Tekst.",
    )  # fmt: skip
    row.update(values)
    return row


def write_csv(
    path: Path,
    rows: list[dict[str, str]] | list[list[str]],
    *,
    header: list[str],
    delimiter: str = ",",
    encoding: str = "utf-8",
    newline: str = "\n",
) -> Path:
    """Write rows (dicts in header order, or raw cell lists) as CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row[h] for h in header] if isinstance(row, dict) else row)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_politie(tmp_path: Path, rows: list[dict[str, str]], name: str = "politie_t.csv") -> Path:
    return write_csv(tmp_path / name, rows, header=POLITIE_HEADER)


def write_ind(tmp_path: Path, rows: list[dict[str, str]], name: str = "ind_t.csv") -> Path:
    return write_csv(
        tmp_path / name, rows, header=IND_HEADER, delimiter=";", encoding="cp1252",
        newline="\r\n",
    )  # fmt: skip


def write_jsonl(tmp_path: Path, lines: list[Any], name: str = "kmar_t.jsonl") -> Path:
    """Write JSON Lines: dicts are dumped, strings written as they are."""
    text = "".join((ln if isinstance(ln, str) else json.dumps(ln)) + "\n" for ln in lines)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def write_xlsx(
    tmp_path: Path, rows: list[dict[str, Any]], *, header: list[str] | None = COA_HEADER,
    name: str = "coa_t.xlsx",
) -> Path:  # fmt: skip
    """Write a workbook whose first sheet holds ``header`` and ``rows``."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if header is not None:
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(h) for h in header])
        for line in sheet.iter_rows():
            for cell in line:  # text that starts with "=" is text, not a formula
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    path = tmp_path / name
    workbook.save(path)
    return path


def rejects(result: LoadResult) -> list[tuple[int, str]]:
    """(row, field) of every reject, in order."""
    return [(r.row, r.field) for r in result.rejects]


def assert_file_error(result: LoadResult, path: Path, *words: str) -> None:
    """A whole-file reject naming the file, with each of ``words`` in its message."""
    assert result.error is not None, result
    assert str(path) in result.error
    for word in words:
        assert word in result.error, result.error
    assert result.records == [] and result.rejects == []


@pytest.fixture
def examples() -> Path:
    return EXAMPLES
