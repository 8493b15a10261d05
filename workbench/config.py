"""Settings from the environment (and an optional ``.env``), read in one place.

Nothing else in the workbench reads ``os.environ`` directly, so what can be
configured is listed here and in ``.env.example``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from graph_schema.limits import Limits, limits

# The embedded store's buffer pool: reserved address space, touched only as used;
# a 20k-person resolution run writes more than 1 GiB in one transaction.
BUFFER_POOL_MB = 4096
# A run writing at most this many rows (nodes and edges) writes the embedded
# store in one unit of work, holding readers up for its length; a bigger run
# is staged on a copy and published by a rename (ADR 0016).
DIRECT_ROWS = 2000

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
    direct_rows: int = DIRECT_ROWS
    operator: str = "local-operator"
    session_hours: float = 8.0  # how long a UI sign-in survives reloads (the session cookie)
    # Loading limits (docs/security.md); None keeps graph_schema/limits.yaml's value.
    max_file_mb: int | None = None
    max_inflated_mb: int | None = None
    max_zip_ratio: int | None = None

    def load_limits(self) -> Limits:
        """The loaders' limits: ``graph_schema/limits.yaml`` with these settings applied."""
        changes = {
            name: value
            for name, value in (
                ("max_file_bytes", self.max_file_mb and self.max_file_mb << 20),
                ("xlsx_max_inflated_bytes", self.max_inflated_mb and self.max_inflated_mb << 20),
                ("xlsx_max_ratio", self.max_zip_ratio),
            )
            if value is not None
        }
        return limits().with_files(**changes) if changes else limits()

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
            direct_rows = int(env.get("WORKBENCH_DIRECT_ROWS", str(DIRECT_ROWS)))
            session_hours = float(env.get("WORKBENCH_SESSION_HOURS", "8"))
            sizes = {
                name: _positive(env, f"WORKBENCH_{name.upper()}")
                for name in ("max_file_mb", "max_inflated_mb", "max_zip_ratio")
            }
        except ValueError as exc:
            raise ConfigError(f"bad numeric setting: {exc}") from exc
        if not 0 < session_hours <= 24 * 30:
            raise ConfigError("WORKBENCH_SESSION_HOURS must be more than 0 and at most 720")
        return cls(
            home=Path(home or env.get("WORKBENCH_HOME") or "workbench-data"),
            store="neo4j" if store == "neo4j" else "embedded",
            neo4j_uri=env.get("NEO4J_URI"),
            neo4j_user=env.get("NEO4J_USER", "neo4j"),
            neo4j_password=env.get("NEO4J_PASSWORD"),
            neo4j_database=env.get("NEO4J_DATABASE", "neo4j"),
            lock_timeout=lock_timeout,
            buffer_pool_mb=buffer_pool_mb,
            direct_rows=direct_rows,
            session_hours=session_hours,
            operator=env.get("WORKBENCH_OPERATOR") or f"local:{env.get('USER', 'operator')}",
            **sizes,
        )


def _positive(env: Mapping[str, str], name: str) -> int | None:
    """A positive whole number from ``env[name]``, None when unset."""
    text = env.get(name)
    if text is None or not text.strip():
        return None
    value = int(text)
    if value <= 0:
        raise ValueError(f"{name} must be a positive whole number, not {text!r}")
    return value
