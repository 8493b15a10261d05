"""Reading detection results back: runs, clusters, alerts, link evidence.

Every node and edge read for a person passes the viewer's ``Policy`` first;
a member or signal the policy hides is left out (and counted as hidden), so
the output never reveals more than its inputs. The run itself reads its
predecessor with ``Unrestricted`` (internal computation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph_schema.model import model
from workbench.detect.lineage import Snapshot
from workbench.detect.projection import Thing, thing_links
from workbench.security.policy import Policy
from workbench.store import Edge, GraphStore, Node

__all__ = [
    "ResultError",
    "alerts_view",
    "cluster_links",
    "clusters_view",
    "latest_run",
    "run_snapshots",
    "term",
]

KIND = {"Person": "person", "FacilitatorEntity": "facilitator"}
NODE_KINDS = ("phone", "vehicle", "document", "device", "cotravel")  # keyed by a node id
PSEUDO_TERMS = ("type", "suggested_links")


class ResultError(LookupError):
    """A run or cluster asked for does not exist (or may not be seen)."""


def term(explanation: Any, name: str) -> dict[str, Any]:
    """One named entry of a stored explanation list (an empty dict if absent)."""
    for item in explanation if isinstance(explanation, list) else []:
        if isinstance(item, dict) and item.get("term") == name:
            return item
    return {}


def latest_run(store: GraphStore, policy: Policy | None = None) -> Node | None:
    """The newest DetectionRun (by start time), or None before the first run."""
    runs = store.find_nodes("DetectionRun")
    if policy is not None:
        runs = [v for v in (policy.view_node(n) for n in runs) if v is not None]
    return max(runs, key=lambda n: (n.props["started_at"], n.props["run_id"]), default=None)


def _run(store: GraphStore, run: str, policy: Policy) -> Node:
    if run == "latest":
        node = latest_run(store, policy)
        if node is None:
            raise ResultError("no detection run yet: run `workbench detect` first")
        return node
    found = [policy.view_node(n) for n in store.find_nodes("DetectionRun", {"run_id": run})]
    seen = [n for n in found if n is not None]
    if not seen:
        raise ResultError(f"no detection run {run!r}; `workbench clusters --run latest` shows one")
    return seen[0]


def _members(store: GraphStore, cluster_ids: Sequence[str]) -> dict[str, list[Edge]]:
    out: dict[str, list[Edge]] = {c: [] for c in cluster_ids}
    if cluster_ids:
        for e in store.find_edges("MEMBER_OF", dst=list(cluster_ids)):
            out[e.dst].append(e)
    return out


def run_snapshots(store: GraphStore, run_id: str) -> dict[str, Snapshot]:
    """Each cluster of a stored run as lineage and alerts compare it (internal read)."""
    clusters = store.find_nodes("Cluster", {"run_id": run_id})
    members = _members(store, [c.id for c in clusters])
    out = {}
    for c in clusters:
        explanation = c.props.get("explanation")
        out[c.id] = Snapshot(
            members=frozenset(e.src for e in members[c.id]),
            score=float(c.props["score"]),
            hard_signals=int(term(explanation, "hard_signals").get("measure") or 0),
            organisations=int(term(explanation, "organisations").get("measure") or 0),
        )
    return out


def _label(node: Node) -> str:
    p = node.props
    return str(p.get("name") or p.get("alias") or node.id.partition(":")[2])


def _records(signals: Mapping[str, Node], ids: Sequence[str]) -> list[dict[str, str]]:
    return [
        {"source": signals[s].props["source"], "record_id": signals[s].props["record_id"]}
        for s in ids
        if s in signals
    ]


def clusters_view(
    store: GraphStore, policy: Policy, *, run: str = "latest", limit: int | None = None
) -> dict[str, Any]:
    """A run's clusters, highest score first, as the viewer may see them.

    The shape of ``workbench clusters --json``: ``{"run_id", "clusters": [{"id",
    "number", "score", "type", "type_reasons", "themes", "size", "explanation",
    "lineage", "members": [{"id", "kind", "label", "role", "centrality",
    "records": [{"source", "record_id"}]}], "hidden_members", "suggestions"}]}``.

    A cluster the policy shows only in part (its reasons withheld) comes
    without type reasons and suggestions: both were derived from evidence
    the viewer may not see in full.
    """
    with store.reader():
        node = _run(store, run, policy)
        run_id = str(node.props["run_id"])
        found = [(c, policy.view_node(c)) for c in store.find_nodes("Cluster", {"run_id": run_id})]
        partial = {c.id for c, seen in found if seen is not None and seen.props != c.props}
        clusters = sorted(
            (seen for _, seen in found if seen is not None),
            key=lambda c: (-float(c.props["score"]), int(c.props["number"])),
        )[:limit]
        member_edges = _members(store, [c.id for c in clusters])
        entity_ids = sorted({e.src for es in member_edges.values() for e in es})
        entities = _visible(store.get_nodes(entity_ids), policy)
        wanted = {
            s
            for c in clusters
            for ss in (term(c.props.get("explanation"), "members").get("records") or {}).values()
            for s in ss
        }
        signals = _visible(store.get_nodes(sorted(wanted)), policy)
    out = []
    for c in clusters:
        explanation = c.props.get("explanation") or []
        records = term(explanation, "members").get("records") or {}
        edges = [v for v in (policy.view_edge(e) for e in member_edges[c.id]) if v is not None]
        members: list[dict[str, Any]] = [
            {
                "id": e.src,
                "kind": KIND.get(entities[e.src].label, entities[e.src].label),
                "label": _label(entities[e.src]),
                "role": e.props.get("role"),
                "centrality": e.props.get("centrality"),
                "records": _records(signals, records.get(e.src, [])),
            }
            for e in edges
            if e.src in entities
        ]
        members.sort(key=lambda m: (-float(m["centrality"] or 0.0), str(m["id"])))
        out.append(
            {
                "id": c.id,
                "number": c.props["number"],
                "score": c.props["score"],
                "type": c.props.get("type"),
                "type_reasons": []
                if c.id in partial
                else term(explanation, "type").get("reasons", []),
                "themes": c.props.get("themes") or [],
                "size": len(members),
                "hidden_members": len(member_edges[c.id]) - len(members),
                "explanation": [
                    {k: t.get(k) for k in ("term", "value", "measure", "reason")}
                    for t in explanation
                    if isinstance(t, dict) and t.get("term") not in PSEUDO_TERMS
                ],
                "lineage": c.props.get("lineage"),
                "suggestions": []
                if c.id in partial
                else [
                    s
                    for s in term(explanation, "suggested_links").get("suggestions", [])
                    if s["a"] in entities and s["b"] in entities
                ],
                "members": members,
            }
        )
    return {"run_id": run_id, "clusters": out}


def _visible_by_id(nodes: Mapping[str, Node], policy: Policy) -> dict[str, Node]:
    """The nodes as the viewer sees them, keyed by their stored id (a pseudonymised
    copy may carry another id)."""
    return {i: seen for i, n in nodes.items() if (seen := policy.view_node(n)) is not None}


def _visible(nodes: Mapping[str, Node], policy: Policy) -> dict[str, Node]:
    out = {}
    for node in nodes.values():
        seen = policy.view_node(node)
        if seen is not None:
            out[seen.id] = seen
    return out


def _thing_node(thing: Thing) -> str | None:
    """The node a shared thing is (a phone, a facilitator, a KMar record), if it is one."""
    if thing.kind in ("facilitator", "visitor"):
        return f"{'FacilitatorEntity' if thing.kind == 'facilitator' else 'Person'}:{thing.key}"
    return thing.key if thing.kind in NODE_KINDS else None


def _thing_label(thing: Thing, nodes: Mapping[str, Node]) -> str | None:
    """What the viewer may read of a thing: the caption of its node as the policy shows it.

    None when that node is hidden. A batch is described without its numbers
    (they are the documents' to show); a route window is no personal data.
    """
    node_id = _thing_node(thing)
    if node_id is None:
        if thing.kind == "document_batch":
            country = thing.key.partition("|")[0] or "unknown country"
            return f"forged documents of {country} with consecutive numbers"
        return thing.label
    node = nodes.get(node_id)
    if node is None:
        return None
    return str(node.props.get(model().node(node.label).caption) or node.id.partition(":")[2])


def cluster_links(store: GraphStore, cluster_id: str, policy: Policy) -> list[dict[str, Any]]:
    """Why the members of a cluster are linked: each link with its evidence.

    Built from the shared things the run stored with the cluster, keeping
    only members, signals and things the viewer may see (a thing is named
    as the policy shows its node, e.g. a pseudonymised number); a link with
    no visible evidence left is not shown.
    """
    with store.reader():
        found = store.get_nodes([cluster_id])
        stored = found.get(cluster_id)
        if stored is None or stored.label != "Cluster" or policy.view_node(stored) is None:
            raise ResultError(f"no cluster {cluster_id!r} that you may see")
        things = [
            Thing.from_dict(t)
            for t in term(stored.props.get("explanation"), "specific_links").get("evidence", [])
        ]
        members = _visible(store.get_nodes(sorted({m for t in things for m in t.members})), policy)
        wanted = sorted({s for t in things for ss in t.members.values() for s in ss})
        signals = _visible(store.get_nodes(wanted), policy)
        pivots = sorted({n for t in things if (n := _thing_node(t)) is not None})
        shown = _visible_by_id(store.get_nodes(pivots), policy)
    links: dict[tuple[str, str], dict[str, Any]] = {}
    for thing in things:
        label = _thing_label(thing, shown)
        if label is None:
            continue
        for a, b, w in thing_links(thing.restricted(set(members))):
            said = sorted({*thing.members[a], *thing.members[b]} & set(signals))
            if not said:
                continue
            link = links.setdefault((a, b), {"a": a, "b": b, "weight": 0.0, "evidence": []})
            link["weight"] = round(link["weight"] + w, 6)
            link["evidence"].append(
                {
                    "kind": thing.kind,
                    "label": label,
                    "shared_by": thing.size,
                    "weight": round(w, 6),
                    "records": _records(signals, said),
                }
            )
    return [links[k] for k in sorted(links)]


def alerts_view(
    store: GraphStore, policy: Policy, *, run: str | None = None
) -> list[dict[str, Any]]:
    """Alerts, newest first (of one run when ``run`` is given), as the viewer may see them."""
    with store.reader():
        where = {"run_id": _run(store, run, policy).props["run_id"]} if run else None
        found = [policy.view_node(a) for a in store.find_nodes("Alert", where)]
        alerts = [a for a in found if a is not None]
        about = store.find_edges("ABOUT", src=[a.id for a in alerts]) if alerts else []
        clusters = _visible(store.get_nodes(sorted({e.dst for e in about})), policy)
    target = {e.src: e.dst for e in about}
    out = [
        {
            "id": a.id,
            "run_id": a.props["run_id"],
            "kind": a.props["kind"],
            "message": a.props["message"],
            "status": a.props["status"],
            "created_at": a.props["created_at"],
            "cluster": target.get(a.id),
            "score": clusters[target[a.id]].props["score"] if a.id in target else None,
        }
        for a in alerts
        if target.get(a.id) is None or target[a.id] in clusters
    ]
    out.sort(key=lambda a: (a["created_at"], a["id"]), reverse=True)
    return out
