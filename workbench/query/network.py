"""The network view: a capped ego graph, filtered by signal, with "says who?" labels.

``ego`` expands from seed nodes through ``store.neighbourhood`` with a cap,
keeps what the viewer may see and what passes the signal filter, labels
every evidence edge with the signals that assert it, and aggregates leaves
once the picture grows beyond a few hundred nodes, so the browser stays
responsive and the analyst sees structure instead of a hairball.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from graph_schema.model import model
from workbench.query import visibility
from workbench.query.describe import caption, is_evidence, style, type_name
from workbench.query.session import Session
from workbench.query.signals import SignalFilter, signal_row
from workbench.store import Edge, Node, Subgraph

AGGREGATE_ABOVE = 300
EdgeKey = tuple[str, str, str]
MAX_LIMIT = 2000
PROVENANCE_PAGE = 500  # a hub's signals read at a time under a filter (``_asserting``)


@dataclass(frozen=True)
class NetNode:
    """A node as drawn: caption, colour and shape from the model, plain-text tooltip."""

    id: str
    label: str
    caption: str
    type: str
    color: str
    shape: str
    title: str
    seed: bool = False
    more: int = 0
    aggregate: int = 0  # > 0: stands for this many leaf nodes


@dataclass(frozen=True)
class NetEdge:
    """An edge as drawn: its relation and the signals that assert it."""

    src: str
    dst: str
    type: str
    label: str
    title: str


@dataclass
class NetworkView:
    """What the network component draws, and what was left out."""

    nodes: list[NetNode] = field(default_factory=list)
    edges: list[NetEdge] = field(default_factory=list)
    more: dict[str, int] = field(default_factory=dict)
    filtered_out: int = 0
    aggregated: int = 0


def says_who(signals: Sequence[Node], *, shown: int = 2) -> str:
    """A short "says who" for an edge label: the first signals and how many more.

    >>> import datetime as dt
    >>> s = [Node(f"Signal:kmar|K{i}", "Signal", {"source": "kmar", "record_id": f"K{i}"})
    ...      for i in range(4)]
    >>> says_who(s)
    'kmar K0, kmar K1 +2'
    """
    names = [f"{s.props.get('source')} {s.props.get('record_id')}" for s in signals[:shown]]
    extra = len(signals) - shown
    return ", ".join(names) + (f" +{extra}" if extra > 0 else "")


def _node_title(node: Node, more: int) -> str:
    lines = [type_name(node.label), caption(node)]
    if node.label == "Signal":
        row = signal_row(node)
        lines += [f"{row.organisation} · {row.date} · {row.kind} · {row.theme}", row.text[:300]]
    if more:
        lines.append(f"{more} more neighbours not shown")
    return "\n".join(x for x in lines if x)


def _edge_view(edge: Edge, asserting: Sequence[Node]) -> NetEdge:
    display = model().edge(edge.type).display
    label = f"{display} · {says_who(asserting)}" if asserting else display
    lines = [display] + [
        f"{s.props.get('source')} {s.props.get('record_id')} ({s.props.get('date')})"
        for s in asserting
    ]
    return NetEdge(edge.src, edge.dst, edge.type, label, "\n".join(lines))


def _net_node(node: Node, *, seed: bool, more: int) -> NetNode:
    color, shape = style(node.label)
    text = caption(node)
    return NetNode(
        id=node.id,
        label=node.label,
        caption=text if len(text) <= 40 else text[:39] + "…",
        type=type_name(node.label),
        color=color,
        shape=shape,
        title=_node_title(node, more),
        seed=seed,
        more=more,
    )


def apply_filter(
    sub: Subgraph, signals: dict[str, Node], flt: SignalFilter, seeds: Sequence[str]
) -> tuple[Subgraph, dict[EdgeKey, list[Node]], int]:
    """Keep evidence only where a visible signal that passes ``flt`` asserts it.

    Returns the filtered subgraph, per kept edge key the asserting signals, and
    how many nodes the filter removed. Seeds always stay.
    """
    passing = {i: s for i, s in signals.items() if flt.accepts(s)}

    def backed(props_signals: Sequence[str] | None) -> list[Node]:
        return [passing[i] for i in props_signals or () if i in passing]

    keep: dict[str, Node] = {}
    for node_id, node in sub.nodes.items():
        if node_id in seeds or not is_evidence(node.label):
            keep[node_id] = node
        elif node.label == "Signal":
            if node_id in passing:
                keep[node_id] = node
        elif backed(node.props.get("signals")) or not flt.active:
            keep[node_id] = node
    edges: list[Edge] = []
    asserting: dict[EdgeKey, list[Node]] = {}
    for e in sub.edges:
        if e.src not in keep or e.dst not in keep:
            continue
        by = backed(e.props.get("signals"))
        if "signals" in e.props and not by and flt.active:
            continue
        edges.append(e)
        asserting[(e.type, e.src, e.dst)] = by
    linked = {x for e in edges for x in (e.src, e.dst)} | set(seeds)
    kept = {i: n for i, n in keep.items() if i in linked}
    out = Subgraph(nodes=kept, edges=edges, more={k: v for k, v in sub.more.items() if k in kept})
    return out, asserting, len(sub.nodes) - len(kept)


def _asserting(
    session: Session, sub: Subgraph, flt: SignalFilter, seeds: Sequence[str]
) -> dict[str, Node]:
    """The visible signals ``apply_filter`` needs: those of the edges and the Signal nodes,
    and of a node's own provenance only as many as decide whether it stays.

    A hub (a border post, a route) lists every signal that names it, 11,938 for
    one location at 22k persons: reading them all made a signal's network page
    take 6-10 s, growing with the store. Its edges in the view carry their own
    signals; the node's list matters only under an active filter, and then only
    until one of its signals passes.
    """
    wanted = {s for e in sub.edges for s in e.props.get("signals") or ()}
    wanted |= {i for i, n in sub.nodes.items() if n.label == "Signal"}
    signals = visibility.nodes(session, sorted(wanted))
    if not flt.active:
        return signals
    for node_id, node in sub.nodes.items():
        if node_id in seeds or node.label == "Signal" or not is_evidence(node.label):
            continue
        own = node.props.get("signals") or []
        if any(i in signals and flt.accepts(signals[i]) for i in own):
            continue
        unread = [i for i in own if i not in signals]
        for start in range(0, len(unread), PROVENANCE_PAGE):
            page = visibility.nodes(session, unread[start : start + PROVENANCE_PAGE])
            signals.update(page)
            if any(flt.accepts(s) for s in page.values()):
                break
    return signals


def aggregate(view: NetworkView, *, above: int = AGGREGATE_ABOVE, least: int = 3) -> NetworkView:
    """Fold leaves into one node per (neighbour, type) when the view has too many nodes.

    A leaf is a non-seed node with a single neighbour; ``least`` or more
    leaves of one type on one neighbour become one node "12 × Phone number".

    >>> hub = NetNode("h", "Phone", "h", "Phone number", "#000", "dot", "", seed=True)
    >>> leaves = [NetNode(f"m{i}", "PersonMention", f"m{i}", "Person mention", "#111", "dot", "")
    ...           for i in range(5)]
    >>> edges = [NetEdge(f"m{i}", "h", "HAS_PHONE", "uses phone", "") for i in range(5)]
    >>> small = aggregate(NetworkView([hub, *leaves], edges), above=3)
    >>> [(n.caption, n.aggregate) for n in small.nodes], small.aggregated
    ([('h', 0), ('5 × Person mention', 5)], 5)
    """
    if len(view.nodes) <= above:
        return view
    degree: dict[str, list[NetEdge]] = defaultdict(list)
    for e in view.edges:
        degree[e.src].append(e)
        degree[e.dst].append(e)
    by_id = {n.id: n for n in view.nodes}
    groups: dict[tuple[str, str], list[NetNode]] = defaultdict(list)
    for n in view.nodes:
        if not n.seed and len(degree[n.id]) == 1:
            e = degree[n.id][0]
            groups[(e.dst if e.src == n.id else e.src, n.label)].append(n)
    folded: set[str] = set()
    nodes, edges = [], []
    for (hub, label), leaves in sorted(groups.items()):
        if len(leaves) < least:
            continue
        folded |= {n.id for n in leaves}
        agg_id = f"agg:{hub}:{label}"
        color, shape = style(label)
        tname = leaves[0].type
        nodes.append(
            NetNode(
                id=agg_id,
                label=label,
                caption=f"{len(leaves)} × {tname}",
                type=tname,
                color=color,
                shape=shape,
                title=f"{len(leaves)} × {tname} linked to {by_id[hub].caption}",
                aggregate=len(leaves),
            )
        )
        rel = degree[leaves[0].id][0]
        edges.append(NetEdge(hub, agg_id, rel.type, rel.label.split(" · ")[0], rel.title))
    if not folded:
        return view
    return replace(
        view,
        nodes=[n for n in view.nodes if n.id not in folded] + nodes,
        edges=[e for e in view.edges if e.src not in folded and e.dst not in folded] + edges,
        aggregated=len(folded),
    )


def ego(
    session: Session,
    seeds: Sequence[str],
    *,
    depth: int = 1,
    limit: int = 60,
    flt: SignalFilter | None = None,
    aggregate_above: int = AGGREGATE_ABOVE,
) -> NetworkView:
    """The capped, filtered neighbourhood of ``seeds`` as the viewer may see it."""
    flt = flt or SignalFilter()
    limit = max(1, min(limit, MAX_LIMIT))
    with session.store.reader():
        session.record("view_network", seeds=list(seeds), depth=depth, limit=limit)
        sub = visibility.around(
            session, seeds, depth=depth, limit=limit, edge_types=model().walked_edges()
        )
        signals = _asserting(session, sub, flt, seeds)
    kept, asserting, dropped = apply_filter(sub, signals, flt, seeds)
    view = NetworkView(
        nodes=[
            _net_node(n, seed=i in seeds, more=kept.more.get(i, 0)) for i, n in kept.nodes.items()
        ],
        edges=[_edge_view(e, asserting.get((e.type, e.src, e.dst), [])) for e in kept.edges],
        more=dict(kept.more),
        filtered_out=dropped,
    )
    return aggregate(view, above=aggregate_above)
