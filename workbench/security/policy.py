"""The need-to-know contract every read path honours, and its implementation.

Every node or edge that leaves the query layer (UI page, CLI read command,
dossier, detection output) passes through ``Policy.view_node`` /
``Policy.view_edge`` first. A policy returns the item as the viewer may see it:
unchanged, a pseudonymised copy, or ``None`` when it must not be shown at all.
Derived things (clusters, projected links) are built only from what the
policy lets through, so they never reveal more than their inputs.

:class:`NeedToKnow` is the real policy. What a viewer may see of a node
follows from the signals behind it:

- evidence nodes and edges: the most any of their asserting signals
  (``signals``) allows (``sharing.py``: own organisation in full, others by
  the sharing rules, raised to full by the owner's release);
- ``Person`` / ``FacilitatorEntity``: visible if a mention is, with values
  only as visible mentions support them (``identity.py``);
- ``Cluster``: hidden if any input of any member is hidden to the viewer,
  in full if all are in full, else with its reasons withheld; alerts,
  annotations, match decisions and verdicts follow what they are about;
- ``BenignMark``: as far as the identifier it marks is visible (a mark on a
  pseudonymised phone shows the pseudonym); a mark on an alias, which is no
  node, only to the author's organisation;
- run metadata (``LoadBatch``, ``DetectionRun``, ``ResolutionRun``) is
  shown; rejected rows only to their own organisation (and the local
  custodian who loaded the files); any label this module
  does not know is hidden (deny by default).

A policy caches what it reads: make one per request (``session_for`` is
cheap) and never share one between users. For pages of many items call
:func:`prefetch` (or the bulk helpers :func:`view_subgraph`,
:func:`view_hits`) first, so signals, mentions and members are read in a
few bulk queries rather than per item.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from graph_schema.model import model
from workbench.security.identity import derive_entity
from workbench.security.pseudonyms import Pseudonymiser
from workbench.security.redact import (
    pseudonymise_edge,
    pseudonymise_node,
    pseudonymous_id,
    redact_explanation,
    redact_text_fields,
)
from workbench.security.roles import ORGANISATIONS, ROLES
from workbench.security.sharing import Access, SharingRules, SignalFacts, signal_owner
from workbench.store.base import Edge, GraphStore, Node, SearchHit, Subgraph

__all__ = [
    "ORGANISATIONS",
    "PARTIAL",
    "ROLES",
    "Access",
    "NeedToKnow",
    "Policy",
    "Unrestricted",
    "Viewer",
    "forget_nodes",
    "know_resolved",
    "prefetch",
    "sees",
    "signal_levels",
    "term_seen",
    "view_hits",
    "view_nodes",
    "view_subgraph",
]

log = logging.getLogger(__name__)
PARTIAL = "[details withheld: part of the evidence is pseudonymised for you]"
METADATA = frozenset({"LoadBatch", "DetectionRun", "ResolutionRun"})
ENTITIES = frozenset({"Person", "FacilitatorEntity"})
_CATALOG_MAX = 1_000_000
SIGNAL_FACTS = ("source", "kind", "theme", "legal_regime")  # what sharing decides on
# What judging a Signal node reads: its sharing facts and its own provenance.
JUDGED_SIGNAL_FIELDS = (*SIGNAL_FACTS, "signals")
# What the policy reads of a node it fetches itself to judge it (others: every property).
# Entities, clusters and alerts are judged by what they are made of (read by
# ``_follow``), mentions by their signals; their other values are not read. A view is
# shaped from the node the caller passes, never from the policy's copy, except an
# entity's, derived from its mentions: ``_mentions`` reads those again in full. An alert
# page judging 121 clusters spent 0.11 s decoding their explanations; 6,500 mentions
# read whole took 0.30 s at a million rows, their signals and source 0.20 s.
_JUDGING_FIELDS: dict[str, tuple[str, ...]] = {
    "Person": (),
    "FacilitatorEntity": ("phones",),
    "Cluster": (),
    "Alert": (),
    "PersonMention": ("signals", "source"),
    "FacilitatorMention": ("signals", "source"),
}


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a user name, their organisation and their role."""

    username: str
    organisation: str
    role: str


