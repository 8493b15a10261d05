"""The analyst's link chart: resolved persons and facilitators tied by what they share.

The network view draws the evidence graph as stored (mentions, signals,
documents and phones as separate dots). An analyst starts from another
picture: the *entities* - resolved persons and facilitators - tied by
labelled links that say what ties them (``phone``, ``document batch``,
``vehicle``, ``travelled together``, ``smuggler``, ``visited``), with the
identifiers that tie several of them as nodes of their own. This module folds
what the viewer may see into that chart:

- the reads (:func:`cluster_chart`, :func:`entity_chart`) go through the
  viewer's policy (``query.dossier``'s visible reader), so a pseudonymised
  phone is a pseudonym here too and a hidden signal backs no link;
- the folding (:func:`fold`) is pure: the visible nodes and edges in, a
  :class:`Chart` out. Who touches what is detection's own definition
  (``detect.extract.incidences``), so a link on the chart is a link detection
  could have used, and the dossier's picture is folded by the same function.

A link carries the signals behind it as the viewer may see them, how many,
the strongest kind of evidence (hard beats soft), its first and last date,
and whether every one of its signals is pseudonymised for the viewer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from workbench.detect.extract import EVIDENCE_EDGES, ROLE_EDGES, Facts, incidences
from workbench.detect.projection import Incidence, Thing, group_things
from workbench.query.describe import caption, display, style, type_name
from workbench.query.dossier import (
    EDGE_ROLE,
    SIGNAL_CONTEXT,
    Evidence,
    _ids,
    _Visible,
    collect,
    records_of,
)
from workbench.query.session import Session
from workbench.store import Edge, Node

__all__ = [
    "COLOURS",
    "HUB",
    "LINK_KINDS",
    "Chart",
    "ChartLink",
    "ChartNode",
    "ChartSignal",
    "LinkKind",
    "cluster_chart",
    "entity_chart",
    "fold",
]

HUB = 20  # an identifier tying more entities than this is listed, not drawn
NEIGHBOURS = 60  # entities an entity chart shows around its seeds, at first
MAX_NEIGHBOURS = 500
TEXT = 400  # characters of a signal's text carried with the chart


@dataclass(frozen=True)
class LinkKind:
    """How one kind of shared thing shows on the chart.

    ``label`` is the node label of the identifier that ties the entities
    (drawn as a node of its own when identifiers are shown), or None when the
    thing is no identifier: a ``star`` thing is itself an entity (the
    facilitator named, the visitor) and links its members to it; any other
    links each pair of its members (travelled together).
    """

    name: str
    meaning: str
    label: str | None = None
    star: bool = False


LINK_KINDS: Mapping[str, LinkKind] = {
    k: v
    for k, v in {
        "facilitator": LinkKind("smuggler", "named or paid this facilitator", star=True),
        "visitor": LinkKind("visited", "visited them in a reception centre", star=True),
        "phone": LinkKind("phone", "used, named or was reached on this number", "Phone"),
        "device": LinkKind("handset", "carried this handset (IMEI)", "Device"),
        "document": LinkKind("document", "showed this document", "Document"),
        "document_batch": LinkKind(
            "document batch", "showed forged documents of this batch", "Document"
        ),
        "vehicle": LinkKind("vehicle", "was seen with this vehicle", "Vehicle"),
        "alias": LinkKind("alias", "named a facilitator by this alias", "FacilitatorMention"),
        "location": LinkKind("reception centre", "was recorded at this centre", "Location"),
        "cotravel": LinkKind("travelled together", "travelled together (one record)"),
        "route": LinkKind("same route", "travelled the same route, arriving within days"),
    }.items()
}
ENTITY_KIND = {"Person": "person", "FacilitatorEntity": "facilitator"}
HARD = "hard"
COLOURS = {"hard": "#c62828", "soft": "#f9a825"}  # a link's strongest evidence, wherever drawn
ROUTE, TOGETHER = LINK_KINDS["route"].name, LINK_KINDS["cotravel"].name


@dataclass(frozen=True)
class ChartSignal:
    """A signal behind a link, as the viewer may see it (text withheld if pseudonymised)."""

    id: str
    source: str
    organisation: str
    record_id: str
    date: str  # ISO date, "" when the record has none
    kind: str  # hard or zacht, as stored
    theme: str
    text: str
    pseudonymised: bool


@dataclass(frozen=True)
class ChartNode:
    """An entity or a shared identifier: what to call it, how to draw it."""

    id: str
    kind: str  # person, facilitator, or a link kind's name (phone, vehicle, ...)
    label: str
    type: str  # the model's display name of its node label
    color: str
    shape: str
    role: str = ""
    seed: bool = False
    pseudonymised: bool = False
    first: str = ""
    signals: int = 0


@dataclass(frozen=True)
class ChartLink:
    """What ties ``a`` to ``b``: one kind, every visible signal that says so."""

    a: str
    b: str
    kind: str  # a LinkKind's name
    signals: tuple[str, ...]  # oldest first
    strength: str  # "hard" if any signal behind it is hard, else "soft"
    first: str
    last: str
    via: tuple[str, ...] = ()  # what was shared, when identifiers are folded into the link
    pseudonymised: bool = False  # every signal behind it is pseudonymised for the viewer

    @property
    def count(self) -> int:
        return len(self.signals)


@dataclass(frozen=True)
class Hub:
    """An identifier tying too many entities to be drawn: listed instead."""

    kind: str
    label: str
    entities: int


@dataclass(frozen=True)
class Chart:
    """The folded chart: nodes, links, the signals they rest on, and the hubs left out."""

    nodes: tuple[ChartNode, ...]
    links: tuple[ChartLink, ...]
    signals: Mapping[str, ChartSignal]
    hubs: tuple[Hub, ...] = ()
    more: int = 0  # entities around the seeds the cap left out

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON: what the browser draws and the dossier's picture is made of."""
        return {
            "nodes": [vars(n) for n in self.nodes],
            "links": [{**vars(x), "count": x.count} for x in self.links],
            "signals": {i: vars(s) for i, s in self.signals.items()},
            "hubs": [vars(h) for h in self.hubs],
            "more": self.more,
        }


