"""Dates: full signal dates and partial birth dates.

Signal dates are full dates (``YYYY-MM-DD`` for the police and KMar,
``DD-MM-YYYY`` for IND and COA). Birth dates are often known only in part
(``1990``, ``1990-00-00``, ``00-00-1990``), and many asylum seekers are
registered as born on 1 January when the real date is unknown: such a date
is kept, but flagged ``administrative`` so that matching can give it little
weight. Precision is kept as the length of an ISO prefix (``1990``,
``1990-05``, ``1990-05-17``), as followthemoney does.

The layout is fixed by ``order``: ``ymd`` reads only ``YYYY-MM-DD`` forms,
``dmy`` only ``DD-MM-YYYY`` forms (separators ``-``, ``/`` or ``.``); a bare
year is read under both. A date that does not exist (``2015-02-30``) or is
outside 1900-2100 is ``None``: loaders turn that into a reject.

>>> parse_date("2015-09-15", order="ymd")
datetime.date(2015, 9, 15)
>>> parse_partial("1990-05-00", order="ymd")
PartialDate(value='1990-05', precision='month', administrative=False)
>>> parse_partial("01-01-1991", order="dmy")
PartialDate(value='1991-01-01', precision='day', administrative=True)
>>> parse_partial("2015-02-30", order="ymd") is None
True
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = [
    "Order",
    "PartialDate",
    "Precision",
    "from_value",
    "parse_date",
    "parse_partial",
    "parse_timestamp",
]

Order = Literal["ymd", "dmy"]
Precision = Literal["year", "month", "day"]

_MIN_YEAR, _MAX_YEAR = 1900, 2100
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (with Excel's 1900 leap bug)

_YEAR = re.compile(r"(\d{4})")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?")
_DMY = re.compile(r"(?:(\d{1,2})[-/.])?(\d{1,2})[-/.](\d{4})")


@dataclass(frozen=True)
class PartialDate:
    """A date known to year, month or day precision.

    ``value`` is an ISO prefix whose length matches the precision
    (``1990``, ``1990-02``, ``1990-02-03``). ``administrative`` flags
    1 January, which registrations often use when the real date is unknown.
    """

    value: str
    precision: Precision
    administrative: bool = False


@lru_cache(maxsize=65536)
def _build(year: int, month: int, day: int) -> PartialDate | None:
    """A PartialDate from numbers where 0 means unknown, or None if impossible.

    Cached: spreadsheet date cells come here without text to cache them by.
    """
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    if month == 0:
        return PartialDate(f"{year:04d}", "year") if day == 0 else None
    if not 1 <= month <= 12:
        return None
    if day == 0:
        return PartialDate(f"{year:04d}-{month:02d}", "month")
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    administrative = month == 1 and day == 1
    return PartialDate(f"{year:04d}-{month:02d}-{day:02d}", "day", administrative)


@lru_cache(maxsize=65536)
def parse_partial(raw: str, *, order: Order) -> PartialDate | None:
    """A partial date from text in layout ``order``, or None.

    >>> parse_partial("1990", order="dmy")
    PartialDate(value='1990', precision='year', administrative=False)
    >>> parse_partial("00-00-1990", order="dmy")
    PartialDate(value='1990', precision='year', administrative=False)
    >>> parse_partial("45-13-2015", order="dmy") is None
    True
    """
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if len(text) > 10:
        return None
    if match := _YEAR.fullmatch(text):
        return _build(int(match[1]), 0, 0)
    if order == "ymd":
        if match := _YMD.fullmatch(text):
            return _build(int(match[1]), int(match[2]), int(match[3] or 0))
    elif match := _DMY.fullmatch(text):
        return _build(int(match[3]), int(match[2]), int(match[1] or 0))
    return None


def parse_date(raw: str, *, order: Order) -> dt.date | None:
    """A full calendar date (day precision) from text, or None.

    >>> parse_date("17-05-1990", order="dmy")
    datetime.date(1990, 5, 17)
    >>> parse_date("1990-05-00", order="ymd") is None
    True
    """
    partial = parse_partial(raw, order=order)
    if partial is None or partial.precision != "day":
        return None
    return dt.date.fromisoformat(partial.value)


def parse_timestamp(raw: str) -> dt.datetime | None:
    """An ISO 8601 timestamp (KMar ``tijdstip``), offset kept, or None.

    >>> parse_timestamp("2015-09-14T10:32:00+02:00").isoformat()
    '2015-09-14T10:32:00+02:00'
    >>> parse_timestamp("14-09-2015") is None
    True
    """
    if not isinstance(raw, str) or not 10 <= len(raw.strip()) <= 40:
        return None
    try:
        value = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    return value if _MIN_YEAR <= value.year <= _MAX_YEAR else None


def from_value(value: object, *, order: Order, excel_serial: bool = False) -> PartialDate | None:
    """A partial date from a typed value, as a spreadsheet cell gives it.

    ``datetime``/``date`` give day precision (the time is dropped), text is
    read by ``parse_partial``, an integral number in 1900-2100 is a year.
    Other numbers are Excel serial day numbers only with ``excel_serial``
    (openpyxl already turns date-formatted cells into ``datetime``; a bare
    serial means the cell lost its format).

    >>> from_value(dt.datetime(2001, 1, 1), order="dmy")
    PartialDate(value='2001-01-01', precision='day', administrative=True)
    >>> from_value(1996, order="dmy")
    PartialDate(value='1996', precision='year', administrative=False)
    >>> from_value(42297, order="dmy", excel_serial=True)
    PartialDate(value='2015-10-20', precision='day', administrative=False)
    """
    if isinstance(value, dt.datetime | dt.date):
        return _build(value.year, value.month, value.day)
    if isinstance(value, str):
        return parse_partial(value, order=order)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        value = int(value)
    if _MIN_YEAR <= value <= _MAX_YEAR:
        return _build(value, 0, 0)
    if excel_serial and 0 < value < 2_958_466:
        day = _EXCEL_EPOCH + dt.timedelta(days=value)
        return _build(day.year, day.month, day.day)
    return None
