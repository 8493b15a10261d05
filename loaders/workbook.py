"""A workbook's first sheet, as openpyxl reads it, about three times faster.

openpyxl's read-only mode builds a descriptor object for every inline or
shared string and dispatches every cell through its general parser, and
it reads a sheet without a ``<dimension>`` element (openpyxl's own
write-only files, so our generator's) in full just to learn that it has
none. For a COA export that was three quarters of the load time.

This module keeps openpyxl for everything - the package, workbook, styles
and date formats, the sheet's XML events, every error and warning - and
changes four things:

- shared strings and cells in the common shapes (a number, a shared
  string, a plain inline string, with a cell reference) are decoded here;
  any other shape (booleans, errors, ISO dates, formulas when not
  ``data_only``, rich text, cells without a reference) goes through
  openpyxl's own code;
- a sheet whose bytes do not contain ``dimension`` is checked for
  well-formedness by expat alone (no Python per element) instead of
  openpyxl's pass, with openpyxl's pass as the fallback for anything
  unusual (a DTD, a non-ASCII-compatible encoding, an XML error), so that
  it raises exactly what openpyxl raises; a sheet found so is remembered
  by the workbook's digest, so that loading a file right after detecting
  its source does not check it twice;
- rows are padded as openpyxl pads them (as wide as ``<dimension>`` says,
  or as their last cell; missing rows empty);
- a well-formed sheet (expat says so) whose ``<sheetData>`` holds only rows
  of cells in the shapes above, written as Excel and openpyxl write them,
  is read by two regular expressions (``_Parser.scan``) instead of ElementTree:
  ElementTree builds an element per cell, value and string, which was most
  of the time left. Everything else in the sheet still goes through
  openpyxl's parser, before any row is read; anything else - a formula,
  a comment, another namespace, whitespace between tags - sends the whole
  sheet the ElementTree way.

So the rows are the values ``load_workbook(read_only=True)`` and
``iter_rows(values_only=True)`` give; ``tests/loaders/test_workbook.py``
compares the two on workbooks of every shape. This leans on openpyxl
internals (``WorkSheetParser``, the read-only sheet's source, its sizing
and ``ExcelReader.read_worksheets``), checked against openpyxl 3.1;
``sheet_values`` falls back to ``iter_rows`` if they are missing.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections import deque
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import IO, Any
from xml.etree import ElementTree
from xml.parsers import expat

from openpyxl.cell.text import Text
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

__all__ = ["open_workbook", "sheet_values"]

log = logging.getLogger(__name__)

_NS = f"{{{SHEET_MAIN_NS}}}"
_SI, _T, _V, _IS, _C = (_NS + tag for tag in ("si", "t", "v", "is", "c"))
Values = tuple[Any, ...]

# The cells decoded here: a number, a shared or an inline string (with data_only),
# with a plain reference (``AB12``) and a numeric style, if any.
_FAST_KINDS = frozenset({"n", "s", "inlineStr"})
_REFERENCE = re.compile(r"([A-Z]{1,3})[0-9]+")
_DIGITS = re.compile(r"[0-9]+")


def _text(node: Any) -> str:
    """``Text.from_tree(node).content``, without building the Text for plain ``<t>``."""
    if len(node) == 1 and not node.attrib:
        child = node[0]
        if child.tag == _T and not len(child):
            return child.text or ""
    return str(Text.from_tree(node).content)


def _string_table(source: IO[bytes]) -> list[str]:
    """openpyxl's ``read_string_table`` with the plain strings read directly."""
    strings = []
    for _, node in iterparse(source):
        if node.tag == _SI:
            strings.append(_text(node).replace("x005F_", ""))
            node.clear()
    return strings


def _unsized_sheet(source: IO[bytes]) -> bytes | None:
    """The sheet XML if it has no ``dimension`` and expat finds it well-formed.

    Then openpyxl's sizing pass would read it all and find no dimension:
    the sheet is unsized. None means "ask openpyxl", also for a DTD
    (entities are where expat alone and ElementTree could disagree) and for
    encodings in which ``dimension`` would not be these bytes. The source is
    read as openpyxl would read it, so that a broken archive member fails
    at the same point.
    """
    parser = expat.ParserCreate(None, "}")  # as ElementTree creates it
    chunks: list[bytes] = []
    previous = b""
    while chunk := source.read(1 << 16):
        if not previous and not (
            chunk.startswith((b"<", b"\xef\xbb\xbf<")) and b"\0" not in chunk[:4]
        ):
            return None
        seam = previous[-16:] + chunk
        if b"dimension" in seam or b"<!DOCTYPE" in seam:
            return None
        try:
            parser.Parse(chunk, False)
        except expat.ExpatError:
            return None
        chunks.append(chunk)
        previous = chunk
    try:
        parser.Parse(b"", True)
    except expat.ExpatError:
        return None
    return b"".join(chunks)


