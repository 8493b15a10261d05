"""The one loading pipeline: read -> map columns -> normalise -> validate.

Every loader is a ``LoaderSpec``: a reader (``loaders.readers``) and a
``build`` function that maps one row's values onto a ``Signal`` through the
helpers of ``RowContext``. Those helpers apply section 5 of the formats
contract the same way for all four sources:

- required values (record id, signal date, kind, theme) missing or
  unreadable: reject;
- a value outside its enumeration (compared trimmed, case-insensitively):
  reject;
- a date that is impossible or unreadable: reject;
- a present V-number that is not exactly ten digits: reject;
- an optional value that does not parse (country, phone, IMEI, plate,
  document number, amount): warning, and the value is kept as written;
- facts in free text (phones, plates, amounts, aliases): kept only when
  they parse, as ``Extracted`` pointing at their span.

A row collects all its problems before it is judged, so that one reject
list tells the partner everything to correct. A rejected row's warnings are
dropped (the row is quarantined as a whole). Duplicates and conflicts
(same record id) are not judged here: they span files and loads, so ingest
judges them.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypeVar, get_args

from graph_schema.enums import canonical
from graph_schema.enums import values as enum_values
from graph_schema.limits import Limits
from graph_schema.limits import limits as default_limits
from graph_schema.types import alias as alias_type
from graph_schema.types import amount as amount_type
from graph_schema.types import country as country_type
from graph_schema.types import document as document_type
from graph_schema.types import imei as imei_type
from graph_schema.types import phone as phone_type
from graph_schema.types import plate as plate_type
from graph_schema.types import vnumber as vnumber_type
from graph_schema.types.date import Order, PartialDate, from_value, parse_partial, parse_timestamp
from graph_schema.types.name import Name, NameStyle, parse_name
from loaders.readers import ROW_FIELD, FileRejected, RawRow, Reader, cell_text
from loaders.records import (
    Document,
    Extracted,
    Issue,
    LoadResult,
    Person,
    Phone,
    Signal,
    Source,
    new_document,
    new_extracted,
    new_issue,
    new_person,
    new_phone,
    new_signal,
)

__all__ = [
    "LoaderSpec",
    "Role",
    "RowContext",
    "SignalColumns",
    "as_text",
    "extract_facts",
    "name_of",
    "present",
    "run",
]

log = logging.getLogger(__name__)

# How much an extracted fact is worth next to a column value: a valid phone
# number or a Dutch side-code plate is rarely anything else; an alias or an
# amount in prose is more often about someone or something else.
Role = Literal["subject", "companion", "visitor"]
_T = TypeVar("_T")

_CONFIDENCE = {"phone": 0.8, "plate": 0.7, "amount": 0.6, "alias": 0.5}


def as_text(value: object) -> str | None:
    """A field value as text, ``None`` when empty or absent.

    Containers (a JSON object where text was expected) become their JSON
    text, so that they fail the value's own check and show in the issue.

    >>> as_text("  "), as_text(" a "), as_text(2901122334), as_text(3.0), as_text(None)
    (None, ' a ', '2901122334', '3', None)
    """
    if type(value) is str:  # isspace() copies nothing, unlike strip(); same test
        return value if value and not value.isspace() else None
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return cell_text(value)


def extract_facts(text: str | None, *, region: str = "NL") -> tuple[Extracted, ...]:
    """Phones, plates, euro amounts and aliases found in free text.

    >>> [(e.kind, e.value) for e in extract_facts("Busje 53-VKT-8, 3000 euro, tel 06-12345678")]
    [('plate', '53VKT8'), ('amount', '3000.00'), ('phone', '+31612345678')]
    """
    if not text:
        return ()
    if len(text) > _CACHED_TEXT:
        return _extract(text, region)
    return _extract_cached(text, region)


# Free texts repeat a lot in exports (standard phrasings, copied notes), so
# the facts of a text are cached; only texts up to this length, so that a
# few huge fields cannot fill the memory.
_CACHED_TEXT = 2000


def _extract(text: str, region: str) -> tuple[Extracted, ...]:
    found = [
        new_extracted("phone", e164, span, start, _CONFIDENCE["phone"])
        for e164, span, start in phone_type.find_in_text(text, region=region)
    ]
    found += [
        new_extracted("plate", plate, span, start, _CONFIDENCE["plate"])
        for plate, span, start in plate_type.find_in_text(text)
    ]
    found += [
        new_extracted("amount", f"{amount:.2f}", span, start, _CONFIDENCE["amount"])
        for amount, span, start in amount_type.find_in_text(text)
    ]
    found += [
        new_extracted("alias", name, span, start, _CONFIDENCE["alias"])
        for name, span, start in alias_type.find_in_text(text)
    ]
    return tuple(sorted(found, key=lambda e: e.start))


_extract_cached = lru_cache(maxsize=8192)(_extract)


@lru_cache(maxsize=16384)
def _route_of(texts: tuple[str | None, ...]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """(route, indexes of unknown stops) of a route's stop texts.

    Routes repeat (some thousands of itineraries in 200,000 rows), so they
    are cached whole.
    """
    route, unknown = [], []
    for index, text in enumerate(texts):
        if text is None:
            continue
        code = country_type.clean(text)
        if code is None:
            unknown.append(index)
        route.append(code or text.strip())
    return tuple(route), tuple(unknown)


@lru_cache(maxsize=1024)
def _canonical(name: str, text: str) -> str | None:
    """``canonical``, cached: a handful of values per enumeration fill every row."""
    return canonical(name, text)


# ``parse_partial`` and ``parse_name`` cache by text *and* a keyword, which
# builds a key per call; a loader knows its date order and name style, so
# these caches are keyed by the text alone (the results are the same objects).
_PARTIAL = {
    order: lru_cache(maxsize=65536)(partial(parse_partial, order=order))
    for order in get_args(Order)
}
_NAME = {
    style: lru_cache(maxsize=16384)(partial(parse_name, style=style))
    for style in get_args(NameStyle)
}

# ``2015-09-14T10:32:00+02:00``, as KMar writes it, is what ``isoformat()``
# gives back for it (offset minutes below 60, and not ``-00:00``, which
# reads as ``+00:00``); ``isoformat()`` of an aware time costs more than
# parsing it, so such a text is kept once it parsed.
_ISO_AS_WRITTEN = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\+[0-9]{2}|-(?!00:00)[0-9]{2}):[0-5][0-9]"
)


class RowContext:
    """One row being normalised: its place, and the issues found so far."""

    __slots__ = ("file", "raw", "record_id", "rejects", "row", "source", "warnings")

    def __init__(self, file: str, row: int, source: Source, raw: dict[str, Any]) -> None:
        self.file = file
        self.row = row
        self.source: Source = source
        self.raw = raw
        self.record_id: str | None = None
        self.rejects: list[Issue] = []
        self.warnings: list[Issue] = []

    # -- issues -----------------------------------------------------------
    def reject(self, field: str, reason: str, value: str | None = None) -> None:
        """Reject the row because of ``field``."""
        self.rejects.append(new_issue(self.file, self.row, field, reason, self.record_id, value))

    def warn(self, field: str, reason: str, value: str | None = None) -> None:
        """Note a value that did not parse; the row is kept."""
        self.warnings.append(new_issue(self.file, self.row, field, reason, self.record_id, value))

    # -- required values and enumerations ---------------------------------
    def required(self, field: str, value: object) -> str | None:
        """A required text value, trimmed; reject when missing."""
        text = as_text(value)
        if text is None:
            self.reject(field, "required value missing")
            return None
        return text.strip()

    def enum(self, field: str, name: str, value: object, required: bool = False) -> str | None:
        """The canonical value of enumeration ``name``; reject when outside it."""
        text = as_text(value)
        if text is None:
            if required:
                self.reject(field, "required value missing")
            return None
        found = _canonical(name, text)
        if found is None:
            allowed = ", ".join(enum_values(name))
            self.reject(field, f"not a {name} value (expected one of: {allowed})", text)
        return found

    def record(self, field: str, value: object) -> str | None:
        """The record id: required, and named in every later issue of the row."""
        self.record_id = self.required(field, value)
        return self.record_id

    # -- dates ------------------------------------------------------------
    def partial_date(
        self, field: str, value: object, *, order: Order
    ) -> tuple[PartialDate | None, str | None]:
        """(date, text as written) of an optional date; reject when impossible."""
        text = as_text(value)
        if text is None:
            return None, None
        if type(value) is str:
            found = _PARTIAL[order](value)
        else:
            found = from_value(value, order=order, excel_serial=True)
        if found is None:
            layout = "YYYY-MM-DD" if order == "ymd" else "DD-MM-YYYY"
            self.reject(field, f"impossible or unreadable date (expected {layout})", text)
        return found, text

    def signal_date(self, field: str, value: object, *, order: Order) -> str | None:
        """The required signal date as ISO ``YYYY-MM-DD`` (day precision)."""
        if as_text(value) is None:
            self.reject(field, "required value missing")
            return None
        found, text = self.partial_date(field, value, order=order)
        if found is not None and found.precision != "day":
            self.reject(field, "signal date must be a full date", text)
            return None
        return found.value if found else None

    def timestamp(self, field: str, value: object) -> str | None:
        """A required ISO 8601 timestamp, kept ISO with its offset."""
        text = self.required(field, value)
        if text is None:
            return None
        found = parse_timestamp(text)
        if found is None:
            self.reject(field, "impossible or unreadable timestamp (expected ISO 8601)", text)
            return None
        if found.tzinfo is None:
            self.warn(field, "timestamp without UTC offset: local time assumed", text)
        return text if _ISO_AS_WRITTEN.fullmatch(text) else found.isoformat()

    # -- identifiers and optional values ----------------------------------
    def v_number(self, field: str, value: object) -> str | None:
        """A V-number if present; reject when it is not exactly ten digits."""
        text = as_text(value)
        if text is None:
            return None
        found = vnumber_type.clean(text)
        if found is None:
            reason = "V-number must be exactly ten digits"
            if isinstance(value, int | float) and not isinstance(value, bool):
                reason += " (numeric cell: leading zeros may be lost; format the column as text)"
            self.reject(field, reason, text)
        return found

    def _optional(
        self, field: str, value: object, clean: Callable[[str], str | None], problem: str
    ) -> tuple[str | None, str | None]:
        """(clean value, text as written) of an optional value; warn when it does not parse."""
        text = as_text(value)
        if text is None:
            return None, None
        found = clean(text)
        if found is None:
            self.warn(field, problem, text)
        return found, text

    def country(self, field: str, value: object) -> tuple[str | None, str | None]:
        """(alpha-3 code, text as written); warn when the country is unknown."""
        return self._optional(field, value, country_type.clean, "unknown country: kept as written")

    def imei(self, field: str, value: object) -> str | None:
        """An IMEI (15 digits, Luhn); warn when it does not check."""
        problem = "not a valid IMEI (15 digits, Luhn check): not kept"
        return self._optional(field, value, imei_type.clean, problem)[0]

    def plate(self, field: str, value: object) -> str | None:
        """A licence plate in compare form; warn (and keep as written) when odd."""
        problem = "odd licence plate: kept as written"
        found, text = self._optional(field, value, plate_type.clean, problem)
        return found or (text.strip() if text else None)

    def phone(self, field: str, value: object, *, imei: str | None = None) -> Phone | None:
        """A phone (E.164 when valid); warn and keep as written when not."""
        problem = "not a valid phone number: kept as written"
        e164, text = self._optional(field, value, phone_type.clean, problem)
        if text is None:
            return new_phone("", None, imei) if imei else None
        return new_phone(text, e164, imei)

    def phones(self, field: str, value: object, *, sep: str) -> tuple[Phone, ...]:
        """Several phones in one field, separated by ``sep``."""
        text = as_text(value)
        if text is None:
            return ()
        return present(*(self.phone(field, part) for part in text.split(sep)))

    def amount(self, field: str, value: object, *, decimal_comma: bool) -> float | None:
        """An amount in euros (JSON number or text); warn when it does not parse."""
        text = as_text(value)
        if text is None:
            return None
        number = value if isinstance(value, int | float) else text
        found = amount_type.parse_eur(number, decimal_comma=decimal_comma)
        if found is None:
            self.warn(field, "not an amount in euros: kept as written", text)
        return found

    def route(
        self, field: str, stops: tuple[str | None, ...], *, numbered: bool
    ) -> tuple[str, ...]:
        """Countries in travel order: alpha-3 where known, else as written.

        ``stops`` are the stops' texts (``as_text``). An unknown country
        keeps its place (dropping it would change the route) as its trimmed
        text, with a warning on ``field``, or on ``field[i]`` when the stops
        are ``numbered`` (a JSON array).
        """
        route, unknown = _route_of(stops)
        for index in unknown:
            name = f"{field}[{index}]" if numbered else field
            self.warn(name, "unknown country: kept as written", stops[index])
        return route

    def obj(self, field: str, value: object) -> dict[str, Any]:
        """A nested JSON object; ``{}`` when absent; reject when not an object."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.reject(field, "expected a JSON object", as_text(value))
            return {}
        return value

    def items(self, field: str, value: object) -> list[tuple[str, dict[str, Any]]]:
        """A JSON array of objects as ``(field[i], object)``; reject other shapes."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.reject(field, "expected a JSON array", as_text(value))
            return []
        found = []
        for index, item in enumerate(value):
            name = f"{field}[{index}]"
            if item := self.obj(name, item):
                found.append((name, item))
        return found

    def document(
        self, values: dict[str, Any], *, prefix: str = "", field_prefix: str = ""
    ) -> Document | None:
        """A document from columns ``type``, ``nummer``, ``land``, ``beoordeling``.

        Columns are named ``prefix`` + part (``document_type`` for the
        police), issues ``field_prefix`` + column (``documenten[0].type``
        for KMar). None when all parts are empty.
        """

        def part(name: str) -> tuple[str, object]:
            return field_prefix + prefix + name, values.get(prefix + name)

        field, value = part("type")
        kind = self.enum(field, "document_type", value)
        problem = "odd document number: kept as written"
        number, number_raw = self._optional(*part("nummer"), document_type.clean_number, problem)
        code, country_raw = self.country(*part("land"))
        field, value = part("beoordeling")
        verdict = self.enum(field, "document_assessment", value)
        if kind is None and number_raw is None and country_raw is None and verdict is None:
            return None
        return new_document(kind, number_raw, number, code, country_raw, verdict)

    def person(
        self,
        role: Role,
        values: dict[str, Any],
        *,
        name: Name | None,
        order: Order,
        prefix: str = "",
        phones: tuple[Phone, ...] = (),
        documents: tuple[Document, ...] = (),
    ) -> Person | None:
        """A person from the shared columns ``geboortedatum``, ``nationaliteit``,
        ``geslacht`` and ``v_nummer`` of ``values`` (absent ones are unknown).

        Issues name the field ``prefix`` + column. None when nothing about
        the person is known.
        """
        # Absent columns are common (companions, visitors): skip their helpers.
        get = values.get
        birth = birth_raw = nationality = nationality_raw = sex = v_number = None
        if (value := get("geboortedatum")) is not None:
            birth, birth_raw = self.partial_date(prefix + "geboortedatum", value, order=order)
        if (value := get("nationaliteit")) is not None:
            nationality, nationality_raw = self.country(prefix + "nationaliteit", value)
        if (value := get("geslacht")) is not None:
            sex = self.enum(prefix + "geslacht", "sex", value)
        if (value := get("v_nummer")) is not None:
            v_number = self.v_number(prefix + "v_nummer", value)
        if (
            name is None
            and birth_raw is None
            and nationality_raw is None
            and sex is None
            and v_number is None
            and not phones
            and not documents
        ):
            return None
        return new_person(
            role, name, birth, birth_raw, nationality, nationality_raw, sex, v_number, phones,
            documents,
        )  # fmt: skip

    # -- the signal -------------------------------------------------------
    def signal(
        self,
        values: dict[str, Any],
        columns: SignalColumns,
        *,
        date: str | None,
        **fields: Any,
    ) -> Signal | None:
        """The row's Signal, or None when the row was rejected.

        ``columns`` names the columns of ``values`` with the signal kind and
        theme (required enumerations) and the free text (kept verbatim;
        facts are extracted from it).
        """
        prefix = columns.prefix
        kind = self.enum(prefix + columns.kind, "signal_kind", values.get(columns.kind), True)
        theme = self.enum(prefix + columns.theme, "theme", values.get(columns.theme), True)
        if self.rejects or self.record_id is None or date is None:
            return None
        if kind is None or theme is None:
            return None
        text = as_text(values.get(columns.text))
        return new_signal(
            self.source, self.record_id, date, kind, theme, self.file, self.row, self.raw,
            text=text, extracted=extract_facts(text), warnings=tuple(self.warnings), **fields,
        )  # fmt: skip


def present(*items: _T | None) -> tuple[_T, ...]:
    """The items that are not None, as a tuple.

    >>> present(None, 1, None, 2)
    (1, 2)
    """
    return tuple([item for item in items if item is not None])


def name_of(value: object, style: NameStyle) -> Name | None:
    """The Name in a one-field name ``value`` (None when empty)."""
    text = as_text(value)
    return _NAME[style](text) if text else None


class SignalColumns(NamedTuple):
    """Where a format keeps the signal kind, theme and free text.

    ``prefix`` is put before the column names in issues (``signaal.``).
    """

    kind: str
    theme: str
    text: str
    prefix: str = ""


Build = Callable[[RowContext, dict[str, Any]], Signal | None]


@dataclass(frozen=True)
class LoaderSpec:
    """A loader: what source it is, how to read its files and map a row."""

    source: Source
    read: Reader
    build: Build

    def __call__(self, path: str | Path, *, limits: Limits | None = None) -> LoadResult:
        return run(path, self, limits=limits)


def run(path: str | Path, spec: LoaderSpec, *, limits: Limits | None = None) -> LoadResult:
    """Load one file: every data row ends as one record or as rejects.

    A whole-file reject returns a LoadResult with ``error`` set (naming the
    file) and nothing else, so the other files of a load go on. ``limits``
    default to ``graph_schema/limits.yaml``.
    """
    return _run(Path(path), spec, limits or default_limits())


def _check_size(path: Path, limits: Limits) -> None:
    size, limit = path.stat().st_size, limits.files.max_file_bytes
    if size > limit:
        raise FileRejected(
            f"file of {size / (1 << 20):,.1f} MiB is over the limit of "
            f"{limit / (1 << 20):,.1f} MiB (WORKBENCH_MAX_FILE_MB): split the export"
        )


def _run(path: Path, spec: LoaderSpec, limits: Limits) -> LoadResult:
    file = str(path)
    result = LoadResult(path=file, source=spec.source)
    file_warnings: list[Issue] = []
    try:
        _check_size(path, limits)
        for raw in spec.read(path, spec.source, file_warnings, limits):
            result.rows += 1
            ctx = RowContext(file, raw.row, spec.source, raw.raw)
            if raw.problems:
                for problem in raw.problems:
                    ctx.reject(*problem)
                result.rejects.extend(ctx.rejects)
                continue
            signal = _build_row(spec, ctx, raw)
            if signal is None or ctx.rejects:
                result.rejects.extend(ctx.rejects)
            else:
                result.records.append(signal)
                result.warnings.extend(ctx.warnings)
    except FileRejected as exc:
        log.warning("file rejected: %s: %s", file, exc)
        return LoadResult(path=file, source=spec.source, error=f"{file}: {exc}")
    except OSError as exc:
        return LoadResult(path=file, source=spec.source, error=f"{file}: cannot read: {exc}")
    result.warnings[:0] = file_warnings
    log.info(
        "%s: %d rows, %d records, %d rejected rows, %d warnings",
        file, result.rows, len(result.records), result.rejected_rows, len(result.warnings),
    )  # fmt: skip
    return result


def _build_row(spec: LoaderSpec, ctx: RowContext, raw: RawRow) -> Signal | None:
    """Build one row; a bug or an unforeseen value rejects the row, not the file."""
    try:
        signal = spec.build(ctx, raw.values)
    except Exception as exc:
        log.exception("%s row %d: unexpected error", ctx.file, ctx.row)
        ctx.reject(ROW_FIELD, f"could not be processed: {type(exc).__name__}: {exc}")
        return None
    if signal is None and not ctx.rejects:
        ctx.reject(ROW_FIELD, "could not be processed")
    return signal
