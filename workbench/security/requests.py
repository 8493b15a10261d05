"""Requests for release: who asked which organisation for which signals, and the answer.

One request goes to one owning organisation and names the signals of that
owner the requester could not read; each signal is decided on its own
(``request_items``). A request's ``decision`` is the owner's answer
(approved, partial, denied) and never changes; its ``status`` is where it
stands now: ``open``, then the decision, then ``lapsed`` when every release
it led to has run out or ``revoked`` when the owner withdrew them. The
follow-up figures (:func:`flows`) are computed from these rows. Rows live in
``governance.sqlite`` beside the releases; no permission checks here (see
``exchange.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from workbench.security.localdb import GOVERNANCE_DB, Clock, connect, utcnow

STATUSES = ("open", "approved", "partial", "denied", "lapsed", "revoked")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests(
    id INTEGER PRIMARY KEY,
    requester TEXT NOT NULL,
    requester_org TEXT NOT NULL,
    owner_org TEXT NOT NULL,
    item_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    ground TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL,
    decision TEXT,
    decided_by TEXT,
    decided_at TEXT,
    reason TEXT,
    to_all INTEGER NOT NULL DEFAULT 0,
    expires_at TEXT,
    closed_by TEXT,
    closed_at TEXT,
    close_reason TEXT
);
CREATE INDEX IF NOT EXISTS requests_owner ON requests(owner_org, status);
CREATE INDEX IF NOT EXISTS requests_requester ON requests(requester_org, requester);
CREATE TABLE IF NOT EXISTS request_items(
    request_id INTEGER NOT NULL REFERENCES requests(id),
    signal_id TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (request_id, signal_id)
);
CREATE INDEX IF NOT EXISTS request_items_signal ON request_items(signal_id);
"""
_ROWS = (
    "SELECT id, requester, requester_org, owner_org, item_id, purpose, ground, created_at, "
    "status, decision, decided_by, decided_at, reason, to_all, expires_at, closed_by, "
    "closed_at, close_reason FROM requests "
    "WHERE (:status IS NULL OR status = :status) AND (:who IS NULL OR requester = :who) "
    "AND (:org IS NULL OR owner_org = :org OR requester_org = :org) "
    "AND (:ids IS NULL OR id IN (SELECT value FROM json_each(:ids))) ORDER BY id DESC"
)
_ITEMS = (
    "SELECT request_id, signal_id, status FROM request_items "
    "WHERE request_id IN (SELECT value FROM json_each(?)) ORDER BY signal_id"
)
_OPEN_ITEMS = (
    "SELECT i.signal_id FROM request_items i JOIN requests r ON r.id = i.request_id "
    "WHERE r.requester = ? AND i.status = 'open' "
    "AND i.signal_id IN (SELECT value FROM json_each(?))"
)


@dataclass(frozen=True)
class RequestItem:
    """One signal of a request and what became of it."""

    signal_id: str
    status: str  # open, approved, denied, lapsed, revoked

    def to_dict(self) -> dict[str, Any]:
        return {"signal_id": self.signal_id, "status": self.status}


