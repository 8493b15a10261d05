"""KMar (Royal Netherlands Marechaussee): JSON Lines, UTF-8.

One object is one signal about one person with everything the ID lane
recorded (section 2 of the formats contract). Absent or ``null`` fields are
unknown; a nested value of the wrong JSON shape (``persoon`` as a string,
``documenten`` as an object) rejects the row, since the line is then not
in the format. ``tijdstip`` (ISO 8601 with offset) is the signal's date,
kept as a full ISO timestamp. Phones (with IMEI) belong to the subject;
``reisgenoten`` are companion persons; ``facilitator`` keeps its role,
amount and payment method.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from loaders.pipeline import LoaderSpec, RowContext, SignalColumns, as_text, name_of, present
from loaders.readers import jsonl_reader
from loaders.records import Document, Facilitator, Person, Phone, Signal, new_facilitator

SIGNAL = SignalColumns(kind="soort", theme="thema", text="toelichting", prefix="signaal.")


def _phones(ctx: RowContext, value: object) -> tuple[Phone, ...]:
    return present(
        *(
            ctx.phone(f"{f}.nummer", t.get("nummer"), imei=ctx.imei(f"{f}.imei", t.get("imei")))
            for f, t in ctx.items("telefoons", value)
        )
    )


def _documents(ctx: RowContext, value: object) -> tuple[Document, ...]:
    items = ctx.items("documenten", value)
    return present(*(ctx.document(d, field_prefix=f"{f}.") for f, d in items))


def _persons(ctx: RowContext, v: dict[str, Any]) -> tuple[Person, ...]:
    p = ctx.obj("persoon", v.get("persoon"))
    subject = ctx.person(
        "subject",
        p,
        name=name_of(p.get("naam"), "surname_comma"),
        order="ymd",
        prefix="persoon.",
        phones=_phones(ctx, v.get("telefoons")),
        documents=_documents(ctx, v.get("documenten")),
    )
    companions = (
        ctx.person(
            "companion",
            c,
            name=name_of(c.get("naam"), "surname_comma"),
            order="ymd",
            prefix=f"{f}.",
        )
        for f, c in ctx.items("reisgenoten", v.get("reisgenoten"))
    )
    return present(subject, *companions)


def _facilitator(ctx: RowContext, value: object) -> Facilitator | None:
    f = ctx.obj("facilitator", value)
    if not f:
        return None
    alias = as_text(f.get("alias"))
    return new_facilitator(
        alias=alias.strip() if alias else None,
        phone=ctx.phone("facilitator.telefoon", f.get("telefoon")),
        role=ctx.enum("facilitator.rol", "facilitator_role", f.get("rol")),
        amount_eur=ctx.amount("facilitator.bedrag_eur", f.get("bedrag_eur"), decimal_comma=True),
        payment_method=as_text(f.get("betaalwijze")),
    )


@lru_cache(maxsize=16384)
def _texts(stops: tuple[str, ...]) -> tuple[str | None, ...]:
    """``as_text`` of a route's stops; routes repeat, so they are cached whole."""
    return tuple(map(as_text, stops))


def _route(ctx: RowContext, value: object) -> tuple[str, ...]:
    if value is not None and not isinstance(value, list):
        ctx.reject("reisroute", "expected a JSON array", as_text(value))
        return ()
    stops = tuple(value or ())
    # Only all-text stops are cached: 1, 1.0 and true are one key but three texts.
    texts = _texts(stops) if set(map(type, stops)) <= {str} else tuple(map(as_text, stops))
    return ctx.route("reisroute", texts, numbered=True)


def build(ctx: RowContext, v: dict[str, Any]) -> Signal | None:
    """Map one KMar object onto a Signal."""
    ctx.record("ref", v.get("ref"))
    arrival, _ = ctx.partial_date("aankomstdatum", v.get("aankomstdatum"), order="ymd")
    return ctx.signal(
        ctx.obj("signaal", v.get("signaal")),
        SIGNAL,
        date=ctx.timestamp("tijdstip", v.get("tijdstip")),
        persons=_persons(ctx, v),
        facilitators=present(_facilitator(ctx, v.get("facilitator"))),
        route=_route(ctx, v.get("reisroute")),
        arrival_date=arrival.value if arrival else None,
        location=as_text(v.get("post")),
    )


SPEC = LoaderSpec("kmar", jsonl_reader(), build)
load = SPEC