def _well_formed(data: bytes) -> bool:
    """True if expat, as ElementTree runs it, finds ``data`` well-formed, without a DTD."""
    if b"<!DOCTYPE" in data:
        return False
    try:
        expat.ParserCreate(None, "}").Parse(data, True)
    except expat.ExpatError:
        return False
    return True


# Sheets ``_unsized_sheet`` found unsized and well-formed, by (workbook digest,
# sheet path): loading a file detects its source first, which opens it once
# already, and the second opening need not check it again. The last few.
_VERIFIED: deque[tuple[bytes, str]] = deque(maxlen=16)


class _Worksheet(ReadOnlyWorksheet):  # type: ignore[misc]
    """A read-only sheet that learns it has no dimension without openpyxl's full pass.

    The XML of an unsized sheet, read and checked here anyway, is kept for
    the first ``sheet_values`` (only when values are read: ``data_only``).
    """

    _checked_xml: bytes | None = None

    def __init__(self, parent: Any, title: str, path: str, strings: list[str], digest: bytes):
        self._key = (digest, path)  # before openpyxl's __init__, which sizes the sheet
        super().__init__(parent, title, path, strings)

    def _get_size(self) -> None:
        with self._get_source() as source:
            if self._key in _VERIFIED:
                data = source.read()
            elif (data := _unsized_sheet(source)) is not None:
                _VERIFIED.append(self._key)
        if data is None:
            super()._get_size()
        elif self.parent.data_only:
            self._checked_xml = data


class _Reader(ExcelReader):  # type: ignore[misc]
    """openpyxl's read-only reader with a faster string table and sheet sizing."""

    def __init__(self, data: bytes, *, data_only: bool) -> None:
        super().__init__(io.BytesIO(data), read_only=True, data_only=data_only)
        self.digest = hashlib.blake2b(data, digest_size=16).digest()

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is None or self.rich_text:
            super().read_strings()
            return
        with self.archive.open(part.PartName[1:]) as source:
            self.shared_strings = _string_table(source)

    def read_worksheets(self) -> None:
        """openpyxl 3.1's ``read_worksheets`` for read-only workbooks, with ``_Worksheet``."""
        if not self.read_only:
            super().read_worksheets()
            return
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            rels_path = get_rels_path(rel.target)
            if rels_path in self.valid_files:
                get_dependents(self.archive, rels_path)
            worksheet = _Worksheet(
                self.wb, sheet.name, rel.target, self.shared_strings, self.digest
            )
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def open_workbook(data: bytes, *, data_only: bool = True) -> Any:
    """``openpyxl.load_workbook(read_only=True)`` on ``data``; close it after use."""
    reader = _Reader(data, data_only=data_only)
    reader.read()
    return reader.wb


@cache
def _column(letters: str | bytes) -> int:
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    return int(column_index_from_string(letters))


@lru_cache(maxsize=65536, typed=True)
def _excel_date(number: int | float, epoch: Any, timedelta: bool) -> Any:
    """openpyxl's ``from_excel``, cached: a sheet repeats its dates (a result is immutable)."""
    return from_excel(number, epoch, timedelta=timedelta)


