"""Fuzzing the four loaders and the workbook reader (issue 23).

Two kinds of case per format: *values* - a well-formed file whose cells or
keys hold anything (markup, formulas, quotes, line ends, numbers where text
belongs, very long text, deep nesting), so the number of data rows is
known - and *bytes* - a valid file cut, spliced and corrupted at random.
Invariants on every case (``check``): no exception escapes, a whole-file
reject names the file and keeps nothing, every data row is exactly one
record or one rejected row, and for *values* the rows counted are the rows
written.

``make test`` runs each test with ``WORKBENCH_FUZZ_EXAMPLES`` examples (25);
``make fuzz`` with many more.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import loaders
from loaders.records import LoadResult

from .conftest import COA_HEADER, IND_HEADER, POLITIE_HEADER, ind_row, kmar_obj, politie_row
from .workbooks import inline, row, sheet, workbook

EXAMPLES = int(os.environ.get("WORKBENCH_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@contextmanager
def _file(name: str, data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def check(path: Path, rows: int | None = None) -> LoadResult:
    """Load ``path`` and check the invariants; ``rows``: the data rows it holds, if known."""
    result = loaders.load(path)
    if result.error is not None:
        assert str(path) in result.error
        assert result.records == [] and result.rejects == [] and result.rows == 0
        assert rows is None, result.error  # a well-formed file is never rejected whole
        return result
    numbers = [s.row for s in result.records]
    rejected = {r.row for r in result.rejects}
    assert len(set(numbers)) == len(numbers) and not rejected & set(numbers)
    assert result.rows == len(numbers) + len(rejected)
    assert all(n >= 1 for n in [*numbers, *rejected])
    if rows is not None:
        assert result.rows == rows
    json.dumps([s.raw for s in result.records])  # what ingest stores must be JSON-able
    return result


# -- values ------------------------------------------------------------------------

_NASTY = st.sampled_from(
    [
        "", " ", "<script>alert(1)</script>", '=HYPERLINK("http://x","y")', "+31 6 1234",
        "@SUM(A1)", "' OR 1=1 --", "MATCH (n) DETACH DELETE n", 'a "quoted" ; , value',
        "multi\nline\r\ntext\rhere", "\ufeffBOM", "abc\u202edcba", "\u2028\u2029\x85",
        "Syrië – Libië", "1e308", "-0", "NaN", "00-00-0000", "2015-02-30", "zacht ", "HARD",
    ]
)  # fmt: skip
_TEXT = st.one_of(
    _NASTY,
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30),
    st.integers(1, 3).map(lambda k: "lang " * (k * 7000)),  # 35,000-105,000: around 64 Ki
)
_CP1252 = _TEXT.map(lambda t: t.encode("cp1252", "replace").decode("cp1252"))
_ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])


def _csv(rows: list[list[str]], delimiter: str, endings: list[str]) -> str:
    """CSV with the record ends taken in turn from ``endings`` (quoting as RFC 4180)."""
    out = []
    for index, cells in enumerate(rows):
        line = io.StringIO()
        csv.writer(line, delimiter=delimiter, lineterminator="\r\n").writerow(cells)
        out.append(line.getvalue()[:-2] + endings[index % len(endings)])
    return "".join(out)


def _table_rows(header: list[str], base: Any, texts: st.SearchStrategy[str]) -> Any:
    """Rows of valid values with some cells replaced by anything (a blank row is not written)."""
    return st.lists(
        st.tuples(st.integers(1, 10**6), st.dictionaries(st.sampled_from(header), texts)),
        min_size=0,
        max_size=6,
    ).map(lambda items: [[{**base(n), **over}[h] for h in header] for n, over in items])


@FUZZ
@given(
    _table_rows(POLITIE_HEADER, politie_row, _TEXT), st.lists(_ENDINGS, min_size=1), st.booleans()
)
def test_politie_values(rows: list[list[str]], endings: list[str], bom: bool) -> None:
    text = _csv([POLITIE_HEADER, *rows], ",", endings)
    data = ("\ufeff" if bom else "") + text
    with _file("politie_f.csv", data.encode("utf-8")) as path:
        check(path, sum(1 for r in rows if any(r)))


@FUZZ
@given(_table_rows(IND_HEADER, ind_row, _CP1252), st.lists(_ENDINGS, min_size=1))
def test_ind_values(rows: list[list[str]], endings: list[str]) -> None:
    text = _csv([IND_HEADER, *rows], ";", endings)
    with _file("ind_f.csv", text.encode("cp1252")) as path:
        check(path, sum(1 for r in rows if any(r)))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=12,
)
_KMAR_KEYS = st.sampled_from(
    ["ref", "tijdstip", "post", "signaal", "persoon", "documenten", "reisroute", "aankomstdatum",
     "reisgenoten", "telefoons", "facilitator", "onbekend"]
)  # fmt: skip


def _deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": [value]}
    return value


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.integers(1, 10**6),
            st.dictionaries(_KMAR_KEYS, _JSON | st.integers(1, 40).map(_deep), max_size=3),
            st.booleans(),
        ),
        max_size=6,
    ),
    st.booleans(),
)
def test_kmar_values(items: list[tuple[int, dict[str, Any], bool]], crlf: bool) -> None:
    lines = []
    for number, over, duplicate in items:
        line = json.dumps({**kmar_obj(number), **over}, ensure_ascii=bool(number % 2))
        if duplicate:  # a key twice: JSON keeps the last
            line = line[:-1] + ', "ref": "KM-dup"}'
        lines.append(line)
    data = ("\r\n" if crlf else "\n").join(lines).encode("utf-8")
    with _file("kmar_f.jsonl", data) as path:
        check(path, len(lines))


_CELL = st.one_of(
    _TEXT.filter(lambda t: len(t) < 40_000).map(lambda t: ("s", t)),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: ("n", f)),
    st.integers(-(10**15), 10**15).map(lambda i: ("n", i)),
    st.integers(1, 60_000).map(lambda i: ("d", i)),  # a date cell
    st.sampled_from([("b", 1), ("e", "#N/A"), ("f", "1+1"), ("shared", 0)]),
)


def _escape(text: str) -> str:
    xml_ok = "".join(c for c in text if c in "\t\n\r" or (c >= " " and c not in "\ufffe\uffff"))
    return xml_ok.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(reference: str, kind: str, value: Any) -> str:
    if kind == "s":
        return inline(reference, _escape(value))
    if kind == "n":
        return f'<c r="{reference}"><v>{value!r}</v></c>'
    if kind == "d":
        return f'<c r="{reference}" s="1"><v>{value}</v></c>'
    if kind == "shared":
        return f'<c r="{reference}" t="s"><v>{value}</v></c>'
    if kind == "f":
        return f'<c r="{reference}"><f>{value}</f><v>2</v></c>'
    return f'<c r="{reference}" t="{kind}"><v>{value}</v></c>'


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(2, 40), st.dictionaries(st.integers(0, 15), _CELL, max_size=5)),
        max_size=6,
        unique_by=lambda item: item[0],
    ),
    st.sampled_from(["", '<dimension ref="A1:B2"/>', '<dimension ref="A1:Z99"/>']),
    st.booleans(),
    st.booleans(),
)
def test_coa_values(
    items: list[tuple[int, dict[int, tuple[str, Any]]]], dimension: str, shuffle: bool, cover: bool
) -> None:
    rows = [row(1, *COA_HEADER)]
    for number, over in items:
        cells = {i: ("s", v) for i, v in enumerate(["COA-1", "20-10-2015"])} | over
        rows.append(
            f'<row r="{number}">'
            + "".join(_cell(f"{chr(65 + i)}{number}", *cells[i]) for i in sorted(cells))
            + "</row>"
        )
    if shuffle:
        random.Random(len(rows)).shuffle(rows)
    export = sheet("".join(rows), before=dimension)
    sheets = [sheet(row(1, "voorblad")), export] if cover else [export]
    data = workbook(*sheets, shared="<si><t>gedeeld</t></si>")
    with _file("coa_f.xlsx", data) as path:
        check(path, len(items))


# -- bytes ---------------------------------------------------------------------------

_SPLICES = st.sampled_from(
    [b"\x00", b"\x81", b"\x8d", b"\xff", b"\xc3", b"\xef\xbb\xbf", b'"', b"\r", b"\n", b";", b",",
     b"{", b"}", b"[", b"\\", b'"\\u', b"PK\x03\x04", b"9" * 400, b"\xe2\x80"]
)  # fmt: skip
_MUTATION = st.tuples(st.floats(0, 1), st.integers(0, 4), _SPLICES)


def _mutate(data: bytes, mutations: list[tuple[float, int, bytes]], cut: float | None) -> bytes:
    out = bytearray(data)
    for where, drop, splice in mutations:
        at = int(where * len(out))
        out[at : at + drop] = splice
    if cut is not None:
        out = out[: int(cut * len(out))]
    return bytes(out)


def _valid(name: str) -> bytes:
    return (Path(__file__).parent / "fuzz_corpus" / name).read_bytes()


@FUZZ
@given(
    st.sampled_from(["politie_valid.csv", "ind_valid.csv", "kmar_valid.jsonl"]),
    st.lists(_MUTATION, max_size=8),
    st.none() | st.floats(0, 1),
)
def test_text_bytes(
    name: str, mutations: list[tuple[float, int, bytes]], cut: float | None
) -> None:
    with _file(name, _mutate(_valid(name), mutations, cut)) as path:
        check(path)


@FUZZ
@given(
    st.lists(_MUTATION, max_size=4),
    st.none() | st.floats(0, 1),
    st.sampled_from(["zip", "sheet", "strings", "types", "none"]),
)
@example([(0.25, 1, b"\x00")], None, "zip")  # make fuzz found it: a deflate stream zlib refuses
def test_workbook_bytes(
    mutations: list[tuple[float, int, bytes]], cut: float | None, target: str
) -> None:
    data = _valid("coa_valid.xlsx")
    if target == "zip":
        data = _mutate(data, mutations, cut)
    elif target != "none":
        part = {"sheet": "xl/worksheets/sheet1.xml", "strings": "xl/sharedStrings.xml",
                "types": "[Content_Types].xml"}[target]  # fmt: skip
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as out:
            for info in source.infolist():
                content = source.read(info.filename)
                if info.filename == part:
                    content = _mutate(content, mutations, cut)
                out.writestr(info.filename, content)
        data = buffer.getvalue()
    with _file("coa_f.xlsx", data) as path:
        check(path, None if target != "none" else 3)
