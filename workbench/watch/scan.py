"""Raising watch hits: after every load, resolution and detection run, what is new about
each watched item.

Computation, not a read on anyone's behalf (like ``workbench.detect``): the
facts behind every live watch are read from the store as they are, compared
with the facts the watch already knows, and the new ones stored as hits. What
a user may see of a hit is decided when it is read (``workbench.query.watch``),
so a release or a revocation after the run changes what the hit shows.

Facts per kind of item:

- phone, plate, document, alias: the signals that assert the identifier
  (the ``signals`` provenance of its node, every document of that number, every
  facilitator mention whose alias has the same name key);
- person, facilitator: the signals of every record resolved into it;
- saved search: the signals the full-text index finds for it (at most
  ``SEARCH_LIMIT``), directly or through what they assert;
- cluster: the clusters of later runs that continue it by lineage; a cluster
  that grew or merged into another is a hit, and the watch follows its
  continuations from then on.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.resolve.names import name_key
from workbench.store import GraphStore
from workbench.watch.book import BASELINE, NewHit, Watch, WatchBook

__all__ = ["CAUSES", "SEARCH_LIMIT", "Scan", "baseline", "raise_hits", "scan"]

log = logging.getLogger(__name__)
CAUSES = ("load", "resolve", "detect", "schedule")
SEARCH_LIMIT = 500
CLUSTER_HITS = frozenset({"grown", "merged"})
_NODE = {"phone": "Phone:", "plate": "Vehicle:"}


@dataclass
class Scan:
    """The facts found per watch, and what each cluster watch follows now."""

    facts: dict[int, list[NewHit]] = field(default_factory=lambda: defaultdict(list))
    following: dict[int, tuple[str, ...]] = field(default_factory=dict)


def _signals_of(store: GraphStore, ids: Sequence[str]) -> dict[str, list[str]]:
    """Node id -> the signals asserting it (a signal asserts itself)."""
    out: dict[str, list[str]] = {i: [i] for i in ids if i.startswith("Signal:")}
    rest = [i for i in ids if not i.startswith("Signal:")]
    by_label: dict[str, list[str]] = defaultdict(list)
    for i in rest:
        label = i.partition(":")[0]
        if label in store.model.nodes and "signals" in store.model.node(label).properties:
            by_label[label].append(i)
    for part in by_label.values():
        for node in store.get_nodes(part, fields=("signals",)).values():
            out[node.id] = list(node.props.get("signals") or [])
    return out


def _add(scan: Scan, watch: Watch, signals: Iterable[str], detail: str) -> None:
    seen = {h.fact for h in scan.facts[watch.id]}
    for s in dict.fromkeys(signals):
        if s not in seen:
            scan.facts[watch.id].append(NewHit(watch.id, s, detail, signal=s))


def _identifiers(store: GraphStore, watches: Sequence[Watch], scan: Scan) -> None:
    nodes = [w for w in watches if w.kind in _NODE]
    found = _signals_of(store, [w.item for w in nodes])
    for w in nodes:
        _add(scan, w, found.get(w.item, []), "mentions")
    for w in (w for w in watches if w.kind == "document"):
        number = w.item.partition(":")[2]
        docs = store.find_nodes("Document", {"number": number}, fields=("signals",))
        _add(scan, w, (s for d in docs for s in d.props.get("signals") or []), "mentions")
    aliases = [w for w in watches if w.kind == "alias"]
    if aliases:
        keys: dict[str, list[str]] = defaultdict(list)
        for m in store.find_nodes("FacilitatorMention", fields=("alias", "signals")):
            if m.props.get("alias"):
                keys[name_key(str(m.props["alias"]))] += m.props.get("signals") or []
        for w in aliases:
            _add(scan, w, keys.get(w.item.partition(":")[2], []), "names")


def _entities(store: GraphStore, watches: Sequence[Watch], scan: Scan) -> None:
    entities = [w for w in watches if w.kind in ("person", "facilitator")]
    if not entities:
        return
    links = store.find_edges("RESOLVED_TO", dst=[w.item for w in entities])
    mentions: dict[str, list[str]] = defaultdict(list)
    for e in links:
        mentions[e.dst].append(e.src)
    found = _signals_of(store, [e.src for e in links])
    for w in entities:
        _add(scan, w, (s for m in mentions[w.item] for s in found.get(m, [])), "resolved into")


def _searches(store: GraphStore, watches: Sequence[Watch], scan: Scan) -> None:
    for w in (w for w in watches if w.kind == "search"):
        hits = store.search(w.item, limit=SEARCH_LIMIT)
        found = _signals_of(store, [h.id for h in hits])
        _add(scan, w, (s for h in hits for s in found.get(h.id, [])), "matches")


def _clusters(store: GraphStore, watches: Sequence[Watch], scan: Scan) -> None:
    """Walk each cluster watch along lineage to the newest run's continuations."""
    for w in (w for w in watches if w.kind == "cluster"):
        following = tuple(w.following) or (w.item,)
        for _ in range(1000):  # a run per step; bounded against a cycle in bad data
            later = store.find_edges("LINEAGE", dst=list(following))
            if not later:
                break
            for e in later:
                relation = str(e.props.get("relation"))
                if relation in CLUSTER_HITS:
                    scan.facts[w.id].append(NewHit(w.id, e.src, relation))
            following = tuple(sorted({e.src for e in later}))
        scan.following[w.id] = following


