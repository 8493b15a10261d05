"""The UI server: Streamlit's app (``app.py``) plus the one route that sets the cookie.

``workbench ui`` runs ``streamlit run`` on this file; Streamlit finds ``app``
(an ``st.App``) and serves the pages as before, with ``/_workbench/session``
beside them: POST a sign-in's one-time ticket to get the HTTP-only session
cookie, DELETE to clear it (``workbench/security/websessions.py``).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workbench.config import Settings
from workbench.security.websessions import COOKIE, WebSessionBook

ROUTE = "/_workbench/session"
MAX_TICKET = 256


async def session_cookie(request: Request) -> Response:
    """Set the session cookie for a valid ticket (POST), or clear it (DELETE)."""
    secure = request.url.scheme == "https" or request.url.hostname in ("127.0.0.1", "localhost")
    if request.method == "DELETE":
        response = Response(status_code=204)
        response.delete_cookie(COOKIE, path="/", secure=secure, httponly=True, samesite="strict")
        return response
    ticket = (await request.body())[:MAX_TICKET].decode("ascii", "replace")
    settings = Settings.from_env()
    found = await run_in_threadpool(WebSessionBook(settings.home).redeem, ticket)
    if found is None:
        return Response(status_code=403)
    _, token = found
    response = Response(status_code=204)
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(settings.session_hours * 3600),
        path="/",
        secure=secure,
        httponly=True,
        samesite="strict",
    )
    return response


app = st.App(
    str(Path(__file__).resolve().with_name("app.py")),
    routes=[Route(ROUTE, session_cookie, methods=["POST", "DELETE"])],
)
