"""COA workbooks: the rows a sheet really holds, and archives refused before they inflate.

One test per trap of issue 23: a wrong or missing ``<dimension>``, rows out of
order, gaps, inline and shared strings, the export on another sheet, typed
dates, formulas; then zip bombs, lying archives and DTDs. Rows read through
calamine are also compared with openpyxl's reading of the same workbooks
(what the reader before it gave), cell by cell as the signal keeps them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_schema.limits import limits
from loaders import load
from loaders.coa import load as load_coa
from loaders.readers import cell_text
from loaders.xlsx import open_sheets, sheet_rows

from .conftest import assert_file_error, rejects
from .workbooks import coa_rows, inline, row, sheet, workbook


def _write(tmp_path: Path, data: bytes, name: str = "coa_t.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _ids(path: Path) -> list[tuple[int, str]]:
    result = load_coa(path)
    assert result.error is None, result.error
    return [(s.row, s.record_id) for s in result.records]


# -- rows as they are, not as declared ---------------------------------------------


def test_a_row_beyond_the_declared_dimension_is_loaded(tmp_path: Path) -> None:
    # issue 23: A1:N4 declared, a fifth row holding a valid signal
    xml = sheet(coa_rows(1, 2, 3, 4), before='<dimension ref="A1:N4"/>')
    path = _write(tmp_path, workbook(xml))
    assert _ids(path) == [(1, "COA-1"), (2, "COA-2"), (3, "COA-3"), (4, "COA-4")]
    assert load_coa(path).rows == 4


@pytest.mark.parametrize("dimension", ["", '<dimension ref="A1"/>', '<dimension ref="A1:Z9"/>'])
def test_missing_small_or_large_dimensions(tmp_path: Path, dimension: str) -> None:
    path = _write(tmp_path, workbook(sheet(coa_rows(1, 2), before=dimension)))
    assert _ids(path) == [(1, "COA-1"), (2, "COA-2")]


def test_a_broken_dimension_is_a_corrupt_workbook(tmp_path: Path) -> None:
    path = _write(tmp_path, workbook(sheet(coa_rows(1), before='<dimension ref="?"/>')))
    assert_file_error(load_coa(path), path, "corrupt workbook")


def test_rows_out_of_order_keep_their_numbers(tmp_path: Path) -> None:
    header, first, second = re.findall(r"<row .*?</row>", coa_rows(1, 2))
    path = _write(tmp_path, workbook(sheet(second + header + first)))
    assert _ids(path) == [(1, "COA-1"), (2, "COA-2")]


def test_gaps_are_not_rows_but_keep_the_numbering(tmp_path: Path) -> None:
    rows = coa_rows(1) + row(4) + coa_rows(2, start=7, header=False)
    result = load_coa(_write(tmp_path, workbook(sheet(rows))))
    assert [(s.row, s.record_id) for s in result.records] == [(1, "COA-1"), (6, "COA-2")]
    assert result.rows == 2


def test_inline_and_shared_strings(tmp_path: Path) -> None:
    rows = coa_rows(1).replace(inline("A2", "COA-1"), '<c r="A2" t="s"><v>0</v></c>')
    rows = rows.replace(inline("E2", "TESFAY Selam"), '<c r="E2" t="s"><v>1</v></c>')
    shared = "<si><t>COA-1</t></si>" + (
        '<si><r><t>TESFAY</t></r><r><t xml:space="preserve"> Selam</t></r></si>'
    )
    (signal,) = load_coa(_write(tmp_path, workbook(sheet(rows), shared=shared))).records
    assert signal.record_id == "COA-1" and signal.raw["naam_bewoner"] == "TESFAY Selam"


def test_a_column_left_empty_before_the_header_keeps_the_numbering(tmp_path: Path) -> None:
    # calamine's rows start at the first column holding a value: the reader puts A back
    shifted = re.sub(
        r'r="([A-N])([0-9])"', lambda m: f'r="{chr(ord(m[1]) + 1)}{m[2]}"', coa_rows(1)
    )
    rows = shifted.replace("</row>", "", 1).replace("</row>", '<c r="Q2"><v>7</v></c></row>')
    rows = rows.replace('<row r="2">', '</row><row r="2">')
    result = load_coa(_write(tmp_path, workbook(sheet(rows))))
    assert [s.record_id for s in result.records] == ["COA-1"]
    assert [(w.field, w.value) for w in result.warnings] == [("#17", "7")]


def test_the_export_on_another_sheet_is_found_by_its_header(tmp_path: Path) -> None:
    cover = sheet(row(1, "Export COA", "2015") + row(3, "vertrouwelijk"))
    path = _write(tmp_path, workbook(cover, sheet(coa_rows(1, 2)), names=["Voorblad", "Meldingen"]))
    result = load_coa(path)
    assert [s.record_id for s in result.records] == ["COA-1", "COA-2"]
    assert [w.reason for w in result.warnings] == [
        "export read from sheet 'Meldingen', not the first sheet"
    ]
    renamed = _write(tmp_path, path.read_bytes(), "export (3).xlsx")
    assert load(renamed).source == "coa"  # detected by the header on the second sheet


def test_a_hidden_export_sheet_is_read(tmp_path: Path) -> None:
    data = workbook(sheet(row(1, "leeg")), sheet(coa_rows(1)), hidden=[1])
    assert _ids(_write(tmp_path, data)) == [(1, "COA-1")]


def test_two_export_sheets_are_refused(tmp_path: Path) -> None:
    data = workbook(sheet(coa_rows(1)), sheet(coa_rows(2)), names=["Meldingen", "Kopie"])
    path = _write(tmp_path, data)
    assert_file_error(load_coa(path), path, "'Meldingen', 'Kopie'", "keep the export on one sheet")


def test_dates_as_dates_numbers_and_text(tmp_path: Path) -> None:
    rows = coa_rows(1, 2, 3)
    rows = rows.replace(inline("B2", "20-10-2015"), '<c r="B2" s="1"><v>42297</v></c>')
    rows = rows.replace(inline("B3", "20-10-2015"), '<c r="B3"><v>42297</v></c>')
    result = load_coa(_write(tmp_path, workbook(sheet(rows))))
    assert [(s.date, s.raw["datum"]) for s in result.records] == [
        ("2015-10-20", "2015-10-20"),
        ("2015-10-20", "42297"),
        ("2015-10-20", "20-10-2015"),
    ]


def test_formulas_give_their_cached_value(tmp_path: Path) -> None:
    rows = coa_rows(1, 2)
    rows = rows.replace(
        inline("A2", "COA-1"), '<c r="A2" t="str"><f>"COA-"&amp;1</f><v>COA-1</v></c>'
    )
    rows = rows.replace(inline("N3", "Tekst 2."), '<c r="N3"><f>1/0</f></c>')
    result = load_coa(_write(tmp_path, workbook(sheet(rows))))
    assert [(s.record_id, s.text) for s in result.records] == [
        ("COA-1", "Tekst 1."),
        ("COA-2", None),
    ]


def test_merged_cells_hold_their_value_in_the_first(tmp_path: Path) -> None:
    rows = coa_rows(1)
    xml = sheet(rows, after='<mergeCells count="1"><mergeCell ref="M2:N2"/></mergeCells>')
    (signal,) = load_coa(_write(tmp_path, workbook(xml))).records
    assert signal.text == "Tekst 1."


def test_a_cell_over_its_limit_rejects_the_row(tmp_path: Path) -> None:
    rows = coa_rows(1, 2).replace(inline("E3", "TESFAY Selam"), inline("E3", "N" * 300))
    result = load_coa(_write(tmp_path, workbook(sheet(rows))))
    assert rejects(result) == [(2, "naam_bewoner")]
    assert "300 characters, over the limit of 256" in result.rejects[0].reason
    assert [s.record_id for s in result.records] == ["COA-1"]


# -- archives refused before they inflate -------------------------------------------


def _refused(tmp_path: Path, data: bytes, *words: str, lim: Any = None) -> None:
    path = _write(tmp_path, data)
    result = load_coa(path, limits=lim)
    assert_file_error(result, path, *words)
    renamed = _write(tmp_path, data, "export.xlsx")
    assert load(renamed, limits=lim).source is None  # detection refuses it too


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


@pytest.mark.parametrize(
    "prolog",
    [BILLION_LAUGHS, '<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'],
    ids=["billion-laughs", "external-entity"],
)
def test_entity_declarations_are_refused(tmp_path: Path, prolog: str) -> None:
    entity = "&lol9;" if "lol" in prolog else "&x;"
    xml = prolog + sheet(coa_rows(1).replace("Tekst 1.", entity))
    _refused(tmp_path, workbook(xml), "declares a DTD", "entity expansion")


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path: Path) -> None:
    # a 600 MB cell would come from a 0.6 MB file; 8 MiB of one letter is enough to show it
    xml = sheet(coa_rows(1).replace("Tekst 1.", "a" * (8 << 20)))
    _refused(tmp_path, workbook(xml), "inflates", "times", "over the limit of 100")


def test_a_workbook_over_the_inflated_limit_is_refused(tmp_path: Path) -> None:
    small = limits().with_files(xlsx_max_inflated_bytes=10_000)
    data = workbook(sheet(coa_rows(*range(1, 50))))
    _refused(tmp_path, data, "inflates to", "WORKBENCH_MAX_INFLATED_MB", lim=small)
    assert len(load_coa(_write(tmp_path, data)).records) == 49


def test_too_many_parts_are_refused(tmp_path: Path) -> None:
    few = limits().with_files(xlsx_max_parts=5)
    _refused(tmp_path, workbook(sheet(coa_rows(1))), "parts, over the limit of 5", lim=few)


def _declare_size(data: bytes, name: str, size: int) -> bytes:
    """The archive with part ``name`` declaring ``size`` bytes inflated (headers patched)."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = out.find(signature)
        while at >= 0:
            if out[at + name_at : at + name_at + len(encoded)] == encoded:
                struct.pack_into("<I", out, at + offset, size)
            at = out.find(signature, at + 4)
    return bytes(out)


