"""The UI's entry point and router: sign-in, then one frame and its pages, chosen per rerun.

Run with ``workbench ui`` (Streamlit, bound to 127.0.0.1). Until someone signs
in, the sign-in form is all there is: the pages are registered but hidden and
not run, so the address asked for (``/entity?id=...``) is kept and opens after
sign-in. Pages live in ``views/`` and read only through :mod:`workbench.query`,
with the query session this run built for the signed-in user.
"""

from __future__ import annotations

import streamlit as st

from workbench.config import Settings
from workbench.query import Session
from workbench.query.exchange import waiting as requests_waiting
from workbench.security import SecurityContext
from workbench.ui.cases import case_title
from workbench.ui.cookie import set_cookie
from workbench.ui.login import account_box, login_page
from workbench.ui.session import TICKET_KEY, SessionEnded, begin_run, signed_in

# Material icons come with Streamlit 1.67 (its bundled MaterialSymbols font, served from
# /static). Only the tab's favicon would be fetched from a font server (the current
# page's icon as an SVG from fonts.gstatic.com), so the app sets its own: an emoji,
# drawn by the browser as a data: URL. The browser tests fail on any external request.
FAVICON = "🗂️"
PAGES = [
    ("views/desk.py", "Desk", "desk", ":material/today:"),
    ("views/search.py", "Search", "search", ":material/search:"),
    ("views/entity.py", "Entity", "entity", ":material/person:"),
    ("views/network.py", "Network", "network", ":material/hub:"),
    ("views/clusters.py", "Clusters", "clusters", ":material/group_work:"),
    ("views/review.py", "Review", "review", ":material/rule:"),
    ("views/alerts.py", "Alerts", "alerts", ":material/notifications:"),
    ("views/requests.py", "Requests", "requests", ":material/inbox:"),
    ("views/my_requests.py", "My requests", "my-requests", ":material/outbox:"),
    ("views/cases.py", "Cases", "cases", ":material/folder_shared:"),
]


def _title(title: str, ctx: SecurityContext | None, session: Session | None) -> str:
    """A page's title in the sidebar: Requests counts what waits for the viewer's decision,
    Cases the open deconfliction notices (both read through the query layer)."""
    if ctx is None or session is None:
        return title
    if title == "Cases":
        return case_title(ctx, session)
    if title == "Requests":
        waiting = requests_waiting(session, ctx.requests)
        return f"Requests ({waiting})" if waiting else title
    return title


def main() -> None:
    st.set_page_config(page_title="Signal workbench", page_icon=FAVICON, layout="wide")
    settings = Settings.from_env()
    notice = None
    try:
        ctx = signed_in(settings)
    except SessionEnded as exc:
        ctx, notice = None, str(exc)
    session = begin_run(ctx) if ctx is not None else None
    pages = [
        st.Page(path, title=_title(title, ctx, session), url_path=url, icon=icon, default=i == 0)
        for i, (path, title, url, icon) in enumerate(PAGES)
    ]
    if ctx is None:
        st.navigation(pages, position="hidden")  # registered, not run: the address stays
        login_page(settings, notice)
        return
    ticket = st.session_state.pop(TICKET_KEY, None)
    if isinstance(ticket, str):
        # drawn on this run only, in the sidebar: in the page it would shift the page's
        # elements on the next run, and Streamlit would mount the page's components anew
        with st.sidebar:
            set_cookie(ticket)  # the browser trades it at once
    page = st.navigation(pages)
    account_box(ctx)
    page.run()


if __name__ == "__main__":
    main()
