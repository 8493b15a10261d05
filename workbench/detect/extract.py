"""From the store to incidences: the one place detection reads evidence.

``read_facts`` reads the evidence and identity layers (I/O, one reader unit);
``incidences`` turns them into who-touches-what (pure), following the
ingest mapping (``workbench/ingest/mapping.py``):

- ``facilitator``: the subject of a signal that names (or pays) a facilitator
  mention resolved to a ``FacilitatorEntity``, and that entity itself;
- ``alias``: the same, by the alias the facilitator was named by (spelling
  variants folded), whether or not resolution joined the mentions;
- ``visitor``: the resident a reception-centre visitor came for, and the
  visitor's resolved person;
- ``phone``: a person's or facilitator's own number, a facilitator's or
  visitor's number as the subject gave it, a number read from the text;
- ``device`` (IMEI), ``document`` (the same document shown by two people),
  ``document_batch`` (forged documents of one issuing country with
  consecutive-ish numbers), ``vehicle`` (column or text), ``cotravel`` (a
  KMar record's subject and companions), ``route`` (the same itinerary with
  arrival dates within ``window_days``).

A mention without a ``RESOLVED_TO`` edge has no member to speak for; it is
counted and skipped.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from workbench.detect.projection import Incidence
from workbench.resolve.names import name_key
from workbench.store import Edge, GraphStore, Node

__all__ = [
    "FORGED",
    "Facts",
    "Payment",
    "document_batches",
    "incidences",
    "known_only_through",
    "read_facts",
    "route_windows",
]

log = logging.getLogger(__name__)

FORGED = frozenset({"vals", "vervalst", "look-alike"})
ROLE_EDGES = {"SUBJECT": "subject", "TRAVEL_COMPANION": "companion", "VISITOR": "visitor"}
EVIDENCE_EDGES = (
    "HAS_PHONE",
    "MENTIONS_PHONE",
    "HAS_DEVICE",
    "HAS_DOCUMENT",
    "NAMES_FACILITATOR",
    "PAID",
    "SEEN_WITH_VEHICLE",
    "MENTIONS_VEHICLE",
    "TRAVELLED",
)
SIGNAL_FIELDS = ("source", "kind", "theme", "indicators")
ENTITY_KEYS = {"Person": "person_id", "FacilitatorEntity": "facilitator_id"}
_DOC_NUMBER = re.compile(r"^([A-Z]*)(\d+)$")


@dataclass(frozen=True)
class Payment:
    """A payment a member made to a facilitator mention, as one signal says."""

    payer: str
    payee: str | None  # the facilitator entity, when resolved
    amount_eur: float | None
    method: str | None
    signal: str


@dataclass
class Facts:
    """What detection needs from the store, as plain data."""

    resolved: dict[str, str] = field(default_factory=dict)  # mention -> entity
    mentions: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # signal -> roles
    signal_of: dict[str, str] = field(default_factory=dict)  # mention -> signal
    edges: dict[str, list[Edge]] = field(default_factory=dict)
    facilitator_mentions: dict[str, Node] = field(default_factory=dict)
    visitor_names: dict[str, str] = field(default_factory=dict)  # visitor mention -> name
    signals: dict[str, Node] = field(default_factory=dict)  # only SIGNAL_FIELDS read
    dangling: int = 0  # RESOLVED_TO edges to an entity that does not exist (left out)

    def members_of(self, signal: str, *roles: str) -> list[str]:
        """The resolved entities of ``signal`` in ``roles`` (in record order)."""
        out = []
        for role, mention in self.mentions.get(signal, ()):
            entity = self.resolved.get(mention)
            if role in roles and entity is not None and entity not in out:
                out.append(entity)
        return out

    def records(self) -> dict[str, set[str]]:
        """Each entity's signals: those whose mentions resolved to it."""
        out: dict[str, set[str]] = defaultdict(set)
        for mention, entity in self.resolved.items():
            signal = self.signal_of.get(mention)
            if signal is not None:
                out[entity].add(signal)
        return dict(out)

    def payments(self) -> list[Payment]:
        """Every PAID edge whose payer is resolved."""
        out = []
        for e in self.edges.get("PAID", ()):
            payer = self.resolved.get(e.src)
            if payer is not None:
                out.append(
                    Payment(
                        payer,
                        self.resolved.get(e.dst),
                        e.props.get("amount_eur"),
                        e.props.get("method"),
                        self.signal_of.get(e.src, ""),
                    )
                )
        return out

    def forged_documents(self) -> dict[str, set[str]]:
        """Per entity, the documents some record judged false, forged or a look-alike."""
        out: dict[str, set[str]] = defaultdict(set)
        for e in self.edges.get("HAS_DOCUMENT", ()):
            holder = self.resolved.get(e.src)
            if holder is not None and e.props.get("assessment") in FORGED:
                out[holder].add(e.dst)
        return dict(out)

    def facilitator_roles(self) -> dict[str, set[str]]:
        """Per facilitator entity, the roles its mentions were given (``onbekend`` left out)."""
        out: dict[str, set[str]] = defaultdict(set)
        for mention, node in self.facilitator_mentions.items():
            entity, role = self.resolved.get(mention), node.props.get("role")
            if entity is not None and role and role != "onbekend":
                out[entity].add(role)
        return dict(out)

    def counts(self) -> dict[str, int]:
        """Input snapshot counts for the run record."""
        entities = set(self.resolved.values())
        mentions = {m for roles in self.mentions.values() for _, m in roles}
        mentions |= set(self.facilitator_mentions)
        return {
            "signals": len(self.signals),
            "mentions": len(mentions),
            "unresolved_mentions": len(mentions - set(self.resolved)),
            "dangling_resolutions": self.dangling,
            "persons": sum(1 for e in entities if e.startswith("Person:")),
            "facilitators": sum(1 for e in entities if e.startswith("FacilitatorEntity:")),
            **{f"edges_{t}": len(v) for t, v in sorted(self.edges.items())},
        }


