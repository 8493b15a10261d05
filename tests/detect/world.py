"""Small, real graphs for detection tests: records through the ingest mapping, then resolution.

A test describes records the way a partner would export them (a subject, the
facilitator they named, the phone they gave, the plate COA saw), and which
resolved person or facilitator each mention is. ``World.write`` puts exactly
what ingest and entity resolution would put into a real store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from graph_schema.model import model
from loaders.records import Document, Facilitator, Person, Phone, Signal
from workbench.ingest.mapping import GraphRows, content_hash, signal_id, signal_rows
from workbench.store.base import CypherStore

BATCH = "B-detect-test"


@dataclass(frozen=True)
class Fac:
    """A facilitator as one record names them, and who they resolve to."""

    key: str
    alias: str
    phone: str | None = None
    role: str | None = "smokkelaar"
    amount: float | None = None


@dataclass
class World:
    """Records to write, with their resolution."""

    store: CypherStore
    graph: GraphRows = field(default_factory=GraphRows)
    resolved: dict[str, str] = field(default_factory=dict)  # mention id -> entity id

    def record(
        self,
        source: str,
        record_id: str,
        subject: str,
        *,
        theme: str = "overig",
        kind: str = "zacht",
        date: str = "2015-09-01",
        companions: Sequence[str] = (),
        visitor: str | None = None,
        visitor_phone: str | None = None,
        facilitators: Sequence[Fac] = (),
        phones: Sequence[str] = (),
        documents: Sequence[tuple[str, str, str]] = (),
        vehicles: Sequence[str] = (),
        route: Sequence[str] = (),
        arrival: str | None = None,
        indicators: Sequence[str] = (),
        text: str | None = None,
    ) -> str:
        """Add one record about ``subject`` (a person key); returns the Signal id."""
        persons = [
            Person(
                role="subject",
                phones=tuple(Phone(p, p) for p in phones),
                documents=tuple(
                    Document("paspoort", number, number, country, assessment=verdict)
                    for country, number, verdict in documents
                ),
            ),
            *(Person(role="companion") for _ in companions),
        ]
        if visitor is not None:
            phone = (Phone(visitor_phone, visitor_phone),) if visitor_phone else ()
            persons.append(Person(role="visitor", phones=phone))
        raw = {"id": record_id, "subject": subject, "text": text or ""}
        sig = Signal(
            source=source,  # type: ignore[arg-type]
            record_id=record_id,
            date=date,
            kind=kind,
            theme=theme,
            file=f"{source}_test",
            row=1,
            raw=raw,
            text=text,
            persons=tuple(persons),
            facilitators=tuple(
                Facilitator(
                    f.alias,
                    Phone(f.phone, f.phone) if f.phone else None,
                    f.role,
                    f.amount,
                    "hawala" if f.amount else None,
                )
                for f in facilitators
            ),
            route=tuple(route),
            arrival_date=arrival,
            vehicles=tuple(vehicles),
            indicators=tuple(indicators),
        )
        self.graph.extend(signal_rows(sig, batch_id=BATCH, digest=content_hash(raw)))
        for position, key in enumerate([subject, *companions, *([visitor] if visitor else [])]):
            role = persons[position].role
            mention = model().node_id(
                "PersonMention",
                {"source": source, "record_id": record_id, "role": role, "position": position},
            )
            self.resolved[mention] = f"Person:{key}"
        for position, f in enumerate(facilitators):
            mention = model().node_id(
                "FacilitatorMention",
                {"source": source, "record_id": record_id, "position": position},
            )
            self.resolved[mention] = f"FacilitatorEntity:{f.key}"
        return signal_id(source, record_id)

    def write(self) -> None:
        """Write what was added since the last write: evidence, then identity."""
        persons = sorted({e for e in self.resolved.values() if e.startswith("Person:")})
        facs = sorted({e for e in self.resolved.values() if e.startswith("FacilitatorEntity:")})
        with self.store.writer() as w:
            w.upsert_nodes(
                "LoadBatch",
                [{"batch_id": BATCH, "started_at": dt.datetime(2015, 9, 1, tzinfo=dt.UTC),
                  "files": [], "signals": []}],
            )  # fmt: skip
            for label, nodes in self.graph.nodes.items():
                w.upsert_nodes(label, list(nodes.values()))
            for type_, edges in self.graph.edges.items():
                w.upsert_edges(type_, edges)
            w.upsert_nodes(
                "Person",
                [{"person_id": p.partition(":")[2], "name": p.partition(":")[2]} for p in persons],
            )
            w.upsert_nodes(
                "FacilitatorEntity",
                [{"facilitator_id": f.partition(":")[2], "alias": f.partition(":")[2]}
                 for f in facs],
            )  # fmt: skip
            w.upsert_edges(
                "RESOLVED_TO",
                [{"src": m, "dst": e, "method": "test"} for m, e in sorted(self.resolved.items())],
            )
        self.graph = GraphRows()


def ring(
    world: World,
    name: str,
    clients: Sequence[str],
    *,
    phone: str,
    plate: str | None = None,
    source: str = "ind",
    theme: str = "mensensmokkel",
    start: int = 0,
) -> list[str]:
    """A smuggling ring: every client names facilitator ``name`` with ``phone`` and pays."""
    out = []
    for i, client in enumerate(clients, start=start):
        out.append(
            world.record(
                source,
                f"{name}-{i}",
                client,
                theme=theme,
                facilitators=[Fac(name, "Abu " + name, phone, "smokkelaar", 2500.0)],
                vehicles=[plate] if plate and i % 2 == 0 else [],
            )
        )
    return out