class Policy(Protocol):
    """What one viewer may see of the graph."""

    @property
    def viewer(self) -> Viewer: ...

    def view_node(self, node: Node) -> Node | None: ...
    def view_edge(self, edge: Edge) -> Edge | None: ...


@dataclass(frozen=True)
class Unrestricted:
    """Sees everything: for internal computation only (never for a user-facing read)."""

    viewer: Viewer = Viewer("system", "joint", "admin")

    def view_node(self, node: Node) -> Node | None:
        return node

    def view_edge(self, edge: Edge) -> Edge | None:
        return edge


# -- signal facts, cached per process ---------------------------------------------

# A signal's organisation, kind, theme and regime never change once written
# (a conflicting record becomes a Conflict node), so they are cached for the
# life of the process, per store; a purge forgets the ids it removed.
_catalogs: dict[tuple[str, str], dict[str, SignalFacts]] = defaultdict(dict)


def signal_facts(store: GraphStore, ids: Iterable[str]) -> dict[str, SignalFacts]:
    """The facts sharing decides on, for the signals among ``ids`` that exist."""
    cache = _catalogs[(store.kind, store.location)]
    wanted = list(dict.fromkeys(ids))
    missing = [i for i in wanted if i not in cache and i.startswith("Signal:")]
    if missing:
        if len(cache) > _CATALOG_MAX:
            cache.clear()
        for node in store.get_nodes(missing, fields=SIGNAL_FACTS).values():
            p = node.props
            cache[node.id] = SignalFacts(
                node.id, p["source"], p["kind"], p["theme"], p.get("legal_regime")
            )
    return {i: cache[i] for i in wanted if i in cache}


def forget_signals(store: GraphStore, ids: Iterable[str]) -> None:
    """Drop purged signals from the process cache."""
    cache = _catalogs[(store.kind, store.location)]
    for i in ids:
        cache.pop(i, None)


# Pseudonymised ids handed out, per viewing organisation: (organisation, shown id) ->
# stored id, so a pseudonymised identifier a viewer was shown can open its page. Bounded;
# an id that fell out is simply not found again until a page shows it anew.
_SEEN_MAX = 200_000
_seen_as: OrderedDict[tuple[str, str], str] = OrderedDict()


def _seen(organisation: str, shown: str, stored: str) -> str:
    if shown != stored:
        _seen_as[(organisation, shown)] = stored
        _seen_as.move_to_end((organisation, shown))
        while len(_seen_as) > _SEEN_MAX:
            _seen_as.popitem(last=False)
    return shown


# -- the policy ----------------------------------------------------------------------


def _provenance(label: str) -> bool:
    spec = model().nodes.get(label)
    return spec is not None and "signals" in spec.properties


