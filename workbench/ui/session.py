"""Who is using the UI: the one place where sign-in is wired to the query layer.

A browser session keeps the signed-in user's *name* and nothing else about
them (``st.session_state``). Every run of a page builds the viewer's security
context afresh from that name (:func:`~workbench.security.session_for`), and
from it the query :class:`~workbench.query.Session` the pages read through:
a disabled account ends the session at the next click, and a release or a
revocation applies to the next page drawn, not to the next sign-in.

With Streamlit's authentication configured (an ``[auth]`` section in
``.streamlit/secrets.toml``), a user signed in at the identity provider
(``st.login``) is taken from ``st.user``: their role and organisation are the
claims ``workbench_role`` and ``workbench_organisation``
(:func:`~workbench.security.oidc_session`).

Each browser session gets its own store handle: a store object holds its
open unit of work, so it must not be shared between Streamlit's threads.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import streamlit as st

from workbench.config import Settings
from workbench.query import Session
from workbench.security import (
    AuthenticationFailed,
    SecurityContext,
    UnknownUser,
    UserDisabled,
    Viewer,
    oidc_session,
    session_for,
)
from workbench.security.session import OIDC_ORGANISATION_CLAIM, OIDC_ROLE_CLAIM
from workbench.security.users import UserStore
from workbench.security.websessions import COOKIE, WebSessionBook
from workbench.store import GraphStore, open_store

log = logging.getLogger(__name__)
USER_KEY = "workbench_user"  # the signed-in user's name: all the sign-in state kept
STORE_KEY = "workbench_store"  # this browser session's store handle
RUN_KEY = "workbench_run_session"  # this run's query session, replaced on every run
CTX_KEY = "workbench_run_context"  # this run's security context (for governed actions)
WEB_KEY = "workbench_web_session"  # the id of this sign-in's web session (the cookie's row)
TICKET_KEY = "workbench_cookie_ticket"  # the one-time ticket until the browser traded it
CLEAR_KEY = "workbench_cookie_clear"  # after a sign-out: have the browser drop the cookie
HOME_KEY = "workbench_home"  # the data directory of this run's settings (governance files)


class SessionEnded(Exception):
    """The signed-in user may no longer use the workbench (account disabled or gone,
    or the identity provider's claims are not usable)."""


def oidc_configured() -> bool:
    """True when ``secrets.toml`` has an ``[auth]`` section, so ``st.login`` can be offered."""
    return st.secrets.load_if_toml_exists() and isinstance(st.secrets.get("auth"), Mapping)


def oidc_claims() -> dict[str, Any] | None:
    """The identity provider's claims of a user signed in with ``st.login``; else None."""
    if not oidc_configured():
        return None
    claims = dict(st.user.to_dict())
    return claims if claims.get("is_logged_in") is True else None


def browser_store(settings: Settings) -> GraphStore:
    """This browser session's store handle, opened on first use."""
    store = st.session_state.get(STORE_KEY)
    if store is None:
        store = open_store(settings)
        st.session_state[STORE_KEY] = store
        log.info("UI store handle on %s", store.location)
    return cast(GraphStore, store)


def _oidc_context(
    settings: Settings, claims: Mapping[str, Any], store: GraphStore
) -> SecurityContext:
    """The context of an OIDC user: signed in (and audited) once per browser session;
    on later runs the claims checked then, and the local account of that name re-checked.

    ``st.user`` is read from the identity cookie when the browser session starts
    and cannot change within it, so the claims are the same on every run.
    """
    username = st.session_state.get(USER_KEY)
    if username is None:
        ctx = oidc_session(settings, claims, store=store)
        st.session_state[USER_KEY] = ctx.viewer.username
        return ctx
    try:
        if UserStore(settings.home).get(username).disabled:
            raise UserDisabled(f"the account {username!r} is disabled")
    except UnknownUser:
        pass  # OIDC users need no local account
    org, role = (str(claims.get(c) or "") for c in (OIDC_ORGANISATION_CLAIM, OIDC_ROLE_CLAIM))
    return SecurityContext(Viewer(username, org, role), settings, store)


def start_web_session(settings: Settings, username: str) -> None:
    """After a sign-in: a web session, and its ticket for the browser to trade for the
    cookie (``workbench.ui.cookie``), so that a reload keeps the user signed in."""
    lifetime = dt.timedelta(hours=settings.session_hours)
    started, ticket = WebSessionBook(settings.home).start(username, lifetime=lifetime)
    st.session_state[WEB_KEY] = started.id
    st.session_state[TICKET_KEY] = ticket


def end_web_session(settings: Settings) -> int | None:
    """At sign-out: end this sign-in's web session; its id (for the audit), if any."""
    session_id = st.session_state.get(WEB_KEY)
    if isinstance(session_id, int) and WebSessionBook(settings.home).end(session_id):
        return session_id
    return None


def _from_cookie(settings: Settings) -> SecurityContext | None:
    """The user a reload brings back by the session cookie, or None; an expired session is
    ended and audited."""
    token = st.context.cookies.get(COOKIE)
    if not isinstance(token, str) or not token:
        return None
    found = WebSessionBook(settings.home).resume(token)
    if found is None:
        return None
    try:
        ctx = session_for(settings, found.username, store=browser_store(settings))
    except (AuthenticationFailed, UnknownUser):
        return None  # disabled or gone: the sign-in form, as for anyone else
    if found.end_reason == "expired":
        ctx.event("session_expired", web_session=found.id, expired_at=found.expires_at)
        return None
    st.session_state[USER_KEY] = found.username
    st.session_state[WEB_KEY] = found.id
    ctx.event("session_resumed", web_session=found.id)
    return ctx


def signed_in(settings: Settings) -> SecurityContext | None:
    """This run's context of the signed-in user, or None when nobody is signed in.

    Raises :class:`SessionEnded` (and forgets the user) when the account can no
    longer be used.
    """
    claims = oidc_claims()
    username = st.session_state.get(USER_KEY)
    if claims is None and not username:
        return _from_cookie(settings)
    store = browser_store(settings)
    try:
        if claims is not None:
            return _oidc_context(settings, claims, store)
        return session_for(settings, str(username), store=store)
    except (AuthenticationFailed, UnknownUser) as exc:
        forget()
        log.warning("UI session ended: %s", exc)
        raise SessionEnded(
            "You are signed out: this account cannot use the workbench now. "
            "Ask your organisation's administrator."
        ) from exc


def begin_run(ctx: SecurityContext) -> Session:
    """The query session of this run, read by every page through :func:`current_session`."""
    store = ctx.store if ctx.store is not None else browser_store(ctx.settings)
    session = Session(store=store, policy=ctx.policy, audit=ctx.record)
    st.session_state[RUN_KEY] = session
    st.session_state[CTX_KEY] = ctx
    st.session_state[HOME_KEY] = ctx.settings.home
    return session


def current_context() -> SecurityContext:
    """This run's security context: for governed actions (requests, decisions on them)."""
    ctx = st.session_state.get(CTX_KEY)
    if not isinstance(ctx, SecurityContext):
        st.stop()
    return ctx


def home() -> Path:
    """The data directory of this run (watches and other governance files live there)."""
    found = st.session_state.get(HOME_KEY)
    if not isinstance(found, Path):
        st.stop()  # nobody signed in: the router shows the sign-in form instead
    return found


def current_session() -> Session:
    """This run's query session (made by the router, ``app.py``, before the page runs)."""
    session = st.session_state.get(RUN_KEY)
    if not isinstance(session, Session):
        st.stop()  # nobody signed in: the router shows the sign-in form instead
    return session


def forget() -> None:
    """Forget everything this browser session held for its user; keep the store handle."""
    for key in list(st.session_state.keys()):
        if key != STORE_KEY:
            del st.session_state[key]
