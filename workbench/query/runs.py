"""Detection runs as the query layer reads them: the latest run and its facts.

Read from the store by the graph model's labels (``DetectionRun``), never by
importing the detection code, so the UI works before detection exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from workbench.query import visibility
from workbench.query.session import Session
from workbench.store import Node


@dataclass(frozen=True)
class RunInfo:
    """One detection run: when, how, on what."""

    id: str
    run_id: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    algorithm: str
    parameters: dict[str, Any]
    code_version: str | None
    input_counts: dict[str, Any] | None


def run_info(node: Node) -> RunInfo:
    p = node.props
    return RunInfo(
        id=node.id,
        run_id=str(p["run_id"]),
        started_at=p["started_at"],
        finished_at=p.get("finished_at"),
        algorithm=str(p.get("algorithm") or ""),
        parameters=dict(p.get("parameters") or {}),
        code_version=p.get("code_version"),
        input_counts=p.get("input_counts"),
    )


def runs(session: Session) -> list[RunInfo]:
    """Every visible run, newest first."""
    found = [run_info(n) for n in visibility.find(session, "DetectionRun")]
    return sorted(found, key=lambda r: (r.started_at, r.run_id), reverse=True)


def latest_run(session: Session) -> RunInfo | None:
    """The newest run, or None when no detection has run yet."""
    found = runs(session)
    return found[0] if found else None
