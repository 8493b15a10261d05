"""Test data for the UI: a generated corpus, loaded, with oracle persons and clusters.

Resolution and detection are other modules' work; the UI must not depend on
them to be tested. So persons come from the generator's truth.json (each
mention resolved to the person who really made it) and clusters from its
planted networks, written with plain store upserts as the detection run would.
Hostile records hold script and onerror payloads in names, texts, notes,
explanations and alerts.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.generate import generate
from workbench.ingest import ingest
from workbench.store.base import CypherStore

# A surname no generated person has: searching it finds the hostile record only.
XSS_WORD = "Xerxandar"
XSS_NAME = f'<script>window.__xss=1;alert("name")</script> {XSS_WORD}'
XSS_TEXT = '<img src=x onerror="window.__xss=2;alert(2)"> bezoek aan azc'
XSS_NOTE = '<img src=x onerror="window.__xss=3;alert(3)"><script>window.__xss=4</script>'
HOSTILE_SIGNAL = "Signal:politie|PL-HOSTILE-1"
HOSTILE_MENTION = "PersonMention:politie|PL-HOSTILE-1|subject|0"
HOSTILE_PERSON = "Person:P-HOSTILE"
RUN, PREVIOUS_RUN = "run-2", "run-1"
BIG = 50
PERSONS = 120  # the corpus the UI and browser tests share
NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


@dataclass
class Corpus:
    """What was written: ids the tests look for."""

    persons: list[str] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)
    members: dict[str, list[str]] = field(default_factory=dict)
    alerts: list[str] = field(default_factory=list)
    truth: dict[str, Any] = field(default_factory=dict)


def load(
    store: CypherStore, work: Path, *, persons: int = PERSONS, seed: int = 8
) -> dict[str, Any]:
    """Generate and ingest a corpus; return its truth.json."""
    out = work / "input"
    generate(out, persons=persons, seed=seed)
    files = sorted(p for p in out.iterdir() if p.suffix in (".csv", ".jsonl", ".xlsx"))
    ingest(store, files, operator="test")
    truth: dict[str, Any] = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    return truth


def _owner(truth: dict[str, Any], props: dict[str, Any]) -> str | None:
    rec = truth["records"].get(f"{props['source']}:{props['record_id']}")
    if rec is None:
        return None
    role, pos = props["role"], props["position"]
    if role == "subject":
        return str(rec["subject"])
    if role == "companion" and 0 < pos <= len(rec["companions"]):
        return str(rec["companions"][pos - 1])
    if role == "visitor" and rec.get("visitor"):
        return str(rec["visitor"])
    return None


def resolve_from_truth(store: CypherStore, truth: dict[str, Any]) -> list[str]:
    """Person nodes for the truth's population, RESOLVED_TO from their mentions."""
    population = truth["population"]
    links: list[dict[str, Any]] = []
    for m in store.find_nodes("PersonMention"):
        owner = _owner(truth, m.props)
        if owner in population:
            links.append({"src": m.id, "dst": f"Person:{owner}", "score": 1.0, "method": "truth"})
    owners = sorted({link["dst"] for link in links})
    rows = []
    for pid in owners:
        p = population[pid.partition(":")[2]]
        rows.append(
            {
                "person_id": pid.partition(":")[2],
                "name": p["name"],
                "v_number": p.get("v_number"),
                "birth_date": p.get("dob"),
                "nationality": p.get("nationality"),
            }
        )
    with store.writer() as w:
        w.upsert_nodes("Person", rows)
        w.upsert_edges("RESOLVED_TO", links)
    return owners


def resolve_facilitators_from_truth(store: CypherStore, truth: dict[str, Any]) -> list[str]:
    """FacilitatorEntity nodes for the truth's facilitators, RESOLVED_TO from the mentions
    whose record belongs to their network and whose alias is one of theirs."""
    facilitators = truth.get("facilitators", {})
    by_alias: dict[tuple[str, str], str] = {}
    for fid, f in facilitators.items():
        for alias in f.get("aliases") or ():
            by_alias[(str(f.get("network")), alias.casefold())] = fid
    links = []
    for m in store.find_nodes("FacilitatorMention"):
        rec = truth["records"].get(f"{m.props['source']}:{m.props['record_id']}") or {}
        fid = by_alias.get((str(rec.get("network")), str(m.props.get("alias") or "").casefold()))
        if fid is not None:
            links.append({"src": m.id, "dst": f"FacilitatorEntity:{fid}", "score": 1.0,
                          "method": "truth"})  # fmt: skip
    owners = sorted({link["dst"] for link in links})
    rows = []
    for entity_id in owners:
        f = facilitators[entity_id.partition(":")[2]]
        rows.append({"facilitator_id": entity_id.partition(":")[2], "alias": f["aliases"][0],
                     "aliases": list(f["aliases"]), "roles": [f["role"]]})  # fmt: skip
    with store.writer() as w:
        w.upsert_nodes("FacilitatorEntity", rows)
        w.upsert_edges("RESOLVED_TO", links)
    return owners


