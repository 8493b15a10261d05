"""COA: xlsx workbook, first sheet, header in the first row.

One row is one observation in a reception centre (section 4 of the formats
contract). Cells may be typed text, number or date; we read the value, not
the cell type: a date cell or ``DD-MM-YYYY`` text are the same date, and
an unformatted Excel serial number in a date column is read as a date.

V-numbers in numeric cells: a ten-digit number is read as its ten digits;
a shorter one is *not* padded with zeros (Excel drops leading zeros, but
padding would be a guess on the strongest identifier), so it is rejected
like any V-number that is not ten digits, with a hint to format the column
as text. ``raw`` keeps each cell as text (dates ISO, integral numbers
without ``.0``) so that it is JSON-able.

``bezoeker_*`` is a Person with role ``visitor``; ``kenteken`` a vehicle;
``indicatoren`` codes separated by ``;``, each checked against the
``coa_indicator`` enumeration (one unknown code rejects the row).
"""

from __future__ import annotations

from typing import Any

from loaders.pipeline import LoaderSpec, RowContext, SignalColumns, as_text, name_of, present
from loaders.readers import TableSpec, xlsx_reader
from loaders.records import Signal

COLUMNS = TableSpec.of(
    "melding_nr datum soort thema",
    "locatie v_nummer naam_bewoner geboortedatum nationaliteit indicatoren bezoeker_naam "
    "bezoeker_telefoon kenteken toelichting",
)
SIGNAL = SignalColumns(kind="soort", theme="thema", text="toelichting")


def _indicators(ctx: RowContext, value: object) -> tuple[str, ...]:
    text = as_text(value)
    if text is None:
        return ()
    return present(*(ctx.enum("indicatoren", "coa_indicator", part) for part in text.split(";")))


def build(ctx: RowContext, v: dict[str, Any]) -> Signal | None:
    """Map one COA row onto a Signal."""
    ctx.record("melding_nr", v.get("melding_nr"))
    resident = ctx.person("subject", v, name=name_of(v.get("naam_bewoner"), "free"), order="dmy")
    visitor = ctx.person(
        "visitor",
        {},
        name=name_of(v.get("bezoeker_naam"), "free"),
        order="dmy",
        phones=present(ctx.phone("bezoeker_telefoon", v.get("bezoeker_telefoon"))),
    )
    return ctx.signal(
        v,
        SIGNAL,
        date=ctx.signal_date("datum", v.get("datum"), order="dmy"),
        persons=present(resident, visitor),
        location=as_text(v.get("locatie")),
        vehicles=present(ctx.plate("kenteken", v.get("kenteken"))),
        indicators=_indicators(ctx, v.get("indicatoren")),
    )


SPEC = LoaderSpec("coa", xlsx_reader(COLUMNS), build)
load = SPEC