class NeedToKnow:
    """The sharing rules applied to one viewer, reading what it needs from ``store``."""

    def __init__(
        self,
        viewer: Viewer,
        store: GraphStore,
        *,
        rules: SharingRules,
        releases: Mapping[str, frozenset[str]],
        pseudonym: Pseudonymiser,
        colleagues: frozenset[str] = frozenset(),
        custodian: bool = False,
    ) -> None:
        if viewer.organisation not in ORGANISATIONS or viewer.role not in ROLES:
            raise ValueError(f"not a valid viewer: {viewer}")
        if pseudonym.organisation != viewer.organisation:
            raise ValueError("pseudonyms must be keyed for the viewer's own organisation")
        self.viewer = viewer
        self.store = store
        self.rules = rules
        self.releases = releases
        self.pseudonym = pseudonym
        self.colleagues = colleagues | {viewer.username}
        self.custodian = custodian  # the local operator: loaded the files, sees their rejects
        self._nodes: dict[str, Node | None] = {}
        self._inputs: dict[str, list[str]] = {}
        self._access: dict[str, Access] = {}
        self._span: dict[str, tuple[Access, Access]] = {}
        self._signals: dict[str, Access] = {}
        self._unexpanded: set[str] = set()  # read, but their inputs not yet followed
        self._partial: set[str] = set()  # read with only their ``_JUDGING_FIELDS``

    # bulk reading ---------------------------------------------------------------------

    def prefetch(self, items: Iterable[Node | Edge | str]) -> None:
        """Read, in bulk, everything needed to judge ``items`` (nodes, edges or ids)."""
        items = list(items)
        ids: list[str] = []
        signal_ids: list[str] = []
        for item in items:
            if isinstance(item, Node):
                self._remember(item.id, item)
            elif isinstance(item, Edge):
                ids += [item.src, item.dst]
                signal_ids += item.props.get("signals") or []
            else:
                ids.append(item)
        known = model().nodes
        ids = [i for i in ids if i not in self._nodes and i.partition(":")[0] in known]
        signal_ids = [i for i in signal_ids if i not in self._signals]
        if ids or signal_ids or self._unexpanded:
            with self.store.reader():  # one open store for every read below
                self._load(ids)
                while self._unexpanded:
                    batch = [n for i in self._unexpanded if (n := self._nodes[i]) is not None]
                    self._unexpanded.clear()
                    self._load(self._follow(batch))
                    signal_ids += [s for n in batch for s in n.props.get("signals") or []]
                self._load_signals(signal_ids)
        # Entities handed in are to be viewed, and a view is derived from their mentions'
        # values: read those in full now, in one go (judging may have read them thin).
        viewed = [i.id for i in items if isinstance(i, Node) and i.label in ENTITIES]
        self._read_whole([m for e in viewed for m in self._inputs.get(e, [])])

    def know_resolved(self, persons: Sequence[Node], links: Sequence[Edge]) -> None:
        """Take ``links`` as every ``RESOLVED_TO`` edge into ``persons``, read by the caller in
        bulk, so that judging the persons does not read those edges again (the caller
        prefetches the mentions next, as nodes it read)."""
        for person in persons:
            if person.label == "Person" and person.id not in self._inputs:
                self._remember(person.id, person)
                self._inputs[person.id] = []
                self._unexpanded.discard(person.id)
        for e in links:
            if e.dst in self._inputs and e.type == "RESOLVED_TO":
                self._inputs[e.dst].append(e.src)

    def forget_nodes(self) -> None:
        """Drop what was read and judged of nodes (signals' access stays): a reader of a
        long list calls it between pages, so the policy's memory stays one page deep."""
        self._nodes.clear()
        self._inputs.clear()
        self._access.clear()
        self._span.clear()
        self._unexpanded.clear()
        self._partial.clear()

    def _remember(self, node_id: str, node: Node | None) -> None:
        if node_id not in self._nodes:
            self._nodes[node_id] = node
            if node is not None:
                self._unexpanded.add(node_id)

    def _load(self, ids: Iterable[str]) -> None:
        known = model().nodes
        missing = [
            i
            for i in dict.fromkeys(ids)
            if i not in self._nodes and ":" in i and i.partition(":")[0] in known
        ]
        if not missing:
            return
        partial: dict[tuple[str, ...], list[str]] = defaultdict(list)
        whole: list[str] = []
        for i in missing:
            fields = _JUDGING_FIELDS.get(i.partition(":")[0])
            (whole if fields is None else partial[fields]).append(i)
        found = self.store.get_nodes(whole) if whole else {}
        for fields, ids in partial.items():
            found.update(self.store.get_nodes(ids, fields=fields))
            self._partial.update(ids)
        for i in missing:
            self._remember(i, found.get(i))

    def _follow(self, nodes: Sequence[Node]) -> list[str]:
        """Record what derived ``nodes`` are made of (one query per label); ids to read next."""
        known = model().nodes
        by_label: dict[str, list[Node]] = defaultdict(list)
        for node in nodes:
            by_label[node.label].append(node)
            self._inputs[node.id] = []
        wanted: list[str] = []
        for label, group in by_label.items():
            ids = [n.id for n in group]
            if label in ENTITIES:
                for e in self.store.find_edges("RESOLVED_TO", dst=ids):
                    self._inputs[e.dst].append(e.src)
                if label == "FacilitatorEntity":
                    wanted += [f"Phone:{p}" for n in group for p in n.props.get("phones") or []]
            elif label == "Cluster":
                for e in self.store.find_edges("MEMBER_OF", dst=ids):
                    self._inputs[e.dst].append(e.src)
            elif label in ("Alert", "Annotation"):
                for e in self.store.find_edges("ABOUT", src=ids):
                    self._inputs[e.src].append(e.dst)
            elif label == "MatchDecision":
                for n in group:
                    self._inputs[n.id] = [str(n.props["left"]), str(n.props["right"])]
            elif label == "Verdict":
                for n in group:
                    self._inputs[n.id] = [str(n.props["cluster_id"])]
            elif label == "BenignMark":
                for n in group:
                    marked = str(n.props["identifier"])
                    self._inputs[n.id] = [marked] if marked.partition(":")[0] in known else []
            wanted += [i for n in group for i in self._inputs[n.id]]
        return wanted

    def _load_signals(self, ids: Iterable[str]) -> None:
        missing = [i for i in dict.fromkeys(ids) if i not in self._signals]
        if not missing:
            return
        facts = signal_facts(self.store, missing)
        for i in missing:
            f = facts.get(i)
            self._signals[i] = (
                Access.HIDDEN
                if f is None
                else self.rules.level(self.viewer.organisation, f, self.releases)
            )

    # judging ----------------------------------------------------------------------------

    def signal_access(self, signal_id: str) -> Access:
        if signal_id not in self._signals:
            self._load_signals([signal_id])
        return self._signals[signal_id]

    def signal_levels(self, ids: Sequence[str]) -> dict[str, Access]:
        """Access to each of the signals ``ids``, read in one bulk query."""
        self._load_signals(ids)
        return {i: self._signals[i] for i in ids}

    def _asserted(self, signals: Sequence[str]) -> Access:
        self._load_signals(signals)
        return max((self._signals[s] for s in signals), default=Access.HIDDEN)

    def access(self, node_id: str) -> Access:
        """How much of the node ``node_id`` the viewer may see (HIDDEN if it does not exist)."""
        if node_id in self._access:
            return self._access[node_id]
        if node_id not in self._nodes or self._unexpanded:
            self.prefetch([node_id])
        self._access[node_id] = Access.HIDDEN  # guards against cycles while computing
        node = self._nodes.get(node_id)
        self._access[node_id] = Access.HIDDEN if node is None else self._judge(node)
        return self._access[node_id]

    def _judge(self, node: Node) -> Access:
        label, props = node.label, node.props
        inputs = self._inputs.get(node.id, [])
        if label in METADATA or label == "User":
            return Access.FULL
        if label == "Reject":
            own = props.get("source") == self.viewer.organisation
            return Access.FULL if own or self.custodian else Access.HIDDEN
        if _provenance(label):
            return self._asserted(props.get("signals") or [])
        if label in ENTITIES:
            return self.span(node.id)[1]
        if label == "Cluster":
            return self._cluster(inputs)
        if label == "MatchDecision":
            return min((self.access(i) for i in inputs), default=Access.HIDDEN)
        if label == "Alert":
            return min((self.access(i) for i in inputs), default=Access.FULL)
        if label == "Verdict":
            return min((self.access(i) for i in inputs), default=Access.HIDDEN)
        if label == "BenignMark":
            if not inputs:  # an alias: no node to judge by, so the author's organisation only
                own = props.get("organisation") == self.viewer.organisation
                return Access.FULL if own else Access.HIDDEN
            return self.access(inputs[0])
        if label == "Annotation":
            # a note says what its author knew: in full to the author's colleagues,
            # else only as far as the viewer sees everything behind what it is about
            if props.get("author") in self.colleagues:
                return Access.FULL
            return min((self.floor(i) for i in inputs), default=Access.HIDDEN)
        log.warning("need-to-know: no rule for label %s; hidden", label)
        return Access.HIDDEN

    def span(self, entity_id: str) -> tuple[Access, Access]:
        """The least and the most the viewer may see of an entity's mentions."""
        if entity_id not in self._span:
            if entity_id not in self._nodes:
                self.prefetch([entity_id])
            levels = [self.access(m) for m in self._inputs.get(entity_id, [])]
            self._span[entity_id] = (
                min(levels, default=Access.HIDDEN),
                max(levels, default=Access.HIDDEN),
            )
        return self._span[entity_id]

    def floor(self, node_id: str) -> Access:
        """The least the viewer may see of what stands behind a node (its weakest input)."""
        if self.access(node_id) == Access.HIDDEN:
            return Access.HIDDEN
        label = node_id.partition(":")[0]
        return self.span(node_id)[0] if label in ENTITIES else self.access(node_id)

    def _cluster(self, members: Sequence[str]) -> Access:
        return min((self.floor(m) for m in members), default=Access.FULL)

    def node_ref(self, node_id: str) -> str:
        """The id under which the viewer sees a node (value-keyed ids may be pseudonymised)."""
        if self.access(node_id) == Access.PSEUDONYMISED and _provenance(node_id.partition(":")[0]):
            shown = pseudonymous_id(node_id, self.pseudonym)
            return _seen(self.viewer.organisation, shown, node_id)
        return node_id

    def stored_id(self, seen_id: str) -> str:
        """The stored id behind an id this viewer's organisation was shown (itself if none):
        so a pseudonymised phone or plate opens its page. Only ids handed out to the same
        organisation by this process are known; any other id is returned as it is."""
        return _seen_as.get((self.viewer.organisation, seen_id), seen_id)

    # the Policy protocol ------------------------------------------------------------------

    def sees(self, node: Node) -> bool:
        """Whether the viewer may see ``node`` at all: :meth:`view_node` without shaping it."""
        self._remember(node.id, node)
        if self._unexpanded:
            self.prefetch([node])
        return self.access(node.id) != Access.HIDDEN

    def view_node(self, node: Node) -> Node | None:
        return self._shape(node, self.access(node.id)) if self.sees(node) else None

    def view_edge(self, edge: Edge) -> Edge | None:
        self.prefetch([edge])
        spec = model().edge(edge.type)
        signals = list(edge.props.get("signals") or [])
        own = self._asserted(signals) if "signals" in spec.properties else Access.FULL
        access = min(own, self.access(edge.src), self.access(edge.dst))
        if access == Access.HIDDEN:
            return None
        seen = edge if access == Access.FULL else pseudonymise_edge(edge)
        if "signals" in spec.properties:
            seen = self._visible_signals(seen)
        return replace(seen, src=self.node_ref(edge.src), dst=self.node_ref(edge.dst))

    # shaping ---------------------------------------------------------------------------------

    def _visible_signals(self, item: Any) -> Any:
        signals = item.props.get("signals") or []
        shown = [s for s in signals if self.signal_access(s) != Access.HIDDEN]
        return item if shown == signals else replace(item, props={**item.props, "signals": shown})

    def _owner(self, node: Node) -> str | None:
        source = node.props.get("source")
        if source:
            return str(source)
        signals = node.props.get("signals") or []
        return signal_owner(signals[0]) if signals else None

    def _shape(self, node: Node, access: Access) -> Node:
        label = node.label
        if _provenance(label):
            if access == Access.PSEUDONYMISED:
                stored = node.id
                node = pseudonymise_node(node, self.pseudonym, self._owner(node))
                _seen(self.viewer.organisation, node.id, stored)
            return self._visible_signals(node) if label not in METADATA else node
        if label == "User":
            return redact_text_fields(node, {"password_hash": None})
        if access == Access.FULL and self.floor(node.id) == Access.FULL:
            return node
        inputs = self._inputs.get(node.id, [])
        if label in ENTITIES:
            return self._entity(node, inputs)
        if label == "MatchDecision":
            return self._decision(node, inputs)
        if label == "Cluster":
            owners = self.withheld_by(inputs)
            explanation = redact_explanation(node.props.get("explanation"), owners)
            return redact_text_fields(node, {"explanation": explanation})
        if label == "Alert":
            return redact_text_fields(node, {"message": PARTIAL})
        if label == "Annotation":
            return redact_text_fields(node, {"note": PARTIAL, "tags": []})
        if label == "Verdict":
            return self._verdict(node)
        if label == "BenignMark":
            return self._benign_mark(node, inputs)
        return node

    def withheld_by(self, ids: Sequence[str]) -> list[str]:
        """The organisations holding what the viewer sees of ``ids`` (entities, evidence)
        only pseudonymised: whom a request for release would go to."""
        owners: set[str] = set()
        for i in ids:
            mentions = self._inputs.get(i, []) if i.partition(":")[0] in ENTITIES else [i]
            for m in mentions:
                node = self._nodes.get(m)
                if node is not None and self.access(m) == Access.PSEUDONYMISED:
                    owners.update(o for o in [self._owner(node)] if o)
        return sorted(owners)

    def _mentions(self, ids: Sequence[str], least: Access) -> list[Node]:
        """The mentions among ``ids`` the viewer sees at least ``least`` of, read in full."""
        shown = [i for i in ids if self.access(i) >= least and self._nodes[i] is not None]
        self._read_whole(shown)
        return [n for i in shown if (n := self._nodes[i]) is not None]

    def _read_whole(self, ids: Sequence[str]) -> None:
        """Read again in full the nodes among ``ids`` read only for judging."""
        if thin := [i for i in ids if i in self._partial]:
            self._nodes.update(self.store.get_nodes(thin))
            self._partial.difference_update(thin)

    def _entity(self, node: Node, mentions: Sequence[str]) -> Node:
        full = self._mentions(mentions, Access.FULL)
        seen = self._mentions(mentions, Access.PSEUDONYMISED)
        return derive_entity(
            node,
            full,
            seen,
            pseudonym=self.pseudonym,
            phone_access=lambda e164: self.access(f"Phone:{e164}"),
        )

    def _verdict(self, node: Node) -> Node:
        """A verdict on a cluster shown with its reasons withheld: members as far as visible."""
        own = node.props.get("author") in self.colleagues
        named = {
            k: [m for m in node.props.get(k) or [] if self.access(m) != Access.HIDDEN]
            for k in ("members", "not_members")
        }
        return redact_text_fields(node, {**named, **({} if own else {"reason": PARTIAL})})

    def _benign_mark(self, node: Node, inputs: Sequence[str]) -> Node:
        """A mark on a pseudonymised identifier: the pseudonym instead of the value."""
        seen = self.node_ref(inputs[0]) if inputs else str(node.props["identifier"])
        changes: dict[str, Any] = {"identifier": seen, "value": seen.partition(":")[2]}
        if node.props.get("author") not in self.colleagues:
            changes["reason"] = PARTIAL
        return redact_text_fields(node, changes)

    def _decision(self, node: Node, mentions: Sequence[str]) -> Node:
        sides = dict(zip(("left", "right"), mentions, strict=False))
        hidden = {side for side, m in sides.items() if self.access(m) != Access.FULL}
        terms = node.props.get("explanation")
        if isinstance(terms, list):
            terms = [term_seen(t, hidden) if isinstance(t, dict) else t for t in terms]
        return redact_text_fields(node, {"reason": None, "explanation": terms})


