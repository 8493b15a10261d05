"""Fixtures shared by the whole suite: real stores in temporary directories."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_schema.model import model
from workbench.store.base import CypherStore

BACKENDS = ["embedded", "neo4j"]


def _examples() -> Path:
    """The formats contract's example files: ``shared/`` beside the checkout (CI) or here."""
    root = Path(__file__).resolve().parents[1]
    for candidate in (root.parent / "shared" / "formats", Path("/work/shared/formats")):
        if candidate.is_dir():
            return candidate
    return root.parent / "shared" / "formats"


EXAMPLES = _examples()


def make_store(kind: str, home: Path) -> CypherStore:
    """A fresh, empty store of ``kind`` (Neo4j: the database is wiped first)."""
    if kind == "embedded":
        from workbench.store.embedded import EmbeddedStore

        store: CypherStore = EmbeddedStore(home, model(), lock_timeout=30)
    else:
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            pytest.skip("Neo4j contract run needs NEO4J_URI (and NEO4J_USER/NEO4J_PASSWORD)")
        from workbench.store.neo4j import Neo4jStore

        store = Neo4jStore(
            uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD"), model()
        )
        with store.driver.session() as session:
            session.run("MATCH (n) DETACH DELETE n").consume()
    store.ensure_schema()
    return store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CypherStore]:
    """Each contract test runs once per backend."""
    s = make_store(request.param, tmp_path / "home")
    yield s
    s.close()


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[CypherStore]:
    s = make_store("embedded", tmp_path / "home")
    yield s
    s.close()
