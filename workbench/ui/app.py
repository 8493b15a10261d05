"""The UI's entry point and router: one frame, six pages, chosen per rerun.

Run with ``workbench ui`` (Streamlit, bound to 127.0.0.1). Pages live in
``views/`` and read only through :mod:`workbench.query`.
"""

from __future__ import annotations

import streamlit as st

from workbench.ui.session import current_session

# No icons: Streamlit fetches Material icons from a font CDN, and the UI must
# work without internet (the browser tests fail on any external request).
PAGES = [
    ("views/search.py", "Search", "search"),
    ("views/entity.py", "Entity", "entity"),
    ("views/network.py", "Network", "network"),
    ("views/clusters.py", "Clusters", "clusters"),
    ("views/review.py", "Review", "review"),
    ("views/alerts.py", "Alerts", "alerts"),
]


def main() -> None:
    st.set_page_config(page_title="Signal workbench", layout="wide")
    session = current_session()
    pages = [
        st.Page(path, title=title, url_path=url, default=i == 0)
        for i, (path, title, url) in enumerate(PAGES)
    ]
    page = st.navigation(pages)
    with st.sidebar:
        st.caption("Synthetic data only · need-to-know applies · every view is audited")
        st.text(f"Signed in as {session.viewer.username} ({session.viewer.role})")
    page.run()


if __name__ == "__main__":
    main()
