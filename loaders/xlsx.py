"""COA workbooks: the archive checked before anything inflates it, then read by calamine.

python-calamine (Rust) reads the cells a sheet really holds - whatever its
``<dimension>`` says, rows out of order or with gaps, shared and inline
strings, cached values of formulas, dates typed as dates - about twice as
fast as openpyxl's read-only mode (decision 0009). What it does not give,
``check_archive`` adds, reading the archive once in bounded memory:

- a zip bomb is refused before any part is inflated: too many parts, parts
  declaring more than the inflated-size limit in all, or a part over 1 MiB
  that claims to inflate more than the ratio limit;
- each part is then inflated here, 64 KiB at a time, and refused as soon as it
  yields more than it declared (an archive can lie about sizes) or fails its
  CRC; what calamine later inflates is what was checked;
- a part holding ``<!DOCTYPE`` or ``<!ENTITY`` is refused: the only use of a
  DTD in a workbook is an entity expansion (billion laughs) or an external
  entity (XXE). calamine expands neither, but the operator gets a reason
  rather than "unrecognized entity".

Detection reads the header of a workbook that loading reads again right
after; the last workbook opened is kept for that one reuse (``keep``).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import python_calamine

from graph_schema.limits import RATIO_FROM_BYTES, FileLimits
from loaders.errors import FileRejected

__all__ = ["Sheet", "check_archive", "open_sheets", "sheet_rows"]

Sheet = tuple[str, Any]  # (name, python_calamine.CalamineSheet)

_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, ..., name length, extra length
_CHUNK = 1 << 16
_MARKUP = tuple(
    text.encode(encoding)
    for text in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_SEAM = max(map(len, _MARKUP)) - 1


def _mib(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MiB"


def check_archive(stream: IO[bytes], files: FileLimits) -> None:
    """Refuse a zip bomb, a lying or broken archive and DTDs; read in bounded memory."""
    try:
        infos = zipfile.ZipFile(stream).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise FileRejected(f"corrupt workbook: not a readable xlsx (ZIP) archive: {exc}") from None
    if len(infos) > files.xlsx_max_parts:
        raise FileRejected(
            f"workbook archive has {len(infos):,} parts, over the limit of "
            f"{files.xlsx_max_parts:,}: not an export (zip bomb?)"
        )
    declared = sum(info.file_size for info in infos)
    if declared > files.xlsx_max_inflated_bytes:
        raise FileRejected(
            f"workbook inflates to {_mib(declared)}, over the limit of "
            f"{_mib(files.xlsx_max_inflated_bytes)} (WORKBENCH_MAX_INFLATED_MB): a zip bomb, "
            "or an export to split into smaller files"
        )
    for info in infos:
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > RATIO_FROM_BYTES and ratio > files.xlsx_max_ratio:
            raise FileRejected(
                f"workbook part {info.filename} inflates {ratio:,.0f} times "
                f"({info.compress_size:,} to {info.file_size:,} bytes), over the limit of "
                f"{files.xlsx_max_ratio} (WORKBENCH_MAX_ZIP_RATIO): a zip bomb?"
            )
        if info.flag_bits & 0x1:
            raise FileRejected(f"workbook part {info.filename} is encrypted: save it unprotected")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise FileRejected(
                f"corrupt workbook: part {info.filename} uses compression method "
                f"{info.compress_type}, not stored or deflated"
            )
    for info in infos:
        try:
            _check_part(stream, info)
        except zlib.error as exc:
            raise FileRejected(f"corrupt workbook: part {info.filename}: {exc}") from None


def _check_part(stream: IO[bytes], info: zipfile.ZipInfo) -> None:
    """Inflate one part without keeping it: no more than declared, the right CRC, no DTD."""
    stream.seek(info.header_offset)
    header = stream.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise FileRejected(f"corrupt workbook: part {info.filename} has no local header")
    _, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    stream.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    left, produced, crc, tail = info.compress_size, 0, 0, b""
    while True:
        chunk = stream.read(min(_CHUNK, left)) if left else b""
        left -= len(chunk)
        if left and not chunk:
            raise FileRejected(f"corrupt workbook: part {info.filename} is truncated")
        pending = chunk
        while True:
            if inflate is None:
                out, pending = pending, b""
            else:
                out = inflate.decompress(pending, _CHUNK)
                pending = inflate.unconsumed_tail
            produced += len(out)
            if produced > info.file_size:
                raise FileRejected(
                    f"workbook part {info.filename} inflates beyond the {info.file_size:,} "
                    "bytes it declares: a zip bomb?"
                )
            crc = zlib.crc32(out, crc)
            seam = tail + out[:_SEAM] if tail else b""
            if any(m in out or (seam and m in seam) for m in _MARKUP):
                raise FileRejected(
                    f"workbook part {info.filename} declares a DTD (<!DOCTYPE or <!ENTITY): "
                    "entity expansion and external entities are refused"
                )
            tail = out[-_SEAM:] if out else tail
            if not pending:
                break
        if not chunk:
            break
    if inflate is not None and not inflate.eof:
        raise FileRejected(f"corrupt workbook: part {info.filename} is cut short")
    if produced != info.file_size or crc != info.CRC:
        raise FileRejected(f"corrupt workbook: part {info.filename} fails its size or CRC check")


# The last workbook opened with ``keep``: (path, size, mtime, limits) -> its sheets.
_KEPT: dict[tuple[Any, ...], list[Sheet]] = {}


def open_sheets(path: Path, files: FileLimits, *, keep: bool = False) -> list[Sheet]:
    """The worksheets of the workbook at ``path``, checked first (``check_archive``).

    ``keep``: keep them for the next call on the same unchanged file (which
    takes them).
    """
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, files)
    kept = _KEPT.pop(key, None)
    if kept is None:
        with path.open("rb") as stream:
            check_archive(stream, files)
        try:
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
            kept = [
                (meta.name, workbook.get_sheet_by_name(meta.name))
                for meta in workbook.sheets_metadata
                if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
            ]
        except Exception as exc:  # calamine raises its own and builtin kinds
            raise FileRejected(f"corrupt workbook: {type(exc).__name__}: {exc}") from None
    if keep:
        _KEPT.clear()
        _KEPT[key] = kept
    return kept


def sheet_rows(sheet: Any) -> Iterator[list[Any]]:
    """The rows of ``sheet`` from cell A1, empty cells ``None`` (calamine gives ``""``).

    An empty text cell is empty too: a reader cannot tell them apart, and
    neither can the person who looks at the sheet. calamine's rows start at
    row 1 but at the first column holding a value: the columns before it
    are put back.
    """
    start = sheet.start
    pad = [None] * start[1] if start else []
    for row in sheet.iter_rows():
        yield pad + [None if cell == "" else cell for cell in row]
