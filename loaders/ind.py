"""IND: CSV from a spreadsheet, Windows-1252, semicolon, CRLF, DD-MM-YYYY.

One row is one signal from the asylum procedure (section 3 of the formats
contract). ``naam`` is ``Given SURNAME`` or ``SURNAME Given`` (see
``graph_schema.types.name`` for how the parts are told apart); ``reisroute``
lists Dutch country names separated by `` - `` (a dash between spaces, so
``Noord-Macedonië`` stays one name); ``smokkelaar_*`` and ``bedrag`` (Dutch
decimal comma) make one Facilitator with role ``smokkelaar``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from loaders.pipeline import LoaderSpec, RowContext, SignalColumns, as_text, name_of, present
from loaders.readers import TableSpec, csv_reader
from loaders.records import Facilitator, Signal, new_facilitator

COLUMNS = TableSpec.of(
    "zaaknummer signaaldatum soort thema",
    "v_nummer naam geboortedatum nationaliteit bron reisroute smokkelaar_naam "
    "smokkelaar_telefoon bedrag toelichting",
)

_ROUTE_SEPARATOR = re.compile(r"\s+[-–]\s+")
SIGNAL = SignalColumns(kind="soort", theme="thema", text="toelichting")


def _smuggler(ctx: RowContext, v: dict[str, Any]) -> Facilitator | None:
    alias = as_text(v.get("smokkelaar_naam"))
    phone = ctx.phone("smokkelaar_telefoon", v.get("smokkelaar_telefoon"))
    amount = ctx.amount("bedrag", v.get("bedrag"), decimal_comma=True)
    if alias is None and phone is None and amount is None:
        return None
    return new_facilitator(alias.strip() if alias else None, phone, "smokkelaar", amount)


@lru_cache(maxsize=1024)
def _stops(text: str) -> tuple[str | None, ...]:
    """The stops of a route as written; a few dozen routes fill a whole export."""
    return tuple(map(as_text, _ROUTE_SEPARATOR.split(text.strip())))


def _route(ctx: RowContext, value: object) -> tuple[str, ...]:
    text = as_text(value)
    stops = _stops(text) if text else ()
    return ctx.route("reisroute", stops, numbered=False)


def build(ctx: RowContext, v: dict[str, Any]) -> Signal | None:
    """Map one IND row onto a Signal."""
    ctx.record("zaaknummer", v.get("zaaknummer"))
    subject = ctx.person("subject", v, name=name_of(v.get("naam"), "free"), order="dmy")
    return ctx.signal(
        v,
        SIGNAL,
        date=ctx.signal_date("signaaldatum", v.get("signaaldatum"), order="dmy"),
        persons=present(subject),
        facilitators=present(_smuggler(ctx, v)),
        route=_route(ctx, v.get("reisroute")),
        origin=ctx.enum("bron", "ind_source", v.get("bron")),
    )


SPEC = LoaderSpec("ind", csv_reader(COLUMNS, encoding="cp1252", delimiter=";"), build)
load = SPEC