def read_facts(store: GraphStore) -> Facts:
    """Read every edge and node detection uses, in one reader unit (never writes)."""
    facts = Facts()
    with store.reader():
        entities = {
            n.id
            for label, key in ENTITY_KEYS.items()
            for n in store.find_nodes(label, fields=(key,))
        }
        for mention, entity in store.edge_ends("RESOLVED_TO"):
            if entity in entities:
                facts.resolved[mention] = entity
            else:
                facts.dangling += 1
        for type_, role in ROLE_EDGES.items():
            for signal, mention in store.edge_ends(type_):
                facts.mentions.setdefault(signal, []).append((role, mention))
                facts.signal_of[mention] = signal
        for type_ in EVIDENCE_EDGES:
            facts.edges[type_] = store.find_edges(type_)
        for e in facts.edges["NAMES_FACILITATOR"]:
            facts.signal_of[e.dst] = e.src
        facts.facilitator_mentions = {
            n.id: n
            for n in store.find_nodes(
                "FacilitatorMention", fields=("source", "alias", "role", "confidence")
            )
        }
        facts.signals = {n.id: n for n in store.find_nodes("Signal", fields=SIGNAL_FIELDS)}
        visitors = [m for roles in facts.mentions.values() for r, m in roles if r == "visitor"]
        facts.visitor_names = {
            n.id: n.props.get("name") or "" for n in store.get_nodes(visitors).values()
        }
    for roles in facts.mentions.values():
        roles.sort(key=lambda rm: rm[1])
    if facts.dangling:
        log.warning(
            "%d RESOLVED_TO edges point to persons or facilitators that do not exist; "
            "those mentions count as unresolved (run entity resolution again)",
            facts.dangling,
        )
    log.info("read %d signals, %d resolved mentions, edges %s", len(facts.signals),
             len(facts.resolved), {t: len(v) for t, v in facts.edges.items()})  # fmt: skip
    return facts


def route_windows(day: dt.date, days: int) -> list[tuple[dt.date, dt.date]]:
    """The two overlapping windows of ``2 * days`` days that contain ``day``.

    Any two arrivals less than ``days`` apart share at least one window.

    >>> [(a.isoformat(), b.isoformat()) for a, b in route_windows(dt.date(2015, 9, 14), 4)]
    [('2015-09-07', '2015-09-14'), ('2015-09-11', '2015-09-18')]
    """
    start = day.toordinal() // days * days
    return [
        (dt.date.fromordinal(s), dt.date.fromordinal(s + 2 * days - 1))
        for s in (start - days, start)
    ]


