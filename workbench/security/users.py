"""Local user accounts: role, organisation, argon2id password hash, disable, lockout.

Accounts live in ``$WORKBENCH_HOME/governance.sqlite`` (see ``localdb.py``),
not in the graph. A disabled account keeps its row and name, so audit events
always point at one identity and a name is never reused by someone else.
Five failed logins in a row lock an account for fifteen minutes. OIDC users
(``st.login``) need no row, but a disabled row of the same name still
refuses them.

Changes here are not audited by this module; the callers in ``manage.py``
(CLI and UI) check the actor's permission and write the audit event.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from workbench.security.errors import (
    AccountLocked,
    AuthenticationFailed,
    InvalidUser,
    UnknownUser,
    UserDisabled,
    UserExists,
)
from workbench.security.localdb import GOVERNANCE_DB, Clock, connect, utcnow
from workbench.security.roles import ORGANISATIONS, ROLES

USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
MIN_PASSWORD = 12
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users(
    username TEXT PRIMARY KEY,
    organisation TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    changed_at TEXT
) WITHOUT ROWID;
"""
_SELECT = (
    "SELECT username, organisation, role, disabled, created_at, created_by, password_hash, "
    "failures, locked_until FROM users WHERE username = ?"
)
_LIST = (
    "SELECT username, organisation, role, disabled, created_at, created_by, password_hash "
    "FROM users ORDER BY username"
)


@dataclass(frozen=True)
class User:
    """An account as others may see it: never the password hash."""

    username: str
    organisation: str
    role: str
    disabled: bool
    created_at: str
    created_by: str
    local_password: bool


def check_user(username: str, organisation: str, role: str) -> None:
    """Raise :class:`InvalidUser` unless the name, organisation and role are valid.

    >>> check_user("coa.analyst", "coa", "analyst")
    >>> check_user("<b>x</b>", "coa", "analyst")
    Traceback (most recent call last):
    ...
    workbench.security.errors.InvalidUser: user name '<b>x</b>' must be 2-64 ...
    """
    if not USERNAME.fullmatch(username):
        raise InvalidUser(
            f"user name {username!r} must be 2-64 characters of a-z, 0-9 and ._@- "
            "(lower case, starting with a letter or digit)"
        )
    if organisation not in ORGANISATIONS:
        raise InvalidUser(f"organisation must be one of {', '.join(ORGANISATIONS)}")
    if role not in ROLES:
        raise InvalidUser(f"role must be one of {', '.join(ROLES)}")


class UserStore:
    """The accounts table. ``hasher`` is injectable so tests can use cheap parameters."""

    def __init__(
        self, home: Path, *, hasher: PasswordHasher | None = None, clock: Clock = utcnow
    ) -> None:
        self.path = Path(home) / GOVERNANCE_DB
        self.hasher = hasher or PasswordHasher()
        self.clock = clock

    @cached_property
    def _dummy(self) -> str:
        """Verified against when the user does not exist, so that a wrong name
        costs as much time as a wrong password."""
        return self.hasher.hash("not-a-password-" + "x" * MIN_PASSWORD)

    def _hash(self, password: str) -> str:
        if len(password) < MIN_PASSWORD:
            raise InvalidUser(f"a password needs at least {MIN_PASSWORD} characters")
        return self.hasher.hash(password)

    def add(
        self, username: str, *, organisation: str, role: str, password: str | None, by: str
    ) -> User:
        """Create an account; ``password=None`` for OIDC-only users."""
        check_user(username, organisation, role)
        hashed = None if password is None else self._hash(password)
        now = self.clock().isoformat()
        with connect(self.path, _SCHEMA) as db:
            try:
                db.execute(
                    "INSERT INTO users(username, organisation, role, password_hash, created_at, "
                    "created_by) VALUES (?, ?, ?, ?, ?, ?)",
                    (username, organisation, role, hashed, now, by),
                )
            except sqlite3.IntegrityError:
                raise UserExists(
                    f"user {username!r} exists already (names are never reused; "
                    "enable the account or choose another name)"
                ) from None
        return self.get(username)

    def get(self, username: str) -> User:
        with connect(self.path, _SCHEMA, write=False) as db:
            row = db.execute(_SELECT, (username,)).fetchone()
        if row is None:
            raise UnknownUser(f"no user {username!r}; see `workbench users list`")
        return _user(row)

    def list(self) -> list[User]:
        with connect(self.path, _SCHEMA, write=False) as db:
            rows = db.execute(_LIST).fetchall()
        return [_user(r) for r in rows]

    def set_disabled(self, username: str, disabled: bool) -> User:
        """Disable (or enable again) an account; a disabled user can no longer log in."""
        with connect(self.path, _SCHEMA) as db:
            cur = db.execute(
                "UPDATE users SET disabled = ?, failures = 0, locked_until = NULL, changed_at = ? "
                "WHERE username = ?",
                (int(disabled), self.clock().isoformat(), username),
            )
            if cur.rowcount == 0:
                raise UnknownUser(f"no user {username!r}; see `workbench users list`")
        return self.get(username)

    def set_password(self, username: str, password: str) -> None:
        hashed = self._hash(password)
        with connect(self.path, _SCHEMA) as db:
            cur = db.execute(
                "UPDATE users SET password_hash = ?, changed_at = ? WHERE username = ?",
                (hashed, self.clock().isoformat(), username),
            )
            if cur.rowcount == 0:
                raise UnknownUser(f"no user {username!r}")

    def authenticate(self, username: str, password: str) -> User:
        """The user if the password is right; else :class:`AuthenticationFailed` (or a subclass).

        Unknown names and wrong passwords fail alike, after the same work.
        """
        now = self.clock()
        with connect(self.path, _SCHEMA) as db:
            row = db.execute(
                _SELECT,
                (username,),
            ).fetchone()
            stored = str(row[6]) if row is not None and row[6] else self._dummy
            try:
                ok = self.hasher.verify(stored, password) and row is not None and bool(row[6])
            except (VerificationError, InvalidHashError):
                ok = False
            if row is None:
                raise AuthenticationFailed("unknown user or wrong password")
            user, failures, locked_until = _user(row), int(row[7]), row[8]
            if user.disabled:
                raise UserDisabled(f"the account {username!r} is disabled")
            if locked_until and dt.datetime.fromisoformat(locked_until) > now:
                raise AccountLocked(
                    f"the account {username!r} is locked after {MAX_FAILURES} failed logins "
                    f"until {locked_until}"
                )
            failures = 0 if ok else failures + 1
            lock = (now + LOCKOUT).isoformat() if failures >= MAX_FAILURES else None
            db.execute(
                "UPDATE users SET failures = ?, locked_until = ? WHERE username = ?",
                (0 if lock else failures, lock, username),
            )
            if ok and self.hasher.check_needs_rehash(stored):
                db.execute(
                    "UPDATE users SET password_hash = ? WHERE username = ?",
                    (self.hasher.hash(password), username),
                )
        if not ok:  # raised after the commit, so the failure is counted
            raise AuthenticationFailed("unknown user or wrong password")
        return user


def _user(row: tuple[Any, ...]) -> User:
    name, org, role, disabled, created_at, created_by, hashed = row[:7]
    return User(name, org, role, bool(disabled), created_at, created_by, hashed is not None)
