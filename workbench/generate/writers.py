"""One small writer per export format, byte-for-byte reproducible.

Each takes rows already rendered (``Row.data``) and only serialises: the
format contract (encoding, delimiter, line ends, cell types) lives here and
nowhere else. The xlsx is re-packed with fixed timestamps, because openpyxl
stamps the save time into ``docProps/core.xml`` and into every zip entry.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from workbench.generate.records import COLUMNS, Row

__all__ = ["write_coa", "write_csv", "write_ind", "write_kmar", "write_politie"]

_FIXED_ZIP_TIME = (2016, 7, 1, 0, 0, 0)
_FIXED_ISO = "2016-07-01T00:00:00Z"
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def write_csv(
    path: Path, columns: tuple[str, ...], rows: Iterable[Row], *, encoding: str, delimiter: str
) -> int:
    """RFC 4180 CSV (minimal quoting, CRLF line ends); returns data rows written.

    ``encoding`` is applied strictly: a value the encoding cannot hold is a
    generator bug and must fail loudly, not turn into ``?``.
    """
    count = 0
    with path.open("w", encoding=encoding, errors="strict", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.data[c] for c in columns])
            count += 1
    return count


def write_politie(path: Path, rows: Iterable[Row]) -> int:
    """Politie: UTF-8, comma-separated."""
    return write_csv(path, COLUMNS["politie"], rows, encoding="utf-8", delimiter=",")


def write_ind(path: Path, rows: Iterable[Row]) -> int:
    """IND: Windows-1252, semicolon-separated, CRLF."""
    return write_csv(path, COLUMNS["ind"], rows, encoding="cp1252", delimiter=";")


def write_kmar(path: Path, rows: Iterable[Row]) -> int:
    """KMar: JSON Lines, UTF-8, one object per line (no ASCII escaping, as
    exporters rarely bother)."""
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row.data, ensure_ascii=False))
            fh.write("\n")
            count += 1
    return count


def _cell(ws: Any, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "DD-MM-YYYY"
        return cell
    if value == "":
        return None
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # text that looks like a formula stays text
        return cell
    return value


def write_coa(path: Path, rows: Iterable[Row]) -> int:
    """COA: xlsx, first sheet, header row; dates as Excel dates or text."""
    wb = Workbook(write_only=True)
    wb.properties.creator = "COA registratiesysteem (synthetisch)"
    wb.properties.created = dt.datetime(2016, 7, 1)
    ws = wb.create_sheet("Meldingen")
    columns = COLUMNS["coa"]
    ws.append(list(columns))
    count = 0
    for row in rows:
        ws.append([_cell(ws, row.data[c]) for c in columns])
        count += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    _repack(buffer.getvalue(), path)
    return count


def _repack(xlsx: bytes, path: Path) -> None:
    """Rewrite the zip with fixed entry times and fixed core timestamps."""
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(rb"\g<1>" + _FIXED_ISO.encode() + rb"\g<3>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)
