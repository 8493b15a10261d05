"""What the store holds so far, so pages can say "no detection run yet" instead of failing."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.query import visibility
from workbench.query.session import Session


@dataclass(frozen=True)
class Readiness:
    """Which stages of the pipeline have written anything the viewer may see."""

    signals: bool
    persons: bool
    runs: bool


def readiness(session: Session) -> Readiness:
    with session.store.reader():
        return Readiness(
            # a load batch says signals were loaded; Signal itself is 100x larger to scan
            signals=bool(visibility.find(session, "LoadBatch", limit=1)),
            persons=bool(visibility.find(session, "Person", limit=1)),
            runs=bool(visibility.find(session, "DetectionRun", limit=1)),
        )
