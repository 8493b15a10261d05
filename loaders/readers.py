"""Readers: one export file to numbered rows, or a whole-file reject.

A reader does the *format* part of section 5 of the formats contract: the
whole-file rejects (empty, binary, not in its encoding, corrupt workbook,
header lacking a required column) raise ``FileRejected``; the row-level
format rejects (a CSV row with more or fewer fields than the header, a JSON
line that is not a JSON object, a value over its length limit) come out as
a ``RawRow`` with ``problems``. Everything else about values is the
pipeline's and the loaders' business.

Bounded memory (``graph_schema/limits.yaml``, decision 0009): CSV and JSON
Lines are read as a stream, a line at a time, and no line, CSV field or CSV
record longer than its limit is ever held: the rest of it is measured in
chunks and its row rejected, naming each field over its limit with its
length. Workbooks are checked before they are inflated (``loaders.xlsx``).

Numbering: data rows count from 1 with the header excluded; for JSON Lines
the row is the line number. Blank lines (and all-empty sheet rows) are
skipped - they are not rows and do not count in ``LoadResult.rows`` - but
they keep their place in the numbering, so that row N is always the N-th
line (CSV: record) after the header, as an editor or Excel shows it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import math
import operator
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any, NamedTuple, TextIO

from graph_schema.limits import DEFAULT_KIND, FileLimits, Limits
from loaders.errors import FileRejected
from loaders.records import Issue, quick
from loaders.xlsx import open_sheets, sheet_rows

__all__ = [
    "FileRejected",
    "RawRow",
    "Reader",
    "TableSpec",
    "cell_text",
    "csv_reader",
    "jsonl_reader",
    "preview",
    "xlsx_reader",
]

ROW_FIELD = "*row*"  # the field of a reject about the row as a whole
LINE_FIELD = "*line*"  # the same for a JSON line
_CHUNK = 1 << 16  # characters or bytes read at a time where a line may be huge

Problem = tuple[str, str, str | None]  # (field, reason, value as written)


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row as read.

    ``raw`` is what the signal keeps verbatim (JSON-able), ``values`` what
    the loader normalises from (typed cells for xlsx, else ``raw`` itself),
    keyed by column names trimmed and lower-cased. ``problems`` are set,
    with ``values`` empty, when the row is unreadable as a row or a value
    is over its limit: ``(field, reason, value)`` each.
    """

    row: int
    raw: dict[str, Any]
    values: dict[str, Any]
    problems: tuple[Problem, ...] = ()


_new_row = quick(RawRow)  # every row of a file is one: see ``loaders.records.quick``


def _rejected(row: int, *problems: Problem) -> RawRow:
    return RawRow(row, {}, {}, problems)


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


# A reader gets the file's path, its source (whose field limits apply), a list
# to put file-level warnings in and the limits; it yields rows or raises
# FileRejected.
Reader = Callable[[Path, str, list[Issue], Limits], Iterator[RawRow]]

_PREVIEW = 80


def preview(text: str) -> str:
    """``text`` as a reject shows it: cut after 80 characters, saying how long it was.

    >>> preview("kort"), preview("x" * 100)[-19:]
    ('kort', 'x… (100 characters)')
    """
    if len(text) <= _PREVIEW:
        return text
    return f"{text[:_PREVIEW]}… ({len(text):,} characters)"


def _too_long(length: int, limit: int) -> str:
    """The reason of a reject for a value over its limit."""
    return f"{length:,} characters, over the limit of {limit:,} for this field"


def _over_limits(keys: list[str], cells: list[Any], limits: list[int]) -> tuple[Problem, ...]:
    """Every text cell longer than its column's limit, as a problem (value shown cut)."""
    return tuple(
        (key, _too_long(len(cell), limit), preview(cell))
        for key, cell, limit in zip(keys, cells, limits, strict=False)
        if type(cell) is str and len(cell) > limit
    )


# -- text files: encoding, BOM and NUL checks, streamed --------------------------

_NAMES = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}


def _nul_offset(path: Path) -> int | None:
    """The offset of the first NUL byte in the file, read in chunks."""
    offset = 0
    with path.open("rb") as raw:
        while chunk := raw.read(_CHUNK):
            if (at := chunk.find(b"\x00")) >= 0:
                return offset + at
            offset += len(chunk)
    return None


