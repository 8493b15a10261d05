"""Typed errors of security and governance, with messages a user can act on."""

from __future__ import annotations


class SecurityError(Exception):
    """Base class of every security and governance error."""


class ConfigError(SecurityError, ValueError):
    """A sharing, retention or key configuration cannot be used (names the file and key)."""


class InvalidUser(SecurityError, ValueError):
    """A user name, role, organisation or password does not meet the rules."""


class UserExists(SecurityError):
    """A user of that name exists already (disabled users keep their name)."""


class UnknownUser(SecurityError):
    """No user of that name exists."""


class AuthenticationFailed(SecurityError):
    """Wrong user name or password (deliberately does not say which)."""


class UserDisabled(AuthenticationFailed):
    """The account is disabled; an administrator can enable it again."""


class AccountLocked(AuthenticationFailed):
    """Too many failed logins in a row; the account is locked for a while."""


class PermissionDenied(SecurityError):
    """The viewer's role or organisation does not allow this action."""


class ReasonRequired(SecurityError, ValueError):
    """An export (or another justified action) was attempted without a stated reason."""


class NotFound(SecurityError, LookupError):
    """The signal or other item named does not exist (or was purged)."""


class InvalidRequest(SecurityError, ValueError):
    """A governance request that cannot be carried out as asked (e.g. a shorter retention)."""
