"""Releases: an owner lifts one of its signals to full view for one partner or all.

This is the soft-signal exchange the chain partners asked for: by default
a partner sees another organisation's soft signal pseudonymised; when the
owner decides the partner needs to know, it releases that signal. A release
is recorded with who and when, audited (``manage.release_signal``), and
revocable; a revoked release stays in the table with who revoked it.
Rows live in ``governance.sqlite`` beside the accounts. A purge removes the
rows of the signals it purged.
"""

from __future__ import annotations

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
    revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS releases_signal ON releases(signal_id);
"""
_ROWS = (
    "SELECT id, signal_id, owner, to_org, released_by, released_at, revoked_by, revoked_at "
    "FROM releases WHERE (:signal IS NULL OR signal_id = :signal) "
    "AND (:active = 0 OR revoked_at IS NULL) ORDER BY id"
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


class ReleaseBook:
    """The releases table (no permission checks here: see ``manage.py``)."""

    def __init__(self, home: Path, *, clock: Clock = utcnow) -> None:
        self.path = Path(home) / GOVERNANCE_DB
        self.clock = clock

    def rows(self, signal_id: str | None = None, *, active: bool = False) -> list[Release]:
        with connect(self.path, _SCHEMA, write=False) as db:
            rows = db.execute(_ROWS, {"signal": signal_id, "active": int(active)}).fetchall()
        return [Release(*row) for row in rows]

    def active(self) -> dict[str, frozenset[str]]:
        """Signal id -> the organisations (or ``*``) it is released to now."""
        out: dict[str, set[str]] = defaultdict(set)
        for r in self.rows(active=True):
            out[r.signal_id].add(r.to)
        return {k: frozenset(v) for k, v in out.items()}

    def add(self, signal_id: str, *, owner: str, to: str | None, by: str) -> Release:
        """Record a release (idempotent: an identical active release is returned as is)."""
        target = to or ALL_PARTNERS
        for r in self.rows(signal_id, active=True):
            if r.to == target:
                return r
        with connect(self.path, _SCHEMA) as db:
            cur = db.execute(
                "INSERT INTO releases(signal_id, owner, to_org, released_by, released_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (signal_id, owner, target, by, self.clock().isoformat()),
            )
            new_id = cur.lastrowid
        return next(r for r in self.rows(signal_id) if r.id == new_id)

    def revoke(self, signal_id: str, *, to: str | None, by: str) -> list[Release]:
        """Revoke the active releases of ``signal_id`` to ``to`` (all of them when None)."""
        wanted = [r for r in self.rows(signal_id, active=True) if to is None or r.to == to]
        with connect(self.path, _SCHEMA) as db:
            for r in wanted:
                db.execute(
                    "UPDATE releases SET revoked_by = ?, revoked_at = ? WHERE id = ?",
                    (by, self.clock().isoformat(), r.id),
                )
        done = {r.id for r in wanted}
        return [r for r in self.rows(signal_id) if r.id in done]

    def forget(self, signal_ids: Iterable[str]) -> int:
        """Remove every row of purged signals; returns how many went."""
        ids = list(dict.fromkeys(signal_ids))
        with connect(self.path, _SCHEMA) as db:
            return sum(
                db.execute("DELETE FROM releases WHERE signal_id = ?", (i,)).rowcount for i in ids
            )
