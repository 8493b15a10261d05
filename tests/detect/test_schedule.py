"""Scheduling: intervals, one run at a time, and a failed run that does not stop the next."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from workbench.detect.schedule import RunBusy, detection_lock, parse_every, run_once, schedule


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("6h", 21600), ("30m", 1800), ("1h30m", 5400), ("1d", 86400), ("90s", 90), ("0.5h", 1800)],
)
def test_intervals(text: str, seconds: int) -> None:
    assert parse_every(text) == dt.timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "6", "h", "6 hours", "6h and 5m", "0m"])
def test_bad_intervals_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="interval"):
        parse_every(text)


def test_a_failed_run_does_not_stop_the_next(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[int] = []

    def job() -> str:
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("the store went away")
        return f"run {len(calls)}"

    with caplog.at_level(logging.INFO, logger="workbench.detect.schedule"):
        outcomes = schedule(job, every=dt.timedelta(seconds=0.2), home=tmp_path, max_runs=3)
    assert outcomes == [False, True, True]
    assert len(calls) == 3
    failed = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failed) == 1 and "the schedule goes on" in failed[0].getMessage()
    assert failed[0].exc_info is not None  # the traceback is logged
    assert any("run 3" in r.getMessage() for r in caplog.records)


def test_one_run_at_a_time(tmp_path: Path) -> None:
    ran: list[str] = []
    with detection_lock(tmp_path):
        assert run_once(tmp_path, lambda: ran.append("x")) is False  # skipped, not queued
        with pytest.raises(RunBusy, match="another detection run holds"), detection_lock(tmp_path):
            pass
    assert ran == []
    assert run_once(tmp_path, lambda: ran.append("x")) is True
    assert ran == ["x"]
