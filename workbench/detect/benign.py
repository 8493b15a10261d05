"""Benign identifiers: what analysts know ties people together innocently.

A support line, a lawyer's office, a taxi company, reception-centre staff:
shared by many who have nothing to do with each other, but by fewer than
the hub line, so the projection would link them. An analyst marks such an
identifier benign (a ``BenignMark`` node with a label and a reason); every
later detection run leaves it out, in every role it appears in, and lists
it under "left out" (``benign_left_out``), as it does hubs. Removing the mark
soft-deletes it, and the next run links through the identifier again.

An identifier is typed as an analyst would - a phone number in any notation,
a plate, a document number, an alias - or given as a node id, and is
normalised with the same ``graph_schema.types`` functions the loaders use,
so ``06-12345678`` and ``+31 6 1234 5678`` are one mark.

Matching is by the projection's own keys (:func:`thing_value`), so a mark
catches a phone whether it is a person's own, a facilitator's or visitor's
number as a resident gave it, or one read from free text.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

from graph_schema import enums
from graph_schema.types import document, imei, phone, plate
from workbench.detect.projection import Thing
from workbench.detect.results import term
from workbench.detect.verdicts import live_verdicts
from workbench.resolve.names import name_key
from workbench.store import GraphStore, Node

__all__ = [
    "BenignError",
    "Candidate",
    "Identifier",
    "Mark",
    "Marks",
    "add_mark",
    "identifier",
    "live_marks",
    "remove_mark",
    "suggest",
    "suggestions",
    "thing_value",
]

AuditFn = Callable[[str, dict[str, Any]], None]
# The label of an identifier node and the kind of mark it takes.
KIND_OF_LABEL = {
    "Phone": "phone",
    "Vehicle": "plate",
    "Document": "document",
    "Device": "device",
    "Location": "address",
    "FacilitatorEntity": "facilitator",
    "Person": "person",
}
# The projection's thing kind a mark of each kind stops (an address links nobody there).
THING_KIND = {
    "phone": "phone",
    "plate": "vehicle",
    "document": "document",
    "device": "device",
    "alias": "alias",
    "facilitator": "facilitator",
    "person": "visitor",
}
ALIAS_PREFIX = "alias:"


class BenignError(ValueError):
    """A mark cannot be made or removed; the message says what to type instead."""


@dataclass(frozen=True)
class Identifier:
    """A normalised identifier: its kind, its node id (``alias:...`` for an alias), its value."""

    kind: str
    id: str
    value: str


@dataclass(frozen=True)
class Mark:
    """One live benign mark."""

    mark_id: str
    identifier: str
    kind: str
    value: str
    label: str
    reason: str
    author: str
    organisation: str
    created_at: dt.datetime

    @classmethod
    def from_node(cls, node: Node) -> Mark:
        return cls(**{f.name: node.props[f.name] for f in fields(cls)})

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": f"BenignMark:{self.mark_id}",
            **asdict(self),
            "created_at": self.created_at.isoformat(),
        }


# -- pure ------------------------------------------------------------------------------


def _address_key(text: str) -> str | None:
    """A place as ``Location`` nodes are keyed: spaces collapsed, folded to lower case."""
    return " ".join(text.split()).casefold() or None


# Per kind typed by value: the loaders' normaliser and the prefix of the id it gets.
NORMALISE: Mapping[str, tuple[Callable[[str], str | None], str]] = {
    "phone": (phone.clean, "Phone:"),
    "plate": (plate.clean, "Vehicle:"),
    "device": (imei.clean, "Device:"),
    "document": (document.clean_number, "document:"),  # any issuing country
    "alias": (name_key, ALIAS_PREFIX),
    "address": (_address_key, "Location:"),
}


def _from_value(kind: str, text: str) -> Identifier | None:
    """``text`` as an identifier of ``kind``, normalised as the loaders do, or None."""
    if kind not in NORMALISE:
        return None
    clean, prefix = NORMALISE[kind]
    value = clean(text)
    return Identifier(kind, f"{prefix}{value}", value) if value else None


def identifier(text: str, kind: str | None = None) -> Identifier:
    """What an analyst typed, as an identifier: a node id, or a value of ``kind``.

    Without ``kind`` a value is tried as a phone number, then a plate; say
    ``kind`` for a document number, an IMEI, an address or an alias.

    >>> identifier("06-12345678")
    Identifier(kind='phone', id='Phone:+31612345678', value='+31612345678')
    >>> identifier("xr-123-k").id, identifier("Abou Omar", "alias").id
    ('Vehicle:XR123K', 'alias:abuumr')
    >>> identifier("FacilitatorEntity:F7").kind
    'facilitator'
    """
    text = text.strip()
    if kind is not None and kind not in enums.values("benign_kind"):
        raise BenignError(f"kind must be one of {', '.join(enums.values('benign_kind'))}")
    label, sep, rest = text.partition(":")
    if sep and label in KIND_OF_LABEL and rest:
        found = KIND_OF_LABEL[label]
        if kind is not None and kind != found:
            raise BenignError(f"{text!r} is a {found}, not a {kind}")
        return Identifier(found, text, _node_value(label, rest))
    if text.startswith(ALIAS_PREFIX):
        kind = kind or "alias"
        text = text[len(ALIAS_PREFIX) :]
    for candidate in [kind] if kind else ["phone", "plate"]:
        made = _from_value(candidate, text) if candidate else None
        if made is not None:
            return made
    if kind in ("facilitator", "person"):
        raise BenignError(f"give a {kind} by its node id, e.g. FacilitatorEntity:F12 or Person:P7")
    raise BenignError(
        f"{text!r} is not a valid {kind or 'phone number or plate'}; "
        "say --kind document|device|address|alias for other identifiers"
    )


def _node_value(label: str, key: str) -> str:
    """The comparable value of an identifier node (documents compare by number)."""
    return key.partition("|")[2] if label == "Document" else key


def thing_value(kind: str, key: str) -> str:
    """The value a projected thing is matched on, from its kind and key.

    >>> thing_value("phone", "Phone:+31201234567"), thing_value("document", "Document:SYR|N1")
    ('+31201234567', 'N1')
    >>> thing_value("alias", "abuumr"), thing_value("facilitator", "F7")
    ('abuumr', 'F7')
    """
    if kind == "document":
        return key.partition("|")[2]
    if kind in ("phone", "vehicle", "device"):
        return key.partition(":")[2]
    return key


@dataclass(frozen=True)
class Marks:
    """The live marks, looked up by projected thing kind and value."""

    by_thing: Mapping[tuple[str, str], Mark]

    @classmethod
    def of(cls, marks: Iterable[Mark]) -> Marks:
        table: dict[tuple[str, str], Mark] = {}
        for m in sorted(marks, key=lambda m: m.created_at):
            if m.kind in THING_KIND:
                table.setdefault((THING_KIND[m.kind], m.value), m)
        return cls(table)

    def match(self, kind: str, key: str) -> Mark | None:
        """The mark that leaves this thing out, if any."""
        return self.by_thing.get((kind, thing_value(kind, key))) if self.by_thing else None

    def matches(self, thing: Thing) -> Mark | None:
        return self.match(thing.kind, thing.key)

    def __bool__(self) -> bool:
        return bool(self.by_thing)


# -- reading -----------------------------------------------------------------------------


def live_marks(store: GraphStore) -> list[Mark]:
    """Every live mark, oldest first (unrestricted: detection applies them all)."""
    found = store.find_nodes("BenignMark")
    live = [Mark.from_node(n) for n in found if n.props.get("deleted_at") is None]
    return sorted(live, key=lambda m: (m.created_at, m.mark_id))


# -- writing -----------------------------------------------------------------------------


def _exists(store: GraphStore, ident: Identifier) -> list[str]:
    """Node ids in the store the identifier stands for (documents: any issuing country)."""
    if ident.kind == "alias":
        return [ident.id]
    if ident.kind == "document":
        return [n.id for n in store.find_nodes("Document", {"number": ident.value})]
    return list(store.get_nodes([ident.id]))


def add_mark(
    store: GraphStore,
    text: str,
    *,
    label: str,
    reason: str,
    author: str,
    organisation: str,
    kind: str | None = None,
    visible: Callable[[str], bool] = lambda node_id: True,
    now: dt.datetime | None = None,
    audit: AuditFn | None = None,
) -> Mark:
    """Mark an identifier benign; an identifier already marked keeps its live mark.

    ``visible`` says whether the author may see a node (the query layer's
    ``visibility.node``): one may only mark what one may see.
    """
    if not label.strip() or not reason.strip():
        raise BenignError("a benign mark needs a --label (what it is) and a --reason")
    ident = identifier(text, kind)
    with store.reader():
        nodes = [i for i in _exists(store, ident) if visible(i)]
        live = [m for m in live_marks(store) if (m.kind, m.value) == (ident.kind, ident.value)]
    if not nodes:
        raise BenignError(f"no {ident.kind} {ident.value!r} in the data that you may see")
    if live:
        raise BenignError(f"{ident.value} is already marked benign ({live[0].label})")
    made = Mark(
        mark_id=uuid.uuid4().hex,
        identifier=nodes[0],  # a document: the first visible node (the mark is by number)
        kind=ident.kind,
        value=ident.value,
        label=label.strip(),
        reason=reason.strip(),
        author=author,
        organisation=organisation,
        created_at=now or dt.datetime.now(dt.UTC),
    )
    with store.writer() as w:
        w.upsert_nodes("BenignMark", [asdict(made)])
    if audit is not None:
        audit(
            "benign",
            {"change": "add", "target": made.identifier, "kind": made.kind,
             "label": made.label, "reason": made.reason, "mark": made.mark_id},
        )  # fmt: skip
    return made


def remove_mark(
    store: GraphStore,
    text: str,
    *,
    reason: str,
    author: str,
    kind: str | None = None,
    now: dt.datetime | None = None,
    audit: AuditFn | None = None,
) -> list[Mark]:
    """Remove the live mark on an identifier (soft delete, kept with who and why)."""
    if not reason.strip():
        raise BenignError("removing a benign mark needs a --reason")
    ident = identifier(text, kind)
    now = now or dt.datetime.now(dt.UTC)
    with store.writer() as w:
        gone = [m for m in live_marks(store) if (m.kind, m.value) == (ident.kind, ident.value)]
        w.upsert_nodes(
            "BenignMark",
            [
                {**asdict(m), "deleted_at": now, "deleted_by": author,
                 "deleted_reason": reason.strip()}
                for m in gone
            ],
        )  # fmt: skip
    if not gone:
        raise BenignError(f"{ident.value} is not marked benign (see `workbench benign list`)")
    if audit is not None:
        audit(
            "benign",
            {"change": "remove", "target": gone[0].identifier, "kind": ident.kind,
             "reason": reason.strip(), "marks": [m.mark_id for m in gone]},
        )  # fmt: skip
    return gone


# -- suggestions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An identifier that keeps turning up in clusters judged benign."""

    kind: str
    identifier: str
    label: str
    clusters: tuple[str, ...]
    members: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "identifier": self.identifier,
            "label": self.label,
            "clusters": list(self.clusters),
            "members": self.members,
        }