def _number(text: str) -> int | float:
    """openpyxl's ``_cast_number``."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


# The sheet XML ``_Parser.scan`` reads, as bytes: a UTF-8 document whose root
# declares the sheet namespace, the only default namespace before
# ``<sheetData>``, and in it rows of cells exactly as Excel and openpyxl write
# them (no byte of a UTF-8 sequence is a ``<``). Cell groups: the reference,
# its letters, style, type, ``<v>`` text, and ``<is><t>`` opened (then its
# text) or written empty. Row groups: number, cells.
_PROLOG = re.compile(
    rb'(?:<\?xml version="1\.0"(?: encoding="(?i:utf-8)")?(?: standalone="(?:yes|no)")?\?>\s*)?'
    rb"<worksheet(?:\s+[\w:.-]+=(?:\"[^\"]*\"|'[^']*'))*?"
    + rb'\s+xmlns="'
    + re.escape(SHEET_MAIN_NS.encode())
    + rb'"'
)
_DEFAULT_NS = re.compile(rb"\sxmlns\s*=")
_CELL = (
    rb'<c r="(([A-Z]{1,3})[0-9]+)"(?: s="([0-9]+)")?(?: t="(n|s|inlineStr)")?'
    rb"(?:/>|>(?:<v>([^<]*)</v>|<v/>"
    rb'|(<is><t(?: xml:space="preserve")?>)([^<]*)</t></is>|(<is><t/>)</is>)?</c>)'
)


def _uncaptured(pattern: bytes) -> bytes:
    """``pattern`` with its groups made non-capturing (it holds no escaped parenthesis)."""
    return re.sub(rb"[(](?![?])", b"(?:", pattern)


_SCANNED_CELL = re.compile(_CELL)
_SCANNED_ROW = re.compile(
    rb'<row r="([0-9]+)"(?: (?!xmlns)[A-Za-z_][\w:.-]*="[^"<]*")*'
    + rb"(?:/>|>((?:"
    + _uncaptured(_CELL)
    + rb")*+)</row>)"
)
_DATA_START, _DATA_END = b"<sheetData>", b"</sheetData>"

# References in character data of a well-formed document without a DTD.
_REFERENCE_IN_TEXT = re.compile(r"&(?:#([0-9]+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _contiguous(matches: list[re.Match[bytes]], start: int, end: int) -> bool:
    """True if ``matches`` cover ``start:end`` one after the other, nothing between."""
    for match in matches:
        if match.start() != start:
            return False
        start = match.end()
    return start == end


def _character(match: re.Match[str]) -> str:
    decimal, hexadecimal, name = match.groups()
    if name:
        return _NAMED[name]
    return chr(int(decimal) if decimal else int(hexadecimal, 16))


def _xml_text(data: bytes) -> str:
    """UTF-8 character data of a well-formed document as expat gives it."""
    raw = data.decode("utf-8")
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in raw:
        raw = _REFERENCE_IN_TEXT.sub(_character, raw)
    return raw


class _Parser(WorkSheetParser):  # type: ignore[misc]
    """A sheet parser whose rows are ``(column, value)`` pairs, common cells decoded here."""

    def parse_row(self, row: Any) -> tuple[int, list[tuple[int, Any]]]:
        number = row.get("r")
        if number is not None:
            try:
                self.row_counter = int(number)
            except ValueError:
                value = float(number)
                if not value.is_integer():
                    raise ValueError(f"{number} is not a valid row number") from None
                self.row_counter = int(value)
        else:
            self.row_counter += 1
        self.col_counter = 0
        return self.row_counter, [self._cell(element) for element in row]

    def _cell(self, element: Any) -> tuple[int, Any]:
        """(column, value) of a cell; openpyxl's ``parse_cell`` for the unusual shapes."""
        kind = element.get("t", "n")
        reference = _REFERENCE.fullmatch(element.get("r") or "")
        style = element.get("s")
        if (
            reference is None
            or kind not in _FAST_KINDS
            or (style is not None and _DIGITS.fullmatch(style) is None)
        ):
            cell = self.parse_cell(element)
            return cell["column"], cell["value"]
        column = _column(reference[1])
        self.col_counter = column
        if kind == "inlineStr":
            child = element.find(_IS)
            return column, None if child is None else _text(child)
        found = element.find(_V)
        value = found.text if found is not None else None
        if not value:
            return column, None
        if kind == "s":
            return column, self.shared_strings[int(value)]
        return column, self._number_value(value, style, element)

    def _number_value(
        self, value: str, style: str | None, element: Any = None, reference: str = ""
    ) -> Any:
        """A number cell's value: a date in a date style; openpyxl's own way when out of range.

        ``element`` is the cell; a scanned cell has none, and one is built from
        its ``reference``, style and value when openpyxl must read it.
        """
        number = _number(value)
        style_id = int(style) if style else 0
        if style_id not in self.date_formats:
            return number
        try:
            return _excel_date(number, self.epoch, style_id in self.timedelta_formats)
        except (OverflowError, ValueError):  # openpyxl warns: let it
            if element is None:
                attributes = {"r": reference, "s": style} if style else {"r": reference}
                element = ElementTree.Element(_C, attributes)
                ElementTree.SubElement(element, _V).text = value
            return self.parse_cell(element)["value"]

    def scan(self, data: bytes) -> Iterator[tuple[int, list[tuple[int, Any]]]] | None:
        """``parse()`` without ElementTree, or None if the sheet is not plain (see ``_CELL``).

        ``data`` must be well-formed (``_well_formed``). What lies outside
        ``<sheetData>`` is parsed by openpyxl first; if that fails or finds
        rows, None, and ``parse()`` then fails or reads alike.
        """
        start, end = data.find(_DATA_START), data.find(_DATA_END)
        if (
            start < 0
            or end < start
            or data.count(b"<sheetData") != 1
            or data.count(_DATA_END) != 1
            or not _PROLOG.match(data)
            or len(_DEFAULT_NS.findall(data, 0, start)) != 1
        ):
            return None
        start += len(_DATA_START)
        rows = list(_SCANNED_ROW.finditer(data, start, end))
        if not _contiguous(rows, start, end):
            return None
        rest = data[: start - len(_DATA_START)] + b"<sheetData/>" + data[end + len(_DATA_END) :]
        outside = WorkSheetParser(io.BytesIO(rest), self.shared_strings)
        try:
            if next(outside.parse(), None) is not None:
                return None
        except Exception:
            return None
        return self._scanned_rows(rows, b"&" in data or b"\r" in data)

    def _scanned_rows(
        self, rows: list[re.Match[bytes]], references: bool
    ) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
        """``parse()`` of scanned rows: ``_cell`` for each cell, from its groups.

        ``references``: whether the text may hold character references or
        carriage returns to decode (most sheets have none).
        """
        decode = _xml_text if references else bytes.decode  # UTF-8
        strings = self.shared_strings
        for row in rows:
            cells = []
            for reference, letters, style, kind, value, inline, inline_text, empty in (
                _SCANNED_CELL.findall(row[2]) if row[2] else ()
            ):
                if kind == b"inlineStr":
                    text = decode(inline_text) if inline else "" if empty else None
                elif not value:
                    text = None
                elif kind == b"s":
                    text = strings[int(decode(value))]
                else:
                    text = self._number_value(
                        decode(value), style.decode() or None, reference=reference.decode()
                    )
                cells.append((_column(letters), text))
            yield int(row[1]), cells


