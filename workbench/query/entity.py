"""Everything about one person or identifier, for the entity page.

Signals in time order (organisation, kind, theme, original text), the
identifiers and mentions linked to it, the resolved entity behind a mention,
the clusters it belongs to, its resolution history with per-feature
explanation, and its annotations. A resolved person is read through its
mentions, so its page shows every record any of them appears in.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from graph_schema.model import model
from workbench.query import visibility
from workbench.query.annotations import AnnotationView, annotations_for
from workbench.query.describe import (
    MENTION_LABELS,
    RESOLVED_LABELS,
    Ref,
    is_evidence,
    is_pivot,
    ref,
)
from workbench.query.persons import Resolution, resolution
from workbench.query.runs import latest_run
from workbench.query.session import Session
from workbench.query.signals import SignalRow, provenance, signal_rows
from workbench.store import Edge, Node, Subgraph

log = logging.getLogger(__name__)

NEIGHBOURS = 500  # cap per expansion; the page says how many more there are
HIDDEN_PROPS = {"signals", "raw", "extracted", "content_hash"}


@dataclass(frozen=True)
class Linked:
    """A node linked to the entity: how (edge display names), and by how many links."""

    ref: Ref
    relations: tuple[str, ...]
    links: int = 1


@dataclass(frozen=True)
class ClusterLink:
    """A cluster the entity is a member of, in a role, in a run."""

    ref: Ref
    run_id: str
    role: str | None
    score: float | None
    latest: bool


@dataclass(frozen=True)
class EntityView:
    """The entity page's content."""

    ref: Ref
    properties: list[tuple[str, str]]
    raw: Any
    signals: list[SignalRow]
    identifiers: list[Linked]
    mentions: list[Linked]
    resolved: list[Linked]
    clusters: list[ClusterLink]
    other: list[Linked]
    resolution: Resolution | None
    annotations: list[AnnotationView]
    more: int = 0


def _properties(node: Node) -> list[tuple[str, str]]:
    spec = model().node(node.label)
    out = []
    for name, prop in spec.properties.items():
        value = node.props.get(name)
        if name in HIDDEN_PROPS or not prop.display or value in (None, "", []):
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        out.append((name, shown))
    return out


def _linked(focus: set[str], sub: Subgraph) -> dict[str, tuple[Node, list[str]]]:
    """The nodes next to ``focus`` with the display names of the edges that link them."""
    out: dict[str, tuple[Node, list[str]]] = {}
    for edge in sub.edges:
        for near, far in ((edge.src, edge.dst), (edge.dst, edge.src)):
            if near in focus and far not in focus and far in sub.nodes:
                entry = out.setdefault(far, (sub.nodes[far], []))
                entry[1].append(model().edge(edge.type).display)
    return out


def _group(items: Iterable[tuple[Node, list[str]]]) -> list[Linked]:
    rows = [
        Linked(ref=ref(n), relations=tuple(dict.fromkeys(rel)), links=len(rel)) for n, rel in items
    ]
    return sorted(rows, key=lambda x: (x.ref.type, x.ref.caption, x.ref.id))


def _clusters(session: Session, members: Sequence[str], edges: Iterable[Edge]) -> list[ClusterLink]:
    member_of = [e for e in edges if e.type == "MEMBER_OF" and e.src in members]
    found = visibility.nodes(session, [e.dst for e in member_of])
    latest = latest_run(session)
    out = []
    for e in member_of:
        cluster = found.get(e.dst)
        if cluster is None:
            continue
        run_id = str(cluster.props.get("run_id") or e.props.get("run") or "")
        out.append(
            ClusterLink(
                ref=ref(cluster),
                run_id=run_id,
                role=e.props.get("role"),
                score=cluster.props.get("score"),
                latest=latest is not None and latest.run_id == run_id,
            )
        )
    return sorted(out, key=lambda c: (not c.latest, -(c.score or 0.0), c.ref.id))


def entity(session: Session, node_id: str) -> EntityView:
    """The entity page for a person, mention, identifier, facilitator or signal."""
    with session.store.reader():
        node = visibility.node(session, node_id)
        session.record("view", target=node_id, label=node.label)
        near = visibility.around(session, [visibility.stored_id(session, node_id)],
                                 limit=NEIGHBOURS)  # fmt: skip
        focus = {node_id}
        linked = _linked(focus, near)
        edges = list(near.edges)
        more = sum(near.more.values())
        if node.label in RESOLVED_LABELS:
            mention_ids = [i for i, (n, _) in linked.items() if n.label in MENTION_LABELS]
            second = visibility.around(session, mention_ids, limit=NEIGHBOURS * 4)
            focus |= set(mention_ids)
            for far, (n, rel) in _linked(focus, second).items():
                linked.setdefault(far, (n, []))[1].extend(rel)
            more += sum(second.more.values())
            evidence = [second.nodes[i] for i in mention_ids if i in second.nodes]
        else:
            evidence = [node] if is_evidence(node.label) else []
        groups: dict[str, list[tuple[Node, list[str]]]] = defaultdict(list)
        relation_of: dict[str, str] = {}
        for n, rel in linked.values():
            groups[_kind(n.label)].append((n, rel))
            if n.label == "Signal":
                relation_of[n.id] = ", ".join(dict.fromkeys(rel))
        signal_ids = [*provenance(evidence), *relation_of]
        if node.label == "Signal":
            signal_ids.append(node_id)
        rows = signal_rows(session, signal_ids, relation_of)
        resolved_ids = [n.id for n, _ in groups["resolved"]]
        if node.label in RESOLVED_LABELS:
            clusters = _clusters(session, [node_id], edges)
        else:
            clusters = _clusters(
                session, resolved_ids, visibility.edges(session, "MEMBER_OF", src=resolved_ids)
            )
        notes = annotations_for(session, node_id)
        res = resolution(session, node_id) if node.label == "Person" else None
    return EntityView(
        ref=ref(node),
        properties=_properties(node),
        raw=node.props.get("raw"),
        signals=rows,
        identifiers=_group(groups["identifier"]),
        mentions=_group(groups["mention"]),
        resolved=_group(groups["resolved"]),
        clusters=clusters,
        other=_group(groups["other"]),
        resolution=res,
        annotations=notes,
        more=more,
    )


def _kind(label: str) -> str:
    if label in MENTION_LABELS:
        return "mention"
    if label in RESOLVED_LABELS:
        return "resolved"
    if is_pivot(label):
        return "identifier"
    if label == "Signal":
        return "signal"
    if label in ("Cluster", "Annotation"):
        return "skip"
    return "other"
