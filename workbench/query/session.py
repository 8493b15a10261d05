"""Who is asking, through which policy, and where their actions are recorded.

Every query function takes a :class:`Session` first: the store to read, the
viewer's need-to-know policy, and the audit sink that records searches,
views, decisions and exports. The UI builds one per browser session
(``workbench/ui/session.py``); the CLI builds one per command.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench.security.policy import Policy, Viewer
from workbench.store import GraphStore

AuditFn = Callable[[str, dict[str, Any]], None]

log = logging.getLogger("workbench.audit")


def log_audit(action: str, details: dict[str, Any]) -> None:
    """An audit sink that only logs: for tests and until the audit log is wired in."""
    log.info("audit %s %s", action, details)


@dataclass(frozen=True)
class Session:
    """A viewer's handle on the graph: store, policy and audit sink."""

    store: GraphStore
    policy: Policy
    audit: AuditFn = log_audit

    @property
    def viewer(self) -> Viewer:
        return self.policy.viewer

    def record(self, action: str, **details: Any) -> None:
        """Send one audit event, always naming the viewer."""
        self.audit(action, {"user": self.viewer.username, **details})