def _padded(cells: list[tuple[int, Any]], width: int | None) -> Values:
    """openpyxl's ``ReadOnlyWorksheet._get_row`` for values (``min_col`` 1)."""
    if not cells and not width:
        return ()
    width = width or cells[-1][0]
    values: list[Any] = [None] * width
    for column, value in cells:
        if 1 <= column <= width:
            values[column - 1] = value
    return tuple(values)


def _sheet_xml(sheet: Any) -> bytes | None:
    """The sheet's XML if it is well-formed; None when reading or checking it fails."""
    data, sheet._checked_xml = getattr(sheet, "_checked_xml", None), None
    if data is not None:
        return data  # type: ignore[no-any-return]
    try:
        with sheet._get_source() as source:
            data = source.read()
    except Exception:  # openpyxl's pass fails alike, at its own point
        return None
    return data if _well_formed(data) else None


def _fast_values(sheet: Any) -> Iterator[Values]:
    """openpyxl's ``ReadOnlyWorksheet._cells_by_row`` for values, from row 1."""
    workbook = sheet.parent
    width, last = sheet.max_column, sheet.max_row
    empty: Values = (None,) * width if width is not None else ()
    counter = index = 1
    data = _sheet_xml(sheet)
    with io.BytesIO(data) if data is not None else sheet._get_source() as source:
        parser = _Parser(
            source,
            sheet._shared_strings,
            data_only=workbook.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        rows = parser.scan(data) if data is not None else None
        for index, cells in parser.parse() if rows is None else rows:
            if last is not None and index > last:
                break
            while counter < index:
                counter += 1
                yield empty
            if counter <= index:
                counter += 1
                yield _padded(cells, width)
    if last is not None and last < index:
        for _ in range(counter, last + 1):
            yield empty


def sheet_values(sheet: Any) -> Iterator[Values]:
    """The rows of a read-only ``sheet`` as ``iter_rows(values_only=True)`` gives them.

    Empty rows are ``()`` where openpyxl gives ``[]``; nothing else differs.
    """
    internals = all(hasattr(sheet, name) for name in ("_get_source", "_shared_strings")) and all(
        hasattr(sheet.parent, name) for name in ("_date_formats", "_timedelta_formats")
    )
    if not internals:
        log.warning("openpyxl internals changed: reading the sheet the slow way")
    if not (internals and sheet.parent.data_only):
        return (tuple(row) for row in sheet.iter_rows(values_only=True))
    return _fast_values(sheet)
