"""Normalised records: what every loader returns, whatever its source format.

These dataclasses are the contract between ``loaders/`` (pure parsing) and
``workbench.ingest`` (writing to the graph). A loader never touches the store;
ingest never parses a file. Every normalised value keeps the text it came from
(``*_raw``), so an analyst can always see what the source organisation wrote.
"""

from __future__ import annotations

from dataclasses import MISSING, Field, dataclass, field, fields, make_dataclass
from typing import Any, Literal, TypeVar, cast

from graph_schema.types.date import PartialDate as PartialDate
from graph_schema.types.date import Precision as Precision
from graph_schema.types.name import Name as Name

Source = Literal["politie", "kmar", "ind", "coa"]
_R = TypeVar("_R")

# PartialDate and Name live in graph_schema.types (graph_schema must not import
# loaders); they are re-exported here so that ``loaders.records`` stays the
# one place ingest imports record types from.


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone number: E.164 when it parsed, otherwise only the raw text."""

    raw: str
    e164: str | None
    imei: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """An identity or travel document as shown or found."""

    type: str | None
    number_raw: str | None
    number: str | None
    country: str | None
    country_raw: str | None = None
    assessment: str | None = None


@dataclass(frozen=True, slots=True)
class Facilitator:
    """A suspected facilitator named in a signal (alias, phone, role, payment)."""

    alias: str | None
    phone: Phone | None = None
    role: str | None = None
    amount_eur: float | None = None
    payment_method: str | None = None


@dataclass(frozen=True, slots=True)
class Extracted:
    """A fact found in free text: lower confidence, points at its text span.

    ``kind`` is ``phone``, ``plate``, ``amount`` or ``alias``; ``value`` the
    normalised value; ``span`` the exact text it was read from and ``start``
    its offset in the signal's text.
    """

    kind: Literal["phone", "plate", "amount", "alias"]
    value: str
    span: str
    start: int
    confidence: float = 0.5


@dataclass(frozen=True, slots=True)
class Person:
    """A person as one record describes them (becomes a PersonMention)."""

    role: Literal["subject", "companion", "visitor"]
    name: Name | None = None
    birth_date: PartialDate | None = None
    birth_date_raw: str | None = None
    nationality: str | None = None
    nationality_raw: str | None = None
    sex: str | None = None
    v_number: str | None = None
    phones: tuple[Phone, ...] = ()
    documents: tuple[Document, ...] = ()


@dataclass(frozen=True, slots=True)
class Issue:
    """A reject or warning about one field of one row of one file."""

    file: str
    row: int
    field: str
    reason: str
    record_id: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Signal:
    """One source record: the unit of evidence.

    ``raw`` is the record exactly as read (column -> cell text, or the
    JSON object), so it can be shown and exported verbatim.
    """

    source: Source
    record_id: str
    date: str  # ISO date (YYYY-MM-DD) or ISO datetime with offset
    kind: str
    theme: str
    file: str
    row: int
    raw: dict[str, Any]
    text: str | None = None
    persons: tuple[Person, ...] = ()
    facilitators: tuple[Facilitator, ...] = ()
    route: tuple[str, ...] = ()
    arrival_date: str | None = None
    location: str | None = None
    vehicles: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    origin: str | None = None  # IND `bron`
    extracted: tuple[Extracted, ...] = ()
    warnings: tuple[Issue, ...] = ()


@dataclass
class LoadResult:
    """What a loader returns for one file.

    ``rows`` counts data rows read (header excluded); every row ends up as
    exactly one of ``records`` or ``rejects`` (several rejects of one row
    count once: see ``rejected_rows``). ``error`` is set, with no records,
    when the whole file was rejected.
    """

    path: str
    source: Source | None
    rows: int = 0
    records: list[Signal] = field(default_factory=list)
    rejects: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    error: str | None = None

    @property
    def rejected_rows(self) -> int:
        return len({r.row for r in self.rejects})


# -- fast construction ---------------------------------------------------------
# A frozen dataclass sets every field through ``object.__setattr__``, a call
# that costs some hundreds of instructions: for the records of a load that was
# ~15 % of all the time (instruction counts, 5,000 persons; see decision 0007).
# The loaders therefore build records through ``quick(cls)``.


def _field_spec(item: Field[Any]) -> tuple[str, Any, Field[Any]] | tuple[str, Any]:
    if item.default is not MISSING:
        return item.name, item.type, field(default=item.default)
    if item.default_factory is not MISSING:
        return item.name, item.type, field(default_factory=item.default_factory)
    return item.name, item.type


def quick(cls: type[_R]) -> type[_R]:
    """A constructor of frozen slots dataclass ``cls``, three times faster than ``cls``.

    It is a mutable twin of ``cls`` (same fields, defaults and slots) whose
    ``__post_init__`` makes the new object a ``cls``: CPython allows that
    ``__class__`` assignment between classes of the same slots. What it
    returns is a ``cls``, equal to ``cls(...)`` called with the same
    arguments, and as frozen; only the setting of its fields was cheaper.
    """
    if "__slots__" not in vars(cls):
        raise TypeError(f"{cls.__name__} is not a slots dataclass: it cannot change class")

    def become_frozen(self: object) -> None:
        object.__setattr__(self, "__class__", cls)

    twin = make_dataclass(
        f"_Quick{cls.__name__}",
        [_field_spec(item) for item in fields(cast(Any, cls))],
        namespace={"__post_init__": become_frozen},
        slots=True,
        repr=False,
        eq=False,
        match_args=False,
    )
    return cast(type[_R], twin)


new_phone = quick(Phone)
new_document = quick(Document)
new_facilitator = quick(Facilitator)
new_extracted = quick(Extracted)
new_person = quick(Person)
new_issue = quick(Issue)
new_signal = quick(Signal)
