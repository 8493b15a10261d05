"""Fixtures for security tests: accounts and the scenario in a real embedded store.

The scenario and the accounts are written once per test session (argon2 is
slow on purpose, and so are many small store writes) and each test gets its
own copy of that data directory, opened as a real embedded store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph_schema.model import model
from tests.conftest import copy_home
from tests.security.scenario import IDS, Ids, build
from workbench.config import Settings
from workbench.security import SecurityContext, operator_session, session_for
from workbench.security.manage import add_user
from workbench.store.embedded import EmbeddedStore

PASSWORD = "correct horse battery staple"
OPERATOR = "local:tester"
ACCOUNTS = {
    "coa.analyst": ("coa", "analyst"),
    "coa.admin": ("coa", "admin"),
    "coa.coordinator": ("coa", "coordinator"),
    "ind.analyst": ("ind", "analyst"),
    "ind.coordinator": ("ind", "coordinator"),
    "ind.coordinator2": ("ind", "coordinator"),
    "ind.admin": ("ind", "admin"),
    "kmar.investigator": ("kmar", "investigator"),
    "joint.analyst": ("joint", "analyst"),
}


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test uses its own key file and names its users explicitly."""
    for name in ("WORKBENCH_PSEUDONYM_KEY", "WORKBENCH_USER", "WORKBENCH_HOME"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the scenario loaded and the accounts made."""
    home = tmp_path_factory.mktemp("template") / "home"
    store = EmbeddedStore(home, model(), lock_timeout=30)
    store.ensure_schema()
    build(store)
    store.close()
    operator = operator_session(Settings(home=home, operator=OPERATOR))
    for name, (org, role) in ACCOUNTS.items():
        add_user(operator, name, organisation=org, role=role, password=PASSWORD)
    for name in ("audit.sqlite", "pseudonym.key"):  # every test starts its own
        (home / name).unlink(missing_ok=True)
    return home


@pytest.fixture
def embedded(template: Path, tmp_path: Path) -> Iterator[EmbeddedStore]:
    """A real embedded store holding the scenario (a fresh copy per test)."""
    store = EmbeddedStore(copy_home(template, tmp_path / "home"), model(), lock_timeout=30)
    yield store
    store.close()


@pytest.fixture
def settings(embedded: EmbeddedStore) -> Settings:
    return Settings(home=Path(embedded.location).parent, operator=OPERATOR)


@pytest.fixture
def ids() -> Ids:
    return IDS


Context = Callable[[str], SecurityContext]


@pytest.fixture
def as_user(settings: Settings, embedded: EmbeddedStore) -> Context:
    """A fresh security context (so a fresh policy) for a user, as each page run makes."""
    return lambda name: session_for(settings, name, store=embedded)
