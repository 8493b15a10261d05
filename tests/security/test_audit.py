"""The audit log: append-only, hash-chained, never blocked by the graph's writer lock."""

from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import sqlite3
import time
from pathlib import Path

import pytest

from workbench.security import AuditLog, ReasonRequired, Viewer
from workbench.store.embedded import EmbeddedStore

ANALYST = Viewer("coa.analyst", "coa", "analyst")
HOSTILE = [
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "\u202egnp.exe",
    "\x1b]0;pwned\x07",
    "\ud800",
]


def _log(tmp_path: Path, n: int = 5) -> AuditLog:
    log = AuditLog(tmp_path)
    for i in range(n):
        log.record("search", actor=ANALYST, details={"text": f"query {i}"})
    return log


def _tamper(path: Path, sql: str, *params: object) -> None:
    """What someone with file access can do: drop the guards, then edit."""
    db = sqlite3.connect(path)
    db.executescript("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;")
    db.execute(sql, params)
    db.commit()
    db.close()


def test_events_chain_and_verify(tmp_path: Path) -> None:
    log = _log(tmp_path)
    events = log.events()
    assert [e.seq for e in events] == [5, 4, 3, 2, 1]
    assert events[-1].prev_hash == "0" * 64
    assert all(a.prev_hash == b.hash for a, b in itertools.pairwise(events))
    result = log.verify()
    assert result.ok and result.events == 5 and result.head_seq == 5
    assert log.head() == (5, events[0].hash)


def test_the_table_refuses_updates_and_deletes(tmp_path: Path) -> None:
    log = _log(tmp_path)
    db = sqlite3.connect(log.path)
    for sql in ("UPDATE events SET actor = 'x' WHERE seq = 2", "DELETE FROM events WHERE seq = 2"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute(sql)
    db.close()
    assert log.verify().ok


@pytest.mark.parametrize("column", ["details", "actor", "at", "action", "target", "organisation"])
def test_editing_any_field_of_any_row_names_that_event(tmp_path: Path, column: str) -> None:
    log = _log(tmp_path)
    _tamper(log.path, f"UPDATE events SET {column} = ? WHERE seq = 3", '{"text": "other"}')
    result = log.verify()
    assert not result.ok and result.first_broken == 3
    assert "changed" in (result.reason or "")


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(tmp_path: Path) -> None:
    from workbench.security.audit import event_hash

    log = _log(tmp_path)
    e = next(x for x in log.events() if x.seq == 2)
    forged = event_hash(2, e.at, "someone.else", e.organisation, e.role, e.action, e.target,
                        '{"text": "query 1"}', e.prev_hash)  # fmt: skip
    _tamper(log.path, "UPDATE events SET actor = 'someone.else', hash = ? WHERE seq = 2", forged)
    result = log.verify()
    assert not result.ok and result.first_broken == 3 and "event 2" in (result.reason or "")


def test_deleting_a_row_is_detected_and_truncation_against_an_anchor(tmp_path: Path) -> None:
    log = _log(tmp_path)
    anchor = log.head()
    _tamper(log.path, "DELETE FROM events WHERE seq = 2")
    result = log.verify()
    assert not result.ok and result.first_broken == 3 and "missing" in (result.reason or "")
    log2 = _log(tmp_path / "other")
    anchor = log2.head()
    _tamper(log2.path, "DELETE FROM events WHERE seq = 5")
    assert log2.verify().ok  # a shorter chain is still a chain ...
    truncated = log2.verify(anchor=anchor)
    assert not truncated.ok and truncated.first_broken == 5  # ... but not the anchored one


def test_hostile_details_are_stored_verbatim(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    for text in HOSTILE:
        log.record("search", actor=ANALYST, target=text, details={"text": text})
    got = [(e.target, e.details["text"]) for e in reversed(log.events())]
    assert got[:-1] == [(t, t) for t in HOSTILE[:-1]]
    assert got[-1] == ("\\ud800", "\ud800")  # a lone surrogate cannot be a plain column
    assert log.verify().ok


def test_export_without_a_reason_is_refused_and_recorded(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    with pytest.raises(ReasonRequired):
        log.record("export", actor=ANALYST, target="Cluster:R1|1", details={"reason": "  "})
    log.record("export", actor=ANALYST, target="Cluster:R1|1", details={"reason": "case 12"})
    outcomes = [e.details.get("outcome") for e in reversed(log.events(action="export"))]
    assert outcomes == ["refused", None]


def test_filters(tmp_path: Path) -> None:
    times = iter(dt.datetime(2026, 1, d, tzinfo=dt.UTC) for d in range(1, 10))
    log = AuditLog(tmp_path, clock=lambda: next(times))
    ind = Viewer("ind.analyst", "ind", "analyst")
    log.record("login", actor=ANALYST)
    log.record("view", actor=ind, target="Person:P1", details={"kind": "person"})
    log.record("view", actor=ANALYST, target="Cluster:R1|1", details={"kind": "cluster"})
    assert [e.seq for e in log.events(action="view")] == [3, 2]
    assert [e.seq for e in log.events(actor="coa.analyst")] == [3, 1]
    assert [e.seq for e in log.events(organisation="ind")] == [2]
    assert [e.seq for e in log.events(target="Person:P1")] == [2]
    day2 = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    assert [e.seq for e in log.events(since=day2)] == [3, 2]
    assert [e.seq for e in log.events(until=day2)] == [1]
    assert [e.seq for e in log.events(limit=1)] == [3]
    with pytest.raises(ValueError, match="lower-case"):
        log.record("DROP TABLE", actor=ANALYST)


def _append(home: str, n: int) -> None:
    log = AuditLog(Path(home))
    for i in range(n):
        log.record("view", actor=ANALYST, details={"i": i})


def test_two_processes_appending_keep_one_chain(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_append, args=(str(tmp_path), 40)) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    result = AuditLog(tmp_path).verify()
    assert result.ok and result.events == 80


def test_appending_never_waits_for_the_graph_writer(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    log = AuditLog(Path(embedded.location).parent)
    with embedded.writer():  # a long load holds the graph's exclusive lock
        start = time.perf_counter()
        log.record("login", actor=ANALYST)
        assert time.perf_counter() - start < 1.0
    assert log.verify().ok