def document_batches(documents: Iterable[str], *, gap: int = 10) -> dict[str, str]:
    """Group document ids into batches: same country and prefix, numbers ``gap`` apart at most.

    Returns document id -> batch key, for documents in a batch of two or more.

    >>> docs = ["Document:SYR|N0100001", "Document:SYR|N0100004", "Document:SYR|N0900000",
    ...         "Document:ERI|N0100002"]
    >>> sorted(set(document_batches(docs).items()))  # doctest: +NORMALIZE_WHITESPACE
    [('Document:SYR|N0100001', 'SYR|N0100001-0100004'),
     ('Document:SYR|N0100004', 'SYR|N0100001-0100004')]
    """
    groups: dict[tuple[str, str, int], list[tuple[int, str, str]]] = defaultdict(list)
    for doc in set(documents):
        country, _, number = doc.partition(":")[2].partition("|")
        match = _DOC_NUMBER.match(number)
        if match:
            prefix, digits = match.groups()
            groups[(country, prefix, len(digits))].append((int(digits), digits, doc))
    out: dict[str, str] = {}
    for (country, prefix, _), docs in sorted(groups.items()):
        docs.sort()
        for run in _runs(docs, gap):
            if len(run) >= 2:
                key = f"{country}|{prefix}{run[0][1]}-{run[-1][1]}"
                out.update((doc, key) for _, _, doc in run)
    return dict(sorted(out.items()))


def _runs(docs: Sequence[tuple[int, str, str]], gap: int) -> Iterator[list[tuple[int, str, str]]]:
    run: list[tuple[int, str, str]] = []
    for item in docs:
        if run and item[0] - run[-1][0] > gap:
            yield run
            run = []
        run.append(item)
    if run:
        yield run


def _identifiers(facts: Facts) -> dict[str, set[tuple[str, str]]]:
    """Per resolved entity, the identifiers its mentions carry, as projected (kind, key).

    A mention carries its own phones, devices and documents; a facilitator
    mention its alias (folded); a visitor mention also the plate of its record.
    """
    carried: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for type_, kind in (("HAS_PHONE", "phone"), ("HAS_DEVICE", "device"),
                        ("HAS_DOCUMENT", "document")):  # fmt: skip
        for e in facts.edges.get(type_, ()):
            carried[e.src].add((kind, e.dst))
    for mention, node in facts.facilitator_mentions.items():
        folded = name_key(node.props.get("alias") or "")
        if folded:
            carried[mention].add(("alias", folded))
    for type_ in ("SEEN_WITH_VEHICLE", "MENTIONS_VEHICLE"):
        for e in facts.edges.get(type_, ()):
            for role, mention in facts.mentions.get(e.src, ()):
                if role == "visitor":
                    carried[mention].add(("vehicle", e.dst))
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for mention, found in carried.items():
        entity = facts.resolved.get(mention)
        if entity is not None:
            out[entity] |= found
    return dict(out)


def known_only_through(
    facts: Facts, benign: Callable[[str, str], object]
) -> dict[str, list[tuple[str, str]]]:
    """Entities whose mentions carry identifiers, every one of them benign.

    Such an entity - the "visitor" that is a helpdesk's number, a
    "facilitator" resolution joined by a taxi company's phone - is that
    identifier under another name, so it must tie nobody together either.
    ``benign(kind, key)`` is truthy for a benign identifier. Pure.
    """
    return {
        entity: sorted(found)
        for entity, found in _identifiers(facts).items()
        if found and all(benign(kind, key) for kind, key in found)
    }


def _signals(e: Edge, fallback: str) -> list[str]:
    return list(e.props.get("signals") or [fallback])


def incidences(facts: Facts, *, window_days: int = 4, batch_gap: int = 10) -> list[Incidence]:
    """Everything each resolved member touches, with the signal that says so (pure)."""
    out: list[Incidence] = []
    out += _facilitators(facts)
    out += _visitors(facts)
    out += _phones(facts)
    out += _pivots(facts, batch_gap)
    out += _travel(facts, window_days)
    counts = Counter(i.kind for i in out)
    log.info("incidences per kind: %s", dict(sorted(counts.items())))
    return out


def _facilitators(facts: Facts) -> Iterator[Incidence]:
    """The resolved facilitator a signal names, and the alias it names them by.

    The alias (spelling variants folded, as entity resolution folds names)
    also links on its own: it still ties clients together where resolution
    kept a facilitator's mentions apart, and a kunya many use is a hub.
    """
    for e in facts.edges.get("NAMES_FACILITATOR", ()):
        fm = facts.facilitator_mentions.get(e.dst)
        alias = (fm.props.get("alias") if fm else None) or ""
        confidence = float(fm.props.get("confidence") or 1.0) if fm else 1.0
        entity = facts.resolved.get(e.dst)
        subjects = facts.members_of(e.src, "subject")
        folded = name_key(alias) if alias else ""
        if folded:
            for member in [*subjects, *([entity] if entity else [])]:
                yield Incidence(member, "alias", folded, e.src, alias, confidence)
        if entity is None:
            continue
        key = entity.partition(":")[2]
        yield Incidence(entity, "facilitator", key, e.src, alias, 1.0, centre=True)
        for member in subjects:
            yield Incidence(member, "facilitator", key, e.src, alias, confidence)