def add_hostile(store: CypherStore) -> None:
    """A record, person, note and mention whose strings try to run script."""
    raw = {"achternaam": XSS_NAME, "omschrijving": XSS_TEXT}
    with store.writer() as w:
        w.upsert_nodes(
            "Signal",
            [
                {
                    "source": "politie",
                    "record_id": "PL-HOSTILE-1",
                    "date": dt.date(2016, 3, 4),
                    "kind": "zacht",
                    "theme": "mensenhandel",
                    "text": XSS_TEXT,
                    "legal_regime": "wpg",
                    "raw": raw,
                    "content_hash": "0" * 64,
                    "file": "hostile.csv",
                    "row": 1,
                    "batch_id": "B-hostile",
                    "signals": [HOSTILE_SIGNAL],
                }
            ],
        )
        w.upsert_nodes(
            "PersonMention",
            [
                {
                    "source": "politie",
                    "record_id": "PL-HOSTILE-1",
                    "role": "subject",
                    "position": 0,
                    "name": XSS_NAME,
                    "signals": [HOSTILE_SIGNAL],
                }
            ],
        )
        w.upsert_nodes("Phone", [{"e164": "+31687654321", "signals": [HOSTILE_SIGNAL]}])
        w.upsert_nodes("Person", [{"person_id": "P-HOSTILE", "name": XSS_NAME}])
        w.upsert_edges(
            "SUBJECT",
            [{"src": HOSTILE_SIGNAL, "dst": HOSTILE_MENTION, "signals": [HOSTILE_SIGNAL]}],
        )
        w.upsert_edges(
            "HAS_PHONE",
            [
                {
                    "src": HOSTILE_MENTION,
                    "dst": "Phone:+31687654321",
                    "raw": XSS_NAME,
                    "signals": [HOSTILE_SIGNAL],
                }
            ],
        )
        w.upsert_edges(
            "RESOLVED_TO", [{"src": HOSTILE_MENTION, "dst": HOSTILE_PERSON, "score": 1.0}]
        )
        w.upsert_nodes(
            "Annotation",
            [
                {
                    "annotation_id": "hostile-note",
                    "note": XSS_NOTE,
                    "tags": [XSS_NAME],
                    "status": "to check",
                    "author": '<b onmouseover="alert(5)">mallory</b>',
                    "created_at": NOW,
                }
            ],
        )
        w.upsert_edges("ABOUT", [{"src": "Annotation:hostile-note", "dst": HOSTILE_PERSON}])


def detect_from_truth(
    store: CypherStore, truth: dict[str, Any], persons: list[str], *, hostile: bool = True
) -> Corpus:
    """Two detection runs: clusters from the planted networks, lineage, alerts."""
    known = set(persons)
    corpus = Corpus(persons=persons, truth=truth)
    clusters, members, in_run, alerts, about = [], [], [], [], []
    for run_id, started in ((PREVIOUS_RUN, NOW - dt.timedelta(days=1)), (RUN, NOW)):
        with store.writer() as w:
            w.upsert_nodes(
                "DetectionRun",
                [
                    {
                        "run_id": run_id,
                        "started_at": started,
                        "finished_at": started + dt.timedelta(seconds=12),
                        "algorithm": "leiden",
                        "parameters": {"resolution": 8, "seed": 1},
                        "code_version": "test",
                        "input_counts": {"persons": len(persons)},
                    }
                ],
            )
    # A run stores the records behind each member, as detection's "members" term does.
    mentions = {n.id: n for n in store.find_nodes("PersonMention")}
    records: dict[str, set[str]] = {}
    for e in store.find_edges("RESOLVED_TO"):
        if e.src in mentions:
            records.setdefault(e.dst, set()).update(mentions[e.src].props.get("signals") or [])
    networks = [*truth["networks"], {"type": "smuggling", "members": [], "big": True}]
    for number, net in enumerate(networks, start=1):
        ids = [f"Person:{p}" for p in net["members"] if f"Person:{p}" in known]
        ids += [f"FacilitatorEntity:{f}" for f in net.get("facilitators", [])
                if f"FacilitatorEntity:{f}" in known]  # fmt: skip
        if net.get("big"):  # the acceptance case: a cluster of (up to) 50 members
            ids = persons[:BIG]
        if hostile and number == 1:
            ids.append(HOSTILE_PERSON)
        cid = f"Cluster:{RUN}|{number}"
        explanation = [
            {"term": "hard signals", "value": 4.0, "reason": "two forged documents"},
            {"term": "shared phone", "value": 2.5, "reason": "one facilitator phone"},
            {"term": "cross-organisation", "value": 1.5, "reason": XSS_TEXT if hostile else "3"},
            {
                "term": "members",
                "value": 4.0,
                "measure": len(ids),
                "reason": f"{len(ids)} persons and facilitators linked",
                "records": {p: sorted(records.get(p, ())) for p in ids},
            },
        ]
        clusters.append(
            {
                "run_id": RUN,
                "number": number,
                "score": 8.95 if net.get("big") else 10.0 - number,  # big: ranked second
                "type": net["type"],
                "themes": ["mensensmokkel"],
                "explanation": explanation,
                "lineage": "grown" if number == 1 else "new",
            }
        )
        corpus.clusters.append(cid)
        corpus.members[cid] = ids
        members += [
            {
                "src": p,
                "dst": cid,
                "run": RUN,
                "role": "broker" if i == 0 else "member",
                "centrality": round(1.0 / (i + 1), 3),
                "role_reason": "links 2 clusters; 40% of the shortest paths between them run "
                "through this member"
                if i == 0
                else None,
            }
            for i, p in enumerate(ids)
        ]
        in_run.append({"src": cid, "dst": f"DetectionRun:{RUN}"})
        alert_id = f"A-{number}"
        alerts.append(
            {
                "alert_id": alert_id,
                "run_id": RUN,
                "message": (
                    f"cluster {number} grew by 2 persons"
                    if number == 1
                    else f"new cluster {number}"
                )
                + (f" {XSS_NOTE}" if hostile and number == 1 else ""),
                "kind": "grown" if number == 1 else "new",
                "status": "new",
                "created_at": NOW,
            }
        )
        about.append({"src": f"Alert:{alert_id}", "dst": cid})
        corpus.alerts.append(f"Alert:{alert_id}")
    with store.writer() as w:
        w.upsert_nodes("Cluster", clusters)
        w.upsert_nodes(
            "Cluster",
            [{"run_id": PREVIOUS_RUN, "number": 1, "score": 6.0, "type": "smuggling"}],
        )
        w.upsert_edges("MEMBER_OF", members)
        w.upsert_edges("IN_RUN", in_run)
        w.upsert_edges(
            "LINEAGE",
            [
                {
                    "src": f"Cluster:{RUN}|1",
                    "dst": f"Cluster:{PREVIOUS_RUN}|1",
                    "relation": "grown",
                    "jaccard": 0.6,
                }
            ],
        )
        w.upsert_nodes("Alert", alerts)
        w.upsert_edges("IN_RUN", [{"src": a["src"], "dst": f"DetectionRun:{RUN}"} for a in about])
        w.upsert_edges("ABOUT", about)
    return corpus