# -- the folding (pure) ------------------------------------------------------------------


def facts_of(nodes: Mapping[str, Node], edges: Mapping[str, Sequence[Edge]]) -> Facts:
    """Detection's :class:`~workbench.detect.extract.Facts` from what the viewer sees.

    Ids are the ids the viewer sees (a pseudonymised phone is its pseudonym).
    """
    facts = Facts()
    for e in edges.get("RESOLVED_TO", ()):
        if e.dst in nodes and e.src in nodes:
            facts.resolved[e.src] = e.dst
    for type_, role in ROLE_EDGES.items():
        for e in edges.get(type_, ()):
            facts.mentions.setdefault(e.src, []).append((role, e.dst))
            facts.signal_of[e.dst] = e.src
    for roles in facts.mentions.values():
        roles.sort(key=lambda rm: rm[1])
    for e in edges.get("NAMES_FACILITATOR", ()):
        facts.signal_of[e.dst] = e.src
    facts.edges = {t: list(edges.get(t, ())) for t in EVIDENCE_EDGES}
    for node_id, node in nodes.items():
        if node.label == "FacilitatorMention":
            facts.facilitator_mentions[node_id] = node
        elif node.label == "Signal":
            facts.signals[node_id] = node
    visitors = [m for roles in facts.mentions.values() for r, m in roles if r == "visitor"]
    facts.visitor_names = {m: str(nodes[m].props.get("name") or "") for m in visitors if m in nodes}
    return facts


def locations(
    nodes: Mapping[str, Node], edges: Mapping[str, Sequence[Edge]], facts: Facts
) -> Iterator[Incidence]:
    """The reception centre a signal was recorded at, for the persons the signal is about.

    Not one of detection's links (a centre houses hundreds), but where a few
    entities of one chart met it is what an analyst looks for.
    """
    for e in edges.get("OBSERVED_AT", ()):
        place = nodes.get(e.dst)
        if place is None or place.props.get("kind") != "azc":
            continue
        for member in facts.members_of(e.src, "subject", "visitor"):
            yield Incidence(member, "location", e.dst, e.src, caption(place))


