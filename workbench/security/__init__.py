"""Who may see what, and who did what: users, need-to-know policy, audit, retention.

Entry points (see each module for why it works as it does):

- :func:`session_for`, :func:`login`, :func:`oidc_session`, :func:`cli_session`
  build a :class:`SecurityContext`: ``ctx.viewer``, ``ctx.policy`` (the
  viewer's :class:`NeedToKnow`), ``ctx.record(action, details)`` (the audit
  sink), ``ctx.event(action, target=..., **details)``;
- :func:`view_subgraph`, :func:`view_hits`, :func:`view_nodes`,
  :func:`prefetch` apply any policy to many items at once;
- ``manage``: accounts and releases; ``retention``: retention dates,
  ``plan_purge`` and ``purge``; ``audit``: the hash-chained log;
- :func:`display_text` shows stored text inert in a terminal.
"""

from __future__ import annotations

from workbench.security.audit import AuditEvent, AuditLog, Verification
from workbench.security.errors import (
    AccountLocked,
    AuthenticationFailed,
    ConfigError,
    InvalidRequest,
    InvalidUser,
    NotFound,
    PermissionDenied,
    ReasonRequired,
    SecurityError,
    UnknownUser,
    UserDisabled,
    UserExists,
)
from workbench.security.inert import display_text
from workbench.security.policy import (
    Access,
    NeedToKnow,
    Policy,
    Unrestricted,
    Viewer,
    prefetch,
    view_hits,
    view_nodes,
    view_subgraph,
)
from workbench.security.roles import ORGANISATIONS, ROLES, may, require
from workbench.security.session import (
    SecurityContext,
    cli_session,
    login,
    oidc_session,
    operator_session,
    session_for,
)

__all__ = [
    "ORGANISATIONS",
    "ROLES",
    "Access",
    "AccountLocked",
    "AuditEvent",
    "AuditLog",
    "AuthenticationFailed",
    "ConfigError",
    "InvalidRequest",
    "InvalidUser",
    "NeedToKnow",
    "NotFound",
    "PermissionDenied",
    "Policy",
    "ReasonRequired",
    "SecurityContext",
    "SecurityError",
    "UnknownUser",
    "Unrestricted",
    "UserDisabled",
    "UserExists",
    "Verification",
    "Viewer",
    "cli_session",
    "display_text",
    "login",
    "may",
    "oidc_session",
    "operator_session",
    "prefetch",
    "require",
    "session_for",
    "view_hits",
    "view_nodes",
    "view_subgraph",
]