def add_review_pairs(store: CypherStore, limit: int = 3) -> int:
    """The model's links for pairs of different persons nearest the merge line.

    Scored and explained by the resolver's own model, trained on these
    mentions, and written as the resolver writes its links: the review page
    gets real near-threshold pairs while persons stay the truth's.
    """
    from workbench.resolve.blocking import PERSON_RULES, candidate_pairs
    from workbench.resolve.compare import PERSON
    from workbench.resolve.pairs import Pairs
    from workbench.resolve.pipeline import Thresholds, vectors
    from workbench.resolve.service import _Links, _parameters, _read, _scorer, _spellings

    state = _read(store)
    scorer = _scorer(state, seed=0, spellings=_spellings(state, None))
    band = Thresholds()
    near = []
    for a, b in sorted(candidate_pairs(state.records, PERSON_RULES)):
        if state.assigned.get(a) == state.assigned.get(b):
            continue
        weight = scorer.weight(state.by_id[a], state.by_id[b])
        if band.review_low <= weight <= band.review_high:
            near.append((abs(weight - band.merge), a, b))
    chosen = Pairs.of([(a, b) for _, a, b in sorted(near)[:limit]], state.records)
    run = "resolve-review-pairs"  # the links' explanations are rebuilt with its parameters
    gamma = vectors(chosen, state.by_id, PERSON)
    scores, weights = scorer.stored(gamma, chosen, state.by_id)
    links = _Links(chosen, gamma, scores, weights, scorer, run, NOW)
    with store.writer() as w:
        w.upsert_nodes(
            "ResolutionRun",
            [{"run_id": run, "started_at": NOW, "mode": "full", "operator": "test",
              "parameters": _parameters(scorer, band)}],
        )  # fmt: skip
        for rows in links.chunks():
            w.upsert_nodes("MatchDecision", rows)
    return len(links)


def build(store: CypherStore, work: Path, *, persons: int = PERSONS, seed: int = 8) -> Corpus:
    """The whole fixture: loaded corpus, hostile records, persons, review pairs, two runs."""
    truth = load(store, work, persons=persons, seed=seed)
    add_hostile(store)
    owners = resolve_from_truth(store, truth)
    facilitators = resolve_facilitators_from_truth(store, truth)
    # The review page needs namesakes near the merge line; the seed is chosen so
    # that this small corpus has some (its names are mostly rare).
    assert add_review_pairs(store), f"seed {seed}: no pair near the merge line to review"
    corpus = detect_from_truth(store, truth, [*owners, *facilitators, HOSTILE_PERSON])
    corpus.persons = [p for p in corpus.persons if p.startswith("Person:")]
    return corpus