def _binary(offset: int) -> FileRejected:
    return FileRejected(f"binary content: NUL byte at offset {offset} (binary or UTF-16)")


def _decode_failure(path: Path, encoding: str) -> FileRejected:
    """Why the file does not decode: a NUL byte anywhere, else the first bad byte."""
    nul = _nul_offset(path)
    if nul is not None:
        return _binary(nul)
    name = _NAMES.get(encoding, encoding)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    with path.open("rb") as raw:
        while chunk := raw.read(_CHUNK):
            pending = decoder.getstate()[0]
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad = (pending + chunk)[exc.start : exc.start + 1].hex()
                start = offset - len(pending) + exc.start
                return FileRejected(f"not valid {name}: byte 0x{bad} at offset {start}")
            offset += len(chunk)
    return FileRejected(f"not valid {name}: the file ends in the middle of a character")


def _is_utf8(raw: Any) -> bool:
    """True if the stream holds non-ASCII text that is all valid UTF-8 (read in chunks).

    Non-ASCII text that is valid UTF-8 is practically never genuine
    Windows-1252 (it would need sequences like ``Ã«``), and decoding it as
    Windows-1252 would silently garble every name and country.
    """
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    ascii_only = True
    while chunk := raw.read(_CHUNK):
        if ascii_only and chunk.isascii():
            continue
        ascii_only = False
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            return False
    if ascii_only:
        return False
    try:
        decoder.decode(b"", True)
    except UnicodeDecodeError:
        return False
    return True


# Brackets of JSON nesting, both as "{" (anything else but line ends deleted).
_BRACKETS = bytes.maketrans(b"[", b"{")
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"{[\n")


class _Guard(io.RawIOBase):
    """A binary file read in chunks, refused at its first NUL byte (binary content).

    Checked per chunk as the text layer reads it, at almost no cost; the
    offset in the message is exact. With ``nesting``, it also notes
    (``deep``) whether any line holds more than ``nesting`` opening brackets
    (the bound of its nesting depth), so that lines need not be counted one
    by one while none does.
    """

    def __init__(self, raw: IO[bytes], nesting: int | None = None) -> None:
        super().__init__()
        self.raw = raw
        self.offset = 0
        self.deep = nesting is None
        self.run = b"{" * (nesting + 1) if nesting is not None else b""
        self.line = b""  # the brackets of the line the last chunk ended in

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        if (at := data.find(b"\x00")) >= 0:
            raise _binary(self.offset + at)
        if not self.deep:
            brackets = self.line + data.translate(_BRACKETS, _NOT_BRACKETS)
            self.deep = self.run in brackets
            self.line = brackets[brackets.rfind(b"\n") + 1 :]
        buffer[: len(data)] = data
        self.offset += len(data)
        return len(data)


@contextmanager
def _text(
    path: Path,
    encoding: str,
    newline: str,
    file: str,
    warnings: list[Issue],
    nesting: int | None = None,
) -> Iterator[TextIO]:
    """The file as a text stream in ``encoding``; decoding errors become ``FileRejected``.

    For Windows-1252, a file of valid non-ASCII UTF-8 is read as UTF-8 with a
    file warning (see ``_is_utf8``). ``text.buffer.raw`` is the ``_Guard``.
    """
    with path.open("rb") as raw:
        if raw.read(2).startswith((b"\xff\xfe", b"\xfe\xff")):
            raise FileRejected("UTF-16 text (byte order mark); expected UTF-8 or Windows-1252")
        raw.seek(0)
        if encoding == "cp1252" and _is_utf8(raw):
            encoding = "utf-8-sig"
            message = "file is UTF-8, not Windows-1252 as the contract says; read as UTF-8"
            warnings.append(Issue(file, 0, "*file*", message))
        raw.seek(0)
        guarded = io.BufferedReader(_Guard(raw, nesting), _CHUNK)
        text = io.TextIOWrapper(guarded, encoding=encoding, errors="strict", newline=newline)
        try:
            yield text
        except UnicodeDecodeError:
            raise _decode_failure(path, encoding) from None
        finally:
            text.detach()


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


