"""Requests: the owner coordinator's queue, their releases, and the follow-up figures.

A coordinator sees every open request to their organisation with each
signal in full (as their organisation reads it), and approves all or some
of them (to the requesting organisation, or to every partner, for a term),
or denies them, always with a reason. Approved requests can be revoked.
The follow-up table counts requests per pair of organisations.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from workbench.query import exchange as seen
from workbench.query.exchange import Incoming
from workbench.security import exchange
from workbench.security.requests import Request
from workbench.security.session import SecurityContext
from workbench.ui.session import current_context, current_session
from workbench.ui.text import md
from workbench.ui.widgets import act


def decision_form(ctx: SecurityContext, item: Incoming) -> None:
    r = item.request
    grounds = exchange.grounds(ctx)
    ground = grounds.get(r.ground)
    with st.container(border=True):
        st.subheader(md(f"Request {r.id} from {r.requester} ({r.requester_org.upper()})"))
        st.caption(md(f"asked {r.created_at[:16].replace('T', ' ')} UTC about {r.item_id}"))
        st.text("Purpose: " + r.purpose)
        st.text("Legal ground: " + (ground.label if ground else r.ground))
        st.write("What approval would reveal, as your organisation reads it:")
        st.dataframe(
            [
                {"signal": s.id, "date": s.date, "kind": s.kind, "theme": s.theme, "text": s.text}
                for s in item.signals
            ],
            hide_index=True,
            key=f"request-signals-{r.id}",
        )
        with st.form(f"decide-{r.id}"):
            st.write("Release (the signals left unticked are denied):")
            chosen = [
                i.signal_id
                for i in r.items
                if st.checkbox(md(i.signal_id), value=True, key=f"decide-{r.id}-{i.signal_id}")
            ]
            to_all = st.checkbox(
                "Release to every partner, not only the requester", key=f"decide-all-{r.id}"
            )
            days = st.number_input(
                "Term in days",
                min_value=1,
                max_value=exchange.MAX_DAYS,
                value=ground.days if ground else 90,
                key=f"decide-days-{r.id}",
            )
            reason = st.text_input(
                "Reason (required, the requester reads it)", key=f"decide-reason-{r.id}"
            )
            left, right = st.columns(2)
            if left.form_submit_button("Approve selected") and act(
                exchange.approve,
                ctx,
                r.id,
                reason=reason,
                only=chosen,
                to_all=to_all,
                days=int(days),
            ):
                st.rerun()
            if right.form_submit_button("Deny all") and act(
                exchange.deny, ctx, r.id, reason=reason
            ):
                st.rerun()


def releases(ctx: SecurityContext, decided: list[Request]) -> None:
    st.header("Released on request")
    live = [r for r in decided if r.status in ("approved", "partial")]
    if not live:
        st.caption("No release made on request is in force.")
    for r in live:
        released = [i.signal_id for i in r.items if i.status == "approved"]
        with st.expander(
            md(
                f"Request {r.id}: {len(released)} signal(s) to "
                f"{'all partners' if r.to_all else r.requester_org.upper()} "
                f"until {(r.expires_at or '')[:10]}"
            )
        ):
            st.text("\n".join(released))
            reason = st.text_input("Reason for revoking", key=f"revoke-reason-{r.id}")
            if st.button("Revoke", key=f"revoke-{r.id}", disabled=not reason.strip()) and act(
                exchange.revoke, ctx, r.id, reason=reason
            ):
                st.rerun()


def follow_up(ctx: SecurityContext) -> None:
    st.header("Follow-up")
    pairs = [p.to_dict() for p in seen.follow_up(current_session(), ctx.requests)]
    if not pairs:
        st.caption("No requests yet between your organisation and its partners.")
        return
    st.dataframe(pairs, hide_index=True, key="exchange-flows")
    rows = [
        {"pair": f"{p['from']} → {p['to']}", "outcome": k, "requests": p[k]}
        for p in pairs
        for k in ("approved", "partial", "denied", "lapsed", "open")
        if p[k]
    ]
    chart = (
        alt.Chart({"values": rows})
        .mark_bar()
        .encode(x=alt.X("requests:Q"), y=alt.Y("pair:N", title=None), color="outcome:N")
    )
    st.altair_chart(chart, width="stretch", key="exchange-chart")


def render() -> None:
    ctx, session = current_context(), current_session()
    st.title("Requests")
    if ctx.viewer.role != "coordinator":
        st.info(
            "Requests to your organisation are decided by its coordinators. "
            "Your own requests are under My requests."
        )
        return
    waiting = seen.queue(session, ctx.requests)
    org = ctx.viewer.organisation.upper()
    st.caption(f"{len(waiting)} request(s) to {org} wait for a decision")
    for item in waiting:
        decision_form(ctx, item)
    mine = [
        r
        for r in seen.requests_for(session, ctx.requests)
        if r.owner_org == ctx.viewer.organisation and r.status != "open"
    ]
    releases(ctx, mine)
    follow_up(ctx)


if __name__ == "__main__":
    render()
