"""Readers: bytes of one export file to numbered rows, or a whole-file reject.

A reader does the *format* part of section 5 of the formats contract: the
whole-file rejects (empty, binary, not in its encoding, corrupt workbook,
header lacking a required column) raise ``FileRejected``; the row-level
format rejects (a CSV row with more or fewer fields than the header, a JSON
line that is not a JSON object) come out as a ``RawRow`` with a ``problem``.
Everything about values is the pipeline's and the loaders' business.

Numbering: data rows count from 1 with the header excluded; for JSON Lines
the row is the line number. Blank lines (and all-empty sheet rows) are
skipped - they are not rows and do not count in ``LoadResult.rows`` - but
they keep their place in the numbering, so that row N is always the N-th
line (CSV: record) after the header, as an editor or Excel shows it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from loaders.records import Issue, quick
from loaders.workbook import open_workbook, sheet_values

__all__ = [
    "FileRejected",
    "RawRow",
    "Reader",
    "TableSpec",
    "csv_reader",
    "jsonl_reader",
    "xlsx_reader",
]

# csv's default field limit is 128 KiB; the contract allows very long text
# fields (stored verbatim), so lift it once for the process.
csv.field_size_limit(2**31 - 1)

ROW_FIELD = "*row*"  # the field of a reject about the row as a whole
LINE_FIELD = "*line*"  # the same for a JSON line


class FileRejected(Exception):
    """The whole file cannot be read as its format; the message says why."""


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row as read.

    ``raw`` is what the signal keeps verbatim (JSON-able), ``values`` what
    the loader normalises from (typed cells for xlsx, else ``raw`` itself),
    keyed by column names trimmed and lower-cased. ``problem`` is set,
    with ``values`` empty, when the row is unreadable as a row:
    ``(field, reason, value)``.
    """

    row: int
    raw: dict[str, Any]
    values: dict[str, Any]
    problem: tuple[str, str, str | None] | None = None


_new_row = quick(RawRow)  # every row of a file is one: see ``loaders.records.quick``


@dataclass(frozen=True)
class TableSpec:
    """The columns of a tabular format (CSV or sheet).

    ``required``: a header without one of these rejects the file.
    ``expected``: the contract's other columns; a missing one is a file
    warning (its values are unknown), not a reject.
    """

    required: tuple[str, ...]
    expected: tuple[str, ...] = ()

    @classmethod
    def of(cls, required: str, expected: str = "") -> TableSpec:
        """A TableSpec from space-separated column names.

        >>> TableSpec.of("a b", "c").required
        ('a', 'b')
        """
        return cls(tuple(required.split()), tuple(expected.split()))


# A reader gets the file's bytes, its name (for messages) and a list to put
# file-level warnings in; it yields rows or raises FileRejected.
Reader = Callable[[bytes, str, list[Issue]], Iterator[RawRow]]


def _check_bytes(data: bytes, *, allow_empty: bool = False) -> None:
    if not data and not allow_empty:
        raise FileRejected("empty file (0 bytes)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRejected("UTF-16 text (byte order mark); expected UTF-8 or Windows-1252")
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise FileRejected(f"binary content: NUL byte at offset {offset} (binary or UTF-16)")


def _decode(data: bytes, encoding: str, file: str, warnings: list[Issue]) -> str:
    """Decode strictly. For Windows-1252, valid non-ASCII UTF-8 is read as UTF-8.

    Non-ASCII text that is valid UTF-8 is practically never genuine
    Windows-1252 (it would need sequences like ``Ã«``), and decoding it as
    Windows-1252 would silently garble every name and country; reading it as
    UTF-8 loses nothing, and a file warning tells the partner.
    """
    if encoding == "cp1252" and not data.isascii():
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        else:
            warnings.append(
                Issue(
                    file,
                    0,
                    "*file*",
                    "file is UTF-8, not Windows-1252 as the contract says; read as UTF-8",
                )
            )
            return text
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        name = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}.get(encoding, encoding)
        raise FileRejected(f"not valid {name}: byte 0x{bad} at offset {exc.start}") from None


def _key(name: str) -> str:
    return name.strip().casefold()


def _check_header(
    header: list[str], spec: TableSpec, delimiter: str | None, file: str, warnings: list[Issue]
) -> list[str]:
    """Column keys of ``header``; reject when a required column is missing."""
    keys = [_key(h) for h in header]
    present = set(keys)
    missing = [c for c in spec.required if c not in present]
    if missing:
        message = f"header lacks required column(s): {', '.join(missing)}"
        if len(header) == 1:
            for other in (";", ",", "\t"):
                if other != delimiter and other in header[0]:
                    shown = "tab" if other == "\t" else f"'{other}'"
                    message += (
                        f"; the header is one column containing {shown}: wrong delimiter? "
                        f"this format uses '{delimiter}'"
                    )
                    break
        raise FileRejected(message)
    for column in spec.expected:
        if column not in present:
            warnings.append(Issue(file, 0, column, "column missing from header: values unknown"))
    if len(present) != len(keys):
        doubled = sorted({k for k in keys if keys.count(k) > 1})
        warnings.append(
            Issue(file, 0, ", ".join(doubled), "column appears twice in header: last one read")
        )
    return keys


