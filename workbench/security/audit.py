"""The audit log: append-only and hash-chained, in ``$WORKBENCH_HOME/audit.sqlite``.

Each event stores the SHA-256 of the event before it and its own hash over
all of its fields, so any edit or deletion of a stored event breaks the
chain at that point and :meth:`AuditLog.verify` names the first broken
event. Triggers make SQLite refuse ``UPDATE`` and ``DELETE`` on the table,
which stops accidents; the chain is what catches someone who bypasses them
with direct file access. Removing events from the *end* leaves a valid
shorter chain, so the head (sequence number and hash, printed by ``workbench
audit verify``) should be copied off the machine now and then and passed
back as ``anchor``.

The log lives outside the graph on purpose: appending never waits for the
graph store's writer lock, and a retention purge of the graph leaves it
whole. See docs/decisions/0004-security.md.

Actions (``ACTIONS`` documents them; any lower-case name is accepted so new
features can audit before this list learns about them): ``login``,
``search``, ``view``, ``export``, ``decision``, ``annotation``, ``user``,
``release``, ``exchange``, ``retention``, ``purge``, ``triage``, ``case``,
``deconfliction``, ``store_repair``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.security.errors import ReasonRequired
from workbench.security.localdb import AUDIT_DB, Clock, connect, utcnow
from workbench.security.roles import Actor

GENESIS = "0" * 64
ACTION = re.compile(r"[a-z][a-z_.]{1,39}")
ACTIONS = {
    "login": "a login attempt: outcome ok, failed, disabled or locked; method local or oidc",
    "logout": "a user signed out of the UI",
    "search": "a search: the text and kinds asked for",
    "view": "a person, cluster, entity, network or signal opened: kind and target",
    "export": "a dossier or other export: format, target and the stated reason (refused without)",
    "decision": "an entity-resolution decision: the pair, judgement and reason",
    "annotation": "a note, tag or triage status written on a target",
    "triage": "an alert's triage status changed",
    "user": "an account added, disabled or enabled: change, role, organisation",
    "release": "a soft signal released to partners, or a release revoked",
    "exchange": "a request for release, its approval, denial or revocation, a lapse, a share",
    "retention": "a signal's retention extended: until and reason",
    "purge": "a retention purge: the expired signals and what went with them",
    "case": "a case opened, items added to it, or closed: change, items, reason",
    "deconfliction": "a deconfliction notice raised to a case: the other case's organisation, "
    "lead (unless sensitive) and the overlapping item",
    "store_repair": "`workbench store repair`: the nodes re-created because the store's key "
    "index lost them (ids per label), their edges, and whether every key is found after",
}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS events(
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    organisation TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_actor ON events(actor, seq);
CREATE INDEX IF NOT EXISTS events_action ON events(action, seq);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
_INSERT = (
    "INSERT INTO events(seq, at, actor, organisation, role, action, target, details, prev_hash, "
    "hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_ALL = (
    "SELECT seq, at, actor, organisation, role, action, target, details, prev_hash, hash "
    "FROM events ORDER BY seq"
)
_FILTERED = (
    "SELECT seq, at, actor, organisation, role, action, target, details, prev_hash, hash "
    "FROM events WHERE (:actor IS NULL OR actor = :actor) "
    "AND (:action IS NULL OR action = :action) "
    "AND (:organisation IS NULL OR organisation = :organisation) "
    "AND (:target IS NULL OR target = :target) "
    "AND (:since IS NULL OR at >= :since) AND (:until IS NULL OR at < :until) "
    "ORDER BY seq DESC LIMIT :limit"
)
_LAST = "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"


@dataclass(frozen=True)
class AuditEvent:
    """One stored event; ``hash`` covers every other field."""

    seq: int
    at: str
    actor: str
    organisation: str
    role: str
    action: str
    target: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "actor": self.actor,
            "organisation": self.organisation,
            "role": self.role,
            "action": self.action,
            "target": self.target,
            "details": self.details,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class Verification:
    """The outcome of :meth:`AuditLog.verify`: ok, or the first broken event and why."""

    ok: bool
    events: int
    head_seq: int
    head_hash: str
    first_broken: int | None = None
    reason: str | None = None


def event_hash(
    seq: int,
    at: str,
    actor: str,
    organisation: str,
    role: str,
    action: str,
    target: str | None,
    details: str,
    prev_hash: str,
) -> str:
    """SHA-256 over the event's fields as stored (``details`` is its JSON text).

    >>> event_hash(1, "2026-01-01T00:00:00+00:00", "a", "coa", "analyst", "login", None,
    ...            "{}", GENESIS)[:16]
    '296d2217a2d49a82'
    """
    fields = [seq, at, actor, organisation, role, action, target, details, prev_hash]
    payload = json.dumps(fields, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def _details_json(details: Mapping[str, Any]) -> str:
    # ASCII-escaped: hostile text (lone surrogates, controls) is kept verbatim
    # but can never upset SQLite or a terminal that reads the file.
    return json.dumps(dict(details), ensure_ascii=True, sort_keys=True, default=str)


def _column(text: str) -> str:
    """Text for a plain column: lone surrogates (invalid UTF-8) kept as ``\\udXXX``."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class AuditLog:
    """Append and read audit events; safe to share between threads and processes."""

    def __init__(self, home: Path, *, clock: Clock = utcnow) -> None:
        self.path = Path(home) / AUDIT_DB
        self.clock = clock

    def record(
        self,
        action: str,
        *,
        actor: Actor,
        target: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> AuditEvent:
        """Append one event. An ``export`` without a ``reason`` is recorded as refused
        and raises :class:`ReasonRequired`."""
        if not ACTION.fullmatch(action):
            raise ValueError(f"audit action {action!r} must be a lower-case name like 'view'")
        details = dict(details or {})
        refused = action == "export" and not str(details.get("reason") or "").strip()
        if refused and details.get("outcome") != "refused":
            self.record(
                "export", actor=actor, target=target, details={**details, "outcome": "refused"}
            )
            raise ReasonRequired("an export needs a stated reason (who asked for it and why)")
        text = _details_json(details)
        at = self.clock().astimezone(dt.UTC).isoformat()
        name, org, role = (_column(x) for x in (actor.username, actor.organisation, actor.role))
        target = None if target is None else _column(target)
        with connect(self.path, _SCHEMA) as db:
            last = db.execute(_LAST).fetchone()
            seq, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
            digest = event_hash(seq, at, name, org, role, action, target, text, prev)
            db.execute(
                _INSERT,
                (seq, at, name, org, role, action, target, text, prev, digest),
            )
        return AuditEvent(seq, at, name, org, role, action, target, details, prev, digest)

    def events(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        organisation: str | None = None,
        target: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        limit: int | None = None,
    ) -> list[AuditEvent]:
        """Events matching every filter given, newest first (``since``/``until`` in UTC)."""
        params = {
            "actor": actor,
            "action": action,
            "organisation": organisation,
            "target": target,
            "since": since.astimezone(dt.UTC).isoformat() if since else None,
            "until": until.astimezone(dt.UTC).isoformat() if until else None,
            "limit": -1 if limit is None else limit,
        }
        with connect(self.path, _SCHEMA, write=False) as db:
            rows = db.execute(_FILTERED, params).fetchall()
        return [_event(row) for row in rows]

    def head(self) -> tuple[int, str]:
        """The last event's sequence number and hash (``(0, GENESIS)`` when empty)."""
        with connect(self.path, _SCHEMA, write=False) as db:
            last = db.execute(_LAST).fetchone()
        return (int(last[0]), str(last[1])) if last else (0, GENESIS)

    def verify(self, *, anchor: tuple[int, str] | None = None) -> Verification:
        """Recompute the chain; name the first event that was changed or follows a gap.

        ``anchor`` is a head recorded earlier: the log must still hold that
        event with that hash (this catches events removed from the end).
        """
        with connect(self.path, _SCHEMA, write=False) as db:
            found = _check_chain(db.execute(_ALL))
            count, head_seq, head_hash, broken, reason = found
            if broken is None and anchor is not None:
                row = db.execute("SELECT hash FROM events WHERE seq = ?", (anchor[0],)).fetchone()
                if row is None or row[0] != anchor[1]:
                    broken = anchor[0]
                    reason = (
                        f"the anchored event {anchor[0]} is missing or differs: "
                        "events were removed from the end or the log was replaced"
                    )
        return Verification(broken is None, count, head_seq, head_hash, broken, reason)


def _check_chain(rows: Iterator[Any]) -> tuple[int, int, str, int | None, str | None]:
    """Walk the rows in order: (count, head seq, head hash, first broken seq, reason)."""
    count, prev_seq, prev_hash = 0, 0, GENESIS
    for row in rows:
        count += 1
        seq, stored = int(row[0]), str(row[9])
        if seq != prev_seq + 1:
            missing = seq - prev_seq - 1
            return count, prev_seq, prev_hash, seq, f"{missing} event(s) before it are missing"
        if event_hash(*row[:9]) != stored:
            return count, prev_seq, prev_hash, seq, "its content was changed after it was written"
        if row[8] != prev_hash:
            return (
                count,
                prev_seq,
                prev_hash,
                seq,
                f"it does not follow event {prev_seq} as written: that event was changed",
            )
        prev_seq, prev_hash = seq, stored
    return count, prev_seq, prev_hash, None, None


def _event(row: tuple[Any, ...]) -> AuditEvent:
    seq, at, actor, org, role, action, target, details, prev, digest = row
    return AuditEvent(seq, at, actor, org, role, action, target, json.loads(details), prev, digest)