# -- CSV -------------------------------------------------------------------------


class _Overflow(Exception):
    """A CSV line or record over its limit; ``line`` is what was read of the last line."""

    def __init__(self, line: str) -> None:
        super().__init__("over the limit")
        self.line = line


class _Lines:
    """The lines of a text stream, for ``csv.reader``, none longer than the limits.

    A line longer than ``max_line_chars``, or a record (lines of one quoted
    field) longer than ``max_record_chars``, raises ``_Overflow`` with what
    was read of the line; the rest stays in the stream. The lines of the
    record being read are kept (``record``), so that an overflowing record can
    be measured from its start (``_field_lengths``).
    """

    __slots__ = ("limit", "max_record", "readline", "record", "size")

    def __init__(self, text: TextIO, files: FileLimits) -> None:
        self.readline = text.readline
        self.limit = files.max_line_chars + 1
        self.max_record = files.max_record_chars
        self.record: list[str] = []
        self.size = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.readline(self.limit)
        if not line:
            raise StopIteration
        self.size += len(line)
        if len(line) == self.limit or self.size > self.max_record:
            raise _Overflow(line)
        self.record.append(line)
        return line

    def new_record(self) -> None:
        """Start keeping the lines of the next record."""
        self.record = []
        self.size = 0

    def rest_of_record(self, overflow: _Overflow | None) -> Iterator[str]:
        """The record's text from its start, in pieces, reading the stream on to its end."""
        yield from self.record
        if overflow is not None:
            yield overflow.line
        while piece := self.readline(_CHUNK):
            yield piece


_START, _PLAIN, _QUOTED, _AFTER_QUOTE = range(4)  # where ``_field_lengths`` is in a field


def _line_end(piece: str) -> int:
    """The length of the line end that ends ``piece`` (0 if none)."""
    if piece.endswith("\r\n"):
        return 2
    return 1 if piece.endswith(("\n", "\r")) else 0


def _field_lengths(pieces: Iterator[str], delimiter: str) -> list[int]:
    """The length of each field of one CSV record (as csv reads it), kept nowhere.

    ``pieces`` are the record's text as ``readline`` gives it, so a line end
    only ever ends a piece; reading stops at the line end that ends the
    record. Malformed quoting is read leniently: this only measures a record
    that is rejected anyway.

    >>> _field_lengths(iter(['a,"b""c",\\n', 'x\\n']), ",")
    [1, 3, 0]
    >>> _field_lengths(iter(['"multi\\n', 'line",z\\r\\n', 'next\\n']), ",")
    [10, 1]
    """
    lengths = [0]
    state = _START
    for piece in pieces:
        body = len(piece) - _line_end(piece)
        i = 0
        while True:
            if state == _QUOTED:
                found = piece.find('"', i)
                if found < 0:
                    lengths[-1] += len(piece) - i
                    break
                lengths[-1] += found - i
                i, state = found + 1, _AFTER_QUOTE
                continue
            if i >= body:
                if body < len(piece):
                    return lengths
                break
            if state == _AFTER_QUOTE:
                if piece[i] == '"':
                    lengths[-1] += 1
                    i, state = i + 1, _QUOTED
                    continue
                state = _PLAIN
            elif state == _START:
                state = _PLAIN
                if piece[i] == '"':
                    i, state = i + 1, _QUOTED
                    continue
            found = piece.find(delimiter, i, body)
            if found < 0:
                lengths[-1] += body - i
                i = body
                continue
            lengths[-1] += found - i
            lengths.append(0)
            i, state = found + 1, _START
    return lengths


