"""Web sessions behind the UI's cookie: one-time tickets, hashed tokens, expiry, sign-out."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from workbench.security.websessions import WebSessionBook


def test_ticket_once_token_hashed_expiry_and_sign_out(tmp_path: Path) -> None:
    now = [dt.datetime(2026, 5, 12, 9, 0, tzinfo=dt.UTC)]
    book = WebSessionBook(tmp_path, clock=lambda: now[0])
    started, ticket = book.start("coa.analyst", lifetime=dt.timedelta(hours=8))
    traded = book.redeem(ticket)
    assert traded is not None and traded[0].id == started.id
    token = traded[1]
    assert book.redeem(ticket) is None  # once
    raw = (tmp_path / "governance.sqlite").read_bytes()
    assert token.encode() not in raw and ticket.encode() not in raw  # only hashes kept
    resumed = book.resume(token)
    assert resumed is not None and resumed.username == "coa.analyst" and resumed.ended_at is None
    assert book.resume("guess") is None

    now[0] += dt.timedelta(hours=9)
    expired = book.resume(token)
    assert expired is not None and expired.end_reason == "expired"
    assert book.resume(token) is None  # ended for good

    _, ticket2 = book.start("coa.analyst", lifetime=dt.timedelta(hours=8))
    late = now[0] + dt.timedelta(minutes=5)
    assert WebSessionBook(tmp_path, clock=lambda: late).redeem(ticket2) is None  # too late
    third, ticket3 = book.start("coa.analyst", lifetime=dt.timedelta(hours=8))
    traded3 = book.redeem(ticket3)
    assert traded3 is not None and book.end(third.id) and not book.end(third.id)
    assert book.resume(traded3[1]) is None
    with sqlite3.connect(tmp_path / "governance.sqlite") as db:
        reasons = [r[0] for r in db.execute("SELECT end_reason FROM web_sessions ORDER BY id")]
    assert reasons == ["expired", None, "logout"]
