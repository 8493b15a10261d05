"""CSV that a spreadsheet opens as data, never as formulas (CSV injection).

Signals are stored verbatim, so a record may hold ``=HYPERLINK(...)`` or
``@SUM(...)``; a spreadsheet would evaluate such a cell. Following OWASP's
advice, a text cell whose first character (after any spaces) is one of
``= + - @``, a tab or a carriage return is prefixed with an apostrophe, which
spreadsheets show as text and do not display. Numbers are left as numbers.
Use :func:`write_csv` for every CSV or spreadsheet export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | None


def neutralise(cell: Cell) -> Cell:
    """The cell as it may go into a CSV file: formula triggers defused.

    >>> neutralise('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("  @SUM(A1)"), neutralise("\\tx"), neutralise("Ali"), neutralise(-5)
    ("'  @SUM(A1)", "'\\tx", 'Ali', -5)
    """
    if isinstance(cell, str) and cell.lstrip(" ").startswith(TRIGGERS):
        return "'" + cell
    return cell


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A whole CSV document, every cell neutralised and quoted.

    >>> write_csv(["note"], [["=1+1"]]).splitlines()
    ['"note"', '"\\'=1+1"']
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(c) for c in row])
    return out.getvalue()