def csv_reader(spec: TableSpec, *, encoding: str, delimiter: str) -> Reader:
    """A reader for RFC 4180 CSV in ``encoding`` with ``delimiter``.

    ``utf-8-sig`` strips a UTF-8 byte order mark. Multi-line quoted fields
    are one row; a malformed quote rejects its row and reading goes on. A
    value over its field's limit (``graph_schema/limits.yaml``) rejects its
    row; a line or record over the line limit too, measured without being
    held.
    """

    def read(path: Path, source: str, warnings: list[Issue], limits: Limits) -> Iterator[RawRow]:
        file, files = str(path), limits.files
        csv.field_size_limit(files.max_line_chars)  # process-wide; every reader sets it
        with _text(path, encoding, "", file, warnings) as text:
            lines = _Lines(text, files)
            reader = csv.reader(lines, delimiter=delimiter, strict=True)
            try:
                header = next(reader)
            except StopIteration:
                raise FileRejected("empty file (no header row)") from None
            except csv.Error as exc:
                raise FileRejected(f"unreadable header: {exc}") from None
            except _Overflow:
                limit = files.max_line_chars
                raise FileRejected(f"header line longer than {limit:,} characters") from None
            if not any(h.strip() for h in header):
                raise FileRejected("empty file (no header row)")
            keys = _check_header(header, spec, delimiter, file, warnings)
            field_limits = [limits.field_limit(source, k) for k in keys]
            verbatim = keys == header
            width = len(header)
            row = 0
            while True:
                row += 1
                lines.new_record()
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except _Overflow as exc:
                    yield _overflowed(row, lines, exc, keys, field_limits, delimiter, limits)
                    continue
                except csv.Error as exc:
                    if str(exc).startswith("field larger than field limit"):
                        yield _overflowed(row, lines, None, keys, field_limits, delimiter, limits)
                        continue
                    reason = f"unreadable CSV (record ending on line {reader.line_num}): {exc}"
                    yield _rejected(row, (ROW_FIELD, reason, None))
                    continue
                if not cells:
                    continue
                if len(cells) != width:
                    reason = f"expected {width} fields, got {len(cells)}"
                    yield _rejected(row, (ROW_FIELD, reason, preview(delimiter.join(cells))))
                    continue
                if any(map(operator.gt, map(len, cells), field_limits)):
                    yield _rejected(row, *_over_limits(keys, cells, field_limits))
                    continue
                raw = dict(zip(header, cells, strict=True))
                yield _new_row(row, raw, raw if verbatim else dict(zip(keys, cells, strict=True)))

    return read


def _overflowed(
    row: int,
    lines: _Lines,
    overflow: _Overflow | None,
    keys: list[str],
    field_limits: list[int],
    delimiter: str,
    limits: Limits,
) -> RawRow:
    """The reject of a record over the line or record limit, read to its end and measured."""
    lengths = _field_lengths(lines.rest_of_record(overflow), delimiter)
    default = limits.kinds[DEFAULT_KIND].max_length
    problems = [
        (keys[i] if i < len(keys) else f"#{i + 1}", _too_long(length, limit), None)
        for i, length in enumerate(lengths)
        if length > (limit := field_limits[i] if i < len(keys) else default)
    ]
    if not problems:
        limit = limits.files.max_line_chars
        reason = (
            f"record of {sum(lengths):,} characters in {len(lengths)} fields, "
            f"over the line limit of {limit:,}"
        )
        problems.append((ROW_FIELD, reason, None))
    return _rejected(row, *problems)


# -- JSON Lines ----------------------------------------------------------------------

# The scanner json.loads runs, without its two wrappers: (value, end) of a string from a start.
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _json_line(line: str) -> Any:
    """``json.loads`` of ``line`` without its ``\\n``, cheaper for a line that is one value.

    Anything but one JSON value followed by nothing or the line end
    (surrounding whitespace, a byte order mark, an error) goes to
    ``json.loads``, so that it is read or fails exactly as there.
    """
    try:
        obj, end = _SCAN(line, 0)
    except (StopIteration, ValueError, RecursionError):
        return json.loads(line.removesuffix("\n"))
    if end == len(line) or (end == len(line) - 1 and line[end] == "\n"):
        return obj
    return json.loads(line.removesuffix("\n"))


# A JSON format's field limits as a tree of its object paths: a number is the
# limit of a value there, a dict the limits below (list items share their
# list's entry); a path not in it has the default limit.
_Tree = dict[str, Any]


