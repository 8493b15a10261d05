"""Cases: who works on what, with whom, and the deconfliction notices between them.

A case is a named piece of work owned by one organisation (or the joint
team), with a lead, members, a legal regime and purpose, a status and the
items it concerns (clusters, persons, facilitators, identifiers, signals,
by their stored ids). Two open cases of different leads that reach the same
person, facilitator, identifier or current cluster get a notice each: one
row per receiving case (``notices``), naming the other case only by id, so
what the receiver may learn of it is decided when it is shown
(``workbench.query.cases``). Rows live in ``governance.sqlite`` beside the
releases; no permission checks here (see ``casework.py``).

A release to ``case:<id>`` (``releases.py``) is read by the case's members
only, while the case is not closed: :func:`case_releases` turns it into a
release to the viewer's own organisation in *that viewer's* policy.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.security.localdb import GOVERNANCE_DB, Clock, connect, utcnow

CASE_PREFIX = "case:"  # a release audience: case:C-1a2b3c4d
STATUSES = ("open", "dormant", "closed")
REGIMES = {"wpg": "Police Data Act (Wpg)", "avg": "GDPR / Aliens Act (AVG)"}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS cases(
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    owner_org TEXT NOT NULL,
    lead TEXT NOT NULL,
    contact TEXT NOT NULL,
    regime TEXT NOT NULL,
    purpose TEXT NOT NULL,
    sensitive INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_by TEXT,
    closed_at TEXT,
    close_reason TEXT
);
CREATE TABLE IF NOT EXISTS case_members(
    case_id TEXT NOT NULL REFERENCES cases(id),
    username TEXT NOT NULL,
    organisation TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (case_id, username)
);
CREATE INDEX IF NOT EXISTS case_members_user ON case_members(username);
CREATE TABLE IF NOT EXISTS case_items(
    case_id TEXT NOT NULL REFERENCES cases(id),
    item_id TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (case_id, item_id)
);
CREATE TABLE IF NOT EXISTS case_notices(
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    other_case TEXT NOT NULL REFERENCES cases(id),
    subject TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    status TEXT NOT NULL,
    UNIQUE (case_id, other_case, subject)
);
"""
_CASES = (
    "SELECT id, name, owner_org, lead, contact, regime, purpose, sensitive, status, created_at, "
    "closed_by, closed_at, close_reason FROM cases "
    "WHERE (:ids IS NULL OR id IN (SELECT value FROM json_each(:ids))) "
    "AND (:status IS NULL OR status = :status) ORDER BY created_at, id"
)
_MEMBERS = (
    "SELECT case_id, username, organisation FROM case_members "
    "WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY added_at, username"
)
_ITEMS = (
    "SELECT case_id, item_id FROM case_items "
    "WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY added_at, item_id"
)
_NOTICES = (
    "SELECT id, case_id, other_case, subject, raised_at, status FROM case_notices "
    "WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY id DESC"
)


@dataclass(frozen=True)
class Case:
    """One case with its members (user -> organisation) and items (stored ids)."""

    id: str
    name: str
    owner_org: str
    lead: str
    contact: str
    regime: str
    purpose: str
    sensitive: bool
    status: str
    created_at: str
    closed_by: str | None
    closed_at: str | None
    close_reason: str | None
    members: Mapping[str, str]
    items: tuple[str, ...]

    @property
    def live(self) -> bool:
        """Not closed: its members work on it and what is shared to it is readable."""
        return self.status != "closed"

    def to_dict(self) -> dict[str, Any]:
        """The shape of a case in ``workbench case show|list --json`` (for members)."""
        return {
            "id": self.id,
            "name": self.name,
            "owner_org": self.owner_org,
            "lead": self.lead,
            "contact": self.contact,
            "regime": self.regime,
            "purpose": self.purpose,
            "sensitive": self.sensitive,
            "status": self.status,
            "created_at": self.created_at,
            "closed_at": self.closed_at,
            "close_reason": self.close_reason,
            "members": dict(self.members),
            "items": list(self.items),
        }


