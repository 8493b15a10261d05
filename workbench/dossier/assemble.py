"""From the visible evidence about one cluster to the dossier document: pure, no store.

:func:`assemble` returns the whole dossier as plain JSON types (strings,
numbers, lists, dicts) in a stable order, so the same evidence and export
context always give the same document. Its shape is ``docs/dossier-schema.json``
and ``SCHEMA_VERSION`` changes with it. Everything in it comes from
:class:`Evidence`, which holds only what the viewer's policy let through, so
the dossier can never show more than the viewer may see.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.dossier.labels import enum_label, organisation
from workbench.dossier.links import member_links, ref_order
from workbench.dossier.summary import summarise
from workbench.query.chart import chart_of
from workbench.query.dossier import EDGE_ROLE, VEHICLE_EDGES, Evidence
from workbench.security.policy import Viewer
from workbench.store.base import Edge, Node

SCHEMA_VERSION = "1.0"
DEFAULT_CLASSIFICATION = "Departementaal vertrouwelijk"
Doc = dict[str, Any]


@dataclass(frozen=True)
class Context:
    """Who exports the dossier, when, why, and under which classification."""

    viewer: Viewer
    reason: str
    classification: str
    at: dt.datetime
    case: str | None = None  # the case it was made for (docs/cases.md)


class _Graph:
    """The evidence indexed by edge type and end, for lookups while assembling."""

    def __init__(self, ev: Evidence) -> None:
        self.nodes = ev.nodes
        self._out: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        self._in: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        for type_, edges in ev.edges.items():
            for e in edges:
                if e.src in ev.nodes and e.dst in ev.nodes:
                    self._out[(type_, e.src)].append(e)
                    self._in[(type_, e.dst)].append(e)

    def out(self, type_: str, src: str) -> list[Edge]:
        return self._out.get((type_, src), [])

    def into(self, type_: str, dst: str) -> list[Edge]:
        return self._in.get((type_, dst), [])

    def targets(self, types: Iterable[str], src: str) -> list[tuple[Edge, Node]]:
        return [(e, self.nodes[e.dst]) for t in types for e in self.out(t, src)]


def iso(value: Any) -> str | None:
    """A date or time as ISO 8601 text (None stays None).

    >>> iso(dt.date(2015, 3, 2)), iso(None)
    ('2015-03-02', None)
    """
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return None if value is None else str(value)


def _unique(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(v for v in values if v not in (None, "")))


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


# -- members ------------------------------------------------------------------


def _mention_signals(g: _Graph, mention: Node) -> list[str]:
    if mention.label == "FacilitatorMention":
        return [e.src for e in g.into("NAMES_FACILITATOR", mention.id)]
    return [e.src for t in EDGE_ROLE for e in g.into(t, mention.id)]


def _identifiers(g: _Graph, mentions: Sequence[Node]) -> list[Doc]:
    found: dict[tuple[str, str], Doc] = {}

    def add(kind: str, node: Node, value: Any, detail: str, e: Edge) -> None:
        if value in (None, ""):
            return
        item = found.setdefault(
            (kind, node.id),
            {"kind": kind, "node": node.id, "value": str(value), "detail": detail, "signals": []},
        )
        item["signals"] = _unique([*item["signals"], *(e.props.get("signals") or [])])

    for m in mentions:
        for e, phone in g.targets(["HAS_PHONE"], m.id):
            add("phone", phone, phone.props.get("e164"), f"written {e.props.get('raw') or '-'}", e)
        for e, device in g.targets(["HAS_DEVICE"], m.id):
            add("device", device, device.props.get("imei"), "IMEI", e)
        for e, doc in g.targets(["HAS_DOCUMENT"], m.id):
            detail = ", ".join(
                x
                for x in (
                    enum_label("document_type", doc.props.get("type")),
                    doc.props.get("country") or None,
                    enum_label("document_assessment", e.props.get("assessment")),
                )
                if x
            )
            add("document", doc, doc.props.get("number"), detail, e)
    return sorted(found.values(), key=lambda i: (i["kind"], i["value"]))


def _member(g: _Graph, edge: Edge, node: Node, signals: Mapping[str, Node]) -> Doc:
    mentions = [g.nodes[e.src] for e in g.into("RESOLVED_TO", node.id)]
    mentions.sort(key=lambda m: m.id)
    sids = _unique(s for m in mentions for s in _mention_signals(g, m) if s in signals)
    records = sorted(
        (signals[s] for s in sids),
        key=lambda s: (iso(s.props.get("date")) or "", s.props["source"], s.props["record_id"]),
    )
    facilitator = node.label == "FacilitatorEntity"
    written = [
        m.props.get("alias" if m.label == "FacilitatorMention" else "name") for m in mentions
    ]
    own_name = node.props.get("alias" if facilitator else "name")
    return {
        "ref": "",
        "id": node.id,
        "kind": "facilitator" if facilitator else "person",
        "name": own_name
        or next((n for n in written if n), None)
        or f"unnamed {'facilitator' if facilitator else 'person'} {node.id.partition(':')[2]}",
        "role": edge.props.get("role"),
        "role_reason": edge.props.get("role_reason"),
        "centrality": _float(edge.props.get("centrality")),
        "names": _unique(written),
        "v_numbers": _unique(
            [node.props.get("v_number"), *(m.props.get("v_number") for m in mentions)]
        ),
        "birth_dates": _unique(
            [node.props.get("birth_date"), *(m.props.get("birth_date") for m in mentions)]
        ),
        "nationalities": _unique(
            [node.props.get("nationality"), *(m.props.get("nationality") for m in mentions)]
        ),
        "aliases": _unique(
            [*(node.props.get("aliases") or []), *(m.props.get("alias") for m in mentions)]
        )
        if facilitator
        else [],
        "identifiers": _identifiers(g, mentions),
        "organisations": sorted({s.props["source"] for s in records}),
        "records": [
            {
                "signal": s.id,
                "source": s.props["source"],
                "record_id": s.props["record_id"],
                "date": iso(s.props.get("date")),
            }
            for s in records
        ],
        "mentions": [m.id for m in mentions],
    }


def _members(g: _Graph, cluster_id: str, signals: Mapping[str, Node]) -> list[Doc]:
    members = [_member(g, e, g.nodes[e.src], signals) for e in g.into("MEMBER_OF", cluster_id)]
    members.sort(
        key=lambda m: (
            m["centrality"] is None,
            -(m["centrality"] or 0.0),
            m["kind"] != "facilitator",
            str(m["name"]).casefold(),
            m["id"],
        )
    )
    for i, m in enumerate(members, start=1):
        m["ref"] = f"M{i}"
    return members


# -- signals ------------------------------------------------------------------


def _signal(g: _Graph, s: Node, member_of: Mapping[str, str]) -> Doc:
    p = s.props
    persons = [
        {
            "mention": m.id,
            "role": EDGE_ROLE[e.type],
            "name": m.props.get("name"),
            "member": member_of.get(m.id),
        }
        for e, m in g.targets(EDGE_ROLE, s.id)
    ]
    persons.sort(key=lambda x: (x["role"] != "subject", x["mention"]))
    facilitators = [
        {
            "mention": m.id,
            "alias": m.props.get("alias"),
            "role": m.props.get("role"),
            "phone": m.props.get("phone_raw"),
            "member": member_of.get(m.id),
        }
        for _, m in sorted(g.targets(["NAMES_FACILITATOR"], s.id), key=lambda t: t[1].id)
    ]
    payments = [
        {
            "payer": person["name"],
            "payer_member": person["member"],
            "to": fac.props.get("alias"),
            "to_member": member_of.get(fac.id),
            "amount_eur": _float(e.props.get("amount_eur")),
            "method": e.props.get("method"),
        }
        for person in persons
        for e, fac in g.targets(["PAID"], str(person["mention"]))
    ]
    routes = g.targets(["TRAVELLED"], s.id)
    members = _unique([*(x["member"] for x in persons), *(x["member"] for x in facilitators)])
    return {
        "id": s.id,
        "source": p["source"],
        "organisation": organisation(p["source"]),
        "record_id": p["record_id"],
        "date": iso(p.get("date")),
        "timestamp": iso(p.get("timestamp")),
        "kind": p.get("kind"),
        "theme": p.get("theme"),
        "text": p.get("text"),
        "indicators": list(p.get("indicators") or []),
        "origin": p.get("origin"),
        "arrival_date": iso(p.get("arrival_date")),
        "legal_regime": p.get("legal_regime"),
        "purpose": p.get("purpose"),
        "file": p.get("file"),
        "row": p.get("row"),
        "batch_id": p.get("batch_id"),
        "members": sorted(members, key=ref_order),
        "persons": persons,
        "facilitators": facilitators,
        "payments": payments,
        "locations": sorted(
            _unique(n.props.get("name") for _, n in g.targets(["OBSERVED_AT"], s.id))
        ),
        "route": routes[0][1].props.get("itinerary") if routes else None,
        "vehicles": sorted(
            (
                {"plate": n.props.get("plate"), "how": VEHICLE_EDGES[e.type]}
                for e, n in g.targets(VEHICLE_EDGES, s.id)
            ),
            key=lambda v: (str(v["plate"]), v["how"]),
        ),
        "phones_in_text": sorted(
            _unique(n.props.get("e164") for _, n in g.targets(["MENTIONS_PHONE"], s.id))
        ),
        "conflicts": [
            {
                "id": c.id,
                "file": c.props.get("file"),
                "row": c.props.get("row"),
                "batch_id": c.props.get("batch_id"),
                "status": c.props.get("status"),
            }
            for c in sorted((g.nodes[e.src] for e in g.into("CONFLICTS_WITH", s.id)), key=_id)
        ],
        "raw": p.get("raw"),
    }


def _id(node: Node) -> str:
    return node.id


def _signal_key(s: Doc) -> tuple[str, str, str, str]:
    return (s["date"] or "", s["timestamp"] or "", s["source"], s["record_id"])


# -- the other sections -------------------------------------------------------


def _score(cluster: Node) -> Doc:
    raw = cluster.props.get("explanation")
    terms = [
        {
            "term": str(t.get("term", "")),
            "value": _float(t.get("value")) or 0.0,
            "reason": str(t.get("reason", "")),
        }
        for t in (raw if isinstance(raw, list) else [])
        if isinstance(t, dict)
    ]
    return {"total": _float(cluster.props.get("score")) or 0.0, "terms": terms}


def _resolution(ev: Evidence, g: _Graph, members: Sequence[Doc], signals: Mapping[str, Doc]) -> Doc:
    """Entity-resolution explanations of merged persons, limited to visible mentions.

    A pair is shown only when both its mentions are visible. The read path
    (``query.persons.person_links``, through the policy) has already withheld
    the compared values of a mention the viewer sees only in part, like
    splink's ``hide_details``; ``values_withheld`` says so beside the pair.
    """
    if ev.explanations is None:
        return {"available": False, "note": ev.resolution_note, "persons": []}
    persons = []
    for m in members:
        if m["kind"] != "person" or len(m["mentions"]) < 2:
            continue
        mentions = {i: g.nodes[i] for i in m["mentions"]}
        pairs = []
        for pair in ev.explanations.get(m["id"], []):
            if pair.left not in mentions or pair.right not in mentions:
                continue
            hidden = bool({pair.left, pair.right} & ev.partial)
            pairs.append(
                {
                    "left": pair.left,
                    "right": pair.right,
                    "score": float(pair.score),
                    "weight": float(pair.weight),
                    "values_withheld": hidden,
                    "contributions": [  # values already withheld by the read path
                        {
                            "feature": c.feature,
                            "level": c.level,
                            "weight": float(c.weight),
                            "left": c.left,
                            "right": c.right,
                            "frequency": c.frequency,
                            "adjustment": c.adjustment,
                            "among": c.among,
                        }
                        for c in pair.contributions
                    ],
                }
            )
        persons.append(
            {
                "member": m["ref"],
                "person": m["id"],
                "mentions": [_mention_row(mentions[i], g, signals) for i in m["mentions"]],
                "pairs": pairs,
            }
        )
    return {"available": True, "note": ev.resolution_note, "persons": persons}


def _mention_row(m: Node, g: _Graph, signals: Mapping[str, Doc]) -> Doc:
    sids = [s for s in _mention_signals(g, m) if s in signals]
    return {
        "id": m.id,
        "record": f"{signals[sids[0]]['source']}:{signals[sids[0]]['record_id']}" if sids else None,
        "name": m.props.get("name") or m.props.get("alias"),
        "birth_date": m.props.get("birth_date"),
        "v_number": m.props.get("v_number"),
        "nationality": m.props.get("nationality"),
    }


def _annotations(g: _Graph, about: Mapping[str, str]) -> list[Doc]:
    out = []
    for target, label in about.items():
        for e in g.into("ABOUT", target):
            a = g.nodes[e.src]
            if a.label != "Annotation":
                continue
            out.append(
                {
                    "id": a.id,
                    "about": target,
                    "about_label": label,
                    "note": a.props.get("note"),
                    "tags": list(a.props.get("tags") or []),
                    "status": a.props.get("status"),
                    "author": a.props.get("author"),
                    "created_at": iso(a.props.get("created_at")),
                }
            )
    return sorted(out, key=lambda a: (a["created_at"] or "", a["id"]))


def _lineage(g: _Graph, cluster_id: str) -> list[Doc]:
    rows = [("earlier", e, g.nodes[e.dst]) for e in g.out("LINEAGE", cluster_id)]
    rows += [("later", e, g.nodes[e.src]) for e in g.into("LINEAGE", cluster_id)]
    return [
        {
            "direction": direction,
            "cluster": other.id,
            "run_id": other.props.get("run_id"),
            "number": other.props.get("number"),
            "score": _float(other.props.get("score")),
            "relation": e.props.get("relation"),
            "jaccard": _float(e.props.get("jaccard")) or 0.0,
        }
        for direction, e, other in sorted(rows, key=lambda r: (r[0], r[2].id))
    ]


def _provenance(g: _Graph, signals: Sequence[Doc]) -> Doc:
    files: dict[tuple[str, str], Doc] = {}
    batches: dict[str, Node] = {}
    for s in signals:
        key = (str(s["batch_id"]), str(s["file"]))
        entry = files.setdefault(
            key,
            {"name": s["file"], "source": s["source"], "batch_id": s["batch_id"], "records": []},
        )
        entry["records"].append(s["record_id"])
        for _, batch in g.targets(["LOADED_IN"], s["id"]):
            batches[batch.id] = batch
    used = {name for _, name in files}
    return {
        "batches": [
            {
                "batch_id": b.props.get("batch_id"),
                "started_at": iso(b.props.get("started_at")),
                "operator": b.props.get("operator"),
                "files": [
                    {
                        "name": f.get("name"),
                        "source": f.get("source"),
                        "sha256": f.get("sha256"),
                        "rows": f.get("rows"),
                    }
                    for f in (b.props.get("files") or [])
                    if isinstance(f, dict) and f.get("name") in used
                ],
            }
            for b in sorted(batches.values(), key=_id)
        ],
        "files": [
            {**f, "records": sorted(f["records"])}
            for _, f in sorted(files.items(), key=lambda kv: kv[0])
        ],
    }


def _timeline(signals: Sequence[Doc]) -> Doc:
    dates = [s["date"] for s in signals if s["date"]]
    months: dict[str, list[Doc]] = defaultdict(list)
    for s in signals:
        if s["date"]:
            months[s["date"][:7]].append(s)
    return {
        "first": min(dates) if dates else None,
        "last": max(dates) if dates else None,
        "months": [
            {
                "month": month,
                "signals": len(group),
                "hard": sum(1 for s in group if s["kind"] == "hard"),
                "organisations": sorted({s["source"] for s in group}),
                "members": sorted({r for s in group for r in s["members"]}, key=ref_order),
            }
            for month, group in sorted(months.items())
        ],
        "events": [
            {
                "date": s["date"],
                "signal": s["id"],
                "source": s["source"],
                "record_id": s["record_id"],
                "kind": s["kind"],
                "theme": s["theme"],
                "members": s["members"],
            }
            for s in signals
        ],
    }


def dossier_id(cluster_id: str, viewer: str, at: dt.datetime) -> str:
    """A short id printed on every page, so a leaked copy names its export.

    >>> dossier_id("Cluster:R1|1", "anna", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    'D-3c7ad7fc738e'
    """
    text = f"{cluster_id}\n{viewer}\n{at.isoformat()}"
    return "D-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def assemble(ev: Evidence, ctx: Context) -> Doc:
    """The dossier of ``ev.cluster`` as seen through ``ev``, exported in ``ctx``."""
    g = _Graph(ev)
    cluster = ev.cluster
    signal_nodes = {i: n for i, n in ev.nodes.items() if n.label == "Signal"}
    members = _members(g, cluster.id, signal_nodes)
    member_of = {mention: m["ref"] for m in members for mention in m["mentions"]}
    member_of.update({m["id"]: m["ref"] for m in members})
    signal_ids = _unique(r["signal"] for m in members for r in m["records"])
    signals = sorted((_signal(g, signal_nodes[s], member_of) for s in signal_ids), key=_signal_key)
    by_id = {s["id"]: s for s in signals}
    run = ev.nodes.get(f"DetectionRun:{cluster.props.get('run_id')}")
    about = {cluster.id: "cluster"}
    about.update({m["id"]: f"member {m['ref']} {m['name']}" for m in members})
    about.update({s["id"]: f"record {s['source']}:{s['record_id']}" for s in signals})
    for m in members:
        about.update({i: f"mention in member {m['ref']}" for i in m["mentions"]})
        about.update({i["node"]: f"{i['kind']} {i['value']}" for i in m["identifiers"]})
    for s in signal_ids:
        about.update(
            {n.id: f"vehicle {n.props.get('plate')}" for _, n in g.targets(VEHICLE_EDGES, s)}
        )
    doc: Doc = {
        "schema_version": SCHEMA_VERSION,
        "dossier": {
            "id": dossier_id(cluster.id, ctx.viewer.username, ctx.at),
            "generated_at": ctx.at.astimezone(dt.UTC).isoformat(),
            "classification": ctx.classification,
            "exported_by": {
                "username": ctx.viewer.username,
                "organisation": ctx.viewer.organisation,
                "role": ctx.viewer.role,
            },
            "reason": ctx.reason,
            **({"case": ctx.case} if ctx.case else {}),
        },
        "cluster": {
            "id": cluster.id,
            "run_id": cluster.props.get("run_id"),
            "number": cluster.props.get("number"),
            "score": _float(cluster.props.get("score")) or 0.0,
            "type": cluster.props.get("type"),
            "themes": list(cluster.props.get("themes") or []),
            "lineage": cluster.props.get("lineage"),
            "size": len(members),
        },
        "run": _run(run),
        "summary": "",
        "members": members,
        "signals": signals,
        "network": member_links(members, signals),
        "chart": _chart(ev, members),
        "timeline": _timeline(signals),
        "score": _score(cluster),
        "resolution": _resolution(ev, g, members, by_id),
        "annotations": _annotations(g, about),
        "lineage": _lineage(g, cluster.id),
        "provenance": _provenance(g, signals),
    }
    doc["summary"] = summarise(doc)
    return doc


CHART_METHOD = (
    "The analyst's link chart, folded from this dossier's evidence by the same function as "
    "the workbench's chart tab: members tied by what they share (smuggler, phone, document "
    "batch, vehicle, travelled together, visited, reception centre), identifiers tying two or "
    "more members as nodes I1, I2, ...; a link's width is its number of signals, its colour "
    "the strongest evidence behind it (red: a hard signal; amber: soft signals only)."
)


def _chart(ev: Evidence, members: Sequence[Doc]) -> Doc:
    """The chart section: what the screen's chart tab draws, with members as M refs."""
    chart = chart_of(ev)
    ref = {m["id"]: m["ref"] for m in members}
    others = [n for n in chart.nodes if n.id not in ref]
    ref.update({n.id: f"I{i}" for i, n in enumerate(others, start=1)})
    return {
        "method": CHART_METHOD,
        "identifiers": [{"ref": ref[n.id], "kind": n.kind, "value": n.label} for n in others],
        "links": [
            {
                "a": ref[x.a],
                "b": ref[x.b],
                "kind": x.kind,
                "strength": x.strength,
                "first": x.first or None,
                "last": x.last or None,
                "pseudonymised": x.pseudonymised,
                "records": [
                    {"source": chart.signals[s].source, "record_id": chart.signals[s].record_id}
                    for s in x.signals
                ],
            }
            for x in chart.links
            if x.a in ref and x.b in ref
        ],
    }


def _run(run: Node | None) -> Doc | None:
    if run is None:
        return None
    p = run.props
    return {
        "id": run.id,
        "algorithm": p.get("algorithm"),
        "parameters": p.get("parameters"),
        "code_version": p.get("code_version"),
        "started_at": iso(p.get("started_at")),
        "finished_at": iso(p.get("finished_at")),
        "input_counts": p.get("input_counts"),
    }
