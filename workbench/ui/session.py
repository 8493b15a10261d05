"""Who is using the UI: the one place where login is wired to the query layer.

Until the security work provides users and authentication, the viewer is
the configured operator (``WORKBENCH_OPERATOR``) and the policy lets them
see everything; audit events go to the ``workbench.audit`` log. Replace
``make_session`` (or ``policy_for`` and ``audit_for``) to wire real login,
need-to-know policies and the hash-chained audit log; no page changes.

Each browser session gets its own store handle: a store object holds its
open unit of work, so it must not be shared between Streamlit's threads.
"""

from __future__ import annotations

import logging

import streamlit as st

from workbench.config import Settings
from workbench.query import AuditFn, Session, log_audit
from workbench.security.policy import Policy, Unrestricted, Viewer
from workbench.store import open_store

log = logging.getLogger(__name__)
SESSION_KEY = "workbench_session"


def viewer_from(settings: Settings) -> Viewer:
    """The signed-in user; for now the local operator, as an analyst."""
    return Viewer(username=settings.operator, organisation="joint", role="analyst")


def policy_for(viewer: Viewer) -> Policy:
    """The need-to-know policy for ``viewer`` (to be replaced by the real one)."""
    return Unrestricted(viewer=viewer)


def audit_for(viewer: Viewer) -> AuditFn:
    """Where this viewer's searches, views and decisions are recorded."""
    return log_audit


def make_session(settings: Settings | None = None) -> Session:
    """A new query-layer session for the configured store and the signed-in user."""
    settings = settings or Settings.from_env()
    viewer = viewer_from(settings)
    return Session(store=open_store(settings), policy=policy_for(viewer), audit=audit_for(viewer))


def current_session() -> Session:
    """This browser session's query-layer session, made on first use."""
    session = st.session_state.get(SESSION_KEY)
    if not isinstance(session, Session):
        session = make_session()
        st.session_state[SESSION_KEY] = session
        log.info("UI session for %s on %s", session.viewer.username, session.store.location)
    return session