def _date(node: Node | None) -> str:
    value = node.props.get("date") if node is not None else None
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def chart_signal(node: Node, *, pseudonymised: bool) -> ChartSignal:
    """A Signal node as the chart lists it under a link."""
    p = node.props
    text = str(p.get("text") or "")
    return ChartSignal(
        id=node.id,
        source=str(p.get("source") or ""),
        organisation=display("source", p.get("source")),
        record_id=str(p.get("record_id") or ""),
        date=_date(node),
        kind=str(p.get("kind") or ""),
        theme=display("theme", p.get("theme")),
        text=text if len(text) <= TEXT else text[: TEXT - 1] + "…",
        pseudonymised=pseudonymised,
    )


def _covered(alias: Thing, things: Sequence[Thing]) -> bool:
    """An alias whose members all named one resolved facilitator adds nothing to it."""
    return any(t.kind == "facilitator" and set(alias.members) <= set(t.members) for t in things)


@dataclass
class _Links:
    """Links being gathered: signals and shared things per (a, b, kind)."""

    signals: dict[tuple[str, str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    via: dict[tuple[str, str, str], list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, a: str, b: str, kind: str, signals: Iterable[str], via: str = "") -> None:
        key = (a, b, kind)
        self.signals[key].update(signals)
        if via and via not in self.via[key]:
            self.via[key].append(via)


def _gather(
    things: Sequence[Thing],
    keep: set[str],
    *,
    identifiers: bool,
    hub: int,
    thing_label: Mapping[tuple[str, str], str],
) -> tuple[_Links, dict[str, Thing], list[Hub]]:
    """The links the things make among the entities in ``keep``; identifier nodes; hubs."""
    links = _Links()
    shown: dict[str, Thing] = {}
    hubs: list[Hub] = []
    for thing in things:
        kind = LINK_KINDS.get(thing.kind)
        members = {m: s for m, s in thing.members.items() if m in keep}
        if kind is None or len(members) < 2:
            continue
        if thing.kind == "alias" and _covered(thing, things):
            continue
        label = thing_label.get((thing.kind, thing.key), thing.label)
        if kind.star:
            centre = thing.centre
            for m, signals in members.items():
                if centre is not None and centre in members and m != centre:
                    links.add(m, centre, kind.name, signals)
            continue
        if kind.label is not None and len(members) > hub:
            hubs.append(Hub(kind.name, label, len(members)))
            continue
        if kind.label is not None and identifiers:
            node_id = thing.key if ":" in thing.key else f"{thing.kind}:{thing.key}"
            shown[node_id] = thing
            for m, signals in members.items():
                links.add(m, node_id, kind.name, signals)
            continue
        for a, b in combinations(sorted(members), 2):
            links.add(a, b, kind.name, {*members[a], *members[b]}, label if kind.label else "")
    return links, shown, hubs


def _neighbours(things: Sequence[Thing], seeds: set[str], hub: int) -> dict[str, int]:
    """Entities tied to a seed, with how many signals tie them (hubs tie nobody)."""
    ties: dict[str, set[str]] = defaultdict(set)
    for thing in things:
        kind = LINK_KINDS.get(thing.kind)
        if kind is None or not seeds & set(thing.members):
            continue
        if kind.label is not None and len(thing.members) > hub:
            continue
        if kind.star and thing.centre is not None and thing.centre not in seeds:
            candidates = [thing.centre]  # a star ties its members to its centre only
        else:
            candidates = list(thing.members)
        for m in candidates:
            if m not in seeds:
                ties[m].update(s for seed in seeds & set(thing.members)
                               for s in thing.members[seed])  # fmt: skip
                ties[m].update(thing.members[m])
    return {m: len(s) for m, s in ties.items()}


def fold(
    nodes: Mapping[str, Node],
    edges: Mapping[str, Sequence[Edge]],
    *,
    seeds: Sequence[str],
    members: Sequence[str] | None = None,
    around: Sequence[str] | None = None,
    roles: Mapping[str, str] | None = None,
    partial: frozenset[str] = frozenset(),
    identifiers: bool = True,
    hub: int = HUB,
    neighbours: int = NEIGHBOURS,
) -> Chart:
    """Fold visible evidence into an entity chart.

    Parameters
    ----------
    nodes, edges
        What the viewer may see, by the ids the viewer sees (``edges`` by type).
    seeds
        The entities the chart is about (always drawn).
    members
        When given (a cluster), exactly these entities are drawn; else the
        seeds and up to ``neighbours`` entities tied to them, most tied first.
    around
        The seeds whose neighbours are drawn (default: every seed); a cluster
        grown from one member keeps its members and adds that one's ties.
    roles
        A role per entity (a cluster's organiser, broker, member).
    partial
        Ids the policy showed only in part (pseudonymised).
    identifiers
        Draw shared identifiers as nodes (else fold them into the links).
    hub
        An identifier tying more entities than this is a hub: listed, not drawn.

    Examples
    --------
    Two persons used one phone; one of them paid a facilitator:

    >>> N = lambda i, **p: Node(i, i.partition(":")[0], p)
    >>> E = lambda t, a, b, **p: Edge(t, a, b, p)
    >>> nodes = {i: N(i) for i in ["Person:a", "Person:b", "FacilitatorEntity:f",
    ...          "PersonMention:1", "PersonMention:2", "FacilitatorMention:3"]}
    >>> nodes["Person:a"] = N("Person:a", name="Amir")
    >>> nodes["FacilitatorMention:3"] = N("FacilitatorMention:3", alias="Abu X")
    >>> nodes["Phone:+316"] = N("Phone:+316", e164="+316")
    >>> for s, d, k in [("S:1", "2024-01-02", "hard"), ("S:2", "2024-03-04", "zacht")]:
    ...     nodes["Signal:" + s] = N("Signal:" + s, date=dt.date.fromisoformat(d), kind=k,
    ...                              source="kmar")
    >>> edges = {
    ...   "RESOLVED_TO": [E("RESOLVED_TO", "PersonMention:1", "Person:a"),
    ...                   E("RESOLVED_TO", "PersonMention:2", "Person:b"),
    ...                   E("RESOLVED_TO", "FacilitatorMention:3", "FacilitatorEntity:f")],
    ...   "SUBJECT": [E("SUBJECT", "Signal:S:1", "PersonMention:1"),
    ...               E("SUBJECT", "Signal:S:2", "PersonMention:2")],
    ...   "NAMES_FACILITATOR": [E("NAMES_FACILITATOR", "Signal:S:1", "FacilitatorMention:3")],
    ...   "HAS_PHONE": [E("HAS_PHONE", "PersonMention:1", "Phone:+316", signals=["Signal:S:1"]),
    ...                 E("HAS_PHONE", "PersonMention:2", "Phone:+316", signals=["Signal:S:2"])]}
    >>> chart = fold(nodes, edges, seeds=["Person:a"])
    >>> [(n.kind, n.label) for n in chart.nodes]
    [('person', 'Amir'), ('person', 'b'), ('facilitator', 'f'), ('phone', '+316')]
    >>> [(x.a, x.b, x.kind, x.count, x.strength)
    ...  for x in chart.links]  # doctest: +NORMALIZE_WHITESPACE
    [('Person:a', 'FacilitatorEntity:f', 'smuggler', 1, 'hard'),
     ('Person:a', 'Phone:+316', 'phone', 1, 'hard'),
     ('Person:b', 'Phone:+316', 'phone', 1, 'soft')]
    >>> [(x.a, x.b, x.kind, x.via, x.first, x.last)
    ...  for x in fold(nodes, edges, seeds=["Person:a"], identifiers=False).links
    ...  if x.kind == "phone"]
    [('Person:a', 'Person:b', 'phone', ('+316',), '2024-01-02', '2024-03-04')]
    """
    facts = facts_of(nodes, edges)
    incs = [*incidences(facts), *locations(nodes, edges, facts)]
    things = group_things(incs)
    seed_set = {s for s in seeds if s in nodes}
    more = 0
    if members is not None:
        keep = {m for m in members if m in nodes} | seed_set
    else:
        ranked = _neighbours(things, set(around or seed_set) & set(nodes), hub)
        order = sorted(ranked, key=lambda m: (-ranked[m], m))
        chosen = [m for m in order if m in nodes][:neighbours]
        more = len([m for m in order if m in nodes]) - len(chosen)
        keep = seed_set | set(chosen)
    thing_label = {
        (t.kind, t.key): caption(nodes[t.key]) for t in things if t.key in nodes
    }  # an identifier is called what the viewer sees of it
    gathered, shown, hubs = _gather(
        things, keep, identifiers=identifiers, hub=hub, thing_label=thing_label
    )
    signals = {
        i: chart_signal(nodes[i], pseudonymised=i in partial)
        for i in sorted({s for ss in gathered.signals.values() for s in ss})
        if i in nodes
    }
    links = []
    for (a, b, kind), ids in sorted(gathered.signals.items()):
        backed = sorted((s for s in ids if s in signals), key=lambda s: (signals[s].date, s))
        if not backed or (kind == ROUTE and ids <= gathered.signals.get((a, b, TOGETHER), set())):
            continue  # the same journey is already there as travelling together
        dates = [signals[s].date for s in backed if signals[s].date]
        links.append(
            ChartLink(
                a=a,
                b=b,
                kind=kind,
                signals=tuple(backed),
                strength="hard" if any(signals[s].kind == HARD for s in backed) else "soft",
                first=min(dates, default=""),
                last=max(dates, default=""),
                via=tuple(gathered.via.get((a, b, kind), ())),
                pseudonymised=all(signals[s].pseudonymised for s in backed),
            )
        )
    chart_nodes = _nodes(nodes, keep, shown, links, seed_set, roles or {}, partial, thing_label)
    drawn = {n.id for n in chart_nodes}
    return Chart(
        nodes=chart_nodes,
        links=tuple(x for x in links if x.a in drawn and x.b in drawn),
        signals=signals,
        hubs=tuple(sorted(hubs, key=lambda h: (-h.entities, h.kind, h.label))),
        more=more,
    )


def _nodes(
    nodes: Mapping[str, Node],
    keep: set[str],
    shown: Mapping[str, Thing],
    links: Sequence[ChartLink],
    seeds: set[str],
    roles: Mapping[str, str],
    partial: frozenset[str],
    thing_label: Mapping[tuple[str, str], str],
) -> tuple[ChartNode, ...]:
    """Entities (seeds first, then by name) and the identifiers that tie them."""
    first: dict[str, str] = {}
    count: dict[str, int] = defaultdict(int)
    for x in links:
        for end in (x.a, x.b):
            count[end] += x.count
            if x.first and (end not in first or x.first < first[end]):
                first[end] = x.first
    out = []
    for i in sorted(keep, key=lambda i: (i not in seeds, caption(nodes[i]).casefold(), i)):
        node = nodes[i]
        if node.label not in ENTITY_KIND:
            continue
        color, shape = style(node.label)
        out.append(
            ChartNode(
                id=i,
                kind=ENTITY_KIND[node.label],
                label=caption(node),
                type=type_name(node.label),
                color=color,
                shape=shape,
                role=roles.get(i, "") or _facilitator_role(node),
                seed=i in seeds,
                pseudonymised=i in partial,
                first=first.get(i, ""),
                signals=count[i],
            )
        )
    for node_id, thing in sorted(shown.items(), key=lambda kv: (kv[1].kind, kv[0])):
        kind = LINK_KINDS[thing.kind]
        label = kind.label or "Phone"
        color, shape = style(label)
        if thing.kind == "alias":
            shape = "triangle"  # an alias, not the facilitator's star
        out.append(
            ChartNode(
                id=node_id,
                kind=kind.name,
                label=thing_label.get((thing.kind, thing.key), thing.label),
                type=kind.name if thing.kind in ("document_batch", "alias") else type_name(label),
                color=color,
                shape=shape,
                pseudonymised=node_id in partial,
                first=first.get(node_id, ""),
                signals=count[node_id],
            )
        )
    return tuple(out)


def _facilitator_role(node: Node) -> str:
    """A facilitator's recorded roles (Smuggler, Driver), when it has no role in a cluster."""
    roles = node.props.get("roles") or ()
    return ", ".join(display("facilitator_role", r) for r in roles if r != "onbekend")


# -- the reads (through the viewer's policy) -----------------------------------------------


def _roles(evidence: Evidence) -> dict[str, str]:
    return {
        e.src: str(e.props.get("role") or "")
        for e in evidence.edges.get("MEMBER_OF", ())
        if e.dst == evidence.cluster.id
    }


def chart_of(evidence: Evidence, *, identifiers: bool = True, hub: int = HUB) -> Chart:
    """The chart of a cluster from its dossier evidence: the screen and the dossier agree."""
    roles = _roles(evidence)
    return fold(
        evidence.nodes,
        evidence.edges,
        seeds=sorted(roles),
        members=sorted(roles),
        roles=roles,
        partial=evidence.partial,
        identifiers=identifiers,
        hub=hub,
    )


def cluster_chart(
    session: Session, cluster_id: str, *, identifiers: bool = True, hub: int = HUB
) -> Chart:
    """The chart of a cluster's members as the viewer may see them (audited).

    Raises :class:`~workbench.query.errors.NotFound` for a cluster the viewer
    may not see.
    """
    evidence = collect(session, cluster_id)
    session.record("view_chart", target=cluster_id)
    return chart_of(evidence, identifiers=identifiers, hub=hub)


USES = ("HAS_PHONE", "HAS_DEVICE", "HAS_DOCUMENT")  # mention -> identifier
READ_IN = ("MENTIONS_PHONE", "SEEN_WITH_VEHICLE", "MENTIONS_VEHICLE")  # signal -> identifier


def entity_chart(
    session: Session,
    seeds: Sequence[str],
    *,
    around: Sequence[str] | None = None,
    roles: Mapping[str, str] | None = None,
    neighbours: int = NEIGHBOURS,
    identifiers: bool = True,
    hub: int = HUB,
) -> Chart:
    """The chart around persons or facilitators: who they are tied to, by what (audited).

    ``around`` (default: all seeds) names the seeds whose neighbours are
    added; ``roles`` labels entities (a cluster's roles, when one grows).

    Reads, through the viewer's policy, the seeds' mentions and signals, the
    others those signals name, the identifiers their mentions carry, and who
    else used those identifiers (an identifier used by more than ``hub``
    mentions is not followed: a helpdesk ties nobody).
    """
    neighbours = max(1, min(neighbours, MAX_NEIGHBOURS))
    with session.store.reader():
        v = _Visible(session)
        found = [n.id for n in v.read_nodes(list(seeds)) if n.label in ENTITY_KIND]
        session.record("view_chart", seeds=list(seeds), neighbours=neighbours)
        mentions, signals = records_of(v, found)
        context = v.read_edges(SIGNAL_CONTEXT, src=signals)
        named = _ids(context, "dst", "PersonMention") + _ids(context, "dst", "FacilitatorMention")
        held = v.read_edges(USES, src=list(dict.fromkeys(mentions + named)))
        shared = [
            i for i in _ids(held, "dst") + _ids(context, "dst")
            if i.partition(":")[0] in ("Phone", "Device", "Document", "Vehicle")
        ]  # fmt: skip
        users = [e for e in _used_by(session, shared, hub) if e.src not in mentions]
        others = _ids(users, "src", "PersonMention") + _ids(users, "src", "FacilitatorMention")
        v.read_edges(USES, src=others)
        more_signals = _ids(users, "src", "Signal")
        v.read_edges(list(EDGE_ROLE), dst=_ids(users, "src", "PersonMention"))
        v.read_edges(["NAMES_FACILITATOR"], dst=_ids(users, "src", "FacilitatorMention"))
        v.read_edges([*EDGE_ROLE, "NAMES_FACILITATOR", *READ_IN, "OBSERVED_AT"], src=more_signals)
        in_signals = [i for i in v.nodes if i.startswith(("PersonMention:", "FacilitatorMention:"))]
        v.read_edges(["PAID"], src=[m for m in in_signals if m.startswith("PersonMention:")])
        v.read_edges(["RESOLVED_TO"], src=[m for m in in_signals if m not in mentions])
    return fold(
        v.nodes,
        v.edges,
        seeds=found,
        around=around,
        roles=roles,
        partial=frozenset(v.partial),
        identifiers=identifiers,
        hub=hub,
        neighbours=neighbours,
    )


def _used_by(session: Session, identifiers: Sequence[str], hub: int) -> list[Edge]:
    """Stored edges into ``identifiers`` from the mentions and signals that use them.

    An identifier with more users than ``hub`` is not followed (its edges are
    left out): read as stored, only to choose; the caller reads what it keeps
    through the policy.
    """
    if not identifiers:
        return []
    found: dict[str, list[Edge]] = defaultdict(list)
    for type_ in (*USES, *READ_IN):
        for e in session.store.find_edges(type_, dst=list(identifiers)):
            found[e.dst].append(e)
    return [e for edges in found.values() if len(edges) <= hub * 3 for e in edges]
