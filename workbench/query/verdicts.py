"""Analysts' verdicts on clusters: recorded by whoever may see the cluster, audited.

The verdict itself is detection's data (``workbench.detect.verdicts``: stored
per cluster, carried along lineage, learned from); this is where a viewer
records one, after the same visibility check every read makes. What a
viewer is shown of verdicts is read with the clusters
(``workbench.query.clusters``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbench.query import visibility
from workbench.query.errors import InvalidInput, NotFound
from workbench.query.session import Session

if TYPE_CHECKING:
    from workbench.detect.verdicts import Verdict


def _cluster(session: Session, cluster_id: str) -> None:
    if visibility.node(session, cluster_id).label != "Cluster":
        raise NotFound(f"{cluster_id!r} is not a cluster")


def judge(
    session: Session,
    cluster_id: str,
    verdict: str,
    *,
    reason: str,
    members: Sequence[str] = (),
    not_members: Sequence[str] = (),
) -> Verdict:
    """Record the viewer's verdict on a cluster they may see; audited.

    Raises :class:`NotFound` for a cluster the viewer may not see and
    :class:`InvalidInput` for a verdict detection refuses (no reason, an
    unknown value, a member named who is not one).
    """
    from workbench.detect.verdicts import VerdictError, record_verdict

    _cluster(session, cluster_id)
    viewer = session.viewer
    try:
        return record_verdict(
            session.store,
            cluster_id,
            verdict,
            reason=reason,
            author=viewer.username,
            organisation=viewer.organisation,
            members=members,
            not_members=not_members,
            audit=session.audit,
        )
    except VerdictError as exc:
        raise InvalidInput(str(exc)) from exc


def revoke(session: Session, cluster_id: str, *, reason: str) -> list[str]:
    """Withdraw the live verdict on a cluster the viewer may see (kept in the history)."""
    from workbench.detect.verdicts import VerdictError, revoke_verdict

    _cluster(session, cluster_id)
    try:
        return revoke_verdict(
            session.store, cluster_id, reason=reason, author=session.viewer.username,
            audit=session.audit,
        )  # fmt: skip
    except VerdictError as exc:
        raise InvalidInput(str(exc)) from exc