@dataclass(frozen=True)
class Request:
    """A request to one owning organisation, with the owner's answer once given."""

    id: int
    requester: str
    requester_org: str
    owner_org: str
    item_id: str
    purpose: str
    ground: str
    created_at: str
    status: str
    decision: str | None
    decided_by: str | None
    decided_at: str | None
    reason: str | None
    to_all: bool
    expires_at: str | None
    closed_by: str | None
    closed_at: str | None
    close_reason: str | None
    items: tuple[RequestItem, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The shape of ``workbench requests --json``."""
        return {
            "id": self.id,
            "status": self.status,
            "requester": self.requester,
            "requester_org": self.requester_org,
            "owner_org": self.owner_org,
            "item": self.item_id,
            "purpose": self.purpose,
            "ground": self.ground,
            "created_at": self.created_at,
            "decided_at": self.decided_at,
            "decided_by": self.decided_by,
            "reason": self.reason,
            "to_all": self.to_all,
            "expires_at": self.expires_at,
            "items": [i.to_dict() for i in self.items],
        }


@dataclass(frozen=True)
class Flow:
    """The follow-up figures of one pair of organisations (requester -> owner)."""

    source: str
    to: str
    requested: int
    open: int
    approved: int
    partial: int
    denied: int
    lapsed: int
    revoked: int
    median_hours_to_decision: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.to,
            "requested": self.requested,
            "open": self.open,
            "approved": self.approved,
            "partial": self.partial,
            "denied": self.denied,
            "lapsed": self.lapsed,
            "revoked": self.revoked,
            "median_hours_to_decision": self.median_hours_to_decision,
        }


class RequestBook:
    """The requests and request_items tables."""

    def __init__(self, home: Path, *, clock: Clock = utcnow) -> None:
        self.path = Path(home) / GOVERNANCE_DB
        self.clock = clock

    def _now(self) -> str:
        return self.clock().astimezone(dt.UTC).isoformat()

    def add(
        self,
        *,
        requester: str,
        requester_org: str,
        owner_org: str,
        item_id: str,
        purpose: str,
        ground: str,
        signals: Sequence[str],
    ) -> Request:
        with connect(self.path, _SCHEMA) as db:
            cur = db.execute(
                "INSERT INTO requests(requester, requester_org, owner_org, item_id, purpose, "
                "ground, created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'open')",
                (requester, requester_org, owner_org, item_id, purpose, ground, self._now()),
            )
            new = int(cur.lastrowid or 0)
            db.executemany(
                "INSERT INTO request_items(request_id, signal_id, status) VALUES (?, ?, 'open')",
                [(new, s) for s in dict.fromkeys(signals)],
            )
        return self.get(new)

    def get(self, request_id: int) -> Request:
        found = self.rows(ids=[request_id])
        if not found:
            raise LookupError(request_id)
        return found[0]

    def rows(
        self,
        *,
        ids: Sequence[int] | None = None,
        status: str | None = None,
        requester: str | None = None,
        organisation: str | None = None,
    ) -> list[Request]:
        """Requests, newest first: by id, status, requester, or to or from ``organisation``."""
        params = {
            "status": status,
            "who": requester,
            "org": organisation,
            "ids": None if ids is None else json.dumps([int(i) for i in ids]),
        }
        with connect(self.path, _SCHEMA, write=False) as db:
            heads = db.execute(_ROWS, params).fetchall()
            items: dict[int, list[RequestItem]] = defaultdict(list)
            found = json.dumps([int(h[0]) for h in heads])
            for rid, signal, state in db.execute(_ITEMS, (found,)):
                items[int(rid)].append(RequestItem(signal, state))
        return [_request(h, items[int(h[0])]) for h in heads]

    def open_items(self, requester: str, signals: Iterable[str]) -> set[str]:
        """Which of ``signals`` this requester has asked for already, still undecided."""
        wanted = json.dumps(list(dict.fromkeys(signals)))
        with connect(self.path, _SCHEMA, write=False) as db:
            return {s for (s,) in db.execute(_OPEN_ITEMS, (requester, wanted))}

    def decide(
        self,
        request_id: int,
        *,
        approved: Iterable[str],
        by: str,
        reason: str,
        to_all: bool = False,
        expires_at: dt.datetime | None = None,
    ) -> Request:
        """Record the owner's answer: ``approved`` signals released, the others denied."""
        request = self.get(request_id)
        yes = set(approved)
        decision = (
            "denied" if not yes else "approved" if len(yes) == len(request.items) else "partial"
        )
        until = None if expires_at is None else expires_at.astimezone(dt.UTC).isoformat()
        with connect(self.path, _SCHEMA) as db:
            db.execute(
                "UPDATE requests SET status = ?, decision = ?, decided_by = ?, decided_at = ?, "
                "reason = ?, to_all = ?, expires_at = ? WHERE id = ? AND status = 'open'",
                (decision, decision, by, self._now(), reason, int(to_all), until, request_id),
            )
            db.executemany(
                "UPDATE request_items SET status = ? WHERE request_id = ? AND signal_id = ?",
                [
                    ("approved" if i.signal_id in yes else "denied", request_id, i.signal_id)
                    for i in request.items
                ],
            )
        return self.get(request_id)

    def close(self, request_id: int, status: str, *, by: str, reason: str) -> Request:
        """End an approved request: ``lapsed`` (its term ran out) or ``revoked`` (by the owner);
        its approved signals take the same status."""
        with connect(self.path, _SCHEMA) as db:
            db.execute(
                "UPDATE requests SET status = ?, closed_by = ?, closed_at = ?, close_reason = ? "
                "WHERE id = ? AND status IN ('approved', 'partial')",
                (status, by, self._now(), reason, request_id),
            )
            db.execute(
                "UPDATE request_items SET status = ? WHERE request_id = ? AND status = 'approved'",
                (status, request_id),
            )
        return self.get(request_id)

    def count_open(self, owner_org: str) -> int:
        with connect(self.path, _SCHEMA, write=False) as db:
            row = db.execute(
                "SELECT count(*) FROM requests WHERE owner_org = ? AND status = 'open'",
                (owner_org,),
            ).fetchone()
        return int(row[0])

    def forget(self, signal_ids: Iterable[str]) -> int:
        """Remove purged signals from every request (the request itself stays, as a record)."""
        ids = list(dict.fromkeys(signal_ids))
        with connect(self.path, _SCHEMA) as db:
            return sum(
                db.execute("DELETE FROM request_items WHERE signal_id = ?", (i,)).rowcount
                for i in ids
            )


def _request(row: Sequence[Any], items: Sequence[RequestItem]) -> Request:
    head = [*row[:13], bool(row[13]), *row[14:]]
    return replace(Request(*head), items=tuple(items))


def _hours(start: str, end: str) -> float:
    spent = dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)
    return spent.total_seconds() / 3600


