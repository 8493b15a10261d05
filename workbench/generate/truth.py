"""truth.json: what the generated files really say (schema: package docstring).

Built from the population, the networks and the rows *as placed in files*,
so every position it names (file, data row from 1) is where a loader will
find the row.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.generate.mess import Files, MessLog
from workbench.generate.networks import (
    HELPDESK_PHONE,
    NOISE_ALIASES,
    Decoys,
    Facilitator,
    Network,
)
from workbench.generate.population import Person

__all__ = ["build_truth", "write_truth"]

HUB = "azc Ter Apel"


def _key(source: str, record_id: str) -> str:
    return f"{source}:{record_id}"


def build_truth(
    *,
    seed: int,
    people: list[Person],
    facilitators: list[Facilitator],
    networks: list[Network],
    decoys: Decoys,
    files: Files,
    file_names: dict[str, str],
    log: MessLog,
) -> dict[str, Any]:
    """The truth document; plain JSON types, insertion-ordered (deterministic)."""
    bad_ids = {id(row) for row, *_ in log.bad_rows}
    positions: dict[str, list[dict[str, Any]]] = {}
    records: dict[str, dict[str, Any]] = {}
    first_data: dict[str, Any] = {}
    conflicting: set[str] = set()
    mistyped: list[dict[str, Any]] = []
    hub: set[str] = set()
    aliases: dict[str, set[str]] = {a: set() for a in NOISE_ALIASES}
    for stem, rows in files.items():
        for number, row in enumerate(rows, start=1):
            key = _key(row.source, row.record_id)
            positions.setdefault(key, []).append({"file": file_names[stem], "row": number})
            if id(row) in bad_ids:
                continue
            if key in records:
                if row.data != first_data[key]:
                    conflicting.add(key)
                continue
            first_data[key] = row.data
            records[key] = {
                "subject": row.subject,
                "companions": list(row.companions),
                "visitor": row.visitor,
                "network": row.network,
            }
            if row.mistyped is not None:
                true_v, written = row.mistyped
                mistyped.append(
                    {"record": key, "subject": row.subject, "v_number": true_v, "written": written}
                )
            if row.source == "coa" and row.data["locatie"] == HUB:
                hub.add(row.subject)
            if row.source == "ind" and row.data["smokkelaar_naam"] in aliases:
                aliases[row.data["smokkelaar_naam"]].add(row.subject)

    duplicates = [
        {"record": key, "copies": pos}
        for key, pos in positions.items()
        if len(pos) > 1 and key not in conflicting
    ]
    conflicts = [
        {"record": c["record"], "field": c["field"], "copies": positions[c["record"]]}
        for c in log.conflicts
    ]
    decoy_list = [
        *_decoys(decoys, records, people),
        {"kind": "hub_location", "value": HUB, "persons": len(hub)},
        *({"kind": "common_alias", "value": a, "persons": len(p)} for a, p in aliases.items()),
    ]

    network_records: dict[str, list[str]] = {n.nid: [] for n in networks}
    for key, rec in records.items():
        if rec["network"] is not None:
            network_records[rec["network"]].append(key)

    rows_per_file = {file_names[stem]: len(rows) for stem, rows in files.items()}
    per_source: dict[str, int] = {}
    for key in records:
        source = key.split(":", 1)[0]
        per_source[source] = per_source.get(source, 0) + 1

    return {
        "seed": seed,
        "persons": len(people),
        "generated": {
            "rows_per_file": rows_per_file,
            "records_per_source": per_source,
            "networks": len(networks),
            "facilitators": len(facilitators),
        },
        "population": {
            p.pid: {
                "name": p.name,
                "given": " ".join(p.given),
                "family": p.family,
                "sex": p.sex,
                "dob": p.dob_text,
                "nationality": p.nationality,
                "v_number": p.v_number,
                "minor": p.minor,
                "unaccompanied": p.unaccompanied,
                "household": p.household,
                "phones": [ph.e164 for ph in p.phones],
                "arrival": p.arrival.isoformat(),
                "network": p.network,
            }
            for p in people
        },
        "facilitators": {
            f.fid: {
                "network": f.network,
                "role": f.role,
                "aliases": list(f.aliases),
                "name": f"{' '.join(f.given)} {f.family}",
                "phone": f.phone.e164 if f.phone else None,
                "plate": f.plate,
            }
            for f in facilitators
        },
        "records": records,
        "networks": [_network(n, network_records[n.nid]) for n in networks],
        "decoys": decoy_list,
        "duplicates": duplicates,
        "conflicts": conflicts,
        "hostile": log.hostile,
        "unparseable": log.unparseable,
        "mistyped_v_numbers": mistyped,
        "bad_rows": [
            {
                "record": _key(row.source, row.record_id),
                "subject": row.subject,
                **positions[_key(row.source, row.record_id)][0],
                "field": path,
                "value": value,
                "reason": why,
            }
            for row, path, value, why in log.bad_rows
        ],
    }


def _network(net: Network, records: list[str]) -> dict[str, Any]:
    markers: dict[str, Any] = {
        "phones": net.phones,
        "plates": net.plates,
        "aliases": [a for f in net.facilitators for a in f.aliases],
        "document_batch": {
            "country": net.batch_country,
            "numbers": [d.number for d in net.batch.values()],
        }
        if net.batch
        else None,
        "route": list(net.route),
        "arrival": net.arrival.isoformat() if net.arrival else None,
        "amount_eur": net.amount_eur,
        "azcs": sorted(set(net.azcs.values())),
    }
    return {
        "id": net.nid,
        "type": net.type,
        "members": list(net.members),
        "facilitators": [f.fid for f in net.facilitators],
        "markers": markers,
        "records": records,
    }


def _decoys(
    decoys: Decoys, records: dict[str, dict[str, Any]], people: list[Person]
) -> list[dict[str, Any]]:
    """Decoys whose counts come from the records (families: households with
    a KMar record listing travel companions)."""
    household = {p.pid: p.household for p in people}
    travelled: dict[str, None] = {}  # households seen travelling together, in record order
    for rec in records.values():
        if rec["companions"]:
            travelled[household[rec["subject"]]] = None
    members = [p.pid for p in people if p.household in travelled]
    return [
        {"kind": "helpdesk_phone", "value": HELPDESK_PHONE.e164, "persons": len(decoys.helpdesk)},
        {"kind": "common_name", "value": "Mohammed Ali", "persons": len(decoys.common_name)},
        {"kind": "families_travelling_together", "value": len(travelled),
         "persons": len(members)},
        *({"kind": "lawyer_office", "value": o.phone.e164, "name": o.name,
           "persons": len(o.clients)} for o in decoys.offices),
        *({"kind": "taxi", "value": t.phone.e164, "name": t.name, "plate": t.plate,
           "persons": len(t.passengers)} for t in decoys.taxis),
    ]  # fmt: skip


def write_truth(path: Path, truth: dict[str, Any]) -> None:
    """JSON with one entry per line for the big maps and lists.

    Diffable and greppable (``grep '"P000042"' truth.json``), and fast: each
    line goes through the C encoder, which ``indent=`` would switch off.
    """
    with path.open("w", encoding="utf-8") as fh:
        fh.write("{\n")
        for index, (key, value) in enumerate(truth.items()):
            fh.write(f"{_dumps(key)}: ")
            if isinstance(value, dict) and value and key != "generated":
                fh.write("{\n")
                fh.write(",\n".join(f"{_dumps(k)}: {_dumps(v)}" for k, v in value.items()))
                fh.write("\n}")
            elif isinstance(value, list) and value:
                fh.write("[\n")
                fh.write(",\n".join(_dumps(v) for v in value))
                fh.write("\n]")
            else:
                fh.write(_dumps(value))
            fh.write(",\n" if index < len(truth) - 1 else "\n")
        fh.write("}\n")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
