"""The desk: where the day starts - new watch hits, alerts on followed clusters, the review
queue, open requests and the latest run; each line opens what it is about."""

from __future__ import annotations

import streamlit as st

from workbench.query import readiness
from workbench.query.desk import desk
from workbench.query.watch import KINDS, WatchHit, dismiss, unwatch, watch
from workbench.ui.session import current_session, home
from workbench.ui.text import md
from workbench.ui.widgets import CLUSTERS_PAGE, ENTITY_PAGE, act, attempt, entity_link

REVIEW_PAGE = "views/review.py"
ALERTS_PAGE = "views/alerts.py"
REQUESTS_PAGE = "views/requests.py"
MY_REQUESTS_PAGE = "views/my_requests.py"


def _hit(hit: WatchHit) -> None:
    with st.container(border=True):
        st.text(hit.message)
        st.caption(f"{hit.raised_at[:16].replace('T', ' ')} UTC · watching {hit.item}")
        cols = st.columns([3, 1])
        with cols[0]:
            if hit.opens is not None:
                page = CLUSTERS_PAGE if hit.kind == "cluster" else ENTITY_PAGE
                what = "Open the cluster" if hit.kind == "cluster" else "Open the signal"
                if not hit.readable:
                    what = "Open the signal (pseudonymised: ask its owner to release it there)"
                st.page_link(page, label=md(what), query_params={"id": hit.opens})
        with cols[1]:
            if st.button("Dismiss", key=f"dismiss-{hit.id}") and act(
                dismiss, current_session(), home(), hit.id
            ):
                st.rerun()


def _watch_form() -> None:
    with st.form("watch-add", clear_on_submit=True):
        text = st.text_input("Watch", placeholder="06-12345678, a plate, Person:..., Cluster:...")
        kind = st.selectbox("Kind", ["(from the value)", *KINDS])
        if st.form_submit_button("Watch") and text.strip():
            chosen = None if kind == "(from the value)" else kind
            if act(watch, current_session(), home(), text, chosen):
                st.toast("Watching it: later runs will tell you what is new")
                st.rerun()


def render() -> None:
    session = current_session()
    st.title("Your desk")
    if not readiness(session).signals:
        st.info("No signals loaded yet: run `workbench load` (or `make demo`) first.")
    view = attempt(desk, session, home())
    if view is None:
        return
    st.subheader(f"New watch hits ({len(view.hits)})")
    if not view.hits:
        st.caption("Nothing new on what you watch." if view.watches else "You watch nothing yet.")
    for h in view.hits:
        _hit(h)

    st.subheader("Alerts on clusters you follow")
    if not view.alerts:
        st.caption("No new alerts on the clusters you follow.")
    for a in view.alerts:
        with st.container(border=True):
            st.text(a.message)
            if a.about is not None:
                entity_link(a.about)

    st.subheader("Your work")
    if view.review is not None:
        count = f"{view.review}{' or more' if view.review_more else ''}"
        st.page_link(REVIEW_PAGE, label=md(f"Review queue: {count} pairs to decide"))
    if view.requests:
        me = current_session().viewer.username
        for r in view.requests:
            mine = r.requester == me
            page = MY_REQUESTS_PAGE if mine else REQUESTS_PAGE
            what = (
                f"Your request {r.id} to {r.owner_org.upper()}: open"
                if mine
                else f"Request {r.id} from {r.requester} ({r.requester_org.upper()}) waits for "
                "your decision"
            )
            st.page_link(page, label=md(what))
    else:
        st.caption("Open requests to or from you: none.")
    if view.run is not None:
        when = view.run.finished_at or view.run.started_at
        st.page_link(
            CLUSTERS_PAGE,
            label=md(
                f"Latest detection run {view.run.run_id} ({view.run.algorithm}), "
                f"{when:%Y-%m-%d %H:%M} UTC: {view.run_alerts}"
                f"{' or more' if view.run_alerts_more else ''} new alerts"
            ),
        )
        st.page_link(ALERTS_PAGE, label="All alerts")
    else:
        st.caption("No detection run yet.")

    st.subheader(f"What you watch ({len(view.watches)})")
    for w in view.watches:
        cols = st.columns([4, 1])
        cols[0].text(f"{w.kind}: {w.typed}  ({w.item})")
        if cols[1].button("Stop watching", key=f"unwatch-{w.id}") and act(
            unwatch, session, home(), w.typed, w.kind
        ):
            st.rerun()
    _watch_form()


if __name__ == "__main__":
    render()
