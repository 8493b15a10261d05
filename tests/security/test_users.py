"""Accounts: argon2 hashes, disable, lockout, login and OIDC sessions, who may manage whom."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from tests.security.conftest import PASSWORD
from workbench.config import Settings
from workbench.security import (
    AccountLocked,
    AuthenticationFailed,
    InvalidUser,
    PermissionDenied,
    UnknownUser,
    UserDisabled,
    UserExists,
    login,
    oidc_session,
    operator_session,
    session_for,
)
from workbench.security.manage import add_user, set_user_disabled
from workbench.security.users import UserStore

CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def _store(tmp_path: Path, clock: Clock | None = None) -> UserStore:
    users = UserStore(tmp_path, hasher=CHEAP, clock=clock or Clock())
    users.add("coa.analyst", organisation="coa", role="analyst", password=PASSWORD, by="op")
    return users


def test_add_list_and_the_hash_never_leaves(tmp_path: Path) -> None:
    users = _store(tmp_path)
    user = users.list()[0]
    assert (user.username, user.organisation, user.role, user.disabled) == (
        "coa.analyst",
        "coa",
        "analyst",
        False,
    )
    assert "hash" not in repr(user) and user.local_password
    stored = sqlite3.connect(users.path).execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert (users.path.stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize(
    ("name", "org", "role", "password", "error"),
    [
        ("<b>x</b>", "coa", "analyst", PASSWORD, InvalidUser),
        ("Coa.Analyst", "coa", "analyst", PASSWORD, InvalidUser),
        ("x.y", "police", "analyst", PASSWORD, InvalidUser),
        ("x.y", "coa", "root", PASSWORD, InvalidUser),
        ("x.y", "coa", "analyst", "short", InvalidUser),
        ("coa.analyst", "coa", "analyst", PASSWORD, UserExists),
    ],
)
def test_bad_accounts_are_refused(
    tmp_path: Path, name: str, org: str, role: str, password: str, error: type[Exception]
) -> None:
    users = _store(tmp_path)
    with pytest.raises(error):
        users.add(name, organisation=org, role=role, password=password, by="op")


def test_authenticate_wrong_unknown_disabled(tmp_path: Path) -> None:
    users = _store(tmp_path)
    assert users.authenticate("coa.analyst", PASSWORD).username == "coa.analyst"
    with pytest.raises(AuthenticationFailed, match="unknown user or wrong password"):
        users.authenticate("coa.analyst", "wrong password here")
    with pytest.raises(AuthenticationFailed, match="unknown user or wrong password"):
        users.authenticate("nobody", PASSWORD)
    users.set_disabled("coa.analyst", True)
    with pytest.raises(UserDisabled):
        users.authenticate("coa.analyst", PASSWORD)
    users.set_disabled("coa.analyst", False)
    assert users.authenticate("coa.analyst", PASSWORD)
    with pytest.raises(UnknownUser):
        users.set_disabled("nobody", True)


def test_five_failures_lock_the_account_for_a_while(tmp_path: Path) -> None:
    clock = Clock()
    users = _store(tmp_path, clock)
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            users.authenticate("coa.analyst", "wrong password here")
    with pytest.raises(AccountLocked):
        users.authenticate("coa.analyst", PASSWORD)  # even the right password
    clock.now += dt.timedelta(minutes=16)
    assert users.authenticate("coa.analyst", PASSWORD)


def test_weak_hashes_are_upgraded_at_login(tmp_path: Path) -> None:
    _store(tmp_path)
    strong = UserStore(tmp_path, hasher=PasswordHasher(time_cost=2, memory_cost=2048))
    strong.authenticate("coa.analyst", PASSWORD)
    stored = sqlite3.connect(strong.path).execute("SELECT password_hash FROM users").fetchone()[0]
    assert "m=2048,t=2" in stored


def test_login_audits_success_and_failure(settings: Settings) -> None:
    ctx = login(settings, "coa.analyst", PASSWORD)
    assert ctx.viewer.organisation == "coa" and ctx.viewer.role == "analyst"
    with pytest.raises(AuthenticationFailed):
        login(settings, "coa.analyst", "not the password")
    events = ctx.audit.events(action="login")
    assert [(e.actor, e.details["outcome"]) for e in events] == [
        ("coa.analyst", "failed"),
        ("coa.analyst", "ok"),
    ]


def test_session_for_refuses_a_disabled_account(settings: Settings) -> None:
    set_user_disabled(operator_session(settings), "coa.analyst", disabled=True)
    with pytest.raises(UserDisabled):
        session_for(settings, "coa.analyst")
    with pytest.raises(UnknownUser):
        session_for(settings, "nobody")


def test_oidc_claims_give_role_and_organisation(settings: Settings) -> None:
    claims = {"preferred_username": "Kmar.Analyst", "workbench_role": "analyst",
              "workbench_organisation": "kmar"}  # fmt: skip
    ctx = oidc_session(settings, claims)
    assert ctx.viewer.username == "kmar.analyst" and ctx.viewer.organisation == "kmar"
    with pytest.raises(AuthenticationFailed, match="claims"):
        oidc_session(settings, {**claims, "workbench_role": "superuser"})
    set_user_disabled(operator_session(settings), "coa.analyst", disabled=True)
    with pytest.raises(AuthenticationFailed):
        oidc_session(settings, {**claims, "preferred_username": "coa.analyst"})
    outcomes = [e.details["outcome"] for e in ctx.audit.events(action="login")]
    assert outcomes == ["refused", "refused", "ok"]


def test_admins_manage_their_own_organisation_only(settings: Settings) -> None:
    admin = session_for(settings, "coa.admin")
    add_user(admin, "coa.new", organisation="coa", role="analyst", password=None)
    with pytest.raises(PermissionDenied, match="may not add accounts of ind"):
        add_user(admin, "ind.fake", organisation="ind", role="coordinator", password=None)
    with pytest.raises(PermissionDenied, match="may not change accounts of ind"):
        set_user_disabled(admin, "ind.analyst", disabled=True)
    with pytest.raises(PermissionDenied, match="needs the role admin"):
        add_user(session_for(settings, "coa.analyst"), "coa.x", organisation="coa",
                 role="admin", password=None)  # fmt: skip
    events = admin.audit.events(action="user")
    assert [(e.actor, e.target, e.details["change"]) for e in events] == [
        ("coa.admin", "coa.new", "add")
    ]