class _JsonLimits(NamedTuple):
    """A JSON format's limits as its readers use them (``_limit_tree``)."""

    tree: _Tree
    default: int
    long_token: re.Pattern[str]  # a string token longer than the shortest limit
    shortest: int
    free_text: tuple[tuple[str, ...], int] | None  # the one longer-than-default path


@cache
def _limit_tree(source: str, limits: Limits) -> _JsonLimits:
    """The limits of ``source`` as a tree of its object paths."""
    tree: _Tree = {}
    for path, kind in limits.fields.get(source, {}).items():
        *parents, leaf = path.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = limits.kinds[kind].max_length
    default = limits.kinds[DEFAULT_KIND].max_length
    shortest = min([default, *(k.max_length for k in limits.kinds.values())])
    long = [
        (tuple(path.split(".")), limits.kinds[kind].max_length)
        for path, kind in limits.fields.get(source, {}).items()
        if limits.kinds[kind].max_length > default
    ]
    pattern = re.compile(f'"[^"]{{{shortest + 1}}}')
    return _JsonLimits(tree, default, pattern, shortest, long[0] if len(long) == 1 else None)


def _free_text_only(line: str, found: re.Match[str], obj: Any, lim: _JsonLimits) -> bool:
    """True if the only long string token of ``line`` (``found``) is its free text, in limit.

    A decoded string is never longer than its token, so when the free text
    is longer than the shortest limit it is a long token; if it is the only
    one, every other string is within every limit. Most free texts are
    longer than the shortest limit: this spares their lines the full check.
    """
    if lim.free_text is None or lim.long_token.search(line, found.end()):
        return False
    keys, limit = lim.free_text
    value = obj
    for key in keys:
        value = value.get(key) if type(value) is dict else None
    return type(value) is str and lim.shortest < len(value) <= limit


def _json_problems(obj: Any, tree: _Tree, default: int, max_depth: int) -> list[Problem]:
    """Every string (value or key) over its limit, and nesting beyond ``max_depth``."""
    problems: list[Problem] = []

    def walk(value: Any, node: Any, path: str, depth: int) -> None:
        if type(value) is str:
            limit = node if type(node) is int else default
            if len(value) > limit:
                problems.append((path, _too_long(len(value), limit), preview(value)))
            return
        if not isinstance(value, dict | list):
            return
        if depth >= max_depth:
            problems.append((path or LINE_FIELD, f"nested deeper than {max_depth} levels", None))
            return
        if isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, node, f"{path}[{index}]", depth + 1)
            return
        below = node if type(node) is dict else {}
        for key, item in value.items():
            name = f"{path}.{key}" if path else key
            if len(key) > default:
                problems.append(
                    (preview(name), "field name: " + _too_long(len(key), default), None)
                )
                continue
            walk(item, below.get(key, default), name, depth + 1)

    walk(obj, tree, "", 0)
    return problems


