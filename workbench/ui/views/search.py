"""Search page: persons, phones, documents, plates, facilitators and free text."""

from __future__ import annotations

from typing import cast

import streamlit as st

from workbench.query import KINDS, readiness, search
from workbench.query.search import Kind
from workbench.ui.session import current_session
from workbench.ui.text import short
from workbench.ui.widgets import attempt, entity_link

LABELS: dict[str, str] = {
    "persons": "Persons",
    "phones": "Phones",
    "documents": "Documents",
    "plates": "Plates",
    "facilitators": "Facilitators",
    "text": "Free text",
}


def render() -> None:
    session = current_session()
    st.title("Search")
    ready = readiness(session)
    if not ready.signals:
        st.info("No signals loaded yet: run `workbench load` (or `make demo`) first.")
        return
    if not ready.persons:
        st.caption("No persons resolved yet: person hits are mentions as each record wrote them.")
    with st.form("search"):
        text = st.text_input(
            "Name, phone, document, plate, alias or words", st.query_params.get("q", "")
        )
        kinds = st.pills(
            "Look for",
            list(KINDS),
            selection_mode="multi",
            default=list(KINDS),
            format_func=lambda k: LABELS[k],
        )
        submitted = st.form_submit_button("Search")
    if submitted:
        st.query_params["q"] = text
    query = text or st.query_params.get("q", "")
    if not query:
        return
    results = attempt(search, session, query, kinds=cast(list[Kind], kinds or list(KINDS)))
    if results is None:
        return
    if not results:
        st.info("Nothing matches. Try fewer words or another kind.")
        return
    st.caption(f"{len(results)} results")
    for r in results:
        with st.container(border=True):
            left, right = st.columns([3, 2])
            with left:
                entity_link(r.ref)
                if r.snippet and r.snippet != r.caption:
                    st.text(short(r.snippet, 160))
            with right:
                dates = (
                    f"{r.first} – {r.last}" if r.first and r.first != r.last else str(r.first or "")
                )
                st.text(" · ".join(x for x in [", ".join(r.organisations), dates] if x))
                if r.exact:
                    st.caption("exact identifier match")


if __name__ == "__main__":
    render()
