"""The session cookie, set and cleared by the browser at the UI's own route.

Streamlit pages cannot answer with HTTP headers, so the cookie is set by a
response of ``/_workbench/session`` (``workbench/ui/serve.py``) to a request
this invisible component makes from the same origin: with a one-time ticket
after a sign-in, without one to clear it after a sign-out. See
``workbench/security/websessions.py``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

FRONTEND = Path(__file__).resolve().parent / "frontend"
_component = components.declare_component("session_cookie", path=str(FRONTEND))


def set_cookie(ticket: str) -> None:
    """Have the browser trade ``ticket`` for the session cookie (once: it answers nothing
    back, so the page is not rerun while it may still be reading)."""
    _component(action="start", ticket=ticket, key="session-cookie-start", default=None)


def clear_cookie() -> None:
    """Have the browser drop the session cookie (the session has ended on the server)."""
    _component(action="end", ticket="", key="session-cookie-end", default=None)
