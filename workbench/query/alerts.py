"""Alerts from scheduled detection runs, and their triage (new, seen, acted on).

Detection writes Alert nodes ``-[:ABOUT]->`` the cluster they concern. An
alert about a cluster the viewer may not see is not shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.query import visibility
from workbench.query.describe import Ref, caption_field, ref
from workbench.query.errors import InvalidInput, NotFound
from workbench.query.session import Session
from workbench.store import Node

STATUSES = ("new", "seen", "acted")
PAGE = 50  # alerts a page shows at first, and how many more each "Show more" adds


@dataclass(frozen=True)
class AlertRow:
    """One alert with what it is about."""

    id: str
    run_id: str
    message: str
    kind: str
    status: str
    created_at: dt.datetime
    about: Ref | None
    score: float | None = None  # of the cluster it is about

    def to_dict(self) -> dict[str, Any]:
        """The shape of one alert in ``workbench alerts --json``."""
        return {
            "id": self.id,
            "run_id": self.run_id,
            "kind": self.kind,
            "message": self.message,
            "status": self.status,
            "created_at": self.created_at,
            "cluster": self.about.id if self.about is not None else None,
            "score": self.score,
        }


def alerts(
    session: Session,
    *,
    statuses: Sequence[str] | None = None,
    limit: int | None = PAGE,
    run_id: str | None = None,
    about: Collection[str] | None = None,
) -> list[AlertRow]:
    """Visible alerts, newest first, at most ``limit``; audited. Optionally only those of
    one run (``run_id``), with one of ``statuses``, or about one of the clusters ``about``.

    Judged newest first, ``limit`` at a time, until ``limit`` are visible: a
    delivery's run at a million rows left hundreds of alerts, and judging
    every one of them (its cluster, members and their records) to show 500
    took the page 2.2 s. ``about`` finds its alerts by their edges, so a desk
    or a case judges only the alerts of its own clusters.
    """
    rows: list[AlertRow] = []
    with session.store.reader():
        if about is None:
            stored = session.store.find_nodes("Alert", {"run_id": run_id} if run_id else None)
        else:
            edges = session.store.find_edges("ABOUT", dst=sorted(about)) if about else []
            ids = [e.src for e in edges if e.src.startswith("Alert:")]
            stored = list(session.store.get_nodes(ids).values())
            if run_id:
                stored = [a for a in stored if a.props.get("run_id") == run_id]
        if statuses:
            stored = [a for a in stored if a.props.get("status") in statuses]
        stored.sort(key=lambda a: (a.props["created_at"], a.id), reverse=True)
        step = limit or max(len(stored), 1)
        for start in range(0, len(stored), step):
            rows += _rows(session, stored[start : start + step])
            if limit is not None and len(rows) >= limit:
                break
    rows.sort(key=lambda r: (r.created_at, r.id), reverse=True)
    shown = rows[:limit] if limit is not None else rows
    session.record("view_alerts", run=run_id, shown=len(shown))
    return shown


def _rows(session: Session, stored: Sequence[Node]) -> list[AlertRow]:
    """The rows of the alerts the viewer may see among ``stored``, with what they are about."""
    found = list(visibility.view_nodes(session, stored).values())
    about = visibility.edges(session, "ABOUT", src=[a.id for a in found])
    # An alert is about a cluster: its name and score are shown, not its explanation.
    named = [f for f in (caption_field("Cluster"), "score") if f]
    targets = visibility.nodes(session, [e.dst for e in about], fields=named)
    target_of = {e.src: targets.get(e.dst) for e in about}
    rows = []
    for a in found:
        if a.id in target_of and target_of[a.id] is None:
            continue  # about something hidden
        target = target_of.get(a.id)
        rows.append(
            AlertRow(
                id=a.id,
                run_id=str(a.props.get("run_id") or ""),
                message=str(a.props.get("message") or ""),
                kind=str(a.props.get("kind") or ""),
                status=str(a.props.get("status") or "new"),
                created_at=a.props["created_at"],
                about=ref(target) if target is not None else None,
                score=target.props.get("score") if target is not None else None,
            )
        )
    return rows


def triage(session: Session, alert_id: str, status: str) -> None:
    """Set an alert's triage status and audit who did it."""
    if status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    with session.store.writer() as w:
        if visibility.node(session, alert_id).label != "Alert":
            raise NotFound(f"{alert_id!r} is not an alert")
        stored = session.store.get_nodes([alert_id])[alert_id]  # as stored, not as viewed
        w.upsert_nodes("Alert", [{**stored.props, "id": alert_id, "status": status}])
    session.record("triage", target=alert_id, status=status)
