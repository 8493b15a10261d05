"""One entry point that wires who is asking to what they may see and where it is recorded.

The UI and the CLI build a :class:`SecurityContext` the same way:

- UI, local accounts: ``login(settings, username, password, store=store)``
  once (audited), then ``session_for(settings, username, store=store)`` per
  page run (re-checks that the account is still enabled);
- UI, OIDC (``st.login``): ``oidc_session(settings, st.user, store=store)``;
- CLI: ``cli_session(settings, as_user, store=store)``: the named local
  operator (``WORKBENCH_OPERATOR``), or with ``--as USER`` /
  ``WORKBENCH_USER`` that user's viewpoint, recorded as the operator acting
  for them.

``ctx.policy`` is the viewer's :class:`~workbench.security.policy.NeedToKnow`;
``ctx.record`` has the ``(action, details)`` shape the query layer and the
dossier export take as their audit sink.

The local operator is the custodian of the data directory (they can read
its files anyway). They act as an ``admin`` of the ``joint`` organisation:
they manage accounts, purge and read the whole audit log, but see signal
content as a joint-team member does (hard signals, soft ones
pseudonymised), never more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from workbench.config import Settings
from workbench.security.audit import AuditEvent, AuditLog
from workbench.security.cases import CaseBook, case_releases
from workbench.security.config import pseudonym_secret
from workbench.security.errors import (
    AccountLocked,
    AuthenticationFailed,
    InvalidUser,
    UnknownUser,
    UserDisabled,
)
from workbench.security.localdb import Clock, utcnow
from workbench.security.policy import NeedToKnow, Viewer
from workbench.security.pseudonyms import Pseudonymiser
from workbench.security.releases import ReleaseBook
from workbench.security.requests import RequestBook
from workbench.security.sharing import SharingRules
from workbench.security.users import User, UserStore, check_user
from workbench.store import GraphStore

OIDC_ROLE_CLAIM = "workbench_role"
OIDC_ORGANISATION_CLAIM = "workbench_organisation"


@dataclass
class SecurityContext:
    """A viewer, their need-to-know policy and the audit log, for one request or command."""

    viewer: Viewer
    settings: Settings
    store: GraphStore | None = None
    via: str = "ui"
    operator: str | None = None  # the local operator acting for ``viewer`` on the CLI
    custodian: bool = False  # the local operator acting as themselves
    clock: Clock = utcnow  # when releases lapse (tests pass their own)
    audit: AuditLog = field(init=False)
    users: UserStore = field(init=False)
    releases: ReleaseBook = field(init=False)
    requests: RequestBook = field(init=False)
    cases: CaseBook = field(init=False)

    def __post_init__(self) -> None:
        self.audit = AuditLog(self.settings.home)
        self.users = UserStore(self.settings.home)
        self.releases = ReleaseBook(self.settings.home, clock=self.clock)
        self.requests = RequestBook(self.settings.home, clock=self.clock)
        self.cases = CaseBook(self.settings.home, clock=self.clock)

    @cached_property
    def policy(self) -> NeedToKnow:
        """The viewer's need-to-know policy (needs ``store``); releases past their term
        lapse first, so a term ends at the next read without anyone running a command.
        A release to a case reaches this viewer only while they are a member of it and
        it is not closed."""
        from workbench.security.exchange import apply_lapses

        if self.store is None:
            raise ValueError("this security context has no graph store; pass store=...")
        apply_lapses(self)
        org = self.viewer.organisation
        colleagues = frozenset(u.username for u in self.users.list() if u.organisation == org)
        return NeedToKnow(
            self.viewer,
            self.store,
            rules=SharingRules.load(self.settings.home),
            releases=case_releases(
                self.releases.active(),
                [c.id for c in self.cases.of_member(self.viewer.username, live=True)],
                org,
            ),
            pseudonym=Pseudonymiser(pseudonym_secret(self.settings.home), org),
            colleagues=colleagues,
            custodian=self.custodian,
        )

    def visibility_version(self) -> str:
        """Changes whenever a release, a case's membership or its status changes: the cache
        key of pages derived from what the viewer may see."""
        return f"{self.releases.version()}/{self.cases.version()}"

    def event(self, action: str, *, target: str | None = None, **details: Any) -> AuditEvent:
        """Append an audit event by this viewer (with how they came: UI or CLI, operator)."""
        extra: dict[str, Any] = {"via": self.via}
        if self.operator:
            extra["operator"] = self.operator
        return self.audit.record(
            action, actor=self.viewer, target=target, details={**details, **extra}
        )

    def record(self, action: str, details: Mapping[str, Any]) -> None:
        """The audit sink the query layer and dossier export call: ``(action, details)``."""
        details = dict(details)
        target = details.pop("target", None)
        if target is None:
            target = next((details[k] for k in ("id", "cluster", "person") if details.get(k)), None)
        self.event(action, target=None if target is None else str(target), **details)


def _viewer(user: User) -> Viewer:
    return Viewer(user.username, user.organisation, user.role)


def session_for(
    settings: Settings,
    username: str,
    *,
    store: GraphStore | None = None,
    via: str = "ui",
    operator: str | None = None,
) -> SecurityContext:
    """The context of an already authenticated user; refuses disabled accounts."""
    user = UserStore(settings.home).get(username)
    if user.disabled:
        raise UserDisabled(f"the account {username!r} is disabled")
    return SecurityContext(_viewer(user), settings, store, via=via, operator=operator)


def login(
    settings: Settings, username: str, password: str, *, store: GraphStore | None = None
) -> SecurityContext:
    """Check a local password and audit the attempt either way."""
    audit = AuditLog(settings.home)
    try:
        user = UserStore(settings.home).authenticate(username, password)
    except AuthenticationFailed as exc:
        outcome = {UserDisabled: "disabled", AccountLocked: "locked"}.get(type(exc), "failed")
        audit.record(
            "login",
            actor=Viewer(username, "-", "-"),
            details={"outcome": outcome, "method": "local", "via": "ui"},
        )
        raise
    ctx = SecurityContext(_viewer(user), settings, store)
    ctx.event("login", outcome="ok", method="local")
    return ctx


def oidc_session(
    settings: Settings, claims: Mapping[str, Any], *, store: GraphStore | None = None
) -> SecurityContext:
    """A context from an identity provider's claims (``st.user`` after ``st.login``).

    The user name is ``preferred_username`` (else ``email``, else ``sub``);
    role and organisation come from the ``workbench_role`` and
    ``workbench_organisation`` claims. A local account of the same name that
    is disabled still refuses the login.
    """
    username = str(
        claims.get("preferred_username") or claims.get("email") or claims.get("sub") or ""
    )
    role = str(claims.get(OIDC_ROLE_CLAIM) or "")
    org = str(claims.get(OIDC_ORGANISATION_CLAIM) or "")
    audit = AuditLog(settings.home)
    try:
        check_user(username.lower(), org, role)
        try:
            if UserStore(settings.home).get(username.lower()).disabled:
                raise UserDisabled(f"the account {username!r} is disabled")
        except UnknownUser:
            pass
    except (InvalidUser, UserDisabled) as exc:
        audit.record(
            "login",
            actor=Viewer(username, org or "-", role or "-"),
            details={"outcome": "refused", "method": "oidc", "why": str(exc)},
        )
        raise AuthenticationFailed(f"the identity provider's claims are not usable: {exc}") from exc
    ctx = SecurityContext(Viewer(username.lower(), org, role), settings, store)
    ctx.event("login", outcome="ok", method="oidc")
    return ctx


def operator_session(settings: Settings, *, store: GraphStore | None = None) -> SecurityContext:
    """The named local operator (``WORKBENCH_OPERATOR``): custodian, joint admin."""
    viewer = Viewer(settings.operator, "joint", "admin")
    return SecurityContext(viewer, settings, store, via="cli", custodian=True)


def cli_session(
    settings: Settings, as_user: str | None, *, store: GraphStore | None = None
) -> SecurityContext:
    """A CLI command's context: the operator, or the operator acting as ``as_user``."""
    if not as_user:
        return operator_session(settings, store=store)
    return session_for(settings, as_user, store=store, via="cli", operator=settings.operator)
