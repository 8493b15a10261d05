"""Oracle resolution for detection tests and benchmarks: persons and facilitators from truth.json.

Detection quality should be measured apart from entity-resolution quality,
so this writes the *true* identity layer: every PersonMention resolved to the
person truth.json says the record is about, every FacilitatorMention of a
planted network's record to the network's facilitator whose alias or phone
it carries. Everything else stays apart (a noise smuggler named once is his
own facilitator; every helpdesk visit is the one helpdesk).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from workbench.store import GraphStore

HELPDESK = "HELPDESK"


def _truth_person(record: dict[str, Any], role: str, position: int) -> str | None:
    if role == "subject":
        return str(record["subject"])
    if role == "companion":
        companions = record["companions"]
        return str(companions[position - 1]) if 0 < position <= len(companions) else None
    return str(record["visitor"]) if record.get("visitor") else None


def _facilitator(
    alias: str | None, phone: str | None, network: str | None, truth: dict[str, Any]
) -> str | None:
    """The planted facilitator of ``network`` with this alias or phone, if any."""
    if network is None:
        return None
    for fid in truth["_network_facilitators"].get(network, ()):
        fac = truth["facilitators"][fid]
        aliases = {a.casefold() for a in fac["aliases"]}
        if (phone and phone == fac["phone"]) or (alias and alias.casefold() in aliases):
            return str(fid)
    return None


def truth_ids(store: GraphStore, truth: dict[str, Any]) -> dict[str, str]:
    """Every mention's true identity: ``P...``/``F...`` (or a singleton id for noise)."""
    truth.setdefault(
        "_network_facilitators", {n["id"]: n["facilitators"] for n in truth["networks"]}
    )
    records = truth["records"]
    out: dict[str, str] = {}
    with store.reader():
        role_edges = [
            e for t in ("SUBJECT", "TRAVEL_COMPANION", "VISITOR") for e in store.find_edges(t)
        ]
        fms = store.find_nodes("FacilitatorMention", fields=("source", "record_id", "alias"))
        phones = {e.src: e.dst.partition(":")[2] for e in store.find_edges("HAS_PHONE")}
    for e in role_edges:
        source, record_id, role, position = e.dst.partition(":")[2].split("|")
        record = records.get(f"{source}:{record_id}")
        if record is not None:  # a visitor who is nobody planted: the helpdesk
            out[e.dst] = _truth_person(record, role, int(position)) or HELPDESK
    for fm in fms:
        record = records.get(f"{fm.props['source']}:{fm.props['record_id']}")
        network = record.get("network") if record else None
        fid = _facilitator(fm.props.get("alias"), phones.get(fm.id), network, truth)
        out[fm.id] = fid or "X-" + fm.id.partition(":")[2]
    return out


def oracle_resolve(store: GraphStore, truth: dict[str, Any]) -> dict[str, int]:
    """Write Person/FacilitatorEntity nodes and RESOLVED_TO edges from truth; returns counts."""
    ids = truth_ids(store, truth)
    resolved = {
        m: f"{'Person' if m.startswith('PersonMention:') else 'FacilitatorEntity'}:{t}"
        for m, t in ids.items()
    }
    with store.reader():
        fms = store.find_nodes("FacilitatorMention", fields=("alias", "role"))
    names: dict[str, str] = {}
    roles: dict[str, set[str]] = defaultdict(set)
    for fm in fms:
        fid = ids[fm.id]
        names.setdefault(fid, fm.props.get("alias") or fid)
        if fm.props.get("role"):
            roles[fid].add(fm.props["role"])
    persons = sorted({v.partition(":")[2] for v in resolved.values() if v.startswith("Person:")})
    population = truth["population"]
    facilitators = truth["facilitators"]
    with store.writer() as w:
        w.upsert_nodes(
            "Person",
            [
                {
                    "person_id": p,
                    "name": (population.get(p) or facilitators.get(p) or {"name": p})["name"],
                }
                for p in persons
            ],
        )
        w.upsert_nodes(
            "FacilitatorEntity",
            [
                {"facilitator_id": f, "alias": a, "roles": sorted(roles.get(f, ()))}
                for f, a in sorted(names.items())
            ],
        )
        w.upsert_edges(
            "RESOLVED_TO",
            [
                {"src": m, "dst": e, "score": 1.0, "method": "oracle"}
                for m, e in sorted(resolved.items())
            ],
        )
    return {"persons": len(persons), "facilitators": len(names), "mentions": len(resolved)}
