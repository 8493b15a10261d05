"""Signing in and out of the UI (AppTest): nothing without an account, everything audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.accounts import ANALYST, OWNER, PASSWORD
from tests.ui.apptest import SEARCH, app, fresh, links, sign_in, texts
from tests.ui.corpus import HOSTILE_PERSON, XSS_NAME, XSS_WORD
from workbench.security import AuditLog
from workbench.security.users import UserStore
from workbench.ui.login import FAILED
from workbench.ui.session import RUN_KEY, STORE_KEY, USER_KEY

AUTH = {  # an [auth] section as secrets.toml would hold it (never contacted here)
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret-not-used",
    "client_id": "workbench",
    "client_secret": "test-client-secret-not-used",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def only_the_form(at: AppTest) -> None:
    """The sign-in form and nothing of any page: no links, tables, sidebar or account."""
    assert not at.exception, [e.message for e in at.exception]
    assert [t.value for t in at.title] == ["Sign in"]
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    assert at.text_input(key="login-password").proto.type == at.text_input[1].proto.PASSWORD
    assert not links(at) and not at.dataframe and not at.sidebar.children
    assert XSS_NAME not in texts(at)
    assert USER_KEY not in at.session_state


def login_events(home: Path, actor: str) -> list[dict[str, Any]]:
    return [e.details for e in AuditLog(home).events(actor=actor, action="login")]


def test_every_page_needs_sign_in(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = fresh(home, monkeypatch).run()
    only_the_form(at)
    for page in ("views/entity.py", "views/clusters.py", "views/alerts.py"):
        at.switch_page(page)
        at.query_params["id"] = HOSTILE_PERSON
        only_the_form(at.run())


def test_wrong_password_is_refused_and_audited(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = sign_in(fresh(home, monkeypatch).run(), OWNER, "not the password at all")
    only_the_form(at)
    assert [e.value for e in at.error] == [FAILED]
    assert "login-password" not in at.session_state  # not kept in the session
    failed = login_events(home, OWNER)[0]
    assert failed["outcome"] == "failed" and failed["method"] == "local"
    # an unknown name fails with the very same message: no way to find who has an account
    at = sign_in(at, "nobody.at.all", PASSWORD)
    assert [e.value for e in at.error] == [FAILED]
    assert login_events(home, "nobody.at.all")[0]["outcome"] == "failed"


def test_sign_in_opens_the_page_asked_for_then_sign_out(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = fresh(home, monkeypatch).run()
    at.switch_page("views/entity.py")
    at.query_params["id"] = HOSTILE_PERSON
    only_the_form(at.run())
    at = sign_in(at, OWNER)
    assert not at.exception
    assert "\\<script\\>" in at.title[0].value  # the entity asked for, escaped
    assert at.session_state[USER_KEY] == OWNER
    assert "Signed in as politie.analyst\npolitie · analyst" in [t.value for t in at.sidebar.text]
    assert login_events(home, OWNER)[0] == {"outcome": "ok", "method": "local", "via": "ui"}
    viewed = AuditLog(home).events(actor=OWNER, action="view", limit=1)
    assert viewed and viewed[0].organisation == "politie"
    at.sidebar.button(key="sign-out").click().run()
    only_the_form(at)
    assert RUN_KEY not in at.session_state and STORE_KEY in at.session_state
    assert AuditLog(home).events(actor=OWNER, action="logout")


def test_pages_read_through_the_users_need_to_know(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hostile record is politie's soft signal: a joint-team analyst cannot find it."""
    assert "Nothing matches" in texts(app(home, monkeypatch, SEARCH, user=ANALYST, q=XSS_WORD))
    assert XSS_WORD in " ".join(links(app(home, monkeypatch, SEARCH, user=OWNER, q=XSS_WORD)))


def test_a_disabled_account_is_signed_out_at_the_next_click(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = UserStore(tmp_path)
    users.add("coa.analyst", organisation="coa", role="analyst", password=PASSWORD, by="test")
    at = app(tmp_path, monkeypatch, user="coa.analyst")
    assert at.title[0].value == "Your desk"
    users.set_disabled("coa.analyst", True)
    at.run()
    only_the_form(at)
    assert at.warning and "signed out" in at.warning[0].value
    assert [e.value for e in sign_in(at, "coa.analyst").error] == [FAILED]


def test_identity_provider_sign_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = fresh(tmp_path, monkeypatch)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    only_the_form(at.run())
    offered = [b.label for b in at.button] + [w.value for w in at.warning]
    assert any("organisation" in x or "Authlib" in x for x in offered)
    at.user = {
        "is_logged_in": True,
        "preferred_username": "Coa.Oidc",
        "workbench_role": "investigator",
        "workbench_organisation": "coa",
    }
    at.run()
    assert not at.exception and at.title[0].value == "Your desk"
    assert "Signed in as coa.oidc\ncoa · investigator" in [t.value for t in at.sidebar.text]
    at.run()  # a later click: the same user, not a second login
    assert [e["method"] for e in login_events(tmp_path, "coa.oidc")] == ["oidc"]


def test_identity_provider_claims_without_a_role_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = fresh(tmp_path, monkeypatch)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "someone@coa.example", "sub": "x1"}
    at.run()
    assert not at.exception and [t.value for t in at.title] == ["Sign in"]
    assert at.warning and not links(at)
    assert login_events(tmp_path, "someone@coa.example")[0]["outcome"] == "refused"
