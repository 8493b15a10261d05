"""A small chain-partner scenario in a real store, for need-to-know and purge tests.

IND holds a soft signal about a woman (hostile markup in her name, a debt to
a facilitator in its text); COA and KMar hold their own signals about her.
Entity resolution made one Person of the three mentions (taking IND's
spelling) and one facilitator; a detection run put both in a cluster whose
explanation names the facilitator. Other test areas may import this
(``from tests.security.scenario import build``) to prove their pages honour
the policy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from workbench.store import GraphStore

IND_NAME = "Amira <script>alert(1)</script> Tesfay"
IND_TEXT = 'Zegt schuld te hebben bij ABU TAREK; =HYPERLINK("http://x") \u202egnp.exe'
IND_VNUMBER = "1234567890"
COA_NAME = "TESFAY, Amira"
FACILITATOR = "Abu Tarek"
SHARED_PHONE = "+31612345678"  # COA and IND both record it
IND_PHONE = "+905321234567"  # only IND's soft signal knows it
KMAR_DOC = ("ERI", "E1234567")


@dataclass(frozen=True)
class Ids:
    ind: str = "Signal:ind|IND-2019-0042"
    coa: str = "Signal:coa|COA-2019-0007"
    kmar: str = "Signal:kmar|KM-2015-0100"
    ind_pm: str = "PersonMention:ind|IND-2019-0042|subject|0"
    coa_pm: str = "PersonMention:coa|COA-2019-0007|subject|0"
    kmar_pm: str = "PersonMention:kmar|KM-2015-0100|subject|0"
    ind_fm: str = "FacilitatorMention:ind|IND-2019-0042|0"
    person: str = "Person:P1"
    facilitator: str = "FacilitatorEntity:F1"
    cluster: str = "Cluster:R1|1"
    run: str = "DetectionRun:R1"
    note: str = "Annotation:N1"
    shared_phone: str = f"Phone:{SHARED_PHONE}"
    ind_phone: str = f"Phone:{IND_PHONE}"
    document: str = f"Document:{KMAR_DOC[0]}|{KMAR_DOC[1]}"


IDS = Ids()


def _signal(source: str, record_id: str, day: dt.date, kind: str, **extra: Any) -> dict[str, Any]:
    regime = "wpg" if source in ("politie", "kmar") else "avg"
    row: dict[str, Any] = {
        "source": source,
        "record_id": record_id,
        "date": day,
        "kind": kind,
        "theme": "mensenhandel",
        "legal_regime": regime,
        "purpose": f"{source} purpose",
        "raw": {"record": record_id, "text": extra.get("text")},
        "content_hash": f"h-{record_id}",
        "file": f"{source}.csv",
        "row": 1,
        "batch_id": "B-1",
        "signals": [f"Signal:{source}|{record_id}"],
    }
    row.update(extra)
    return row


def _mention(source: str, record_id: str, **props: Any) -> dict[str, Any]:
    return {
        "source": source,
        "record_id": record_id,
        "role": "subject",
        "position": 0,
        "signals": [f"Signal:{source}|{record_id}"],
        **props,
    }


def build(store: GraphStore, *, ind_date: dt.date = dt.date(2019, 5, 1)) -> Ids:
    """Write the scenario; returns the ids of what it wrote."""
    i = IDS
    now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    with store.writer() as w:
        w.upsert_nodes(
            "Signal",
            [
                _signal("ind", "IND-2019-0042", ind_date, "zacht", text=IND_TEXT),
                _signal("coa", "COA-2019-0007", dt.date(2019, 6, 1), "zacht", text="bezoek"),
                _signal("kmar", "KM-2015-0100", dt.date(2015, 9, 14), "hard", text="vals pas"),
            ],
        )
        w.upsert_nodes(
            "PersonMention",
            [
                _mention(
                    "ind",
                    "IND-2019-0042",
                    name=IND_NAME,
                    given="Amira",
                    surname="Tesfay",
                    v_number=IND_VNUMBER,
                    birth_date="1999-03-02",
                    nationality="ERI",
                    sex="V",
                ),
                _mention("coa", "COA-2019-0007", name=COA_NAME, nationality="ERI", sex="V"),
                _mention("kmar", "KM-2015-0100", name="Amira Tesfay", nationality="ERI"),
            ],
        )
        w.upsert_nodes(
            "FacilitatorMention",
            [
                {
                    "source": "ind",
                    "record_id": "IND-2019-0042",
                    "position": 0,
                    "alias": FACILITATOR,
                    "role": "smokkelaar",
                    "phone_raw": "0090 532 123 45 67",
                    "confidence": 1.0,
                    "signals": [i.ind],
                }
            ],
        )
        w.upsert_nodes(
            "Phone",
            [
                {"e164": SHARED_PHONE, "signals": [i.ind, i.coa]},
                {"e164": IND_PHONE, "signals": [i.ind]},
            ],
        )
        w.upsert_nodes(
            "Document",
            [
                {
                    "country": KMAR_DOC[0],
                    "number": KMAR_DOC[1],
                    "type": "paspoort",
                    "signals": [i.kmar],
                }
            ],
        )
        w.upsert_edges(
            "SUBJECT",
            [
                {"src": i.ind, "dst": i.ind_pm, "signals": [i.ind]},
                {"src": i.coa, "dst": i.coa_pm, "signals": [i.coa]},
                {"src": i.kmar, "dst": i.kmar_pm, "signals": [i.kmar]},
            ],
        )
        w.upsert_edges("NAMES_FACILITATOR", [{"src": i.ind, "dst": i.ind_fm, "signals": [i.ind]}])
        w.upsert_edges(
            "HAS_PHONE",
            [
                {"src": i.ind_pm, "dst": i.shared_phone, "raw": "06-12345678", "signals": [i.ind]},
                {"src": i.coa_pm, "dst": i.shared_phone, "raw": "0612345678", "signals": [i.coa]},
                {"src": i.ind_fm, "dst": i.ind_phone, "raw": "0090 532", "signals": [i.ind]},
            ],
        )
        w.upsert_edges(
            "HAS_DOCUMENT",
            [{"src": i.kmar_pm, "dst": i.document, "number_raw": "E 1234567",
              "assessment": "vals", "signals": [i.kmar]}],
        )  # fmt: skip
        w.upsert_nodes(
            "Person",
            [
                {
                    "person_id": "P1",
                    "name": IND_NAME,
                    "v_number": IND_VNUMBER,
                    "birth_date": "1999-03-02",
                    "nationality": "ERI",
                    "sex": "V",
                    "mentions": 3,
                    "sources": ["coa", "ind", "kmar"],
                }
            ],
        )
        w.upsert_nodes(
            "FacilitatorEntity",
            [
                {
                    "facilitator_id": "F1",
                    "alias": FACILITATOR,
                    "aliases": [FACILITATOR],
                    "roles": ["smokkelaar"],
                    "phones": [IND_PHONE],
                    "mentions": 1,
                    "sources": ["ind"],
                }
            ],
        )
        w.upsert_edges(
            "RESOLVED_TO",
            [
                {"src": i.ind_pm, "dst": i.person, "score": 0.99},
                {"src": i.coa_pm, "dst": i.person, "score": 0.97},
                {"src": i.kmar_pm, "dst": i.person, "score": 0.95},
                {"src": i.ind_fm, "dst": i.facilitator, "score": 1.0},
            ],
        )
        w.upsert_nodes(
            "DetectionRun",
            [{"run_id": "R1", "started_at": now, "algorithm": "leiden", "parameters": {}}],
        )
        w.upsert_nodes(
            "Cluster",
            [
                {
                    "run_id": "R1",
                    "number": 1,
                    "score": 7.5,
                    "type": "trafficking",
                    "themes": ["mensenhandel"],
                    "explanation": [
                        {"term": "debt", "value": 2.0, "reason": f"owes {FACILITATOR} money"},
                    ],
                }
            ],
        )
        w.upsert_edges(
            "MEMBER_OF",
            [
                {"src": i.person, "dst": i.cluster, "run": "R1", "role": "member"},
                {"src": i.facilitator, "dst": i.cluster, "run": "R1", "role": "broker"},
            ],
        )
        w.upsert_edges("IN_RUN", [{"src": i.cluster, "dst": i.run}])
        w.upsert_nodes(
            "Annotation",
            [
                {
                    "annotation_id": "N1",
                    "note": f"IND: {FACILITATOR} is her trafficker",
                    "author": "ind.analyst",
                    "created_at": now,
                }
            ],
        )
        w.upsert_edges("ABOUT", [{"src": i.note, "dst": i.person}])
    return i