def term_seen(term: Mapping[str, Any], hidden: set[str]) -> dict[str, Any]:
    """An explanation line with the values of the ``hidden`` sides withheld.

    ``among`` names the group both sides share (their nationality), so it goes with
    a hidden side; a share counted within that group goes with it, or it would read
    as a share of all records.

    >>> term_seen({"left": "A", "right": "B", "frequency": 0.01, "among": "SYR"}, {"right"})
    {'left': 'A', 'right': None, 'frequency': None, 'among': None}
    >>> term_seen({"left": "A", "right": "B", "frequency": 0.01, "among": None}, {"right"})
    {'left': 'A', 'right': None, 'frequency': 0.01, 'among': None}
    """
    gone = set(hidden)
    if hidden and term.get("among") is not None:
        gone |= {"among", "frequency"}
    return {k: (None if k in gone else v) for k, v in term.items()}


# -- bulk helpers for any Policy ------------------------------------------------------------


def prefetch(policy: Policy, items: Iterable[Node | Edge | str]) -> None:
    """Let ``policy`` read in bulk what it needs for ``items`` (a no-op for simple policies)."""
    bulk = getattr(policy, "prefetch", None)
    if bulk is not None:
        bulk(list(items))


def know_resolved(policy: Policy, persons: Sequence[Node], links: Sequence[Edge]) -> None:
    """Tell ``policy`` (if it reads in bulk) every RESOLVED_TO edge into ``persons``."""
    take = getattr(policy, "know_resolved", None)
    if take is not None:
        take(persons, links)


