"""A planted cluster in a real store, written with the same mapping ingest uses.

Signals are built as ``loaders.records.Signal`` and turned into graph rows by
``workbench.ingest.mapping.signal_rows``, so the evidence is exactly what
ingest writes; persons, the facilitator, the detection run, the cluster, an
earlier cluster and annotations are added with plain upserts, as entity
resolution and detection would. Hostile strings sit in texts, names and notes.
Used by the dossier tests and by ``benchmarks/dossier_bench.py``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph_schema.types.date import PartialDate
from graph_schema.types.name import Name
from loaders.records import Document, Facilitator, Person, Phone, Signal
from workbench.ingest.mapping import GraphRows, content_hash, signal_rows
from workbench.store.base import CypherStore

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://x")'
RTL = "paid \u202eexcuse\u202c in cash"
BATCH = "B-0123456789abcdef"
RUN, EARLIER_RUN = "R-2026-02", "R-2026-01"
GIVEN = ("Amir", "Yonas", "Samira", "Tesfay", "Leyla", "Omar", "Nour", "Dawit", "Hana", "Karim")
FAMILY = ("HADDAD", "TEKLE", "NASSER", "GEBRE", "YILMAZ", "SALEH", "AZIZ", "BERHE", "ISSA", "RAHIM")


@dataclass
class Planted:
    """What was planted: the cluster, its members' names and each member's record keys."""

    cluster_id: str
    names: dict[str, str] = field(default_factory=dict)
    records: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    hostile: list[str] = field(default_factory=list)


def _name(i: int) -> tuple[str, str]:
    given, family = GIVEN[i % len(GIVEN)], FAMILY[(i // len(GIVEN)) % len(FAMILY)]
    return given, family if i < 100 else f"{family}-{i}"


def _signals(i: int, n: int, hostile: bool) -> list[Signal]:
    given, family = _name(i)
    mate_given, mate_family = _name((i + 1) % n)
    name = IMG if hostile and i == 1 else f"{given} {family}"
    day = dt.date(2015, 3, 1) + dt.timedelta(days=3 * i)
    subject = Person(
        "subject",
        Name(name, given, family),
        PartialDate(f"{1980 + i % 20}-0{1 + i % 9}-1{i % 9}", "day"),
        f"1{i % 9}-0{1 + i % 9}-{1980 + i % 20}",
        "SYR",
        "Syrie",
        "M" if i % 2 else "V",
        f"{1000000000 + i}",
        (Phone(f"06-1234{i:04d}", f"+3161234{i:04d}"),),
        (Document("paspoort", f"N{i:07d}", f"N{i:07d}", "SYR", assessment="vervalst"),),
    )
    companion = Person("companion", Name(f"{mate_given} {mate_family}", mate_given, mate_family))
    text = f"Reisde met {mate_given} via Turkije, betaalde 3500 euro aan Abu Karim."
    if hostile and i == 0:
        text = f"{SCRIPT} en {FORMULA}"
    kmar = Signal(
        "kmar",
        f"KM-2015-{i:06d}",
        day.isoformat() + "T10:30:00+01:00",
        "hard",
        "mensensmokkel",
        "kmar_export.jsonl",
        i + 1,
        {"ref": f"KM-2015-{i:06d}", "text": text},
        text=text,
        persons=(subject, companion),
        facilitators=(
            Facilitator(
                "Abu Karim",
                Phone("+90 532 111 22 33", "+905321112233"),
                "smokkelaar",
                3500.0,
                "hawala",
            ),
        ),
        route=("SYR", "TUR", "GRC"),
        arrival_date=day.isoformat(),
        location="Schiphol Oost",
    )
    coa_text = f"Bewoner krijgt bezoek van onbekende man ({i})."
    if hostile and i in (2, 3):
        coa_text = RTL if i == 2 else FORMULA
    visitor = Person("visitor", Name(f"Bezoeker {i % 3}"))
    coa = Signal(
        "coa",
        f"COA-2015-{i:05d}",
        (day + dt.timedelta(days=20)).isoformat(),
        "zacht",
        "mensenhandel",
        "coa_export.xlsx",
        i + 2,
        {"melding_nr": f"COA-2015-{i:05d}"},
        text=coa_text,
        persons=(Person("subject", Name(f"{family} {given}")), visitor),
        vehicles=("AB12CD",) if i % 4 == 0 else (),
        location="azc Ter Apel",
        indicators=("BEZOEK_ONBEKENDE", "SCHULD") if i % 2 else ("BEZOEK_ONBEKENDE",),
    )
    return [kmar, coa]


def build(store: CypherStore, *, persons: int = 6, hostile: bool = True) -> Planted:
    """Plant a cluster of ``persons`` persons and one facilitator in ``store``."""
    rows = GraphRows()
    cluster_id = f"Cluster:{RUN}|1"
    planted = Planted(cluster_id)
    resolved: list[dict[str, Any]] = []
    person_rows = []
    for i in range(persons):
        given, family = _name(i)
        pid = f"Person:P{i:04d}"
        name = IMG if hostile and i == 1 else f"{given} {family}"
        planted.names[pid] = name
        person_rows.append(
            {
                "person_id": f"P{i:04d}",
                "name": name,
                "v_number": f"{1000000000 + i}",
                "nationality": "SYR",
            }
        )
        for sig in _signals(i, persons, hostile):
            rows.extend(signal_rows(sig, batch_id=BATCH, digest=content_hash(sig.raw)))
            planted.records[pid].append(f"{sig.source}:{sig.record_id}")
            mention = f"PersonMention:{sig.source}|{sig.record_id}|subject|0"
            resolved.append({"src": mention, "dst": pid, "score": 0.97, "method": "model"})
            if sig.source == "kmar":
                mate = f"Person:P{(i + 1) % persons:04d}"
                companion = f"PersonMention:kmar|{sig.record_id}|companion|1"
                resolved.append({"src": companion, "dst": mate, "score": 0.91, "method": "model"})
                planted.records[mate].append(f"kmar:{sig.record_id}")
                planted.records["FacilitatorEntity:F1"].append(f"kmar:{sig.record_id}")
                resolved.append(
                    {
                        "src": f"FacilitatorMention:kmar|{sig.record_id}|0",
                        "dst": "FacilitatorEntity:F1",
                        "score": 1.0,
                        "method": "phone/alias",
                    }
                )
    planted.names["FacilitatorEntity:F1"] = "Abu Karim"
    planted.hostile = [SCRIPT, IMG, FORMULA, RTL] if hostile else []
    now = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC)
    with store.writer() as w:
        w.upsert_nodes(
            "LoadBatch",
            [
                {
                    "batch_id": BATCH,
                    "started_at": now,
                    "operator": "loader-1",
                    "signals": [],
                    "files": [
                        {
                            "name": f,
                            "path": f"/data/in/{f}",
                            "source": f.split("_")[0],
                            "sha256": f"{k}" * 64,
                            "rows": persons,
                            "error": None,
                        }
                        for k, f in enumerate(("kmar_export.jsonl", "coa_export.xlsx"))
                    ],
                }
            ],
        )
        for label, nodes in rows.nodes.items():
            w.upsert_nodes(label, list(nodes.values()))
        for type_, edges in rows.edges.items():
            w.upsert_edges(type_, edges)
        w.upsert_nodes("Person", person_rows)
        w.upsert_nodes(
            "FacilitatorEntity",
            [
                {
                    "facilitator_id": "F1",
                    "alias": "Abu Karim",
                    "aliases": ["Abu Karim"],
                    "roles": ["smokkelaar"],
                }
            ],
        )
        w.upsert_edges("RESOLVED_TO", resolved)
        for run, started in ((EARLIER_RUN, now - dt.timedelta(days=7)), (RUN, now)):
            w.upsert_nodes(
                "DetectionRun",
                [
                    {
                        "run_id": run,
                        "started_at": started,
                        "algorithm": "leiden",
                        "parameters": {"seed": 1, "resolution": 8.0},
                        "code_version": "0.1.0",
                    }
                ],
            )
        w.upsert_nodes(
            "Cluster",
            [
                {
                    "run_id": RUN,
                    "number": 1,
                    "score": 42.5,
                    "type": "smuggling",
                    "themes": ["mensensmokkel", "mensenhandel"],
                    "lineage": "grown",
                    "explanation": [
                        {
                            "term": "hard signals",
                            "value": 12.0,
                            "reason": f"{persons} hard signals",
                        },
                        {
                            "term": "facilitator",
                            "value": 18.5,
                            "reason": "one smuggler, many clients",
                        },
                        {"term": "organisations", "value": 12.0, "reason": "KMar and COA both"},
                    ],
                },
                {"run_id": EARLIER_RUN, "number": 4, "score": 20.0, "type": "smuggling"},
            ],
        )
        w.upsert_edges("IN_RUN", [{"src": cluster_id, "dst": f"DetectionRun:{RUN}"}])
        members = [
            {
                "src": "FacilitatorEntity:F1",
                "dst": cluster_id,
                "run": RUN,
                "role": "broker",
                "centrality": 0.9,
            }
        ]
        members += [
            {
                "src": pid,
                "dst": cluster_id,
                "run": RUN,
                "role": "member",
                "centrality": round(0.5 / (1 + i), 4),
            }
            for i, pid in enumerate(p for p in planted.names if p.startswith("Person:"))
        ]
        w.upsert_edges("MEMBER_OF", members)
        w.upsert_edges(
            "LINEAGE",
            [
                {
                    "src": cluster_id,
                    "dst": f"Cluster:{EARLIER_RUN}|4",
                    "relation": "grown",
                    "jaccard": 0.62,
                }
            ],
        )
        note = f"{SCRIPT} check the hawala payments" if hostile else "check the hawala payments"
        w.upsert_nodes(
            "Annotation",
            [
                {
                    "annotation_id": "A1",
                    "note": note,
                    "tags": ["triage"],
                    "status": "new",
                    "author": "analyst1",
                    "created_at": now,
                },
                {
                    "annotation_id": "A2",
                    "note": "same phone as in case 2025/3",
                    "author": "analyst2",
                    "created_at": now + dt.timedelta(hours=1),
                },
            ],
        )
        w.upsert_edges(
            "ABOUT",
            [
                {"src": "Annotation:A1", "dst": cluster_id},
                {"src": "Annotation:A2", "dst": "Person:P0000"},
            ],
        )
    return planted
