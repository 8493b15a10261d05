"""Entity page: everything about one person, mention, identifier or signal."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from workbench.query import EntityView, entity
from workbench.query.entity import Linked
from workbench.query.persons import Resolution
from workbench.ui.cases import case_panel
from workbench.ui.chart import chart_section
from workbench.ui.exchange import REQUESTABLE, request_panel
from workbench.ui.session import current_session
from workbench.ui.text import md
from workbench.ui.widgets import (
    NETWORK_PAGE,
    annotations_section,
    attempt,
    contributions_table,
    current_id,
    entity_link,
    signals_section,
)

SEARCH_PAGE = "views/search.py"
CHARTED = ("Person", "FacilitatorEntity")  # pages that open on the entity chart


def linked_list(items: Sequence[Linked], empty: str) -> None:
    if not items:
        st.caption(empty)
    for item in items:
        entity_link(item.ref)
        st.caption(", ".join(item.relations) + (f" ({item.links} links)" if item.links > 1 else ""))


def resolution_section(res: Resolution | None, view: EntityView) -> None:
    if view.ref.label == "PersonMention":
        if view.resolved:
            st.write("Resolved to:")
            linked_list(view.resolved, "")
        else:
            st.info("No persons resolved yet: this mention stands alone.")
        return
    if res is None:
        st.caption("Resolution history applies to resolved persons.")
        return
    if not res.available:
        st.info(res.note)
        return
    if res.events:
        st.dataframe(
            [
                {
                    "when": e.at,
                    "what": e.kind,
                    "judgement": e.judgement,
                    "left": e.left,
                    "right": e.right,
                    "by": e.author,
                    "reason": e.reason,
                }
                for e in res.events
            ],
            hide_index=True,
        )
    else:
        st.caption("No decisions on this person yet.")
    for pair in res.pairs:
        with st.expander(f"{pair.left} ~ {pair.right}: match probability {pair.score:.2f}"):
            contributions_table(pair.contributions, key=f"why-{pair.left}-{pair.right}")


def render() -> None:
    session = current_session()
    node_id = current_id()
    if not node_id:
        st.title("Entity")
        st.info("Open a person, identifier or signal from Search, Network or Clusters.")
        return
    view = attempt(entity, session, node_id)
    if view is None:
        return
    st.page_link(SEARCH_PAGE, label="Search")  # the way back: detail pages open from lists
    st.title(md(view.ref.caption) or md(view.ref.id))
    st.caption(md(f"{view.ref.type} · {view.ref.id}"))
    st.page_link(NETWORK_PAGE, label="Open in network", query_params={"id": node_id})
    if view.ref.label in REQUESTABLE:
        request_panel(node_id)
    case_panel(node_id)
    if view.more:
        st.warning(f"{view.more} more linked items are not listed (capped).")
    charted = view.ref.label in CHARTED
    tabs = st.tabs(
        [
            *(["Chart"] if charted else []),
            f"Signals ({len(view.signals)})",
            f"Identifiers ({len(view.identifiers)})",
            f"Mentions ({len(view.mentions)})",
            f"Clusters ({len(view.clusters)})",
            "Resolution",
            f"Annotations ({len(view.annotations)})",
            "Details",
        ]
    )
    if charted:
        with tabs[0]:
            chart_section(session, node_id, seeds=[node_id], key=f"chart-{node_id}")
        tabs = tabs[1:]
    with tabs[0]:
        signals_section(view.signals, key="entity-signals")
    with tabs[1]:
        linked_list(view.identifiers, "No identifiers linked.")
    with tabs[2]:
        linked_list(view.mentions, "No mentions linked.")
        if view.resolved and view.ref.label != "PersonMention":
            st.write("Resolved entities:")
            linked_list(view.resolved, "")
    with tabs[3]:
        if not view.clusters:
            st.caption("Not in any cluster (or no detection run yet).")
        for c in view.clusters:
            entity_link(c.ref, prefix="" if c.latest else "(earlier run) ")
            st.caption(f"run {c.run_id} · role {c.role or '-'} · score {c.score or 0:.1f}")
    with tabs[4]:
        resolution_section(view.resolution, view)
    with tabs[5]:
        annotations_section(session, node_id, view.annotations)
    with tabs[6]:
        st.dataframe([{"property": k, "value": v} for k, v in view.properties], hide_index=True)
        if view.raw is not None:
            st.write("The record exactly as the organisation exported it:")
            st.json(view.raw, expanded=False)
        for other in view.other:
            entity_link(other.ref)


if __name__ == "__main__":
    render()