def csv_reader(spec: TableSpec, *, encoding: str, delimiter: str) -> Reader:
    """A reader for RFC 4180 CSV in ``encoding`` with ``delimiter``.

    ``utf-8-sig`` strips a UTF-8 byte order mark. Multi-line quoted fields
    are one row; a malformed quote rejects its row and reading goes on.
    """

    def read(data: bytes, file: str, warnings: list[Issue]) -> Iterator[RawRow]:
        _check_bytes(data)
        text = _decode(data, encoding, file, warnings)
        if not text.strip():
            raise FileRejected("empty file (no header row)")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        try:
            header = next(reader)
        except csv.Error as exc:
            raise FileRejected(f"unreadable header: {exc}") from None
        keys = _check_header(header, spec, delimiter, file, warnings)
        verbatim = keys == header
        width = len(header)
        row = 0
        while True:
            row += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                reason = f"unreadable CSV (record ending on line {reader.line_num}): {exc}"
                yield RawRow(row, {}, {}, (ROW_FIELD, reason, None))
                continue
            if not cells:
                continue
            raw = dict(zip(header, cells, strict=False))
            if len(cells) != width:
                reason = f"expected {width} fields, got {len(cells)}"
                yield RawRow(row, raw, {}, (ROW_FIELD, reason, delimiter.join(cells)))
                continue
            yield _new_row(row, raw, raw if verbatim else dict(zip(keys, cells, strict=True)))

    return read


_DECODER = json.JSONDecoder()  # as json.loads decodes


def _json_line(line: str) -> Any:
    """``json.loads(line)``, a third cheaper for a line that is one JSON value, unpadded.

    Anything else (surrounding whitespace, a byte order mark, an error) goes
    to ``json.loads``, so that it is read or fails exactly as there.
    """
    try:
        obj, end = _DECODER.raw_decode(line)
    except (ValueError, RecursionError):
        return json.loads(line)
    return obj if end == len(line) else json.loads(line)


def jsonl_reader() -> Reader:
    """A reader for JSON Lines in UTF-8; a zero-byte file is zero signals."""

    def read(data: bytes, file: str, warnings: list[Issue]) -> Iterator[RawRow]:
        _check_bytes(data, allow_empty=True)
        text = _decode(data, "utf-8-sig", file, warnings)
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                obj = _json_line(line)
            except (ValueError, RecursionError) as exc:
                yield RawRow(number, {}, {}, (LINE_FIELD, f"not valid JSON: {exc}", line))
                continue
            if not isinstance(obj, dict):
                kind = type(obj).__name__.replace("list", "array").replace("dict", "object")
                reason = f"not a JSON object (got {kind})"
                yield RawRow(number, {}, {}, (LINE_FIELD, reason, line))
                continue
            yield _new_row(number, obj, obj)

    return read


def cell_text(value: object) -> str | None:
    """A sheet cell as JSON-able text: dates ISO, integral numbers without ``.0``.

    >>> cell_text(dt.datetime(2015, 10, 20)), cell_text(2901122334.0), cell_text(None)
    ('2015-10-20', '2901122334', None)
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_reader(spec: TableSpec) -> Reader:
    """A reader for the first sheet of an xlsx workbook, header in row 1.

    ``raw`` holds each cell as ``cell_text`` gives it (JSON-able); ``values``
    the typed cell value, so loaders read the value, not the cell type. A
    value in a column without a header is kept in ``raw`` under ``#<n>``
    (1-based column number) with a warning.
    """

    def read(data: bytes, file: str, warnings: list[Issue]) -> Iterator[RawRow]:
        if not data:
            raise FileRejected("empty file (0 bytes)")
        if not data.startswith(b"PK\x03\x04"):
            raise FileRejected("corrupt workbook: not an xlsx (ZIP) file")
        try:
            workbook = open_workbook(data)
            sheet = workbook.worksheets[0]
            rows = sheet_values(sheet)
            first = next(rows, None)
        except Exception as exc:  # openpyxl and zipfile raise many kinds
            raise FileRejected(f"corrupt workbook: {type(exc).__name__}: {exc}") from None
        if first is None or all(c is None or str(c).strip() == "" for c in first):
            raise FileRejected("empty workbook: the first sheet has no header row")
        header = [cell_text(c) or "" for c in first]
        while header and not header[-1].strip():
            header.pop()
        keys = _check_header(header, spec, None, file, warnings)
        width = len(header)
        row = 0
        try:
            for cells in rows:
                row += 1
                if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                    continue
                values = dict(zip(keys, cells[:width], strict=False))
                raw = {
                    h: c if c is None or type(c) is str else cell_text(c)
                    for h, c in zip(header, cells[:width], strict=False)
                }
                for column in range(width, len(cells)):
                    if cells[column] is not None:
                        raw[f"#{column + 1}"] = cell_text(cells[column])
                        warnings.append(
                            Issue(
                                file,
                                row,
                                f"#{column + 1}",
                                "value in a column without header",
                                value=cell_text(cells[column]),
                            )
                        )
                yield _new_row(row, raw, values)
        except Exception as exc:
            reason = f"corrupt workbook at row {row}: {type(exc).__name__}: {exc}"
            raise FileRejected(reason) from None
        finally:
            workbook.close()

    return read
