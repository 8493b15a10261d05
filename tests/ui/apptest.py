"""Driving the app with Streamlit's AppTest: sign in, open a page, read what it shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.accounts import ANALYST, PASSWORD

APP = Path(__file__).resolve().parents[2] / "workbench" / "ui" / "app.py"
SEARCH = "views/search.py"


def fresh(home: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app on ``home``, not run yet, nobody signed in."""
    monkeypatch.setenv("WORKBENCH_HOME", str(home))
    return AppTest.from_file(str(APP), default_timeout=60)


def sign_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    """Fill in and send the sign-in form."""
    at.text_input(key="login-user").input(username)
    at.text_input(key="login-password").input(password)
    return at.button(key="login-submit").click().run()


def app(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    page: str | None = None,
    *,
    user: str = ANALYST,
    **params: str,
) -> AppTest:
    """The app signed in as ``user``, on ``page`` with ``params``."""
    at = sign_in(fresh(home, monkeypatch).run(), user)
    if page:
        at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def links(at: AppTest) -> list[str]:
    return [str(e.proto.label) for e in at.get("page_link")]


def texts(at: AppTest) -> str:
    return "\n".join(str(t.value) for t in [*at.text, *at.caption, *at.info, *at.title])
