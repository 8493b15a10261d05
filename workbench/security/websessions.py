"""Browser sign-ins that survive a reload: a random token in a secure, HTTP-only cookie.

A Streamlit session lives as long as one page load, so a reload used to ask
for the password again. After a sign-in the app starts a *web session* here
and hands the browser a one-time ticket; the browser trades the ticket at the
UI's own route (``/_workbench/session``, ``workbench/ui/serve.py``) for the
cookie ``workbench_session``: HttpOnly (no script can read it), SameSite=Strict,
Secure, Path=/, for the configured lifetime (``WORKBENCH_SESSION_HOURS``,
default 8). The cookie holds a random token; this table keeps only its SHA-256,
so a copy of ``governance.sqlite`` signs nobody in. A reload finds the cookie,
the token's row and its user, whose account is checked again as on every run.
Signing out ends the row (reason ``logout``); a row past its time ends as
``expired`` the first time it is presented; both are audited by the caller.
No new service: a table beside the accounts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from workbench.security.localdb import GOVERNANCE_DB, Clock, connect, utcnow

__all__ = ["COOKIE", "TICKET_SECONDS", "WebSession", "WebSessionBook"]

COOKIE = "workbench_session"
TICKET_SECONDS = 120  # a ticket not traded for its cookie by then is void
_SCHEMA = """
CREATE TABLE IF NOT EXISTS web_sessions(
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    ticket_hash TEXT UNIQUE,
    ticket_until TEXT,
    token_hash TEXT UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT,
    end_reason TEXT
);
"""
_BY_ID = (
    "SELECT id, username, created_at, expires_at, ended_at, end_reason FROM web_sessions "
    "WHERE id = ?"
)
_BY_TICKET = (
    "SELECT id, username, created_at, expires_at, ended_at, end_reason FROM web_sessions "
    "WHERE ticket_hash = ? AND ticket_until >= ? AND ended_at IS NULL"
)
_BY_TOKEN = (
    "SELECT id, username, created_at, expires_at, ended_at, end_reason FROM web_sessions "  # noqa: S105
    "WHERE token_hash = ?"
)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class WebSession:
    """One browser sign-in; ``ended_at`` set when signed out or expired."""

    id: int
    username: str
    created_at: str
    expires_at: str
    ended_at: str | None
    end_reason: str | None


class WebSessionBook:
    """The web sessions table (audit is the caller's: it knows who acts and how)."""

    def __init__(self, home: Path, *, clock: Clock = utcnow) -> None:
        self.path = Path(home) / GOVERNANCE_DB
        self.clock = clock

    def start(self, username: str, *, lifetime: dt.timedelta) -> tuple[WebSession, str]:
        """A new session for ``username`` and the one-time ticket the browser trades for it."""
        ticket = secrets.token_urlsafe(32)
        now = self.clock()
        ticket_until = now + dt.timedelta(seconds=TICKET_SECONDS)
        with connect(self.path, _SCHEMA) as db:
            cur = db.execute(
                "INSERT INTO web_sessions(username, ticket_hash, ticket_until, created_at, "
                "expires_at) VALUES (?, ?, ?, ?, ?)",
                (username, _digest(ticket), ticket_until.isoformat(), now.isoformat(),
                 (now + lifetime).isoformat()),
            )  # fmt: skip
            row = db.execute(_BY_ID, (cur.lastrowid,)).fetchone()
        return WebSession(*row), ticket

    def redeem(self, ticket: str) -> tuple[WebSession, str] | None:
        """Trade a ticket (once, in time) for the session's cookie token; None if void."""
        now = self.clock().isoformat()
        token = secrets.token_urlsafe(32)
        with connect(self.path, _SCHEMA) as db:
            row = db.execute(
                _BY_TICKET,
                (_digest(ticket), now),
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE web_sessions SET ticket_hash = NULL, ticket_until = NULL, token_hash = ? "
                "WHERE id = ?",
                (_digest(token), row[0]),
            )
        return WebSession(*row), token

    def resume(self, token: str) -> WebSession | None:
        """The live session of a cookie's token, or None. A session past its time is ended
        here (reason ``expired``) and returned ended, so the caller can audit the expiry."""
        now = self.clock().isoformat()
        with connect(self.path, _SCHEMA) as db:
            row = db.execute(_BY_TOKEN, (_digest(token),)).fetchone()
            if row is None or row[4] is not None:
                return None
            if row[3] < now:
                db.execute(
                    "UPDATE web_sessions SET ended_at = ?, end_reason = 'expired' WHERE id = ?",
                    (now, row[0]),
                )
                return WebSession(row[0], row[1], row[2], row[3], now, "expired")
        return WebSession(*row)

    def end(self, session_id: int, *, reason: str = "logout") -> bool:
        """End a live session (sign-out); False when it had ended already."""
        with connect(self.path, _SCHEMA) as db:
            cur = db.execute(
                "UPDATE web_sessions SET ended_at = ?, end_reason = ?, ticket_hash = NULL "
                "WHERE id = ? AND ended_at IS NULL",
                (self.clock().isoformat(), reason, session_id),
            )
        return cur.rowcount > 0
