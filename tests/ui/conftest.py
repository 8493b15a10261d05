"""One loaded corpus per test module, copied from one built per session (seconds to build)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Built, copy_home, make_store
from tests.ui.corpus import PERSONS, Corpus
from workbench.query import Session
from workbench.security.policy import Unrestricted
from workbench.store.base import CypherStore


class Audit:
    """An audit sink that remembers what it was told."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, action: str, details: dict[str, Any]) -> None:
        self.events.append((action, details))

    def actions(self) -> list[str]:
        return [a for a, _ in self.events]


@pytest.fixture(scope="module")
def loaded(
    built: Built, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[CypherStore, Corpus]]:
    """A module's own copy of the corpus, loaded: its tests may write to it."""
    template, corpus = built(PERSONS)
    home = copy_home(template, tmp_path_factory.mktemp("ui-store") / "home")
    store = make_store("embedded", home)
    yield store, corpus
    store.close()


@pytest.fixture
def audit() -> Audit:
    return Audit()


@pytest.fixture
def session(loaded: tuple[CypherStore, Corpus], audit: Audit) -> Session:
    return Session(store=loaded[0], policy=Unrestricted(), audit=audit)


@pytest.fixture
def corpus(loaded: tuple[CypherStore, Corpus]) -> Corpus:
    return loaded[1]


@pytest.fixture
def home(loaded: tuple[CypherStore, Corpus]) -> Path:
    return Path(loaded[0].location).parent
