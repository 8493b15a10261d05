"""Which partner exported a file, read from its content.

Content first, because file names are chosen by people (``export (3).csv``):
an xlsx (ZIP) with a sheet whose header has ``melding_nr`` is COA; a JSON
Lines file whose first object has ``ref`` or ``persoon`` is KMar; a CSV
header with ``registratie_id`` is the police, one with ``zaaknummer`` the
IND (semicolons expected, but a wrong delimiter is still the IND, so that
its loader can say what is wrong). The name (``politie_*``, ``kmar_*``,
``ind_*``, ``coa_*``) only decides when the content does not: an empty,
binary or corrupt file, which the named loader then rejects with a clear
message.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from graph_schema.limits import Limits
from graph_schema.limits import limits as default_limits
from loaders.records import Source
from loaders.xlsx import open_sheets, sheet_rows

__all__ = ["detect_source"]

log = logging.getLogger(__name__)

_HEAD_BYTES = 64 * 1024
_PREFIXES: tuple[tuple[str, Source], ...] = (
    ("politie", "politie"), ("kmar", "kmar"), ("ind", "ind"), ("coa", "coa"),
)  # fmt: skip


def _by_name(path: Path) -> Source | None:
    name = path.name.casefold()
    for prefix, source in _PREFIXES:
        if name.startswith((f"{prefix}_", f"{prefix}-", f"{prefix}.")):
            return source
    return None


def _xlsx_header(path: Path, limits: Limits) -> list[str]:
    """The header cells of every sheet (loading reads the sheets kept here right after)."""
    try:
        sheets = open_sheets(path, limits.files, keep=True)
    except Exception:  # a corrupt or refused workbook: let the name decide
        return []
    firsts = (next(sheet_rows(sheet), None) or () for _, sheet in sheets)
    return [str(c).strip().casefold() for first in firsts for c in first if c is not None]


def _text_head(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return head.decode("cp1252", errors="replace")


def _by_content(path: Path, head: bytes, limits: Limits) -> Source | None:
    if head.startswith(b"PK\x03\x04"):
        return "coa" if "melding_nr" in _xlsx_header(path, limits) else None
    text = _text_head(head).lstrip("\ufeff \t\r\n")
    first_line = text.split("\n", 1)[0].strip()
    if first_line.startswith("{"):
        try:
            first = json.loads(first_line)
        except ValueError:
            first = None
        if isinstance(first, dict) and ("ref" in first or "persoon" in first):
            return "kmar"
        if first is None and ('"ref"' in first_line or '"persoon"' in first_line):
            return "kmar"
        return None
    header = first_line.casefold()
    if "registratie_id" in header:
        return "politie"
    if "zaaknummer" in header:
        return "ind"
    return None


def detect_source(path: str | Path, *, limits: Limits | None = None) -> Source | None:
    """The source of the export at ``path``, or None if neither content nor name tell.

    A workbook is checked against ``limits`` (a zip bomb is not opened).

    >>> detect_source("/work/shared/formats/ind_example.csv")
    'ind'
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except OSError:
        return None
    found = _by_content(path, head, limits or default_limits()) if head else None
    if found is None:
        found = _by_name(path)
    log.debug("detected %s as %s", path, found)
    return found
