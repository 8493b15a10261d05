"""Deconfliction: when two teams' cases reach the same people, both leads are told.

:func:`check` compares every open case with every other (of another lead)
and records a notice for each new overlap, audited; it runs after an item
is added to a case and at the end of every resolution and detection run
(:func:`after_run`, one call at each place those runs finish), so an overlap
is noticed whichever way it arises.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from workbench.deconflict.overlap import meeting, notices
from workbench.deconflict.subjects import CASE_ITEM_LABELS, reach
from workbench.query.cases import addable
from workbench.query.session import Session
from workbench.security.audit import AuditLog
from workbench.security.cases import CaseBook, Notice
from workbench.security.casework import add_items, audit_notices
from workbench.security.localdb import Clock, utcnow
from workbench.security.session import SecurityContext
from workbench.store import GraphStore

__all__ = ["CASE_ITEM_LABELS", "add_to_case", "after_run", "check", "meeting", "notices", "reach"]

log = logging.getLogger(__name__)


def check(store: GraphStore, home: Path, *, clock: Clock = utcnow) -> list[Notice]:
    """Raise (record and audit) a notice for every overlap between open cases not noticed
    before; returns the new notices."""
    book = CaseBook(home, clock=clock)
    cases = {c.id: c for c in book.rows(status="open")}
    if len(cases) < 2:
        return []
    with store.reader():
        reached = reach(store, {c.id: c.items for c in cases.values()})
    found = notices(reached, {c.id: c.lead for c in cases.values()})
    new = book.raise_notices(found)
    audit_notices(AuditLog(home, clock=clock), new, {c.id: c for c in book.rows()})
    if new:
        log.info("deconfliction: %d new notice(s)", len(new))
    return new


def after_run(store: GraphStore, home: Path) -> None:
    """The hook at the end of a resolution or detection run: notices for what it joined.

    A failure here is logged, never raised: the run itself has finished and is written.
    """
    try:
        check(store, home)
    except Exception as exc:  # a notice must not fail a finished run
        log.warning("deconfliction after the run failed: %s", exc, exc_info=True)


def add_to_case(
    ctx: SecurityContext, session: Session, case_id: str, items: Sequence[str]
) -> tuple[list[str], list[Notice]]:
    """Add items to a case as a member (each must be visible to them), then deconflict:
    the one way the CLI and the UI add. Returns the items new to the case and the notices
    the addition raised."""
    visible = addable(session, items)
    added = add_items(ctx, case_id, visible)
    return added, check(session.store, ctx.settings.home, clock=ctx.clock) if added else []