def scan(store: GraphStore, watches: Sequence[Watch]) -> Scan:
    """The facts behind each watch as the store holds them now (all of them, old and new)."""
    out = Scan()
    with store.reader():
        _identifiers(store, watches, out)
        _entities(store, watches, out)
        _searches(store, watches, out)
        _clusters(store, watches, out)
    return out


def _described(store: GraphStore, hits: Sequence[NewHit]) -> list[NewHit]:
    """The hits with their signal's organisation and date (what a pseudonymised hit says)."""
    ids = [h.signal for h in hits if h.signal]
    meta = store.get_nodes(ids, fields=("source", "date")) if ids else {}
    out = []
    for h in hits:
        node = meta.get(h.signal or "")
        if node is None:
            out.append(h)
            continue
        date = node.props.get("date")
        out.append(
            NewHit(h.watch_id, h.fact, h.detail, h.signal, str(node.props.get("source")),
                   date.isoformat() if date is not None else None)
        )  # fmt: skip
    return out


def _record(
    store: GraphStore, book: WatchBook, found: Scan, *, cause: str, status: str
) -> list[int]:
    known = book.facts(found.facts)
    new = [h for wid, hits in found.facts.items() for h in hits if h.fact not in known[wid]]
    made = book.record(_described(store, new), cause=cause, status=status) if new else []
    for watch_id, following in found.following.items():
        book.follow(watch_id, following)
    return made


def baseline(store: GraphStore, book: WatchBook, watch: Watch) -> int:
    """Record what a new watch's item already has, so only what comes later is a hit."""
    return len(_record(store, book, scan(store, [watch]), cause="watch", status=BASELINE))


def raise_hits(store: GraphStore, home: Path, *, cause: str) -> list[int]:
    """Raise the hits a run brought, for every user's live watches; idempotent.

    Called where loads, resolution and detection runs finish (the CLI and the
    scheduler). Returns the ids of the hits raised; sends them to the
    configured notifier, if any (``workbench.watch.notify``).
    """
    book = WatchBook(home)
    watches = book.watches()
    if not watches:
        return []
    made = _record(store, book, scan(store, watches), cause=cause, status="new")
    if made:
        from workbench.watch.notify import notify

        notify(home, book.hits(ids=made))
    log.info("watch hits after %s: %d new for %d watches", cause, len(made), len(watches))
    return made
