"""The watches and their hits, per user, in ``governance.sqlite`` beside the accounts.

Like releases and accounts, watches are governance state, not evidence: they
live outside the graph so that a load holding the store's write lock never
delays them, and they survive a rebuild of the graph. A hit is keyed by
(watch, fact) - the fact being a signal id or a cluster id - so raising the
hits of a run again over unchanged data inserts nothing. The facts already
there when a watch is made are kept as its ``baseline``: known, never shown.
No permission checks here: what a user may see of a hit is decided in
``workbench.query.watch``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.security.localdb import GOVERNANCE_DB, Clock, connect, utcnow
from workbench.watch.items import Item

__all__ = ["Hit", "NewHit", "Watch", "WatchBook"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS watches(
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    kind TEXT NOT NULL,
    item TEXT NOT NULL,
    typed TEXT NOT NULL,
    following TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    removed_at TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS watches_live ON watches(username, kind, item)
    WHERE removed_at IS NULL;
CREATE TABLE IF NOT EXISTS watch_hits(
    id INTEGER PRIMARY KEY,
    watch_id INTEGER NOT NULL REFERENCES watches(id),
    fact TEXT NOT NULL,
    signal TEXT,
    organisation TEXT,
    fact_date TEXT,
    detail TEXT NOT NULL,
    cause TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    status TEXT NOT NULL,
    dismissed_at TEXT,
    UNIQUE(watch_id, fact)
);
CREATE INDEX IF NOT EXISTS watch_hits_status ON watch_hits(status, raised_at);
"""
_LIVE = (
    "SELECT id, username, kind, item, typed, following, created_at, removed_at FROM watches "
    "WHERE removed_at IS NULL AND (:user IS NULL OR username = :user) ORDER BY id"
)
_LIVE_ITEM = (
    "SELECT id, username, kind, item, typed, following, created_at, removed_at FROM watches "
    "WHERE removed_at IS NULL AND username = ? AND kind = ? AND item = ?"
)
_WATCH_BY_ID = (
    "SELECT id, username, kind, item, typed, following, created_at, removed_at FROM watches "
    "WHERE id = ?"
)
_HITS = (
    "SELECT h.id, h.watch_id, w.username, w.kind, w.item, w.typed, h.fact, h.signal, "
    "h.organisation, h.fact_date, h.detail, h.cause, h.raised_at, h.status, h.dismissed_at "
    "FROM watch_hits h JOIN watches w ON w.id = h.watch_id "
    "WHERE h.status != 'baseline' AND w.removed_at IS NULL "
    "AND (:user IS NULL OR w.username = :user) AND (:since IS NULL OR h.raised_at >= :since) "
    "AND (:dismissed = 1 OR h.status != 'dismissed') ORDER BY h.raised_at DESC, h.id DESC"
)
_USERS_HIT = (
    "SELECT h.id, h.watch_id, w.username, w.kind, w.item, w.typed, h.fact, h.signal, "
    "h.organisation, h.fact_date, h.detail, h.cause, h.raised_at, h.status, h.dismissed_at "
    "FROM watch_hits h JOIN watches w ON w.id = h.watch_id "
    "WHERE h.id = ? AND w.username = ? AND h.status != 'baseline'"
)
BASELINE, NEW, DISMISSED = "baseline", "new", "dismissed"


