"""A workbook's first sheet, as openpyxl reads it, about three times faster.

openpyxl's read-only mode builds a descriptor object for every inline or
shared string and dispatches every cell through its general parser, and
it reads a sheet without a ``<dimension>`` element (openpyxl's own
write-only files, so our generator's) in full just to learn that it has
none. For a COA export that was three quarters of the load time.

This module keeps openpyxl for everything - the package, workbook, styles
and date formats, the sheet's XML events, every error and warning - and
changes three things:

- shared strings and cells in the common shapes (a number, a shared
  string, a plain inline string, with a cell reference) are decoded here;
  any other shape (booleans, errors, ISO dates, formulas when not
  ``data_only``, rich text, cells without a reference) goes through
  openpyxl's own code;
- a sheet whose bytes do not contain ``dimension`` is checked for
  well-formedness by expat alone (no Python per element) instead of
  openpyxl's pass, with openpyxl's pass as the fallback for anything
  unusual (a DTD, a non-ASCII-compatible encoding, an XML error), so that
  it raises exactly what openpyxl raises;
- rows are padded as openpyxl pads them (as wide as ``<dimension>`` says,
  or as their last cell; missing rows empty).

So the rows are the values ``load_workbook(read_only=True)`` and
``iter_rows(values_only=True)`` give; ``tests/loaders/test_workbook.py``
compares the two on workbooks of every shape. This leans on openpyxl
internals (``WorkSheetParser``, the read-only sheet's source, its sizing
and ``ExcelReader.read_worksheets``), checked against openpyxl 3.1;
``sheet_values`` falls back to ``iter_rows`` if they are missing.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from functools import cache
from typing import IO, Any
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
_SI, _T, _V, _IS = _NS + "si", _NS + "t", _NS + "v", _NS + "is"
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


def _plainly_unsized(source: IO[bytes]) -> bool:
    """True if the sheet XML has no ``dimension`` and expat finds it well-formed.

    Then openpyxl's sizing pass would read it all and find no dimension:
    the sheet is unsized. False means "ask openpyxl", also for a DTD
    (entities are where expat alone and ElementTree could disagree) and for
    encodings in which ``dimension`` would not be these bytes.
    """
    parser = expat.ParserCreate(None, "}")  # as ElementTree creates it
    previous = b""
    while chunk := source.read(1 << 16):
        if not previous and not (
            chunk.startswith((b"<", b"\xef\xbb\xbf<")) and b"\0" not in chunk[:4]
        ):
            return False
        seam = previous[-16:] + chunk
        if b"dimension" in seam or b"<!DOCTYPE" in seam:
            return False
        try:
            parser.Parse(chunk, False)
        except expat.ExpatError:
            return False
        previous = chunk
    try:
        parser.Parse(b"", True)
    except expat.ExpatError:
        return False
    return True


class _Worksheet(ReadOnlyWorksheet):  # type: ignore[misc]
    """A read-only sheet that learns it has no dimension without openpyxl's full pass."""

    def _get_size(self) -> None:
        with self._get_source() as source:
            unsized = _plainly_unsized(source)
        if not unsized:
            super()._get_size()


class _Reader(ExcelReader):  # type: ignore[misc]
    """openpyxl's read-only reader with a faster string table and sheet sizing."""

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
            worksheet = _Worksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def open_workbook(data: bytes, *, data_only: bool = True) -> Any:
    """``openpyxl.load_workbook(read_only=True)`` on ``data``; close it after use."""
    reader = _Reader(io.BytesIO(data), read_only=True, data_only=data_only)
    reader.read()
    return reader.wb


@cache
def _column(letters: str) -> int:
    return int(column_index_from_string(letters))


def _number(text: str) -> int | float:
    """openpyxl's ``_cast_number``."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


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
        number = _number(value)
        style_id = int(style) if style else 0
        if style_id in self.date_formats:
            try:
                timedelta = style_id in self.timedelta_formats
                return column, from_excel(number, self.epoch, timedelta=timedelta)
            except (OverflowError, ValueError):  # openpyxl warns: let it
                cell = self.parse_cell(element)
                return column, cell["value"]
        return column, number


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


def _fast_values(sheet: Any) -> Iterator[Values]:
    """openpyxl's ``ReadOnlyWorksheet._cells_by_row`` for values, from row 1."""
    workbook = sheet.parent
    width, last = sheet.max_column, sheet.max_row
    empty: Values = (None,) * width if width is not None else ()
    counter = index = 1
    with sheet._get_source() as source:
        parser = _Parser(
            source,
            sheet._shared_strings,
            data_only=workbook.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for index, cells in parser.parse():
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
