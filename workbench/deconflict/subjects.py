"""What each case's items reach in the graph now (read unrestricted, for computation).

Deconfliction compares cases whatever their members may see, so this reads
the store without a policy, like detection does; what a *viewer* is told of
an overlap is decided in ``workbench.query.cases``. Nothing read here is
shown to anyone.

- a cluster reaches the clusters that continue it in the latest run (its
  lineage, followed forward) and their members;
- a person or facilitator reaches itself;
- a signal reaches the persons and facilitators its records resolved to, and
  the phones and plates it names;
- an identifier (phone, document, device, vehicle) reaches itself;
- every person or facilitator reached also reaches the identifiers its
  records carry and the latest run's clusters it is a member of.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from workbench.deconflict.overlap import Reach, is_entity
from workbench.store import GraphStore

CASE_ITEM_LABELS = ("Cluster", "Person", "FacilitatorEntity", "Signal", "Phone", "Document",
                    "Device", "Vehicle")  # fmt: skip
IDENTIFIERS = ("Phone", "Document", "Device", "Vehicle")
CARRIES = ("HAS_PHONE", "HAS_DOCUMENT", "HAS_DEVICE")
IN_SIGNAL = ("SUBJECT", "TRAVEL_COMPANION", "VISITOR", "NAMES_FACILITATOR")
NAMED_IN_SIGNAL = ("MENTIONS_PHONE", "MENTIONS_VEHICLE", "SEEN_WITH_VEHICLE")


def _latest_run_id(store: GraphStore) -> str | None:
    """The latest detection run's id (detection imported only when asked: it is heavy)."""
    from workbench.detect.results import latest_run

    run = latest_run(store)
    return str(run.props["run_id"]) if run is not None else None


def _label(node_id: str) -> str:
    return node_id.partition(":")[0]


def _current(store: GraphStore, clusters: Sequence[str], run_id: str | None) -> dict[str, set[str]]:
    """Each cluster -> the clusters of the latest run that continue it (by lineage)."""
    out: dict[str, set[str]] = {}
    if run_id is None:
        return {c: set() for c in clusters}
    prefix = f"Cluster:{run_id}|"
    for start in clusters:
        seen, frontier = {start}, [start]
        while frontier:
            nxt = {e.src for e in store.find_edges("LINEAGE", dst=frontier)} - seen
            seen |= nxt
            frontier = sorted(nxt)
        out[start] = {c for c in seen if c.startswith(prefix)}
    return out


def _entities_of_signals(store: GraphStore, signals: Sequence[str]) -> dict[str, set[str]]:
    mentions: dict[str, set[str]] = defaultdict(set)
    for t in IN_SIGNAL:
        for e in store.find_edges(t, src=list(signals)):
            mentions[e.dst].add(e.src)
    out: dict[str, set[str]] = defaultdict(set)
    if mentions:
        for e in store.find_edges("RESOLVED_TO", src=sorted(mentions)):
            for s in mentions[e.src]:
                out[s].add(e.dst)
    return out


def _around(store: GraphStore, entities: Sequence[str], run_id: str | None) -> dict[str, set[str]]:
    """Each entity -> the identifiers its records carry and its latest-run clusters."""
    out: dict[str, set[str]] = defaultdict(set)
    if not entities:
        return out
    owner: dict[str, str] = {}
    for e in store.find_edges("RESOLVED_TO", dst=list(entities)):
        owner[e.src] = e.dst
    for t in CARRIES:
        for e in store.find_edges(t, src=sorted(owner)) if owner else []:
            if _label(e.dst) in IDENTIFIERS:
                out[owner[e.src]].add(e.dst)
    if run_id is not None:
        prefix = f"Cluster:{run_id}|"
        for e in store.find_edges("MEMBER_OF", src=list(entities)):
            if e.dst.startswith(prefix):
                out[e.src].add(e.dst)
    return out


def reach(store: GraphStore, items: Mapping[str, Sequence[str]]) -> dict[str, Reach]:
    """Case id -> what its ``items`` (stored ids) reach now, each subject with the case's
    entities leading to it (see :mod:`workbench.deconflict.overlap`)."""
    every = sorted({i for its in items.values() for i in its})
    run_id = _latest_run_id(store)
    current = _current(store, [i for i in every if _label(i) == "Cluster"], run_id)
    all_current = sorted({c for cs in current.values() for c in cs})
    members: dict[str, set[str]] = defaultdict(set)
    for e in store.find_edges("MEMBER_OF", dst=all_current) if all_current else []:
        members[e.dst].add(e.src)
    signals = [i for i in every if _label(i) == "Signal"]
    resolved = _entities_of_signals(store, signals) if signals else {}
    named: dict[str, set[str]] = defaultdict(set)
    for t in NAMED_IN_SIGNAL:
        for e in store.find_edges(t, src=signals) if signals else []:
            named[e.src].add(e.dst)
    entities_of: dict[str, set[str]] = {}
    for i in every:
        label = _label(i)
        if label == "Cluster":
            entities_of[i] = {m for c in current[i] for m in members[c]}
        elif is_entity(i):
            entities_of[i] = {i}
        elif label == "Signal":
            entities_of[i] = set(resolved.get(i, ()))
        else:
            entities_of[i] = set()
    around = _around(store, sorted({e for es in entities_of.values() for e in es}), run_id)
    out: dict[str, Reach] = {}
    for case_id, its in items.items():
        found: dict[str, set[str]] = defaultdict(set)
        for i in its:
            label = _label(i)
            if label in IDENTIFIERS:
                found.setdefault(i, set())  # reached, by no entity of the case
            for c in current.get(i, ()) if label == "Cluster" else ():
                found[c] |= members[c]
            for s in named.get(i, ()):
                found.setdefault(s, set())
            for entity in entities_of[i]:
                found[entity].add(entity)
                for s in around.get(entity, ()):
                    found[s].add(entity)
        out[case_id] = {s: frozenset(v) for s, v in found.items()}
    return out


def latest_clusters(store: GraphStore, items: Sequence[str]) -> list[str]:
    """The latest run's clusters the items lead to: a cluster's continuations, a person's
    or facilitator's own clusters (for the case page, which shows them through the policy)."""
    run_id = _latest_run_id(store)
    if run_id is None:
        return []
    clusters = [i for i in items if _label(i) == "Cluster"]
    found = {c for cs in _current(store, clusters, run_id).values() for c in cs}
    entities = [i for i in items if is_entity(i)]
    found |= {s for ss in _around(store, entities, run_id).values() for s in ss
              if _label(s) == "Cluster"}  # fmt: skip
    return sorted(found)