def forget_nodes(policy: Policy) -> None:
    """Let ``policy`` drop its per-node caches between pages of a long list (if it has any)."""
    drop = getattr(policy, "forget_nodes", None)
    if drop is not None:
        drop()


def stored_id(policy: Policy, seen_id: str) -> str:
    """The stored id behind an id the viewer was shown (itself for simple policies)."""
    lookup = getattr(policy, "stored_id", None)
    return str(lookup(seen_id)) if lookup is not None else seen_id


def signal_levels(policy: Policy, ids: Iterable[str]) -> dict[str, Access]:
    """How much of each signal in ``ids`` the viewer may read (FULL for simple policies)."""
    wanted = list(dict.fromkeys(ids))
    bulk = getattr(policy, "signal_levels", None)
    return dict(bulk(wanted)) if bulk is not None else dict.fromkeys(wanted, Access.FULL)


def judging_fields(label: str) -> tuple[str, ...] | None:
    """The properties judging a ``label`` node reads (None: all of them), for a caller
    that only asks whether nodes are visible (:func:`sees`) and reads them for that alone."""
    return _JUDGING_FIELDS.get(label)


def sees(policy: Policy, node: Node) -> bool:
    """Whether the viewer may see ``node`` at all; for callers that need no more than that
    (a list of a person's records), cheaper than shaping the node."""
    check = getattr(policy, "sees", None)
    return bool(check(node)) if check is not None else policy.view_node(node) is not None