def test_a_part_inflating_beyond_its_declared_size_is_refused(tmp_path: Path) -> None:
    data = _declare_size(workbook(sheet(coa_rows(1, 2))), "xl/worksheets/sheet1.xml", 100)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").file_size == 100
    _refused(tmp_path, data, "inflates beyond the 100 bytes it declares")


def test_a_corrupted_part_is_refused(tmp_path: Path) -> None:
    data = bytearray(workbook(sheet(coa_rows(1, 2)), compression=zipfile.ZIP_STORED))
    at = data.find(b"Tekst 1.")
    data[at] = ord("X")
    _refused(tmp_path, bytes(data), "fails its size or CRC check")


def test_a_truncated_archive_is_refused(tmp_path: Path) -> None:
    data = workbook(sheet(coa_rows(1, 2)))
    _refused(tmp_path, data[: len(data) - 30], "corrupt workbook")


# -- the values, as openpyxl reads them ----------------------------------------------

_CELL = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).map(
        lambda text: re.sub(r"^[=\s]+|\s+$", "", text)  # formulas; unpreserved spaces
    ),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
)


def _as_kept(rows: Any) -> list[list[str | None]]:
    """Rows as a signal keeps them (``cell_text``), empty text as None, trailing empties cut."""
    kept = [[cell_text(c) if c != "" else None for c in r] for r in rows]
    for cells in kept:
        while cells and cells[-1] is None:
            cells.pop()
    while kept and not kept[-1]:
        kept.pop()
    return kept


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=6), max_size=6), st.booleans())
def test_values_are_what_openpyxl_reads(rows: list[list[Any]], write_only: bool) -> None:
    book = openpyxl.Workbook(write_only=write_only)
    ws = book.create_sheet() if write_only else book.active
    for cells in rows:
        ws.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    reference = openpyxl.load_workbook(buffer, read_only=True, data_only=True)
    expected = _as_kept(reference.worksheets[0].iter_rows(values_only=True))
    reference.close()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "w.xlsx"
        path.write_bytes(buffer.getvalue())
        ((_, read),) = open_sheets(path, limits().files)
        assert _as_kept(sheet_rows(read)) == expected
