"""Dossier dict -> document: self-contained HTML, PDF (WeasyPrint), JSON and CSV.

HTML comes from Jinja2 templates with autoescaping on, so every stored string
is text, never markup; the two pictures are SVG drawn as text by this package
with every string escaped. The HTML refers to nothing outside itself (inline
CSS and SVG, no script), and the PDF renderer refuses to fetch any URL but
``data:``, so rendering never makes a request.

Invisible direction and control characters (e.g. U+202E, which would show the
text after it reversed) are shown as ``[U+202E]`` in HTML, PDF and the
pictures, so a reader sees that the source held one; JSON and CSV keep every
string exactly as stored.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from workbench.dossier.csv_safe import write_csv
from workbench.dossier.errors import RenderError, UnknownFormat
from workbench.dossier.labels import enum_label
from workbench.dossier.network_svg import chart_picture, draw_network
from workbench.dossier.timeline_svg import draw_timeline
from workbench.resolve.api import share_text

Doc = dict[str, Any]
# C0/C1 controls (but tab and newline) and the bidirectional formatting characters.
HIDDEN = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def reveal(text: str) -> str:
    """``text`` with direction overrides and control characters made visible.

    >>> reveal("abc\u202eevil"), reveal("line\\r\\nnext\\tok")
    ('abc[U+202E]evil', 'line\\nnext\\tok')
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return HIDDEN.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def display_copy(value: Any) -> Any:
    """A copy of a dossier (or any part of it) with every string passed through :func:`reveal`."""
    if isinstance(value, str):
        return reveal(value)
    if isinstance(value, Mapping):
        return {k: display_copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [display_copy(v) for v in value]
    return value


def label(enum: str, value: Any) -> str:
    """The display label of an enumeration value for a page ("-" when there is none)."""
    return enum_label(enum, value) or "-"


def when(stamp: str | None) -> str:
    """An ISO timestamp for people: to the minute, in UTC.

    >>> when("2026-02-01T09:00:00+00:00"), when(None)
    ('2026-02-01 09:00 UTC', '-')
    """
    if not stamp:
        return "-"
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M") + " UTC"


def pair_matrix(pairs: list[Doc]) -> tuple[list[str], list[Doc]]:
    """Features in first-seen order, and the pairs with their contributions by feature.

    One table per merged person, a column per pair and a row per feature, is
    far shorter than a table per pair.

    >>> features, shown = pair_matrix([{"contributions": [{"feature": "name", "weight": 1.0}]}])
    >>> features, shown[0]["by_feature"]["name"]["weight"]
    (['name'], 1.0)
    """
    features = list(dict.fromkeys(c["feature"] for p in pairs for c in p["contributions"]))
    shown = [{**p, "by_feature": {c["feature"]: c for c in p["contributions"]}} for p in pairs]
    return features, shown


@pass_context
def _member_name(context: Context, ref: str) -> str:
    """``M3`` -> ``M3 Amir HADDAD`` (the template's ``members`` map)."""
    return f"{ref} {context['members'][ref]['name']}"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("workbench.dossier", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.do"],
    )
    env.globals["label"] = label
    env.globals["pair_matrix"] = pair_matrix
    env.globals["share_text"] = share_text
    env.filters["member_name"] = _member_name
    env.filters["num"] = lambda v, digits=2: "-" if v is None else f"{float(v):.{digits}f}"
    env.filters["when"] = when
    return env


def render_html(doc: Doc) -> str:
    """The dossier as one self-contained HTML page (also the input of the PDF)."""
    shown = display_copy(doc)
    template = _environment().get_template("dossier.html.j2")
    return template.render(
        d=shown,
        members={m["ref"]: m for m in shown["members"]},
        network_svg=Markup(draw_network(*chart_picture(shown["members"], shown["chart"]))),  # noqa: S704
        timeline_svg=Markup(draw_timeline(shown["signals"])),  # noqa: S704
    )


def render_pdf(doc: Doc) -> bytes:
    """The dossier as PDF: page numbers, a running classification header, a table of contents."""
    import weasyprint  # type: ignore[import-untyped, unused-ignore]
    from weasyprint.urls import (  # type: ignore[import-untyped, unused-ignore]
        FatalURLFetchingError,
        URLFetcher,
    )

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    try:
        pdf = weasyprint.HTML(string=render_html(doc), url_fetcher=fetcher).write_pdf()
    except FatalURLFetchingError as exc:  # a BaseException: catch it by name
        raise RenderError(f"the dossier referred to a resource outside itself: {exc}") from exc
    if pdf is None:
        raise RenderError("WeasyPrint returned no PDF")
    return bytes(pdf)


def render_json(doc: Doc) -> bytes:
    """The dossier as JSON, every string as stored (schema: docs/dossier-schema.json)."""
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()


CSV_HEADER = (
    "date",
    "organisation",
    "record_id",
    "kind",
    "theme",
    "members",
    "persons",
    "text",
    "locations",
    "file",
    "row",
    "batch_id",
)


def render_csv(doc: Doc) -> bytes:
    """The dossier's signals, one row each, for a spreadsheet (formula triggers defused)."""
    names = {m["ref"]: m["name"] for m in doc["members"]}
    rows = [
        (
            s["date"],
            s["organisation"],
            s["record_id"],
            s["kind"],
            s["theme"],
            "; ".join(f"{ref} {names[ref]}" for ref in s["members"]),
            "; ".join(f"{p['role']}: {p['name'] or '-'}" for p in s["persons"]),
            s["text"],
            "; ".join(s["locations"]),
            s["file"],
            s["row"],
            s["batch_id"],
        )
        for s in doc["signals"]
    ]
    return write_csv(CSV_HEADER, rows).encode("utf-8-sig")


@dataclass(frozen=True)
class Format:
    """One output format: how to render it, its media type and file extension."""

    render: Callable[[Doc], bytes]
    media_type: str
    extension: str


FORMATS: dict[str, Format] = {
    "pdf": Format(render_pdf, "application/pdf", "pdf"),
    "html": Format(lambda d: render_html(d).encode("utf-8"), "text/html; charset=utf-8", "html"),
    "json": Format(render_json, "application/json", "json"),
    "csv": Format(render_csv, "text/csv; charset=utf-8", "csv"),
}


def output_format(name: str) -> Format:
    """The format called ``name``; :class:`UnknownFormat` names the ones there are."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormat(
            f"unknown dossier format {name!r}; choose one of {', '.join(FORMATS)}"
        ) from None