def jsonl_reader() -> Reader:
    """A reader for JSON Lines in UTF-8; a zero-byte file is zero signals.

    A line over the line limit is measured (not held) and rejected; a value
    over its field's limit, or nesting deeper than the depth limit, rejects
    its line. Lines are checked in full only when a string token in them is
    longer than the shortest limit, or they hold more brackets than the
    depth limit (a regular expression finds both at a fraction of a parse).
    """

    def read(path: Path, source: str, warnings: list[Issue], limits: Limits) -> Iterator[RawRow]:
        files = limits.files
        lim = _limit_tree(source, limits)
        long_token = lim.long_token.search
        max_line, depth = files.max_line_chars, files.max_json_depth
        with _text(path, "utf-8-sig", "\n", str(path), warnings, depth) as text:
            guard: _Guard = text.buffer.raw  # type: ignore[attr-defined]
            readline = text.readline
            number = 0
            while line := readline(max_line + 1):
                number += 1
                if len(line) > max_line:
                    length = len(line)
                    while not line.endswith("\n") and (line := readline(_CHUNK)):
                        length += len(line)
                    reason = f"line of {length:,} characters, over the limit of {max_line:,}"
                    yield _rejected(number, (LINE_FIELD, reason, None))
                    continue
                if line.isspace():
                    continue
                try:
                    obj = _json_line(line)
                except (ValueError, RecursionError) as exc:
                    shown = preview(line.removesuffix("\n"))
                    yield _rejected(number, (LINE_FIELD, f"not valid JSON: {exc}", shown))
                    continue
                if not isinstance(obj, dict):
                    kind = type(obj).__name__.replace("list", "array").replace("dict", "object")
                    reason = f"not a JSON object (got {kind})"
                    yield _rejected(number, (LINE_FIELD, reason, preview(line.removesuffix("\n"))))
                    continue
                found = long_token(line)
                if (
                    (found and not _free_text_only(line, found, obj, lim))
                    or ("\\" in line and '\\"' in line)
                    or (guard.deep and line.count("{") + line.count("[") > depth)
                ) and (problems := _json_problems(obj, lim.tree, lim.default, depth)):
                    yield _rejected(number, *problems)
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


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _export_sheet(
    path: Path, spec: TableSpec, files: FileLimits, file: str, warnings: list[Issue]
) -> tuple[list[str], Iterator[list[Any]]]:
    """(header, rows after it) of the sheet holding the export, found by its header.

    The contract says the first sheet; a workbook whose export sits on
    another sheet (a cover sheet first) is read from that sheet with a file
    warning; two sheets with an export header are refused, since rows would
    be lost either way.
    """
    found = []
    first: tuple[list[str], Iterator[list[Any]]] | None = None
    for name, sheet in open_sheets(path, files):
        rows = sheet_rows(sheet)
        cells = next(rows, None)
        header = [cell_text(c) or "" for c in cells or ()]
        while header and not header[-1].strip():
            header.pop()
        first = first or (header, rows)
        if set(spec.required) <= {_key(h) for h in header}:
            found.append((name, header, rows))
    if len(found) > 1:
        names = ", ".join(repr(name) for name, _, _ in found)
        raise FileRejected(
            f"sheets {names} each hold an export header: keep the export on one sheet"
        )
    if found:
        name, header, rows = found[0]
        if first is not None and header is not first[0]:
            warnings.append(
                Issue(file, 0, "*file*", f"export read from sheet {name!r}, not the first sheet")
            )
        return header, rows
    if first is None or not first[0]:
        raise FileRejected("empty workbook: the first sheet has no header row")
    return first


def xlsx_reader(spec: TableSpec) -> Reader:
    """A reader for the export sheet of an xlsx workbook, header in row 1.

    ``raw`` holds each cell as ``cell_text`` gives it (JSON-able); ``values``
    the typed cell value, so loaders read the value, not the cell type. A
    value in a column without a header is kept in ``raw`` under ``#<n>``
    (1-based column number) with a warning. A text cell over its column's
    limit rejects its row.
    """

    def read(path: Path, source: str, warnings: list[Issue], limits: Limits) -> Iterator[RawRow]:
        file = str(path)
        if path.stat().st_size == 0:
            raise FileRejected("empty file (0 bytes)")
        with path.open("rb") as stream:
            if stream.read(4) != b"PK\x03\x04":
                raise FileRejected("corrupt workbook: not an xlsx (ZIP) file")
        header, rows = _export_sheet(path, spec, limits.files, file, warnings)
        keys = _check_header(header, spec, None, file, warnings)
        field_limits = [limits.field_limit(source, k) for k in keys]
        default = limits.kinds[DEFAULT_KIND].max_length
        width = len(header)
        row = 0
        for cells in rows:
            row += 1
            if all(map(_blank, cells)):
                continue
            if problems := _over_limits(keys, cells, field_limits):
                yield _rejected(row, *problems)
                continue
            values = dict(zip(keys, cells[:width], strict=False))
            raw = {
                h: c if c is None or type(c) is str else cell_text(c)
                for h, c in zip(header, cells[:width], strict=False)
            }
            for column in range(width, len(cells)):
                if cells[column] is not None:
                    text = cell_text(cells[column]) or ""
                    name = f"#{column + 1}"
                    if len(text) > default:
                        yield _rejected(row, (name, _too_long(len(text), default), preview(text)))
                        break
                    raw[name] = text
                    warnings.append(
                        Issue(file, row, name, "value in a column without header", value=text)
                    )
            else:
                yield _new_row(row, raw, values)

    return read