def _visitors(facts: Facts) -> Iterator[Incidence]:
    for signal, roles in facts.mentions.items():
        for role, mention in roles:
            visitor = facts.resolved.get(mention)
            if role != "visitor" or visitor is None:
                continue
            key = visitor.partition(":")[2]
            name = facts.visitor_names.get(mention, "")
            yield Incidence(visitor, "visitor", key, signal, name, centre=True)
            for member in facts.members_of(signal, "subject"):
                yield Incidence(member, "visitor", key, signal, name)


def _phones(facts: Facts) -> Iterator[Incidence]:
    """Own numbers, and a facilitator's or visitor's number for the subject who gave it."""
    for e in facts.edges.get("HAS_PHONE", ()):
        number = e.dst.partition(":")[2]
        signal = facts.signal_of.get(e.src, "")
        owner = facts.resolved.get(e.src)
        role = next((r for r, m in facts.mentions.get(signal, ()) if m == e.src), None)
        contact = e.src.startswith("FacilitatorMention:") or role == "visitor"
        fm = facts.facilitator_mentions.get(e.src)
        confidence = float(fm.props.get("confidence") or 1.0) if fm else 1.0
        for s in _signals(e, signal):
            if owner is not None:
                yield Incidence(owner, "phone", e.dst, s, number, confidence)
            if contact:
                for member in facts.members_of(s, "subject"):
                    yield Incidence(member, "phone", e.dst, s, number, confidence)
    for e in facts.edges.get("MENTIONS_PHONE", ()):
        confidence = float(e.props.get("confidence") or 0.5)
        for member in facts.members_of(e.src, "subject"):
            yield Incidence(member, "phone", e.dst, e.src, e.dst.partition(":")[2], confidence)


def _pivots(facts: Facts, batch_gap: int) -> Iterator[Incidence]:
    """Devices, documents, document batches and vehicles."""
    for e in facts.edges.get("HAS_DEVICE", ()):
        owner = facts.resolved.get(e.src)
        if owner is not None:
            for s in _signals(e, facts.signal_of.get(e.src, "")):
                yield Incidence(owner, "device", e.dst, s, e.dst.partition(":")[2])
    documents = facts.edges.get("HAS_DOCUMENT", ())
    batches = document_batches(
        (e.dst for e in documents if e.props.get("assessment") in FORGED), gap=batch_gap
    )
    for e in documents:
        holder = facts.resolved.get(e.src)
        if holder is None:
            continue
        label = e.dst.partition(":")[2].replace("|", " ")
        for s in _signals(e, facts.signal_of.get(e.src, "")):
            yield Incidence(holder, "document", e.dst, s, label)
            batch = batches.get(e.dst)
            if batch is not None and e.props.get("assessment") in FORGED:
                yield Incidence(holder, "document_batch", batch, s, batch.replace("|", " "))
    for type_ in ("SEEN_WITH_VEHICLE", "MENTIONS_VEHICLE"):
        for e in facts.edges.get(type_, ()):
            confidence = float(e.props.get("confidence") or 1.0)
            plate = e.dst.partition(":")[2]
            for member in facts.members_of(e.src, "subject", "visitor"):
                yield Incidence(member, "vehicle", e.dst, e.src, plate, confidence)


def _travel(facts: Facts, window_days: int) -> Iterator[Incidence]:
    """Co-travel (one record's subject and companions) and route windows."""
    for signal, roles in facts.mentions.items():
        if any(r == "companion" for r, _ in roles):
            for member in facts.members_of(signal, "subject", "companion"):
                yield Incidence(member, "cotravel", signal, signal, signal.partition(":")[2])
    for e in facts.edges.get("TRAVELLED", ()):
        day = e.props.get("arrival_date")
        if not isinstance(day, dt.date):
            continue
        itinerary = e.dst.partition(":")[2]
        members = facts.members_of(e.src, "subject", "companion")
        for start, span in _windows(day, window_days):
            key, label = f"{itinerary}@{start}", f"{itinerary}, arriving {span}"
            for member in members:
                yield Incidence(member, "route", key, e.src, label, 0.5)


@lru_cache(maxsize=1 << 16)
def _windows(day: dt.date, days: int) -> tuple[tuple[str, str], ...]:
    """:func:`route_windows` as text (start, and start..end), once per arrival day."""
    return tuple((a.isoformat(), f"{a.isoformat()}..{b.isoformat()}")
                 for a, b in route_windows(day, days))  # fmt: skip
