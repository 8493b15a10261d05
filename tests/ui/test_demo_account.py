"""``workbench demo`` leaves an account to sign in to the UI with: made once, never replaced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.ui.accounts import PASSWORD
from workbench.cli.main import app
from workbench.cli.ui import DEMO_PASSWORD_ENV, DEMO_TEAM, ensure_demo_account
from workbench.config import Settings
from workbench.security import AuditLog, AuthenticationFailed, InvalidUser, login


def test_demo_creates_the_account_once_and_shows_a_generated_password(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {DEMO_PASSWORD_ENV: "", "WORKBENCH_OPERATOR": "local:tester"}
    args = ["--home", str(home), "demo", "--out", str(tmp_path / "in"), "--persons", "100"]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    said = re.search(
        r"demo account created .*\n  user name: demo\n  password:  (\S+)\n", result.output
    )
    assert said, result.output
    user = login(Settings(home=home), "demo", said.group(1)).viewer
    assert (user.organisation, user.role) == ("joint", "analyst")
    # partners of other organisations and roles, with the same password, to try the
    # workflows between organisations
    assert "partner accounts, each with the same password:" in result.output
    for username, organisation, role in DEMO_TEAM:
        assert username in result.output
        partner = login(Settings(home=home), username, said.group(1)).viewer
        assert (partner.organisation, partner.role) == (organisation, role)
    added = AuditLog(home).events(action="user", target="demo")  # audited, as every account
    assert [(e.actor, e.details["change"]) for e in added] == [("local:tester", "add")]
    # a second time: kept as it is, and the password is not shown again
    again = ensure_demo_account(Settings(home=home), PASSWORD)
    assert not again.created and again.generated_password is None
    with pytest.raises(AuthenticationFailed):
        login(Settings(home=home), "demo", PASSWORD)


def test_the_demo_password_can_be_chosen(tmp_path: Path) -> None:
    account = ensure_demo_account(Settings(home=tmp_path), PASSWORD)
    assert account.created and account.generated_password is None
    assert login(Settings(home=tmp_path), "demo", PASSWORD).viewer.username == "demo"


def test_a_short_demo_password_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidUser, match="at least 12"):
        ensure_demo_account(Settings(home=tmp_path), "short")
