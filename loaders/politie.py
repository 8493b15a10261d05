"""Politie (police, incl. AVIM): CSV, UTF-8, comma, RFC 4180, header row.

One row is one signal about one person (section 1 of the formats contract).
A UTF-8 byte order mark is stripped. The ``facilitator`` column holds an
alias, a name or a phone number: a value with six or more digits is read
as the facilitator's phone (kept as written, with a warning, when it is not
a valid number), anything else as the alias.
"""

from __future__ import annotations

from typing import Any

from graph_schema.types.name import parse_name
from loaders.pipeline import LoaderSpec, RowContext, SignalColumns, as_text, present
from loaders.readers import TableSpec, csv_reader
from loaders.records import Facilitator, Signal, new_facilitator

COLUMNS = TableSpec.of(
    "registratie_id datum signaalsoort thema",
    "v_nummer achternaam voornaam geboortedatum nationaliteit geslacht telefoon document_type "
    "document_nummer document_land locatie facilitator omschrijving",
)
SIGNAL = SignalColumns(kind="signaalsoort", theme="thema", text="omschrijving")


def _facilitator(ctx: RowContext, value: object) -> Facilitator | None:
    text = as_text(value)
    if text is None:
        return None
    if sum(ch.isdigit() for ch in text) >= 6:
        return new_facilitator(alias=None, phone=ctx.phone("facilitator", text))
    return new_facilitator(alias=text.strip())


def build(ctx: RowContext, v: dict[str, Any]) -> Signal | None:
    """Map one police row onto a Signal."""
    ctx.record("registratie_id", v.get("registratie_id"))
    subject = ctx.person(
        "subject",
        v,
        name=parse_name((v.get("achternaam"), v.get("voornaam")), style="parts"),
        order="ymd",
        phones=ctx.phones("telefoon", v.get("telefoon"), sep="|"),
        documents=present(ctx.document(v, prefix="document_")),
    )
    return ctx.signal(
        v,
        SIGNAL,
        date=ctx.signal_date("datum", v.get("datum"), order="ymd"),
        persons=present(subject),
        facilitators=present(_facilitator(ctx, v.get("facilitator"))),
        location=as_text(v.get("locatie")),
    )


SPEC = LoaderSpec("politie", csv_reader(COLUMNS, encoding="utf-8-sig", delimiter=","), build)
load = SPEC
