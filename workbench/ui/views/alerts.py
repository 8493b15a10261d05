"""Alerts page: what changed between detection runs, triaged new / seen / acted on."""

from __future__ import annotations

import streamlit as st

from workbench.query import STATUSES, alerts, readiness, triage
from workbench.query.alerts import PAGE
from workbench.ui.session import current_session
from workbench.ui.widgets import act, attempt, entity_link

LIMIT_KEY = "alerts-limit"
NEXT = {
    "new": ("seen", "Mark seen"),
    "seen": ("acted", "Mark acted on"),
    "acted": ("new", "Reopen"),
}


def render() -> None:
    session = current_session()
    st.title("Alerts")
    if not readiness(session).runs:
        st.info("No detection run yet: alerts appear after scheduled runs.")
        return
    statuses = st.pills(
        "Show", list(STATUSES), selection_mode="multi", default=["new", "seen"], key="alert-filter"
    )
    limit = st.session_state.setdefault(LIMIT_KEY, PAGE)  # grows by a page on "Show more"
    rows = attempt(alerts, session, statuses=statuses or None, limit=limit)
    if rows is None:
        return
    if not rows:
        st.info("No alerts with this status.")
        return
    for a in rows:
        with st.container(border=True):
            st.text(a.message)
            st.caption(
                f"{a.created_at:%Y-%m-%d %H:%M} UTC · {a.kind} · run {a.run_id} · "
                f"status: {a.status}"
            )
            if a.about is not None:
                entity_link(a.about)
            status, label = NEXT.get(a.status, ("seen", "Mark seen"))
            if st.button(label, key=f"triage-{a.id}") and act(triage, session, a.id, status):
                st.rerun()
    if len(rows) >= limit and st.button(f"Show {PAGE} more", key="alerts-more"):
        st.session_state[LIMIT_KEY] = limit + PAGE
        st.rerun()


if __name__ == "__main__":
    render()
