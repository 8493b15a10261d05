"""The exchange on an item's page: what is withheld, by whom, and a form to ask for it.

Shown on cluster, person, facilitator and signal pages. What may be asked
for comes from ``workbench.query.exchange``; the request itself is the
governed action ``workbench.security.exchange.ask`` (audited there).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from workbench.query import Session
from workbench.query import exchange as seen
from workbench.security import exchange
from workbench.ui.session import current_context, current_session
from workbench.ui.text import md
from workbench.ui.widgets import act, attempt

# pages with a request form: what a request covers is well defined for these
REQUESTABLE = frozenset(
    {"Person", "FacilitatorEntity", "Signal", "PersonMention", "FacilitatorMention"}
)


@st.cache_data(ttl=300, show_spinner=False, max_entries=200)
def withheld(_session: Session, viewer: str, item_id: str, sharing: str) -> dict[str, list[str]]:
    """What is withheld from the viewer behind an item, cached per viewer, item and state of
    the releases (a release or lapse changes it; a request does not)."""
    return seen.withheld_behind(_session, item_id)


def request_panel(item_id: str, *, partial: bool | None = None) -> None:
    """The viewer's requests on ``item_id`` with their status, and the form to ask for
    release of what they see only pseudonymised behind it.

    ``partial`` (a cluster's page knows whether the policy showed it only in part):
    when given, what is withheld is read only once the analyst opens the box, since
    reading it for a big cluster takes a while; else it is read at once.
    """
    ctx, session = current_context(), current_session()
    for r in seen.mine(session, ctx.requests, item=item_id):
        released = sum(i.status == "approved" for i in r.items)
        st.caption(
            md(
                f"Your request {r.id} to {r.owner_org.upper()}: {r.status}"
                + (f" ({released} of {len(r.items)} signals released)" if r.decision else "")
            )
        )
    if partial is False:
        return
    sharing = ctx.visibility_version()  # releases, and the viewer's cases' releases
    label = "Withheld from you: ask the owners for release"
    if partial:
        box = st.expander(label, key=f"ask-{item_id}", on_change="rerun")
        if box.open:
            with box:
                request_form(
                    item_id, attempt(withheld, session, ctx.viewer.username, item_id, sharing) or {}
                )
        return
    found = attempt(withheld, session, ctx.viewer.username, item_id, sharing) or {}
    if found:
        with st.expander(label):
            request_form(item_id, found)


def request_form(item_id: str, withheld: Mapping[str, Sequence[str]]) -> None:
    """Ask the owners in ``withheld`` (owner -> signal ids) to release them."""
    if not withheld:
        st.caption("Nothing behind this is withheld from you.")
        return
    ctx = current_context()
    held = ", ".join(f"{len(v)} by {o.upper()}" for o, v in withheld.items())
    st.caption(
        f"Withheld from you: {held}. The owner's coordinator reads your purpose and "
        "decides per signal; you see nothing new until they release it."
    )
    with st.form(f"request-{item_id}", clear_on_submit=True):
        grounds = exchange.grounds(ctx)
        purpose = st.text_area("Purpose (required)", key=f"request-purpose-{item_id}")
        ground = st.selectbox(
            "Legal ground",
            list(grounds),
            format_func=lambda k: grounds[k].label,
            key=f"request-ground-{item_id}",
        )
        if st.form_submit_button("Send request") and act(
            exchange.ask, ctx, item_id, withheld, purpose=purpose, ground=str(ground)
        ):
            st.toast("Request sent: see My requests")
            st.rerun()
