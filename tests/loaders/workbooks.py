"""Workbooks written part by part: the sheet XML and the archive as a test needs them."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

import openpyxl

from .conftest import COA_HEADER

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

# What a workbook needs to have a shared string table: (part, closing tag, to insert before it).
_SHARED_PARTS = [
    (
        "[Content_Types].xml",
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>',
    ),
    (
        "xl/_rels/workbook.xml.rels",
        b"</Relationships>",
        b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>',
    ),
]


def sheet(rows: str, before: str = "", after: str = "") -> str:
    """A worksheet part holding ``rows`` (``<row>`` elements)."""
    return f'<worksheet xmlns="{NS}">{before}<sheetData>{rows}</sheetData>{after}</worksheet>'


def inline(reference: str, text: str) -> str:
    """An inline string cell."""
    return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def row(number: int, *values: str | float | None) -> str:
    """A ``<row>`` of text (inline strings) and numbers from column A; None leaves a gap."""
    cells = []
    for index, value in enumerate(values):
        reference = f"{chr(65 + index)}{number}"
        if isinstance(value, str):
            cells.append(inline(reference, value))
        elif value is not None:
            cells.append(f'<c r="{reference}"><v>{value}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def coa_rows(*numbers: int, start: int = 2, header: bool = True) -> str:
    """A header row and valid COA rows ``COA-<n>`` at rows ``start``... (text cells)."""
    first = row(1, *COA_HEADER) if header else ""
    values = ["20-10-2015", "azc Ter Apel", None, "TESFAY Selam", None, "ERI", "zacht"]
    values += ["mensenhandel", "VERMIST", None, None, None]
    body = "".join(
        row(start + i, f"COA-{n}", *values, f"Tekst {n}.") for i, n in enumerate(numbers)
    )
    return first + body


def workbook(
    *sheets: str,
    shared: str | None = None,
    names: Sequence[str] = (),
    hidden: Sequence[int] = (),
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A workbook whose sheets are the worksheet parts ``sheets``.

    Style 1 is a date format (for date cells); ``shared`` is the inside of
    the shared string table (``<si>`` elements), if any.
    """
    base = openpyxl.Workbook()
    base.active["A1"] = dt.datetime(2015, 10, 20)  # style 1: a date
    for index in range(len(sheets)):
        ws = base.active if index == 0 else base.create_sheet()
        ws.title = names[index] if index < len(names) else f"Blad{index + 1}"
        if index in hidden:
            ws.sheet_state = "hidden"
    saved = io.BytesIO()
    base.save(saved)
    patches = {name: (end, text) for name, end, text in _SHARED_PARTS} if shared is not None else {}
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(buffer, "w", compression) as out,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                number = int(info.filename.removeprefix("xl/worksheets/sheet")[:-4])
                content = sheets[number - 1].encode("utf-8")
            elif info.filename in patches:
                end, text = patches[info.filename]
                content = content.replace(end, text + end)
            out.writestr(info.filename, content)
        if shared is not None:
            out.writestr("xl/sharedStrings.xml", f'<sst xmlns="{NS}">{shared}</sst>')
    return buffer.getvalue()
