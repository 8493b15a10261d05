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

    Raises :class:`StoreBusy` naming the lock file when the wait runs out.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    kind = "write" if exclusive else "read"
                    raise StoreBusy(
                        f"the store at {path.parent} is busy: could not get the {kind} lock "
                        f"{path.name} within {timeout:.0f} s (another load or run is writing; "
                        "try again, or raise WORKBENCH_LOCK_TIMEOUT)"
                    ) from None
                time.sleep(poll)
        yield
    finally:
        os.close(fd)  # closing releases the lock
