"""Releases: an owner lifts one of its signals to full view for one partner or all.

A partner sees another organisation's soft signal pseudonymised by default;
when the owner decides the partner needs to know, it releases that signal:
on request (``exchange.py``), proactively (``workbench share``) or one
signal at a time (``workbench release``). A release is recorded with who,
when, why and under which request, lasts until ``expires_at`` (none: until
revoked) and can be revoked. A release past its term lapses at the next read
(:meth:`ReleaseBook.lapse`, called whenever a viewer's policy is built), so
no command has to run for a term to end. Revoked and lapsed rows stay in the
table. Rows live in ``governance.sqlite`` beside the accounts; a purge
removes the rows of the signals it purged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workbench.security.localdb import GOVERNANCE_DB, Clock, connect, utcnow
from workbench.security.sharing import ALL_PARTNERS

_SCHEMA = """
CREATE TABLE IF NOT EXISTS releases(
    id INTEGER PRIMARY KEY,
    signal_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    to_org TEXT NOT NULL,
    released_by TEXT NOT NULL,
    released_at TEXT NOT NULL,
    revoked_by TEXT,
    revoked_at TEXT,
    expires_at TEXT,
    request_id INTEGER,
    reason TEXT,
    lapsed_at TEXT
);
CREATE INDEX IF NOT EXISTS releases_signal ON releases(signal_id);
"""
# Every statement is written out whole: no SQL is ever assembled from pieces.
_ROWS = (
    "SELECT id, signal_id, owner, to_org, released_by, released_at, revoked_by, revoked_at, "
    "expires_at, request_id, reason, lapsed_at FROM releases "
    "WHERE (:signal IS NULL OR signal_id = :signal) "
    "AND (:request IS NULL OR request_id = :request) "
    "AND (:active = 0 OR (revoked_at IS NULL AND lapsed_at IS NULL "
    "AND (expires_at IS NULL OR expires_at > :now))) ORDER BY id"
)
_DUE = (
    "SELECT id, signal_id, owner, to_org, released_by, released_at, revoked_by, revoked_at, "
    "expires_at, request_id, reason, lapsed_at FROM releases "
    "WHERE revoked_at IS NULL AND lapsed_at IS NULL AND expires_at <= :now ORDER BY id"
)
_LIVE = (
    "SELECT signal_id, to_org FROM releases WHERE revoked_at IS NULL AND lapsed_at IS NULL "
    "AND (expires_at IS NULL OR expires_at > :now)"
)
_ANY_DUE = (
    "SELECT 1 FROM releases WHERE revoked_at IS NULL AND lapsed_at IS NULL "
    "AND expires_at <= :now LIMIT 1"
)


@dataclass(frozen=True)
class Release:
    """One release: ``to`` is an organisation or ``*`` for every partner."""

    id: int
    signal_id: str
    owner: str
    to: str
    released_by: str
    released_at: str
    revoked_by: str | None
    revoked_at: str | None
    expires_at: str | None = None
    request_id: int | None = None
    reason: str | None = None
    lapsed_at: str | None = None


_migrated: set[Path] = set()  # files brought up to date by this process


def _migrate(path: Path) -> None:
    """Add the columns an older ``releases`` table lacks (once per file and process)."""
    if path in _migrated:
        return
    with connect(path, _SCHEMA) as db:
        have = {row[1] for row in db.execute("PRAGMA table_info(releases)")}
        # columns added after the first version of the table, each a constant statement
        if "expires_at" not in have:
            db.execute("ALTER TABLE releases ADD COLUMN expires_at TEXT")
        if "request_id" not in have:
            db.execute("ALTER TABLE releases ADD COLUMN request_id INTEGER")
        if "reason" not in have:
            db.execute("ALTER TABLE releases ADD COLUMN reason TEXT")
        if "lapsed_at" not in have:
            db.execute("ALTER TABLE releases ADD COLUMN lapsed_at TEXT")
    _migrated.add(path)


class ReleaseBook:
    """The releases table (no permission checks here: see ``manage.py``, ``exchange.py``)."""

    def __init__(self, home: Path, *, clock: Clock = utcnow) -> None:
        self.path = Path(home) / GOVERNANCE_DB
        self.clock = clock
        _migrate(self.path)

    def _now(self) -> str:
        return self.clock().astimezone(dt.UTC).isoformat()

    def rows(
        self, signal_id: str | None = None, *, active: bool = False, request: int | None = None
    ) -> list[Release]:
        params = {"signal": signal_id, "active": int(active), "request": request}
        with connect(self.path, _SCHEMA, write=False) as db:
            rows = db.execute(_ROWS, {**params, "now": self._now()}).fetchall()
        return [Release(*row) for row in rows]

    def active(self) -> dict[str, frozenset[str]]:
        """Signal id -> the organisations (or ``*``) it is released to now (read on every
        page run, so two columns only)."""
        out: dict[str, set[str]] = defaultdict(set)
        with connect(self.path, _SCHEMA, write=False) as db:
            for signal, to in db.execute(_LIVE, {"now": self._now()}):
                out[signal].add(to)
        return {k: frozenset(v) for k, v in out.items()}

    def version(self) -> str:
        """Changes whenever what is released changes (a cache key for derived pages)."""
        with connect(self.path, _SCHEMA, write=False) as db:
            row = db.execute(
                "SELECT count(*), max(id), count(revoked_at), count(lapsed_at) FROM releases"
            ).fetchone()
        return ":".join(str(v) for v in row)

    def add(
        self,
        signal_id: str,
        *,
        owner: str,
        to: str | None,
        by: str,
        expires_at: dt.datetime | None = None,
        request_id: int | None = None,
        reason: str | None = None,
    ) -> Release:
        """Record a release; an active one to the same partner lasting at least as long is
        returned as it is (so repeating a release changes nothing)."""
        target = to or ALL_PARTNERS
        until = None if expires_at is None else expires_at.astimezone(dt.UTC).isoformat()
        for r in self.rows(signal_id, active=True):
            if r.to == target and (r.expires_at is None or (until and r.expires_at >= until)):
                return r
        with connect(self.path, _SCHEMA) as db:
            cur = db.execute(
                "INSERT INTO releases(signal_id, owner, to_org, released_by, released_at, "
                "expires_at, request_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (signal_id, owner, target, by, self._now(), until, request_id, reason),
            )
            new_id = cur.lastrowid
        return next(r for r in self.rows(signal_id) if r.id == new_id)

    def revoke(
        self, signal_id: str | None = None, *, to: str | None = None, by: str,
        request: int | None = None,
    ) -> list[Release]:  # fmt: skip
        """Revoke the active releases of ``signal_id`` (or of ``request``) to ``to``
        (all of them when None)."""
        wanted = [
            r for r in self.rows(signal_id, active=True, request=request)
            if to is None or r.to == to
        ]  # fmt: skip
        with connect(self.path, _SCHEMA) as db:
            for r in wanted:
                db.execute(
                    "UPDATE releases SET revoked_by = ?, revoked_at = ? WHERE id = ?",
                    (by, self._now(), r.id),
                )
        done = {r.id for r in wanted}
        return [r for r in self.rows(signal_id, request=request) if r.id in done]

    def lapse(self) -> list[Release]:
        """Mark every release past its term as lapsed and return those (once: a second
        reader, in this or another process, finds nothing left to lapse)."""
        now = self._now()
        with connect(self.path, _SCHEMA, write=False) as db:
            if db.execute(_ANY_DUE, {"now": now}).fetchone() is None:
                return []
        with connect(self.path, _SCHEMA) as db:
            due = [Release(*row) for row in db.execute(_DUE, {"now": now}).fetchall()]
            db.executemany(
                "UPDATE releases SET lapsed_at = ? WHERE id = ?", [(now, r.id) for r in due]
            )
        return due

    def forget(self, signal_ids: Iterable[str]) -> int:
        """Remove every row of purged signals; returns how many went."""
        ids = list(dict.fromkeys(signal_ids))
        with connect(self.path, _SCHEMA) as db:
            return sum(
                db.execute("DELETE FROM releases WHERE signal_id = ?", (i,)).rowcount for i in ids
            )
