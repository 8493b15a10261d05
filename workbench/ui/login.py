"""Signing in and out: the form shown instead of any page, and the account box.

One message for every failed sign-in (unknown name, wrong password, locked or
disabled account), so the form cannot be used to find out who has an account;
the audit log records which it was (``login``). The password field is cleared
when the form is sent, so it never stays in the session's widget state.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping

import streamlit as st

from workbench.config import Settings
from workbench.security import AuthenticationFailed, SecurityContext, login
from workbench.ui.cookie import clear_cookie
from workbench.ui.session import (
    CLEAR_KEY,
    USER_KEY,
    end_web_session,
    forget,
    oidc_claims,
    oidc_configured,
    start_web_session,
)

FAILED = (
    "Sign-in failed. Check your user name and password; after five failures in a row "
    "an account is locked for 15 minutes."
)
CAPTION = "Synthetic data only · need-to-know applies · every view is audited"


def oidc_providers() -> list[str | None]:
    """The providers of ``[auth]``: named ``[auth.NAME]`` sections, else the one default."""
    auth = st.secrets.get("auth") or {}
    named = [str(k) for k, v in auth.items() if isinstance(v, Mapping) and "client_id" in v]
    return list(named) if named else [None]


def oidc_buttons() -> None:
    """Sign in at the organisation's identity provider (``st.login``), when configured."""
    if importlib.util.find_spec("authlib") is None:
        st.warning(
            "Sign-in with an identity provider is configured but needs Authlib: "
            "install `streamlit[auth]`. Local accounts still work."
        )
        return
    for provider in oidc_providers():
        label = f"Sign in with {provider}" if provider else "Sign in with your organisation"
        if st.button(label, key=f"oidc-{provider or 'default'}", type="primary"):
            st.login(provider)


def login_page(settings: Settings, notice: str | None = None) -> None:
    """The only thing shown until someone signs in."""
    st.title("Sign in")
    st.caption(CAPTION)
    if st.session_state.pop(CLEAR_KEY, None):
        clear_cookie()  # the session ended on the server; the browser drops its cookie
    if notice:
        st.warning(notice)
    if oidc_configured():
        if oidc_claims() is not None:  # signed in at the provider, refused here
            if st.button("Sign out of the identity provider", key="oidc-logout"):
                st.logout()
            return
        oidc_buttons()
        st.caption("or with a local account")
    with st.form("login", clear_on_submit=True):
        username = st.text_input("User name", key="login-user", autocomplete="username")
        password = st.text_input(
            "Password", type="password", key="login-password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("Sign in", type="primary", key="login-submit")
    if not submitted:
        return
    del st.session_state["login-password"]  # the browser clears the field; so does the server
    try:
        ctx = login(settings, username.strip().lower(), password)
    except AuthenticationFailed:
        st.error(FAILED)
        return
    forget()
    st.session_state[USER_KEY] = ctx.viewer.username
    start_web_session(settings, ctx.viewer.username)
    st.rerun()


def account_box(ctx: SecurityContext) -> None:
    """Who is signed in (organisation, role), and the sign-out button; in the sidebar."""
    viewer = ctx.viewer
    with st.sidebar:
        st.caption(CAPTION)
        st.text(f"Signed in as {viewer.username}\n{viewer.organisation} · {viewer.role}")
        if st.button("Sign out", key="sign-out"):
            oidc = oidc_claims() is not None
            ended = end_web_session(ctx.settings)
            ctx.event("logout", method="oidc" if oidc else "local", web_session=ended)
            forget()
            st.session_state[CLEAR_KEY] = True
            if oidc:
                st.logout()  # also ends this browser session
                st.stop()
            st.rerun()
