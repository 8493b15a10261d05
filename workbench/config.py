"""Settings from the environment (and an optional ``.env``), read in one place.

Nothing else in the workbench reads ``os.environ`` directly, so what can be
configured is listed here and in ``.env.example``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# The embedded store's buffer pool: reserved address space, touched only as used;
# a 20k-person resolution run writes more than 1 GiB in one transaction.
BUFFER_POOL_MB = 4096

StoreKind = Literal["embedded", "neo4j"]


class ConfigError(ValueError):
    """A setting has a value the workbench cannot use."""


@dataclass(frozen=True)
class Settings:
    """Where the data lives and how to reach the store."""

    home: Path = field(default_factory=lambda: Path("workbench-data"))
    store: StoreKind = "embedded"
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str = "neo4j"
    lock_timeout: float = 120.0
    buffer_pool_mb: int = BUFFER_POOL_MB
    operator: str = "local-operator"

    @classmethod
    def from_env(cls, home: Path | str | None = None) -> Settings:
        """Build settings from ``WORKBENCH_*`` and ``NEO4J_*`` variables.

        ``home`` (the CLI's ``--home``) wins over ``WORKBENCH_HOME``.
        """
        env = os.environ
        store = env.get("WORKBENCH_STORE", "embedded")
        if store not in ("embedded", "neo4j"):
            raise ConfigError(f"WORKBENCH_STORE must be 'embedded' or 'neo4j', not {store!r}")
        if store == "neo4j" and not env.get("NEO4J_URI"):
            raise ConfigError("WORKBENCH_STORE=neo4j needs NEO4J_URI (e.g. bolt://127.0.0.1:7687)")
        try:
            lock_timeout = float(env.get("WORKBENCH_LOCK_TIMEOUT", "120"))
            buffer_pool_mb = int(env.get("WORKBENCH_BUFFER_POOL_MB", str(BUFFER_POOL_MB)))
        except ValueError as exc:
            raise ConfigError(f"bad numeric setting: {exc}") from exc
        return cls(
            home=Path(home or env.get("WORKBENCH_HOME") or "workbench-data"),
            store="neo4j" if store == "neo4j" else "embedded",
            neo4j_uri=env.get("NEO4J_URI"),
            neo4j_user=env.get("NEO4J_USER", "neo4j"),
            neo4j_password=env.get("NEO4J_PASSWORD"),
            neo4j_database=env.get("NEO4J_DATABASE", "neo4j"),
            lock_timeout=lock_timeout,
            buffer_pool_mb=buffer_pool_mb,
            operator=env.get("WORKBENCH_OPERATOR") or f"local:{env.get('USER', 'operator')}",
        )
