"""The read API of the workbench: what the UI, the CLI and dossiers see.

Every function takes a :class:`Session` (store, the viewer's policy, an
audit sink), passes every node and edge through the policy, and audits
searches and views. Nothing user-facing reads the store any other way.
"""

from __future__ import annotations

from workbench.query.alerts import STATUSES, AlertRow, alerts, triage
from workbench.query.annotations import TRIAGE, AnnotationView, annotate, annotations_for
from workbench.query.clusters import (
    ClusterRow,
    ClusterView,
    Suggestion,
    cluster,
    list_clusters,
    suggestions,
)
from workbench.query.describe import Ref
from workbench.query.disrupt import Disruption, disruption
from workbench.query.entity import EntityView, entity
from workbench.query.errors import FeatureUnavailable, InvalidInput, NotFound, QueryError
from workbench.query.network import NetworkView, ego
from workbench.query.review import JUDGEMENTS, ReviewPair, ReviewQueue, decide, review, review_queue
from workbench.query.runs import RunInfo, latest_run
from workbench.query.search import KINDS, SearchResult, search
from workbench.query.session import AuditFn, Session, log_audit
from workbench.query.signals import SignalFilter, SignalRow
from workbench.query.status import Readiness, readiness

__all__ = [
    "JUDGEMENTS",
    "KINDS",
    "STATUSES",
    "TRIAGE",
    "AlertRow",
    "AnnotationView",
    "AuditFn",
    "ClusterRow",
    "ClusterView",
    "Disruption",
    "EntityView",
    "FeatureUnavailable",
    "InvalidInput",
    "NetworkView",
    "NotFound",
    "QueryError",
    "Readiness",
    "Ref",
    "ReviewPair",
    "ReviewQueue",
    "RunInfo",
    "SearchResult",
    "Session",
    "SignalFilter",
    "SignalRow",
    "Suggestion",
    "alerts",
    "annotate",
    "annotations_for",
    "cluster",
    "decide",
    "disruption",
    "ego",
    "entity",
    "latest_run",
    "list_clusters",
    "log_audit",
    "readiness",
    "review",
    "review_queue",
    "search",
    "suggestions",
    "triage",
]
