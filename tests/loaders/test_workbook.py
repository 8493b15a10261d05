"""The fast sheet reader gives what openpyxl gives, on workbooks of every shape.

Each case reads one workbook twice: with ``openpyxl.load_workbook(read_only=True,
data_only=True)`` and ``iter_rows(values_only=True)`` (the reference), and with
``loaders.workbook``. Rows must be equal, and a workbook that openpyxl refuses
must be refused with the same exception, at the same step (opening or reading).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from loaders import workbook
from loaders.workbook import open_workbook, sheet_values

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

Outcome = tuple[str, Any]


def _reference(data: bytes) -> Outcome:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:
        return "open failed", (type(exc), str(exc))
    try:
        return "rows", [tuple(row) for row in sheet.iter_rows(values_only=True)]
    except Exception as exc:
        return "rows failed", (type(exc), str(exc))
    finally:
        workbook.close()


def _fast(data: bytes) -> Outcome:
    try:
        workbook = open_workbook(data)
        sheet = workbook.worksheets[0]
    except Exception as exc:
        return "open failed", (type(exc), str(exc))
    try:
        return "rows", list(sheet_values(sheet))
    except Exception as exc:
        return "rows failed", (type(exc), str(exc))
    finally:
        workbook.close()


def assert_same(data: bytes) -> Outcome:
    expected = _reference(data)
    assert _fast(data) == expected
    return expected


def _saved(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_only(rows: list[list[Any]]) -> bytes:
    """As the generator writes: inline strings, no ``<dimension>``."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    return _saved(workbook)