@dataclass(frozen=True)
class Watch:
    """One user's watch; a cluster watch follows the clusters in ``following``."""

    id: int
    username: str
    kind: str
    item: str
    typed: str
    following: tuple[str, ...]
    created_at: str
    removed_at: str | None

    @classmethod
    def of(cls, row: Sequence[object]) -> Watch:
        values = list(row)
        values[5] = tuple(json.loads(str(values[5])))
        return cls(*values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class NewHit:
    """A fact a run brought that touches a watch: a signal, or a cluster the watched one
    became (``detail`` says how it touches)."""

    watch_id: int
    fact: str
    detail: str
    signal: str | None = None
    organisation: str | None = None
    fact_date: str | None = None


@dataclass(frozen=True)
class Hit:
    """A stored hit with its watch, as raised (unshaped: not for a user's eyes)."""

    id: int
    watch_id: int
    username: str
    kind: str
    item: str
    typed: str
    fact: str
    signal: str | None
    organisation: str | None
    fact_date: str | None
    detail: str
    cause: str
    raised_at: str
    status: str
    dismissed_at: str | None


class WatchBook:
    """The watches and hits tables."""

    def __init__(self, home: Path, *, clock: Clock = utcnow) -> None:
        self.path = Path(home) / GOVERNANCE_DB
        self.clock = clock

    # watches ---------------------------------------------------------------------------

    def watches(self, username: str | None = None) -> list[Watch]:
        """Live watches, oldest first: one user's, or everyone's (``None``)."""
        with connect(self.path, _SCHEMA, write=False) as db:
            rows = db.execute(_LIVE, {"user": username}).fetchall()
        return [Watch.of(r) for r in rows]

    def add(
        self, username: str, item: Item, *, following: Sequence[str] = ()
    ) -> tuple[Watch, bool]:
        """Watch ``item`` for ``username``; an existing live watch is returned as is.
        The flag says whether the watch is new."""
        with connect(self.path, _SCHEMA) as db:
            found = db.execute(
                _LIVE_ITEM,
                (username, item.kind, item.key),
            ).fetchone()
            if found is not None:
                return Watch.of(found), False
            cur = db.execute(
                "INSERT INTO watches(username, kind, item, typed, following, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (username, item.kind, item.key, item.typed, json.dumps(list(following)),
                 self.clock().isoformat()),
            )  # fmt: skip
            row = db.execute(_WATCH_BY_ID, (cur.lastrowid,)).fetchone()
        return Watch.of(row), True

    def remove(self, username: str, kind: str, key: str) -> list[Watch]:
        """End the user's live watch of ``key`` (kept, with when); returns what ended."""
        with connect(self.path, _SCHEMA) as db:
            rows = db.execute(
                _LIVE_ITEM,
                (username, kind, key),
            ).fetchall()
            for r in rows:
                db.execute(
                    "UPDATE watches SET removed_at = ? WHERE id = ?",
                    (self.clock().isoformat(), r[0]),
                )
        return [Watch.of(r) for r in rows]

    def follow(self, watch_id: int, clusters: Sequence[str]) -> None:
        """A cluster watch now follows ``clusters`` (what its clusters became in a run)."""
        with connect(self.path, _SCHEMA) as db:
            db.execute(
                "UPDATE watches SET following = ? WHERE id = ?",
                (json.dumps(sorted(set(clusters))), watch_id),
            )

    # hits -----------------------------------------------------------------------------------

    def facts(self, watch_ids: Iterable[int]) -> dict[int, set[str]]:
        """The facts each watch already knows (hits of any status, baseline included)."""
        ids = list(dict.fromkeys(watch_ids))
        out: dict[int, set[str]] = {i: set() for i in ids}
        with connect(self.path, _SCHEMA, write=False) as db:
            for watch_id in ids:
                rows = db.execute("SELECT fact FROM watch_hits WHERE watch_id = ?", (watch_id,))
                out[watch_id] = {str(r[0]) for r in rows}
        return out

    def record(self, hits: Iterable[NewHit], *, cause: str, status: str = NEW) -> list[int]:
        """Store hits once per (watch, fact): a fact already known is skipped. Returns the ids
        of the rows made, so a rerun over unchanged data returns none."""
        made: list[int] = []
        now = self.clock().isoformat()
        with connect(self.path, _SCHEMA) as db:
            for h in hits:
                cur = db.execute(
                    "INSERT OR IGNORE INTO watch_hits(watch_id, fact, signal, organisation, "
                    "fact_date, detail, cause, raised_at, status) VALUES (?,?,?,?,?,?,?,?,?)",
                    (h.watch_id, h.fact, h.signal, h.organisation, h.fact_date, h.detail, cause,
                     now, status),
                )  # fmt: skip
                if cur.rowcount and cur.lastrowid is not None:
                    made.append(cur.lastrowid)
        return made

    def hits(
        self,
        username: str | None = None,
        *,
        since: str | None = None,
        dismissed: bool = False,
        ids: Sequence[int] | None = None,
    ) -> list[Hit]:
        """Raised hits (never the baseline), newest first: of live watches of one user (or
        everyone's), raised at or after ``since``, dismissed ones only when asked."""
        params = {"user": username, "since": since, "dismissed": int(dismissed)}
        with connect(self.path, _SCHEMA, write=False) as db:
            rows = [Hit(*r) for r in db.execute(_HITS, params).fetchall()]
        if ids is not None:
            wanted = set(ids)
            rows = [h for h in rows if h.id in wanted]
        return rows

    def dismiss(self, username: str, hit_id: int) -> Hit | None:
        """Dismiss one of the user's hits; None when it is not theirs or not there."""
        with connect(self.path, _SCHEMA) as db:
            row = db.execute(
                _USERS_HIT,
                (hit_id, username),
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE watch_hits SET status = ?, dismissed_at = ? WHERE id = ?",
                (DISMISSED, self.clock().isoformat(), hit_id),
            )
        return Hit(*row)
