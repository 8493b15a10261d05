"""The governance files in ``$WORKBENCH_HOME``, outside the graph store.

Users, releases and the audit log live in SQLite files beside the graph, not
in it: a login or an audit event must never wait for the graph store's
single-writer lock (a long load holds it for minutes), password hashes must
never travel with graph exports or Neo4j backups, and the audit log must
survive a purge of the graph. See docs/decisions/0004-security.md.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

GOVERNANCE_DB = "governance.sqlite"
AUDIT_DB = "audit.sqlite"
BUSY_TIMEOUT_S = 30.0
MAX_OPEN = 8
Clock = Callable[[], dt.datetime]


def utcnow() -> dt.datetime:
    """The default clock of every governance record (tests pass their own)."""
    return dt.datetime.now(dt.UTC)


def private_file(path: Path) -> Path:
    """Create ``path`` readable by its owner only (0600) if it does not exist yet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return path
    os.close(fd)
    return path


class _Open(threading.local):
    """This thread's open connections, by file (closing the last connection of a WAL
    database checkpoints it: reopening per event cost ~20 ms, reusing one ~5 ms)."""

    def __init__(self) -> None:
        self.conns: OrderedDict[Path, sqlite3.Connection] = OrderedDict()
        self.schemas: set[tuple[Path, str]] = set()  # (file, schema script) applied
        self.pid = os.getpid()


_open = _Open()


def _connection(path: Path, schema: str) -> sqlite3.Connection:
    if _open.pid != os.getpid():  # a forked child must not share its parent's handles
        _open.conns, _open.schemas, _open.pid = OrderedDict(), set(), os.getpid()
    conn = _open.conns.get(path)
    if conn is None:
        conn = sqlite3.connect(private_file(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        _open.conns[path] = conn
        while len(_open.conns) > MAX_OPEN:
            gone, old = _open.conns.popitem(last=False)
            old.close()
            _open.schemas = {k for k in _open.schemas if k[0] != gone}
    if (path, schema) not in _open.schemas:
        conn.executescript(schema)
        _open.schemas.add((path, schema))
    _open.conns.move_to_end(path)
    return conn


@contextmanager
def connect(path: Path, schema: str, *, write: bool = True) -> Iterator[sqlite3.Connection]:
    """One unit of work on ``path``: commit on success, roll back on error.

    Writers take the write lock at the start (``BEGIN IMMEDIATE``), so
    read-then-append is atomic across processes; WAL lets readers go on
    meanwhile. Connections are kept per thread (safe across the Streamlit
    threads and the CLI processes sharing the files).
    """
    conn = _connection(Path(path), schema)
    conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
