"""Organisations, roles and what each role may do.

Roles say what a user may *do*; what they may *see* follows from their
organisation and the sharing rules (``sharing.py``), whatever their role. In
particular ``admin`` manages accounts, runs retention purges and reads the
audit log, but sees signal content exactly as the rest of their
organisation does: no role bypasses need-to-know.
"""

from __future__ import annotations

from typing import Protocol

from workbench.security.errors import PermissionDenied

ORGANISATIONS = ("politie", "kmar", "ind", "coa", "joint")
ROLES = ("analyst", "investigator", "coordinator", "admin")

_ALL = frozenset(ROLES)
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": _ALL,  # search and view, always through the sharing rules
    "annotate": _ALL,
    "decide": frozenset({"analyst", "investigator", "coordinator"}),  # match decisions
    "export": frozenset({"investigator", "coordinator"}),  # dossiers, with a reason
    "release": frozenset({"coordinator"}),  # own organisation's signals; decides requests
    "request": frozenset({"analyst", "investigator", "coordinator"}),  # ask a partner
    "case": frozenset({"analyst", "investigator", "coordinator"}),  # open and work cases
    "retention": frozenset({"coordinator", "admin"}),  # extend a signal's retention
    "audit": frozenset({"coordinator", "admin"}),  # own organisation's events
    "manage_users": frozenset({"admin"}),
    "purge": frozenset({"admin"}),
    "maintain_store": frozenset({"admin"}),  # check and repair the store's key index
}


class Actor(Protocol):
    """Anything with an organisation and a role (a ``Viewer``, a ``User``)."""

    @property
    def username(self) -> str: ...
    @property
    def organisation(self) -> str: ...
    @property
    def role(self) -> str: ...


def may(actor: Actor, action: str) -> bool:
    """Whether ``actor``'s role allows ``action`` (a key of :data:`PERMISSIONS`).

    >>> from workbench.security.policy import Viewer
    >>> may(Viewer("a", "coa", "analyst"), "export"), may(Viewer("b", "ind", "admin"), "purge")
    (False, True)
    """
    try:
        return actor.role in PERMISSIONS[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}; known: {', '.join(PERMISSIONS)}") from None


def require(actor: Actor, action: str) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may do ``action``."""
    if not may(actor, action):
        allowed = ", ".join(r for r in ROLES if r in PERMISSIONS[action])
        raise PermissionDenied(
            f"{actor.username} ({actor.role}, {actor.organisation}) may not {action}; "
            f"that needs the role {allowed}"
        )
