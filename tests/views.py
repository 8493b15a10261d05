"""The read commands' JSON, read through the query layer as the CLI reads it.

For tests that check what a viewer is shown on a real store without going
through a subprocess: each function is the CLI command's body, minus the
printing (``workbench clusters --json``, ``alerts --json``, ``persons --json``).
"""

from __future__ import annotations

from typing import Any

from workbench.query import Session, alerts, list_clusters
from workbench.query.clusters import cluster_links, run_of
from workbench.query.errors import NotFound
from workbench.query.persons import persons
from workbench.security.policy import Policy, Unrestricted
from workbench.store import GraphStore


def clusters_json(
    store: GraphStore, policy: Policy, *, run: str = "latest", limit: int | None = None
) -> dict[str, Any]:
    session = Session(store, policy)
    found = run_of(session, run)
    if found is None:
        raise NotFound(f"no detection run {run!r}")
    _, rows = list_clusters(session, run_id=found.run_id, limit=limit)
    return {"run_id": found.run_id, "clusters": [r.to_dict() for r in rows]}


def alerts_json(
    store: GraphStore, policy: Policy, *, run: str | None = None
) -> list[dict[str, Any]]:
    session = Session(store, policy)
    found = run_of(session, run) if run else None
    if run and found is None:
        raise NotFound(f"no detection run {run!r}")
    return [a.to_dict() for a in alerts(session, run_id=found and found.run_id, limit=None)]


def links_json(store: GraphStore, cluster_id: str, policy: Policy) -> list[dict[str, Any]]:
    return cluster_links(Session(store, policy), cluster_id)


def persons_json(store: GraphStore, policy: Policy | None = None) -> list[dict[str, Any]]:
    return [p.to_dict() for p in persons(Session(store, policy or Unrestricted()))]
