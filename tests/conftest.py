"""Fixtures shared by the whole suite: real stores in temporary directories."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

if os.environ.get("PYTEST_XDIST_WORKER"):
    # pytest-xdist starts its workers with COLUMNS=80; the CLI's consoles would fix their
    # width to it when first imported, and the CLI tests could not give theirs (COLUMNS=200).
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)

from graph_schema.model import model
from tests.ui.accounts import add_accounts
from tests.ui.corpus import Corpus, build
from workbench.store.base import CypherStore

BACKENDS = ["embedded", "neo4j"]
FIRST = "tests/e2e"  # the longest directory: started first, so no worker waits for it at the end


def directory(nodeid: str) -> str:
    """The directory of a test's file, from its node id."""
    return nodeid.split("::")[0].rpartition("/")[0] or "."


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: directory(item.nodeid) != FIRST)


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With ``--dist loadscope`` a directory's tests run on one worker, so its conftest's
    session fixtures (corpora, the browser tests' server) are built once."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByDirectory(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return directory(nodeid)

    return ByDirectory(config, log)


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


def copy_home(template: Path, home: Path) -> Path:
    """A private copy of a closed store's data directory, to write to (its locks left)."""
    shutil.copytree(template, home, ignore=shutil.ignore_patterns("*.lock"))
    return home


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


Built = Callable[[int], tuple[Path, Corpus]]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The corpus of so many persons with the test accounts, built once a session (the UI
    tests and the browser tests read the same one): a data directory to copy, and the ids."""
    made: dict[int, tuple[Path, Corpus]] = {}

    def get(persons: int) -> tuple[Path, Corpus]:
        if persons not in made:
            work = tmp_path_factory.mktemp(f"ui-corpus-{persons}")
            store = make_store("embedded", work / "home")
            corpus = build(store, work, persons=persons)
            store.close()
            add_accounts(work / "home")
            made[persons] = (work / "home", corpus)
        return made[persons]

    return get
