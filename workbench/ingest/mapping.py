"""From a normalised record to graph rows: pure, no store.

One :class:`loaders.records.Signal` becomes a Signal node, a PersonMention per
person in it, value-keyed identifier nodes (Phone, Device, Document, Vehicle,
Route, Location) and the edges between them. Every node and edge carries the
signal's id in ``signals``, so the graph can always answer "says who?".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph_schema.model import model
from loaders.records import Person, Signal

Row = dict[str, Any]

# The legal regime and purpose a source's signals are processed under. Issue 9
# (security and governance) turns this into configuration per theme.
REGIME = {"politie": "wpg", "kmar": "wpg", "ind": "avg", "coa": "avg"}
PURPOSE = {
    "politie": "criminal investigation (Wpg)",
    "kmar": "border control and criminal investigation (Wpg)",
    "ind": "asylum procedure (Aliens Act)",
    "coa": "reception of asylum seekers (Aliens Act)",
}
LOCATION_KIND = {"politie": "place", "kmar": "border post", "ind": "place", "coa": "azc"}
# Facts read from free text that become value-keyed nodes: label, key, edge type.
TEXT_PIVOTS = {
    "phone": ("Phone", "e164", "MENTIONS_PHONE"),
    "plate": ("Vehicle", "plate", "MENTIONS_VEHICLE"),
}
ROLE_EDGE = {"subject": "SUBJECT", "companion": "TRAVEL_COMPANION", "visitor": "VISITOR"}


@dataclass
class GraphRows:
    """Nodes per label and edges per type, ready for ``upsert_nodes``/``upsert_edges``."""

    nodes: dict[str, dict[str, Row]] = field(default_factory=lambda: defaultdict(dict))
    edges: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    # The signals of a node merged from several records, as a set beside its
    # list: a hub (a border post, a route) gains thousands of signals in one
    # file, and rebuilding its list per record made ingest quadratic.
    _provenance: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def node(self, label: str, props: Row) -> str:
        node_id = model().node_id(label, props)
        self.nodes[label][node_id] = props
        self._provenance.pop(node_id, None)  # replaced, with its own signals
        return node_id

    def edge(self, type_: str, src: str, dst: str, **props: Any) -> None:
        self.edges[type_].append({"src": src, "dst": dst, **props})

    def extend(self, other: GraphRows) -> None:
        for label, rows in other.nodes.items():
            mine_by_id = self.nodes[label]
            for node_id, props in rows.items():
                mine = mine_by_id.get(node_id)
                if mine is None:
                    mine_by_id[node_id] = props
                    continue
                seen = self._provenance.get(node_id)
                if seen is None:  # first merge: own the list (records share theirs)
                    mine["signals"] = list(dict.fromkeys(mine["signals"]))
                    seen = self._provenance[node_id] = set(mine["signals"])
                for signal in props["signals"]:
                    if signal not in seen:
                        seen.add(signal)
                        mine["signals"].append(signal)
        for type_, edges in other.edges.items():
            self.edges[type_].extend(edges)


def signal_id(source: str, record_id: str) -> str:
    """The id of the Signal node of a record.

    >>> signal_id("kmar", "KM-2015-004512")
    'Signal:kmar|KM-2015-004512'
    """
    return model().node_id("Signal", {"source": source, "record_id": record_id})


def content_hash(raw: dict[str, Any]) -> str:
    """SHA-256 of a record's raw content, to tell a duplicate from a conflict.

    >>> content_hash({"a": 1, "b": "x"}) == content_hash({"b": "x", "a": 1})
    True
    """
    text = json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _signal_date(value: str) -> tuple[dt.date, dt.datetime | None]:
    """The signal's date, and its exact UTC time where the source gives one (KMar)."""
    if "T" in value:
        stamp = dt.datetime.fromisoformat(value)
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=dt.UTC)
        return stamp.date(), stamp.astimezone(dt.UTC)
    return dt.date.fromisoformat(value), None


def _person(g: GraphRows, sig: Signal, sid: str, person: Person, position: int) -> str:
    prov = [sid]
    name = person.name
    dob = person.birth_date
    pm = g.node(
        "PersonMention",
        {
            "source": sig.source,
            "record_id": sig.record_id,
            "role": person.role,
            "position": position,
            "name": name.raw if name else None,
            "given": name.given if name else None,
            "surname": name.surname if name else None,
            "birth_date": dob.value if dob else None,
            "birth_precision": dob.precision if dob else None,
            "birth_administrative": dob.administrative if dob else None,
            "birth_date_raw": person.birth_date_raw,
            "nationality": person.nationality,
            "nationality_raw": person.nationality_raw,
            "sex": person.sex,
            "v_number": person.v_number,
            "signals": prov,
        },
    )
    g.edge(ROLE_EDGE[person.role], sid, pm, signals=prov)
    for phone in person.phones:
        phone_id = None
        if phone.e164:
            phone_id = g.node("Phone", {"e164": phone.e164, "signals": prov})
            g.edge("HAS_PHONE", pm, phone_id, raw=phone.raw, signals=prov)
        if phone.imei:
            device = g.node("Device", {"imei": phone.imei, "signals": prov})
            g.edge("HAS_DEVICE", pm, device, signals=prov)
            if phone_id:
                g.edge("HAS_DEVICE", phone_id, device, signals=prov)
    for doc in person.documents:
        if not doc.number:
            continue
        doc_id = g.node(
            "Document",
            {"country": doc.country or "", "number": doc.number, "type": doc.type, "signals": prov},
        )
        g.edge(
            "HAS_DOCUMENT",
            pm,
            doc_id,
            number_raw=doc.number_raw,
            assessment=doc.assessment,
            signals=prov,
        )
    return pm