@dataclass(frozen=True)
class Notice:
    """A deconfliction notice to ``case_id``: ``other_case`` reaches ``subject`` too."""

    id: int
    case_id: str
    other_case: str
    subject: str
    raised_at: str
    status: str  # open; closed once either case is closed


def _case(row: Sequence[Any], members: Mapping[str, str], items: Sequence[str]) -> Case:
    return Case(
        id=row[0], name=row[1], owner_org=row[2], lead=row[3], contact=row[4], regime=row[5],
        purpose=row[6], sensitive=bool(row[7]), status=row[8], created_at=row[9],
        closed_by=row[10], closed_at=row[11], close_reason=row[12], members=members,
        items=tuple(items),
    )  # fmt: skip


def case_releases(
    releases: Mapping[str, frozenset[str]], cases: Iterable[str], organisation: str
) -> Mapping[str, frozenset[str]]:
    """``releases`` as one viewer's policy reads them: a release to a live case the viewer
    is a member of (``cases``) is also one to their ``organisation``. Other case audiences
    stay as they are: sharing reads only organisations and ``*``, so they grant nothing.

    >>> case_releases({"s1": frozenset({"case:C-1"}), "s2": frozenset({"case:C-2"})},
    ...               ["C-1"], "kmar")["s1"] == {"case:C-1", "kmar"}
    True
    >>> rel = {"s1": frozenset({"coa"})}
    >>> case_releases(rel, [], "kmar") is rel  # no case: nothing to do (most viewers)
    True
    """
    mine = frozenset(CASE_PREFIX + c for c in cases)
    if not mine:
        return releases
    out = dict(releases)
    for signal, audience in releases.items():
        if not audience.isdisjoint(mine):
            out[signal] = audience | {organisation}
    return out


