"""Watches and their hits as a user may see them: the read path of watchlists.

A user watches a phone, plate, document, alias, person, facilitator, cluster
or saved search (``workbench.watch``); runs raise hits on new facts. Here the
hits are shaped for the viewer, each time they are read, by the need-to-know
policy:

- a signal the viewer may read in full is a readable hit (its organisation,
  date and id, and the signal opens on its page);
- a signal the viewer sees only pseudonymised is a *pseudonymised hit*: "a
  new IND signal of 12 May mentions this phone", with no content, and
  ``readable: false`` - the way to ask its owner for it is the exchange;
- a signal hidden from the viewer, and a saved search's match on text the
  viewer may not read (which would tell what the text says), are not shown;
- a cluster hit shows while the viewer may see the cluster.

Adding a watch on a person, facilitator or cluster needs the viewer to see
it; an identifier typed by value needs nothing (the viewer knows it).
Adding, removing, dismissing and reading hits are audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.query import visibility
from workbench.query.describe import display
from workbench.query.errors import InvalidInput, NotFound
from workbench.query.session import Session
from workbench.watch.book import Hit, Watch, WatchBook
from workbench.watch.items import KINDS, NODE_KINDS, WatchError, parse_item
from workbench.watch.scan import baseline

__all__ = [
    "HIT_FIELDS",
    "KINDS",
    "WatchHit",
    "WatchRow",
    "dismiss",
    "followed_clusters",
    "hits",
    "unwatch",
    "watch",
    "watches",
]

HIT_FIELDS = ("id", "watch", "item", "kind", "signal", "organisation", "readable", "raised_at",
              "status")  # fmt: skip
_NOUN = {"phone": "this phone", "plate": "this plate", "document": "this document",
         "alias": "this alias", "person": "this person", "facilitator": "this facilitator",
         "search": "your search", "cluster": "this cluster"}  # fmt: skip
_VERB = {"mentions": "mentions", "names": "names", "resolved into": "was resolved into",
         "matches": "matches"}  # fmt: skip


@dataclass(frozen=True)
class WatchRow:
    """One of the viewer's watches."""

    id: int
    kind: str
    item: str
    typed: str
    created_at: str
    following: tuple[str, ...] = ()

    @classmethod
    def of(cls, w: Watch) -> WatchRow:
        return cls(w.id, w.kind, w.item, w.typed, w.created_at,
                   w.following if w.kind == "cluster" else ())  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """The shape of one watch in ``workbench watch list --json``."""
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "item": self.item,
                               "typed": self.typed, "created_at": self.created_at}  # fmt: skip
        if self.kind == "cluster":
            out["following"] = list(self.following)
        return out


@dataclass(frozen=True)
class WatchHit:
    """One hit as the viewer may see it; ``opens`` is the node id its line opens."""

    id: int
    watch: int
    item: str
    kind: str
    signal: str | None
    organisation: str | None
    readable: bool
    raised_at: str
    status: str
    message: str
    opens: str | None
    date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The shape of one hit in ``workbench watch hits --json`` (exactly these fields)."""
        return {name: getattr(self, name) for name in HIT_FIELDS}


def _item(text: str, kind: str | None) -> Any:
    try:
        return parse_item(text, kind)
    except WatchError as exc:
        raise InvalidInput(str(exc)) from exc


def watch(
    session: Session, home: Path, text: str, kind: str | None = None
) -> tuple[WatchRow, bool]:
    """Watch an item for the viewer; the flag says whether the watch is new (an existing one
    is kept). What the item already has is its baseline: only what comes later is a hit."""
    item = _item(text, kind)
    if item.kind in NODE_KINDS:
        node = visibility.node(session, item.key)  # NotFound when hidden or missing
        if node.label != NODE_KINDS[item.kind]:
            raise NotFound(f"{item.key!r} is not a {item.kind}")
    book = WatchBook(home)
    made, created = book.add(session.viewer.username, item)
    if created:
        baseline(session.store, book, made)
        session.record("watch", change="add", kind=item.kind, target=item.key, watch=made.id)
    return WatchRow.of(made), created


def unwatch(session: Session, home: Path, text: str, kind: str | None = None) -> list[WatchRow]:
    """End the viewer's watch of an item (typed as it was watched, in any notation)."""
    item = _item(text, kind)
    gone = WatchBook(home).remove(session.viewer.username, item.kind, item.key)
    if not gone:
        raise InvalidInput(f"you do not watch {item.key!r} (see `workbench watch list`)")
    session.record("watch", change="remove", kind=item.kind, target=item.key,
                   watch=[w.id for w in gone])  # fmt: skip
    return [WatchRow.of(w) for w in gone]


