"""Graph storage: one interface (``base.GraphStore``), two backends.

Use :func:`open_store`; nothing else should construct a backend.
"""

from __future__ import annotations

from graph_schema.model import model
from workbench.config import Settings
from workbench.store.base import (
    Edge,
    GraphStore,
    Node,
    SearchHit,
    Subgraph,
    UpsertResult,
    Writer,
)
from workbench.store.errors import (
    InvalidWrite,
    LostKeys,
    MissingEndpoint,
    StoreBusy,
    StoreError,
    StoreUnavailable,
)
from workbench.store.keys import KeyCheck, KeyRepair, LabelKeys

__all__ = [
    "Edge",
    "GraphStore",
    "InvalidWrite",
    "KeyCheck",
    "KeyRepair",
    "LabelKeys",
    "LostKeys",
    "MissingEndpoint",
    "Node",
    "SearchHit",
    "StoreBusy",
    "StoreError",
    "StoreUnavailable",
    "Subgraph",
    "UpsertResult",
    "Writer",
    "open_store",
]


def open_store(settings: Settings) -> GraphStore:
    """The configured backend, with its schema in place."""
    store: GraphStore
    if settings.store == "neo4j":
        from workbench.store.neo4j import Neo4jStore

        if not settings.neo4j_uri:
            raise StoreUnavailable("WORKBENCH_STORE=neo4j needs NEO4J_URI")
        store = Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            model(),
            database=settings.neo4j_database,
        )
    else:
        from workbench.store.embedded import EmbeddedStore

        store = EmbeddedStore(
            settings.home,
            model(),
            lock_timeout=settings.lock_timeout,
            buffer_pool_mb=settings.buffer_pool_mb,
            direct_rows=settings.direct_rows,
        )
    store.ensure_schema()
    return store