class CaseBook:
    """The cases, their members, items and notices (no permission checks here)."""

    def __init__(self, home: Path, *, clock: Clock = utcnow) -> None:
        self.path = Path(home) / GOVERNANCE_DB
        self.clock = clock

    def _now(self) -> str:
        return self.clock().astimezone(dt.UTC).isoformat()

    def create(
        self,
        *,
        name: str,
        owner_org: str,
        lead: str,
        contact: str,
        regime: str,
        purpose: str,
        sensitive: bool,
        members: Mapping[str, str],
    ) -> Case:
        """A new open case led by ``lead``, who is a member with ``members``."""
        case_id = f"C-{secrets.token_hex(4)}"  # not a counter: ids say nothing of how many
        now = self._now()
        with connect(self.path, _SCHEMA) as db:
            db.execute(
                "INSERT INTO cases(id, name, owner_org, lead, contact, regime, purpose, "
                "sensitive, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
                (case_id, name, owner_org, lead, contact, regime, purpose, int(sensitive), now),
            )
            db.executemany(
                "INSERT OR IGNORE INTO case_members(case_id, username, organisation, added_by, "
                "added_at) VALUES (?, ?, ?, ?, ?)",
                [(case_id, u, org, lead, now) for u, org in members.items()],
            )
        return self.get(case_id)

    def rows(self, ids: Sequence[str] | None = None, *, status: str | None = None) -> list[Case]:
        """Cases by id (all when None), oldest first, with members and items."""
        with connect(self.path, _SCHEMA, write=False) as db:
            found = db.execute(
                _CASES, {"ids": None if ids is None else json.dumps(list(ids)), "status": status}
            ).fetchall()
            wanted = json.dumps([row[0] for row in found])
            members: dict[str, dict[str, str]] = {}
            items: dict[str, list[str]] = {}
            for case_id, user, org in db.execute(_MEMBERS, (wanted,)):
                members.setdefault(case_id, {})[user] = org
            for case_id, item in db.execute(_ITEMS, (wanted,)):
                items.setdefault(case_id, []).append(item)
        return [_case(row, members.get(row[0], {}), items.get(row[0], ())) for row in found]

    def get(self, case_id: str) -> Case:
        found = self.rows([case_id])
        if not found:
            raise LookupError(case_id)
        return found[0]

    def for_member(self, case_id: str, username: str) -> Case | None:
        """The case if ``username`` is a member of it; None otherwise (or when unknown)."""
        found = self.rows([case_id])
        return found[0] if found and username in found[0].members else None

    def of_member(self, username: str, *, live: bool = False) -> list[Case]:
        """The cases ``username`` is a member of (only those not closed, with ``live``)."""
        with connect(self.path, _SCHEMA, write=False) as db:
            ids = [r[0] for r in db.execute(
                "SELECT case_id FROM case_members WHERE username = ?", (username,)
            )]  # fmt: skip
        return [c for c in self.rows(ids) if c.live or not live] if ids else []

    def add_items(self, case_id: str, items: Sequence[str], *, by: str) -> list[str]:
        """Add ``items`` to the case; returns those that were not in it yet."""
        now = self._now()
        added = []
        with connect(self.path, _SCHEMA) as db:
            for item in dict.fromkeys(items):
                cur = db.execute(
                    "INSERT OR IGNORE INTO case_items(case_id, item_id, added_by, added_at) "
                    "VALUES (?, ?, ?, ?)",
                    (case_id, item, by, now),
                )
                if cur.rowcount:
                    added.append(item)
        return added

    def close(self, case_id: str, *, by: str, reason: str) -> tuple[Case, list[Notice]]:
        """Close the case and every notice to or about it; returns the notices closed."""
        with connect(self.path, _SCHEMA) as db:
            db.execute(
                "UPDATE cases SET status = 'closed', closed_by = ?, closed_at = ?, "
                "close_reason = ? WHERE id = ?",
                (by, self._now(), reason, case_id),
            )
            ended = [Notice(*r) for r in db.execute(
                "SELECT id, case_id, other_case, subject, raised_at, status FROM case_notices "
                "WHERE (case_id = ? OR other_case = ?) AND status = 'open'", (case_id, case_id)
            ).fetchall()]  # fmt: skip
            db.executemany(
                "UPDATE case_notices SET status = 'closed' WHERE id = ?", [(n.id,) for n in ended]
            )
        return self.get(case_id), ended

    def raise_notices(self, found: Iterable[tuple[str, str, str]]) -> list[Notice]:
        """Record each (case, other case, subject) not noticed before; returns the new ones."""
        now = self._now()
        new_ids = []
        with connect(self.path, _SCHEMA) as db:
            for case_id, other, subject in found:
                cur = db.execute(
                    "INSERT OR IGNORE INTO case_notices(case_id, other_case, subject, raised_at, "
                    "status) VALUES (?, ?, ?, ?, 'open')",
                    (case_id, other, subject, now),
                )
                if cur.rowcount:
                    new_ids.append(cur.lastrowid)
        return self.notices_of_ids(new_ids)

    def notices_of_ids(self, ids: Sequence[int | None]) -> list[Notice]:
        wanted = [i for i in ids if i is not None]
        if not wanted:
            return []
        with connect(self.path, _SCHEMA, write=False) as db:
            rows = [db.execute(
                "SELECT id, case_id, other_case, subject, raised_at, status FROM case_notices "
                "WHERE id = ?", (i,)
            ).fetchone() for i in wanted]  # fmt: skip
        return [Notice(*r) for r in rows if r is not None]

    def notices(self, case_ids: Sequence[str]) -> list[Notice]:
        """The notices to these cases, newest first."""
        with connect(self.path, _SCHEMA, write=False) as db:
            rows = db.execute(_NOTICES, (json.dumps(list(case_ids)),)).fetchall()
        return [Notice(*r) for r in rows]

    def version(self) -> str:
        """Changes whenever membership or a case's status changes (a cache key)."""
        with connect(self.path, _SCHEMA, write=False) as db:
            row = db.execute(
                "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM cases WHERE "
                "status = 'closed'), (SELECT count(*) FROM case_members)"
            ).fetchone()
        return ":".join(str(v) for v in row)