def watches(session: Session, home: Path) -> list[WatchRow]:
    """The viewer's live watches, oldest first."""
    return [WatchRow.of(w) for w in WatchBook(home).watches(session.viewer.username)]


def followed_clusters(session: Session, home: Path) -> set[str]:
    """The clusters the viewer's cluster watches follow now (the newest run's)."""
    return {c for w in watches(session, home) if w.kind == "cluster" for c in w.following}


def _when(text: str | None) -> str:
    if not text:
        return "an unknown date"
    day = dt.date.fromisoformat(text[:10])
    return f"{day.day} {day:%B %Y}"


def _signal_hit(h: Hit, readable: bool) -> WatchHit:
    org = display("source", h.organisation)
    verb = _VERB.get(h.detail, h.detail)
    message = f"a new {org} signal of {_when(h.fact_date)} {verb} {_NOUN[h.kind]}"
    if not readable:
        message += f" (pseudonymised: ask {org} to release it)"
    return WatchHit(h.id, h.watch_id, h.item, h.kind, h.signal, h.organisation, readable,
                    h.raised_at, h.status, message, h.signal, h.fact_date)  # fmt: skip


def _cluster_hit(h: Hit) -> WatchHit:
    message = f"the cluster you follow {h.detail}: now {h.fact}"
    return WatchHit(h.id, h.watch_id, h.item, h.kind, None, None, True, h.raised_at, h.status,
                    message, h.fact)  # fmt: skip


def _shaped(session: Session, found: Sequence[Hit]) -> list[WatchHit]:
    ids = [h.signal for h in found if h.signal] + [h.fact for h in found if h.kind == "cluster"]
    with session.store.reader():
        stored = session.store.get_nodes(list(dict.fromkeys(ids))) if ids else {}
        seen = visibility.shown_by_stored_id(session, stored.values())
    out: list[WatchHit] = []
    for h in found:
        if h.kind == "cluster":
            if h.fact in seen:
                out.append(_cluster_hit(h))
            continue
        node = seen.get(h.signal or "")
        if node is None:
            continue  # hidden from the viewer (or purged): never confirmed to exist
        readable = node.props == stored[node.id].props  # pseudonymised: props differ
        if h.kind == "search" and not readable:
            continue  # a match on text the viewer may not read would tell what it says
        out.append(_signal_hit(h, readable))
    return out


def hits(
    session: Session,
    home: Path,
    *,
    since: dt.date | None = None,
    dismissed: bool = False,
    limit: int | None = None,
) -> list[WatchHit]:
    """The viewer's hits, newest first, as they may see them; audited."""
    found = WatchBook(home).hits(
        session.viewer.username,
        since=since.isoformat() if since is not None else None,
        dismissed=dismissed,
    )
    shown = _shaped(session, found)[:limit]
    session.record("view_watch_hits", shown=len(shown), since=str(since) if since else None)
    return shown


def dismiss(session: Session, home: Path, hit_id: int) -> None:
    """Dismiss one of the viewer's hits (it stays in the table, marked dismissed); audited."""
    if WatchBook(home).dismiss(session.viewer.username, hit_id) is None:
        raise NotFound(f"no watch hit {hit_id} of yours (see `workbench watch hits`)")
    session.record("watch_hit", change="dismiss", hit=hit_id)