def _normal(rows: list[list[Any]]) -> bytes:
    """As openpyxl saves a workbook: with ``<dimension>``."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    return _saved(workbook)


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


def _with_sheet(sheet_xml: str, shared: str | None = None) -> bytes:
    """A workbook whose first sheet is ``sheet_xml`` (and shared strings ``shared``)."""
    base = zipfile.ZipFile(io.BytesIO(_normal([[dt.datetime(2015, 10, 20)]])))  # style 1: a date
    patches = {name: (end, text) for name, end, text in _SHARED_PARTS} if shared is not None else {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for info in base.infolist():
            content = base.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = sheet_xml.encode("utf-8")
            elif info.filename in patches:
                end, text = patches[info.filename]
                content = content.replace(end, text + end)
            out.writestr(info.filename, content)
        if shared is not None:
            out.writestr("xl/sharedStrings.xml", f'<sst xmlns="{NS}">{shared}</sst>')
    return buffer.getvalue()


def _sheet(rows: str, before: str = "", after: str = "") -> str:
    return f'<worksheet xmlns="{NS}">{before}<sheetData>{rows}</sheetData>{after}</worksheet>'


ROWS: list[list[Any]] = [
    ["melding_nr", "datum", "naam", "getal", "waar", None, "leeg"],
    ["COA-1", dt.datetime(2015, 10, 20), "HAILE Yonas", 2901122334, True, None, ""],
    ["COA-2", dt.date(1990, 1, 1), "  spaties  ", 3.5, False, "#N/A", None],
    [],
    ["COA-3", 42297, "Ünïcødé — “quotes” & <tags>", -7, None, None, None, "extra", None, 9],
    [None, None, None],
    ["=HYPERLINK(1)", dt.time(10, 30), "x005F_y", 1e20, 0, None, "\u202eabc"],
]


@pytest.mark.parametrize("write", [_write_only, _normal], ids=["write-only", "normal"])
def test_openpyxl_workbooks(write: Any) -> None:
    outcome, rows = assert_same(write(ROWS))
    assert outcome == "rows" and rows[1][0] == "COA-1"


def test_rich_text_and_formulas() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["a", "b"])
    sheet["A2"] = CellRichText("plain ", TextBlock(InlineFont(b=True), "bold"))
    sheet["B2"] = "=SUM(1,2)"  # no cached value: None with data_only
    assert_same(_saved(workbook))


SHARED = (
    "<si><t>plain</t></si>"
    '<si><t xml:space="preserve">  kept  </t></si>'
    "<si><t/></si>"
    "<si><r><rPr><b/></rPr><t>rich</t></r><r><t> text</t></r></si>"
    "<si><t>with</t><rPh sb='0' eb='1'><t>phonetic</t></rPh></si>"
    "<si><t>a_x005F_b</t></si>"
)


@pytest.mark.parametrize(
    "cells",
    [
        # every kind of cell, shared strings included
        '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
        '<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c>',
        '<c r="A1" t="b"><v>1</v></c><c r="B1" t="e"><v>#REF!</v></c>'
        '<c r="C1" t="str"><v>formula text</v></c><c r="D1" t="d"><v>2015-10-20T10:30:00</v></c>'
        '<c r="E1"><f>1+1</f><v>2</v></c><c r="F1" t="n"><v>1.5E3</v></c><c r="G1"/>'
        '<c r="H1" s="1"><v>43000.5</v></c><c r="I1" s="1"><v>1e308</v></c>',  # dates, one too big
        # cells without reference, lowercase and out-of-order references, odd styles
        '<c><v>1</v></c><c t="inlineStr"><is><t>two</t></is></c><c r="e1"><v>5</v></c>',
        '<c r="C1"><v>3</v></c><c r="A1"><v>1</v></c>',
        '<c r="A1" s=""><v>1</v></c><c r="B1" s="0"><v>2</v></c><c r="C1" s="1"><v>43000</v></c>',
        # inline strings of every shape
        '<c r="A1" t="inlineStr"><is><t/></is></c><c r="B1" t="inlineStr"/>'
        '<c r="C1" t="inlineStr"><is><r><t>r1</t></r><r><t>r2</t></r></is></c>'
        '<c r="D1" t="inlineStr"><is><t>a</t><t>b</t></is></c>',
        # empty values
        '<c r="A1"><v></v></c><c r="B1" t="s"><v/></c><c r="C1"></c>',
    ],
)
@pytest.mark.filterwarnings("ignore:Cell I1 is marked as a date")
def test_cell_shapes(cells: str) -> None:
    rows = f'<row r="1">{cells}</row><row r="3"><c r="B3"><v>7</v></c></row><row/>'
    assert_same(_with_sheet(_sheet(rows), SHARED))


_CUT_ROWS = [
    f'<row r="{i}"><c r="C{i}"><v>{i}</v></c><c r="A{i}"><v>0</v></c></row>' for i in range(5)
]


@pytest.mark.parametrize(
    ("before", "rows", "after"),
    [
        ('<dimension ref="A1:C2"/>', '<row r="1"><c r="A1"><v>1</v></c></row>', ""),
        # a dimension smaller than the data: openpyxl cuts rows and columns
        ('<dimension ref="A1:B2"/>', "".join(_CUT_ROWS), ""),
        ("", '<row r="2.0"><c r="A2"><v>1</v></c></row><row><c r="A3"><v>2</v></c></row>', ""),
        ("", '<row r="1"><c r="A1"><v>1</v></c></row>', '<dimension ref="A1:Z9"/>'),
        ("", '<row r="1"><c r="A1" t="inlineStr"><is><t>dimension</t></is></c></row>', ""),
        ("", '<row r="1"><c r="A1"><v>1</v></c><dimension ref="A1:D1"/></row>', ""),
    ],
)
def test_sizing_and_numbering(before: str, rows: str, after: str) -> None:
    assert_same(_with_sheet(_sheet(rows, before, after)))


def test_doctype_goes_to_openpyxl() -> None:
    row = '<row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>'
    xml = '<!DOCTYPE worksheet [<!ENTITY e "entity">]>' + _sheet(row)
    assert_same(_with_sheet(xml))


@pytest.mark.parametrize(
    "xml",
    [
        _sheet('<row r="1"><c r="A1"><v>1</v></c></row>')[:-20],  # truncated
        _sheet('<row r="1"><c r="A1"><v>1</v></c></row>', after="<pageMargins left='x'/>"),
        _sheet('<row r="1"><c r="A1"><v>abc</v></c></row>'),
        _sheet('<row r="1"><c r="A1" t="s"><v>99</v></c></row>'),
        _sheet('<row r="1.5"><c r="A1"><v>1</v></c></row>'),
        _sheet('<row r="1"><c r="A1" t="inlineStr"><is x="1"><t>a</t></is></c></row>'),
        _sheet('<row r="1"><c r="A1"><v>1</v></c></row>', '<dimension ref="nonsense"/>'),
        f'<worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>',
        "<worksheet><unbound:x/></worksheet>",
    ],
)
def test_broken_sheets_fail_alike(xml: str) -> None:
    assert_same(_with_sheet(xml, "<si><t>only</t></si>"))


def test_broken_shared_strings_fail_alike() -> None:
    assert_same(_with_sheet(_sheet(""), "<si><t>a</t></si><si x='1'><t>b</t></si>"))
    assert_same(_with_sheet(_sheet(""), "<si><t>a</t>"))


_CELL = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=6), max_size=6), st.booleans())
def test_random_workbooks(rows: list[list[Any]], write_only: bool) -> None:
    rows = [[_as_text(c) for c in row] for row in rows]
    assert_same((_write_only if write_only else _normal)(rows))


def _as_text(cell: Any) -> Any:
    """Strings openpyxl would take for formulas are written as text cells' content."""
    if isinstance(cell, str):
        return re.sub(r"^[=\s]+", "", cell)
    return cell


# -- the scanned sheets: read without ElementTree -----------------------------


def _scanned(data: bytes) -> bool:
    """Whether ``sheet_values`` reads the rows of ``data`` by scanning (``_Parser.scan``)."""
    book = open_workbook(data)
    try:
        xml = workbook._sheet_xml(book.worksheets[0])
        return xml is not None and workbook._Parser(None, SHARED).scan(xml) is not None
    finally:
        book.close()