def signal_rows(sig: Signal, *, batch_id: str, digest: str) -> GraphRows:
    """All nodes and edges one record asserts."""
    g = GraphRows()
    sid = signal_id(sig.source, sig.record_id)
    prov = [sid]
    date, stamp = _signal_date(sig.date)
    facts = [
        {
            "kind": f.kind,
            "value": f.value,
            "span": f.span,
            "start": f.start,
            "confidence": f.confidence,
        }
        for f in sig.extracted
        if f.kind in ("amount", "alias")
    ]
    g.node(
        "Signal",
        {
            "source": sig.source,
            "record_id": sig.record_id,
            "date": date,
            "timestamp": stamp,
            "kind": sig.kind,
            "theme": sig.theme,
            "text": sig.text,
            "origin": sig.origin,
            "indicators": list(sig.indicators),
            "arrival_date": dt.date.fromisoformat(sig.arrival_date) if sig.arrival_date else None,
            "legal_regime": REGIME[sig.source],
            "purpose": PURPOSE[sig.source],
            "raw": sig.raw,
            "content_hash": digest,
            "file": Path(sig.file).name,
            "row": sig.row,
            "batch_id": batch_id,
            "extracted": facts or None,
            "signals": prov,
        },
    )
    g.edge("LOADED_IN", sid, f"LoadBatch:{batch_id}", signals=prov)
    mentions = [_person(g, sig, sid, p, i) for i, p in enumerate(sig.persons)]
    subject = next(
        (m for m, p in zip(mentions, sig.persons, strict=True) if p.role == "subject"), None
    )

    aliases = set()
    for i, fac in enumerate(sig.facilitators):
        fm = g.node(
            "FacilitatorMention",
            {
                "source": sig.source,
                "record_id": sig.record_id,
                "position": i,
                "alias": fac.alias,
                "role": fac.role,
                "phone_raw": fac.phone.raw if fac.phone else None,
                "confidence": 1.0,
                "signals": prov,
            },
        )
        aliases.add((fac.alias or "").casefold())
        g.edge("NAMES_FACILITATOR", sid, fm, signals=prov)
        if fac.phone and fac.phone.e164:
            g.edge(
                "HAS_PHONE",
                fm,
                g.node("Phone", {"e164": fac.phone.e164, "signals": prov}),
                raw=fac.phone.raw,
                signals=prov,
            )
        if subject and (fac.amount_eur is not None or fac.payment_method):
            g.edge(
                "PAID",
                subject,
                fm,
                amount_eur=fac.amount_eur,
                method=fac.payment_method,
                signals=prov,
            )
    position = len(sig.facilitators)
    for fact in sig.extracted:
        if fact.kind in TEXT_PIVOTS:
            label, key, edge_type = TEXT_PIVOTS[fact.kind]
            target = g.node(label, {key: fact.value, "signals": prov})
            g.edge(edge_type, sid, target, span=fact.span, start=fact.start,
                   confidence=fact.confidence, signals=prov)  # fmt: skip
        elif fact.kind == "alias" and fact.value.casefold() not in aliases:
            aliases.add(fact.value.casefold())
            fm = g.node(
                "FacilitatorMention",
                {
                    "source": sig.source,
                    "record_id": sig.record_id,
                    "position": position,
                    "alias": fact.value,
                    "confidence": fact.confidence,
                    "signals": prov,
                },
            )
            position += 1
            g.edge("NAMES_FACILITATOR", sid, fm, signals=prov)
    for plate in sig.vehicles:
        g.edge(
            "SEEN_WITH_VEHICLE",
            sid,
            g.node("Vehicle", {"plate": plate, "signals": prov}),
            raw=plate,
            signals=prov,
        )
    if sig.route:
        route = g.node(
            "Route",
            {"itinerary": ">".join(sig.route), "countries": list(sig.route), "signals": prov},
        )
        arrival = dt.date.fromisoformat(sig.arrival_date) if sig.arrival_date else None
        g.edge("TRAVELLED", sid, route, arrival_date=arrival, signals=prov)
    if sig.location and sig.location.strip():
        name = " ".join(sig.location.split())
        place = g.node(
            "Location",
            {
                "key": name.casefold(),
                "name": name,
                "kind": LOCATION_KIND[sig.source],
                "signals": prov,
            },
        )
        g.edge("OBSERVED_AT", sid, place, signals=prov)
    return g
