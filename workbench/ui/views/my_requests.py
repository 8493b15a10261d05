"""My requests: what the viewer asked partners to release, and what became of it."""

from __future__ import annotations

import streamlit as st

from workbench.query import exchange as seen
from workbench.ui.session import current_context, current_session
from workbench.ui.text import md
from workbench.ui.widgets import CLUSTERS_PAGE, ENTITY_PAGE


def render() -> None:
    ctx, session = current_context(), current_session()
    st.title("My requests")
    mine = seen.mine(session, ctx.requests)
    if not mine:
        st.info(
            "You have asked for nothing yet. Where a partner's signal is withheld from you "
            "(a cluster, person or signal page says so), you can ask its owner for release."
        )
        return
    st.dataframe(
        [
            {
                "request": r.id,
                "to": r.owner_org.upper(),
                "status": r.status,
                "released now": sum(i.status == "approved" for i in r.items),
                "signals": len(r.items),
                "asked": r.created_at[:16].replace("T", " "),
                "decided": (r.decided_at or "")[:16].replace("T", " "),
                "until": (r.expires_at or "")[:10],
                "owner's reason": r.reason or "",
                "purpose": r.purpose,
                "item": r.item_id,
            }
            for r in mine
        ],
        hide_index=True,
        key="my-requests",
    )
    for r in mine:
        page = CLUSTERS_PAGE if r.item_id.startswith("Cluster:") else ENTITY_PAGE
        if r.item_id.partition(":")[0] in ("Cluster", "Person", "FacilitatorEntity", "Signal"):
            st.page_link(
                page, label=md(f"Request {r.id}: open {r.item_id}"), query_params={"id": r.item_id}
            )


if __name__ == "__main__":
    render()