def view_nodes(policy: Policy, nodes: Iterable[Node]) -> dict[str, Node]:
    """The visible nodes as the viewer sees them, keyed by the id the viewer sees."""
    nodes = list(nodes)
    prefetch(policy, nodes)
    out: dict[str, Node] = {}
    for node in nodes:
        seen = policy.view_node(node)
        if seen is not None:
            out[seen.id] = seen
    return out


def view_subgraph(policy: Policy, sub: Subgraph) -> Subgraph:
    """``sub`` as the viewer may see it: hidden nodes gone, with every edge touching them.

    Node ids may change (pseudonymised phone, IMEI, document and plate nodes);
    edges and ``more`` follow. ``more`` counts neighbours the cap left out,
    hidden ones included.
    """
    prefetch(policy, [*sub.nodes.values(), *sub.edges])
    out = Subgraph()
    ref: dict[str, str] = {}
    for node_id, node in sub.nodes.items():
        seen = policy.view_node(node)
        if seen is not None:
            out.nodes[seen.id] = seen
            ref[node_id] = seen.id
    for edge in sub.edges:
        if edge.src in ref and edge.dst in ref:
            seen_edge = policy.view_edge(edge)
            if seen_edge is not None and {seen_edge.src, seen_edge.dst} <= out.nodes.keys():
                out.edges.append(seen_edge)
    out.more = {ref[k]: n for k, n in sub.more.items() if k in ref}
    return out


