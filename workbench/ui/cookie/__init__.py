"""The session cookie, set and cleared by the browser at the UI's own route.

Streamlit pages cannot answer with HTTP headers, so the cookie is set by a
response of ``/_workbench/session`` (``workbench/ui/serve.py``) to a request
this invisible component makes from the same origin: with a one-time ticket
after a sign-in, without one to clear it after a sign-out. See
``workbench/security/websessions.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import streamlit.components.v1 as components

FRONTEND = Path(__file__).resolve().parent / "frontend"
_component = components.declare_component("session_cookie", path=str(FRONTEND))


def set_cookie(ticket: str) -> int | None:
    """Have the browser trade ``ticket`` for the session cookie; the route's HTTP status
    once the browser has answered (204: set), else None."""
    return cast(
        int | None, _component(action="start", ticket=ticket, key="session-cookie-start",
                               default=None)
    )  # fmt: skip


def clear_cookie() -> int | None:
    """Have the browser drop the session cookie (the session has ended on the server)."""
    return cast(
        int | None, _component(action="end", ticket="", key="session-cookie-end", default=None)
    )