def flows(requests: Iterable[Request]) -> list[Flow]:
    """Requests counted per (requester organisation, owner organisation).

    ``approved``, ``partial`` and ``denied`` count the owner's answers (a
    request approved and later lapsed counts as approved *and* lapsed);
    the median is over decided requests.

    >>> r = Request(1, "a", "coa", "ind", "Cluster:1", "p", "vw-107",
    ...     "2026-01-01T00:00:00+00:00", "lapsed", "approved", "b",
    ...     "2026-01-01T06:00:00+00:00", "ok", False, None, None, None, None)
    >>> f = flows([r])[0]
    >>> (f.source, f.to, f.requested, f.approved, f.lapsed, f.median_hours_to_decision)
    ('coa', 'ind', 1, 1, 1, 6.0)
    """
    groups: dict[tuple[str, str], list[Request]] = defaultdict(list)
    for r in requests:
        groups[(r.requester_org, r.owner_org)].append(r)
    out = []
    for (source, to), rs in sorted(groups.items()):
        decided = [_hours(r.created_at, r.decided_at) for r in rs if r.decided_at]
        out.append(
            Flow(
                source=source,
                to=to,
                requested=len(rs),
                open=sum(r.status == "open" for r in rs),
                approved=sum(r.decision == "approved" for r in rs),
                partial=sum(r.decision == "partial" for r in rs),
                denied=sum(r.decision == "denied" for r in rs),
                lapsed=sum(r.status == "lapsed" for r in rs),
                revoked=sum(r.status == "revoked" for r in rs),
                median_hours_to_decision=round(statistics.median(decided), 2) if decided else None,
            )
        )
    return out


def by_owner(signals: Mapping[str, str]) -> dict[str, list[str]]:
    """Signal id -> owner, turned into owner -> signal ids (one request per owner).

    >>> by_owner({"Signal:ind|1": "ind", "Signal:kmar|2": "kmar", "Signal:ind|3": "ind"})
    {'ind': ['Signal:ind|1', 'Signal:ind|3'], 'kmar': ['Signal:kmar|2']}
    """
    out: dict[str, list[str]] = defaultdict(list)
    for signal, owner in signals.items():
        out[owner].append(signal)
    return dict(sorted(out.items()))