_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    """Words as the text index sees them: case and diacritics folded.

    >>> _words("Zoë AL-Hassan")
    ['zoe', 'al', 'hassan']
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _WORD.findall(plain.casefold())


def visible_text(node: Node, fields: Sequence[str] | None = None) -> str:
    """The text of ``fields`` (default: the searchable ones) of a node as shown."""
    spec = model().nodes.get(node.label)
    names = fields if fields is not None else (spec.searchable if spec else ())
    return " · ".join(str(node.props[n]) for n in names if node.props.get(n) not in (None, ""))


def view_hits(
    policy: Policy,
    store: GraphStore,
    hits: Sequence[SearchHit],
    text: str,
    *,
    fields: Sequence[str] | None = None,
) -> list[SearchHit]:
    """The hits of a search for ``text`` that the viewer may know about.

    A hit is kept only if the node is visible *and* the words searched for
    still occur in its text as the viewer sees it: a pseudonymised signal
    whose withheld text matched a name is dropped, because the match alone
    would tell that the owner holds something about that name. Snippets are
    rebuilt from the visible text. ``fields`` names the properties that
    matched when they are not the searchable ones (an exact lookup by
    V-number: ``fields=["v_number"]``).
    """
    nodes = store.get_nodes([h.id for h in hits])
    prefetch(policy, nodes.values())
    wanted = _words(text)
    out = []
    for hit in hits:
        node = nodes.get(hit.id)
        seen = policy.view_node(node) if node is not None else None
        if seen is None:
            continue
        shown = visible_text(seen, fields)
        words = _words(shown)
        if all(any(w.startswith(q) for w in words) for q in wanted):
            snippet = shown if len(shown) <= 200 else shown[:199] + "…"
            out.append(replace(hit, id=seen.id, snippet=snippet))
    return out
