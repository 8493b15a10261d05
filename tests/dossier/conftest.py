"""A planted cluster in a real embedded store, written once per session and only read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from graph_schema.model import model
from tests.conftest import make_store
from tests.dossier.planted import Planted, build
from workbench.dossier.export import Export, export_dossier
from workbench.security.policy import Unrestricted, Viewer
from workbench.store.base import CypherStore
from workbench.store.embedded import EmbeddedStore

INVESTIGATOR = Unrestricted(Viewer("ines", "joint", "investigator"))
REASON = "request of the expertise centre, case 2026/17"


@dataclass
class Audit:
    """An audit sink that keeps what it is told, to check what was recorded."""

    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def __call__(self, action: str, details: dict[str, Any]) -> None:
        self.events.append((action, details))


@pytest.fixture(scope="session")
def planted_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Planted]:
    home = tmp_path_factory.mktemp("dossier") / "home"
    store = make_store("embedded", home)
    planted = build(store, persons=6)
    store.close()
    return home, planted


@pytest.fixture(scope="session")
def planted(planted_home: tuple[Path, Planted]) -> Planted:
    return planted_home[1]


@pytest.fixture(scope="session")
def planted_store(planted_home: tuple[Path, Planted]) -> Iterator[CypherStore]:
    """The planted store, opened once for the session; tests only read it."""
    store = EmbeddedStore(planted_home[0], model(), lock_timeout=30)
    yield store
    store.close()


@pytest.fixture(scope="session")
def exports(planted_store: CypherStore, planted: Planted) -> dict[str, Export]:
    """The planted cluster's dossier in every format, rendered once."""
    return {
        fmt: export_dossier(
            planted_store,
            planted.cluster_id,
            fmt=fmt,
            reason=REASON,
            policy=INVESTIGATOR,
            audit=Audit(),
        )
        for fmt in ("pdf", "html", "json", "csv")
    }
