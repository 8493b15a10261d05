"""Inter-process reader/writer lock for the embedded store.

LadybugDB lets a second process open the same database read-write without
complaint, which corrupts it; so every unit of work takes this lock first:
shared for reads, exclusive for writes. ``flock`` locks die with their
process, so a writer killed with ``kill -9`` never leaves a stale lock.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from workbench.store.errors import StoreBusy

log = logging.getLogger(__name__)


@contextmanager
def locked(path: Path, *, exclusive: bool, timeout: float, poll: float = 0.05) -> Iterator[None]:
    """Hold ``path`` locked (shared or exclusive), retrying until ``timeout``.

    Fair to writers: readers pass a gate (``<path>.gate``) on the way in and
    a writer holds it while it waits, so a stream of readers, each taking the
    lock before the last let go, cannot keep a writer out for ever (a
    staged run's publication starved behind four looping readers without it).
    Raises :class:`StoreBusy` naming the lock file when the wait runs out.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    with _opened(path.with_name(path.name + ".gate")) as gate, _opened(path) as fd:
        _flock(gate, mode, path, deadline, poll, timeout)
        _flock(fd, mode, path, deadline, poll, timeout)
        if not exclusive:
            fcntl.flock(gate, fcntl.LOCK_UN)  # in: the next writer may queue up
        yield


@contextmanager
def _opened(path: Path) -> Iterator[int]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        yield fd
    finally:
        os.close(fd)  # closing releases the lock


def _flock(fd: int, mode: int, path: Path, deadline: float, poll: float, timeout: float) -> None:
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                kind = "write" if mode == fcntl.LOCK_EX else "read"
                raise StoreBusy(
                    f"the store at {path.parent} is busy: could not get the {kind} lock "
                    f"{path.name} within {timeout:.0f} s (another load or run is writing; "
                    "try again, or raise WORKBENCH_LOCK_TIMEOUT)"
                ) from None
            time.sleep(poll)
