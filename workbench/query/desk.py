"""The desk: the start page of one user's day, read in one call.

New watch hits, new alerts on the clusters the user follows, the size of
their review queue, open requests to or from them (the exchange's, wired
through :func:`desk_requests`) and the latest detection run. Each part is
read through the same query functions as its own page, so the desk never
shows more than the pages would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench.query.alerts import AlertRow, alerts
from workbench.query.errors import FeatureUnavailable
from workbench.query.exchange import mine as exchange_mine
from workbench.query.exchange import queue
from workbench.query.review import review
from workbench.query.runs import RunInfo, latest_run
from workbench.query.session import Session
from workbench.query.watch import WatchHit, WatchRow, followed_clusters, hits, watches
from workbench.security.requests import Request, RequestBook

__all__ = ["REVIEW_CAP", "RUN_ALERTS_CAP", "Desk", "desk", "desk_requests"]

REVIEW_CAP = 20  # the desk counts review pairs up to this many ("20 or more")
RUN_ALERTS_CAP = 100  # and the latest run's new alerts up to this many ("100 or more")


@dataclass(frozen=True)
class Desk:
    """What the desk shows: each part opens the page of what it is about."""

    hits: list[WatchHit]
    alerts: list[AlertRow]
    review: int | None  # None: entity resolution is not available
    requests: list[Request]
    run: RunInfo | None
    run_alerts: int  # the latest run's new alerts the viewer may see, up to RUN_ALERTS_CAP
    watches: list[WatchRow] = field(default_factory=list)

    @property
    def review_more(self) -> bool:
        return self.review is not None and self.review >= REVIEW_CAP

    @property
    def run_alerts_more(self) -> bool:
        return self.run_alerts >= RUN_ALERTS_CAP


def desk_requests(session: Session, home: Path) -> list[Request]:
    """Open requests to or from the viewer (the soft-signal exchange): those waiting for
    their decision (a coordinator of the owning organisation) first, then their own."""
    book = RequestBook(home)
    waiting = [i.request for i in queue(session, book)]
    mine = [r for r in exchange_mine(session, book) if r.status == "open"]
    return waiting + [r for r in mine if r not in waiting]


def desk(session: Session, home: Path, *, limit: int = 20) -> Desk:
    """The viewer's desk: at most ``limit`` new hits and alerts on followed clusters.

    Its parts read in one unit of work: each would open the store on its own
    (36 ms an open at 225k rows, six opens a desk). Alerts are judged only on
    the followed clusters and, for the latest run's count, up to
    ``RUN_ALERTS_CAP``: judging every new alert of every run took the desk
    2.2 s at a million rows (issue 21).
    """
    followed = followed_clusters(session, home)
    with session.store.reader():
        run = latest_run(session)
        if run is not None:
            mine = alerts(session, statuses=["new"], about=followed, limit=limit)
            latest = alerts(session, statuses=["new"], run_id=run.run_id, limit=RUN_ALERTS_CAP)
        else:
            mine, latest = [], []
        try:
            waiting: int | None = len(review(session, limit=REVIEW_CAP, explain=False).pairs)
        except FeatureUnavailable:
            waiting = None
        found = hits(session, home, limit=limit)
    return Desk(
        hits=found,
        alerts=mine,
        review=waiting,
        requests=desk_requests(session, home),
        run=run,
        run_alerts=len(latest),
        watches=watches(session, home),
    )
