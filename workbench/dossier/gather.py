"""Store -> dossier, through the query layer: the dossier reads nothing itself.

``workbench.query.dossier`` reads what the exporter may see of a cluster
(every node and edge through their policy); this module turns that into the
dossier document with :func:`~workbench.dossier.assemble.assemble`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from workbench.dossier.assemble import DEFAULT_CLASSIFICATION, Context, assemble
from workbench.dossier.errors import ClusterNotFound
from workbench.query.dossier import Explain, dossier_evidence
from workbench.query.errors import NotFound
from workbench.query.persons import person_links
from workbench.query.session import AuditFn, Session, log_audit
from workbench.security.policy import Policy
from workbench.store.base import GraphStore


def gather(
    store: GraphStore,
    cluster_id: str,
    *,
    policy: Policy,
    reason: str,
    classification: str = DEFAULT_CLASSIFICATION,
    now: dt.datetime | None = None,
    explainer: Explain | None = None,
    audit: AuditFn = log_audit,
    case: str | None = None,
) -> dict[str, Any]:
    """The dossier of ``cluster_id`` as ``policy.viewer`` may see it, as a JSON-able dict.

    ``explainer`` (session, person id -> pair explanations) defaults to the
    query layer's :func:`~workbench.query.persons.person_links`.
    """
    session = Session(store, policy, audit)
    try:
        evidence = dossier_evidence(session, cluster_id, explainer=explainer or person_links)
    except NotFound as exc:
        raise ClusterNotFound(str(exc)) from exc
    ctx = Context(
        viewer=policy.viewer,
        reason=reason,
        classification=classification,
        at=now or dt.datetime.now(dt.UTC),
        case=case,
    )
    return assemble(evidence, ctx)