EXCEL_ROOT = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="{NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
)


@pytest.mark.parametrize(
    "xml",
    [
        # as Excel writes: a declaration, prefixes, row attributes, shared strings, dates
        EXCEL_ROOT + '<dimension ref="A1:C2"/><sheetData>'
        '<row r="1" spans="1:3" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c>'
        '<c r="B1" s="1"><v>42297</v></c><c r="C1" s="1"/></row>'
        '<row r="2" spans="1:3" ht="30" customHeight="1"><c r="C2"><v>1.5E3</v></c></row>'
        '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
        'header="0.3" footer="0.3"/></worksheet>',
        # references and line ends in text, as expat reads them
        _sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>a &amp; b &lt;c&gt; &#233;&#x20AC;'
            '&quot;&apos;</t></is></c><c r="B1" t="inlineStr"><is><t xml:space="preserve">'
            ' x\r\ny\rz&#13;&#10; </t></is></c><c r="C1"><v>&#49;2</v></c></row>'
        ),
        # empty cells and rows of every scanned shape, a dimension cutting the data
        _sheet(
            '<row r="2"/><row r="3"></row><row r="4"><c r="A4" t="inlineStr"/>'
            '<c r="B4" t="inlineStr"><is><t/></is></c><c r="C4" t="s"/><c r="D4"><v/></c>'
            '<c r="E4" t="n"><v></v></c><c r="F4" t="inlineStr"><v>1</v></c>'
            '<c r="G4" t="s"><is><t>x</t></is></c></row>',
            '<dimension ref="A1:E3"/>',
        ),
        # an out-of-range date in a date style: openpyxl's own error value
        _sheet('<row r="1"><c r="A1" s="1"><v>1e308</v></c><c r="B1" s="1"><v>2</v></c></row>'),
    ],
)
@pytest.mark.filterwarnings("ignore:Cell A1 is marked as a date")
def test_scanned_sheets(xml: str) -> None:
    data = _with_sheet(xml, SHARED)
    assert _scanned(data)
    assert_same(data)


@pytest.mark.parametrize(
    "xml",
    [
        _sheet('<row r="1"><c r="A1"><v>1</v></c></row> <row r="2"><c r="A2"><v>2</v></c></row>'),
        _sheet('<row r="1"><!-- note --><c r="A1"><v>1</v></c></row>'),
        _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[a<b]]></t></is></c></row>'),
        _sheet('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>'),
        _sheet('<row><c r="A1"><v>1</v></c></row>'),
        _sheet('<row r="1" xmlns="urn:other"><c r="A1"><v>1</v></c></row>'),
        _sheet('<row r="1"><c r="A1" s="1" t="n" ><v>1</v></c></row>'),
        _sheet('<row r="1"><c r="A1"><v>1</v></c></row>', '<sheetPr xmlns="urn:x"/>'),
        f'<x:worksheet xmlns:x="{NS}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v>'
        "</x:c></x:row></x:sheetData></x:worksheet>",
        '<?xml version="1.0" encoding="ISO-8859-1"?>' + _sheet('<row r="1"></row>'),
        # rows outside sheetData, or an error after the rows: all read the ElementTree way
        _sheet('<row r="1"><c r="A1"><v>1</v></c></row>', after='<row r="9"/>'),
        _sheet('<row r="1"><c r="A1"><v>1</v></c></row>', after="<pageMargins left='x'/>"),
    ],
)
def test_other_sheets_are_parsed(xml: str) -> None:
    data = _with_sheet(xml, SHARED)
    assert not _scanned(data)
    assert_same(data)


# Any character XML 1.0 allows, written raw or as a reference (markup always as one).
_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\t\n\r&<>\"'"),
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_TEXT, min_size=1, max_size=4), min_size=1, max_size=4))
def test_scanned_text_is_read_as_openpyxl_reads_it(rows: list[list[str]]) -> None:
    cells = "".join(
        f'<row r="{i}">'
        + "".join(
            f'<c r="{chr(65 + j)}{i}" t="inlineStr"><is><t xml:space="preserve">'
            f"{_escaped(text)}</t></is></c>"
            for j, text in enumerate(row)
        )
        + "</row>"
        for i, row in enumerate(rows, start=1)
    )
    data = _with_sheet(_sheet(cells))
    assert _scanned(data)
    assert_same(data)


def _escaped(text: str) -> str:
    """XML text for ``text``: markup characters as references, others raw or not."""
    out = []
    for index, char in enumerate(text):
        if char in "<&" or index % 3 == 0:
            out.append(f"&#{ord(char)};" if index % 2 else f"&#x{ord(char):x};")
        else:
            out.append(char)
    return "".join(out)


def test_a_sheet_checked_once_is_not_checked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _write_only(ROWS)
    first = _fast(data)
    calls = []
    monkeypatch.setattr(workbook, "_unsized_sheet", lambda source: calls.append(source))
    assert _fast(data) == first
    assert calls == []
