"""A run's private copy of the embedded store, published by renaming it over the store.

A big write (a load, a resolution, a detection run) works on a copy of the
database and its text index in ``home/staged/``, where no reader looks, and
becomes visible in one step: the files are renamed over the store's while
the store's lock is held exclusively, which takes milliseconds. Readers so
never wait for the write itself and never see part of it (ADR 0016).

A run killed before it published leaves a copy without the ``PUBLISH``
mark: the next writer throws it away, and the store is as it was. A run
killed while renaming leaves the mark: the next writer finishes the renames
(every step can be repeated), so the store is the run's complete result.
Only writers (who hold ``write.lock``) create, publish or clean up a copy.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

GRAPH = "graph.lbdb"
WAL = GRAPH + ".wal"  # LadybugDB's write-ahead log, beside the database file
SEARCH = "search.sqlite"
SQLITE_SIDE = (SEARCH + "-journal", SEARCH + "-wal", SEARCH + "-shm")
STAGED = "staged"
MARK = "PUBLISH"


def stage_dir(home: Path) -> Path:
    """Where a run's copy of the store under ``home`` lives."""
    return home / STAGED


def copy_store(home: Path) -> Path:
    """A fresh copy of the store's files (those present) in ``stage_dir(home)``.

    The caller holds ``write.lock`` (no other writer changes the files) and
    the store's lock shared (readers go on reading).
    """
    stage = stage_dir(home)
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    for name in (GRAPH, WAL, SEARCH, *SQLITE_SIDE):
        if (home / name).exists():
            shutil.copyfile(home / name, stage / name)
    return stage


def seal(stage: Path) -> None:
    """Make the copy durable and mark it complete: from here on it will be published.

    The copy must hold no write-ahead log: its database was closed after a
    checkpoint, so the database file alone is the run's result.
    """
    if (stage / WAL).exists():
        raise OSError(f"{stage / WAL} is left over: the staged database did not checkpoint")
    for name in (GRAPH, SEARCH):
        if (stage / name).exists():
            _fsync(stage / name)
    (stage / MARK).write_text("complete\n")
    _fsync(stage / MARK)
    _fsync(stage)


def publish(stage: Path, home: Path) -> None:
    """Rename the sealed copy over the store (caller holds the store's lock exclusively).

    Every step can be repeated after a crash: while the staged database
    file is still in the copy, the store's own files are the old ones,
    whose write-ahead log and journals the copy already contains.
    The text index goes first: entries it holds for nodes the graph lacks
    are dropped by every search.
    """
    if (stage / GRAPH).exists():
        for name in (WAL, *SQLITE_SIDE):
            (home / name).unlink(missing_ok=True)
        if (stage / SEARCH).exists():
            os.replace(stage / SEARCH, home / SEARCH)
        os.replace(stage / GRAPH, home / GRAPH)
        _fsync(home)
    shutil.rmtree(stage)


def leftover(home: Path) -> Path | None:
    """A copy a dead writer left behind, if any."""
    stage = stage_dir(home)
    return stage if stage.exists() else None


def settle(stage: Path, home: Path) -> None:
    """Finish a dead writer's publication (a sealed copy) or throw its copy away.

    The caller holds ``write.lock`` and the store's lock exclusively.
    """
    if (stage / MARK).exists():
        log.warning("finishing the publication of %s, interrupted by a crash", stage)
        publish(stage, home)
    else:
        log.warning("discarding %s, left by a writer that died before publishing", stage)
        shutil.rmtree(stage)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