MARK_OF_THING = {v: k for k, v in THING_KIND.items()}


def suggest(
    benign_clusters: Mapping[str, Sequence[Thing]],
    marks: Marks,
    *,
    min_clusters: int = 2,
    min_members: int = 3,
) -> list[Candidate]:
    """Identifiers shared within clusters judged ``benign``, recurring in ``min_clusters``.

    Pure: ``benign_clusters`` maps each benign cluster to the things that
    link its members (its stored ``specific_links`` evidence). An identifier
    already marked is not suggested again; the most recurring come first.

    >>> from workbench.detect.projection import Incidence, group_things
    >>> line = group_things([Incidence(f"Person:{c}", "phone", "Phone:+3120", "S")
    ...                      for c in "abc"])[0]
    >>> [c.identifier for c in suggest({"Cluster:R1|4": [line], "Cluster:R1|9": [line]},
    ...                                Marks.of([]))]
    ['Phone:+3120']
    """
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    size: Counter[tuple[str, str]] = Counter()
    labels: dict[tuple[str, str], str] = {}
    for cluster, things in sorted(benign_clusters.items()):
        for t in things:
            if t.kind not in MARK_OF_THING or len(t.members) < min_members or marks.matches(t):
                continue
            key = (t.kind, t.key)
            seen[key].append(cluster)
            size[key] = max(size[key], t.size)
            labels[key] = t.label
    out = [
        Candidate(
            MARK_OF_THING[kind],
            _suggested_id(kind, key),
            labels[(kind, key)],
            tuple(clusters),
            size[(kind, key)],
        )
        for (kind, key), clusters in seen.items()
        if len(set(clusters)) >= min_clusters
    ]
    return sorted(out, key=lambda c: (-len(c.clusters), -c.members, c.identifier))


def _suggested_id(kind: str, key: str) -> str:
    """A thing's key as what `benign add` takes."""
    if kind == "facilitator":
        return f"FacilitatorEntity:{key}"
    if kind == "visitor":
        return f"Person:{key}"
    if kind == "alias":
        return f"{ALIAS_PREFIX}{key}"
    return key


def suggestions(store: GraphStore, *, min_clusters: int = 2) -> list[Candidate]:
    """Candidates from the store: things of clusters with a live ``benign`` verdict."""
    with store.reader():
        judged = [v.cluster_id for v in live_verdicts(store).values() if v.verdict == "benign"]
        clusters = store.get_nodes(judged)
        marks = Marks.of(live_marks(store))
    things = {
        cid: [
            Thing.from_dict(raw)
            for raw in term(node.props.get("explanation"), "specific_links").get("evidence", [])
        ]
        for cid, node in clusters.items()
    }
    return suggest(things, marks, min_clusters=min_clusters)
