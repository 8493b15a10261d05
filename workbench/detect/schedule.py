"""Scheduled detection: ``workbench schedule --every 6h``.

A blocking APScheduler loop for one box (the docker-compose ``scheduler``
service runs it), never inside the Streamlit process. Every run takes
``detect.lock`` in ``$WORKBENCH_HOME`` first, so runs never overlap - not
within this loop, not with a ``workbench detect`` from cron or a systemd
timer. A run that fails is logged with its traceback and the loop goes on;
the next one runs at its time.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from apscheduler.schedulers.blocking import BlockingScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped]

from workbench.store.errors import StoreBusy
from workbench.store.locking import locked

__all__ = ["LOCK_NAME", "RunBusy", "detection_lock", "parse_every", "run_once", "schedule"]

log = logging.getLogger(__name__)

LOCK_NAME = "detect.lock"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")


class RunBusy(RuntimeError):
    """Another detection run holds the lock."""


def parse_every(text: str) -> dt.timedelta:
    """An interval such as ``6h``, ``30m``, ``1h30m``, ``1d`` or ``90s``.

    >>> parse_every("1h30m")
    datetime.timedelta(seconds=5400)
    >>> parse_every("six hours")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: cannot read 'six hours' as an interval: ...
    """
    cleaned = text.strip().lower().replace(" ", "")
    parts = _PART.findall(cleaned)
    if not parts or "".join(n + u for n, u in parts) != cleaned:
        raise ValueError(
            f"cannot read {text!r} as an interval: use a number and s, m, h or d, e.g. 6h or 1h30m"
        )
    seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"the interval {text!r} must be longer than zero")
    return dt.timedelta(seconds=seconds)


@contextmanager
def detection_lock(home: Path) -> Iterator[None]:
    """Hold ``$WORKBENCH_HOME/detect.lock``, or raise :class:`RunBusy` at once."""
    try:
        with locked(home / LOCK_NAME, exclusive=True, timeout=0):
            yield
    except StoreBusy:
        raise RunBusy(
            f"another detection run holds {home / LOCK_NAME}; this one was skipped "
            "(it will run at its next time)"
        ) from None


def run_once(home: Path, job: Callable[[], object]) -> bool:
    """Run ``job`` under the lock; log and swallow its failure. True when it succeeded."""
    try:
        with detection_lock(home):
            log.info("detection run starting")
            result = job()
    except RunBusy as exc:
        log.warning("%s", exc)
        return False
    except Exception:
        log.exception("detection run failed; the schedule goes on")
        return False
    log.info("detection run done: %s", result)
    return True


def schedule(
    job: Callable[[], object],
    *,
    every: dt.timedelta,
    home: Path,
    max_runs: int | None = None,
) -> list[bool]:
    """Run ``job`` now and then every ``every``, one at a time, until stopped.

    Blocks. ``max_runs`` stops after that many runs (for tests and one-off
    use). Returns each run's outcome (True: succeeded).
    """
    scheduler = BlockingScheduler(timezone=dt.UTC)
    outcomes: list[bool] = []

    def tick() -> None:
        outcomes.append(run_once(home, job))
        if max_runs is not None and len(outcomes) >= max_runs:
            scheduler.shutdown(wait=False)

    scheduler.add_job(
        tick,
        IntervalTrigger(seconds=every.total_seconds(), timezone=dt.UTC),
        next_run_time=dt.datetime.now(dt.UTC),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
        id="detect",
    )
    log.info("detection scheduled every %s; Ctrl-C stops", every)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("scheduler stopped")
    return outcomes
