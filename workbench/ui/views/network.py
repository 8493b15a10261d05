"""Network page: a capped ego graph with filters; click a node for its panel."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from graph_schema import enums
from workbench.query import SignalFilter, ego, entity
from workbench.query.network import MAX_LIMIT
from workbench.ui.graph import AGGREGATE_PREFIX, MORE_PREFIX, network_graph
from workbench.ui.session import current_session
from workbench.ui.text import md, short
from workbench.ui.widgets import ENTITY_PAGE, attempt, current_id

STEP = 40  # nodes added to the cap per expanded node


def filters() -> SignalFilter:
    """The sidebar's signal filters."""
    values = enums.enums()
    with st.sidebar:
        st.subheader("Filters")
        orgs = st.multiselect(
            "Organisation",
            list(values["source"]["values"]),
            format_func=lambda v: values["source"]["values"][v],
        )
        themes = st.multiselect(
            "Theme",
            list(values["theme"]["values"]),
            format_func=lambda v: values["theme"]["values"][v],
        )
        kinds = st.multiselect(
            "Signal kind",
            list(values["signal_kind"]["values"]),
            format_func=lambda v: values["signal_kind"]["values"][v],
        )
        use_dates = st.checkbox("Limit to a date range")
        start = end = None
        if use_dates:
            picked = st.date_input(
                "Dates", (dt.date(2015, 1, 1), dt.date.today()), format="YYYY-MM-DD"
            )
            if isinstance(picked, tuple) and len(picked) == 2:
                start, end = picked
    return SignalFilter(
        organisations=frozenset(orgs),
        themes=frozenset(themes),
        kinds=frozenset(kinds),
        start=start,
        end=end,
    )


def panel(node_id: str) -> None:
    """The clicked node: what it is, its latest signals, expand and open."""
    session = current_session()
    view = attempt(entity, session, node_id)
    if view is None:
        return
    with st.container(border=True, key="node-panel"):
        st.subheader(md(short(view.ref.caption, 60)))
        st.caption(md(f"{view.ref.type} · {view.ref.id}"))
        if st.button("Expand this node", key="expand-selected"):
            expand(node_id)
        st.page_link(ENTITY_PAGE, label="Open entity page", query_params={"id": node_id})
        st.text(f"{len(view.signals)} signals, {len(view.identifiers)} identifiers")
        for row in view.signals[-8:][::-1]:
            st.text(f"{row.date} · {row.organisation} · {row.kind} · {row.theme}")
            if row.text:
                st.caption(md(short(row.text, 140)))


def expand(node_id: str) -> None:
    expanded: list[str] = st.session_state.setdefault("net-expanded", [])
    if node_id not in expanded:
        expanded.append(node_id)
    st.session_state["net-selected"] = node_id
    st.rerun()


def render() -> None:
    session = current_session()
    st.title("Network")
    seed = current_id()
    if not seed:
        st.info("Open a person, identifier or cluster member in the network from its page.")
        return
    if st.session_state.get("net-seed") != seed:  # a new ego: forget the old expansion
        st.session_state["net-seed"] = seed
        st.session_state["net-expanded"] = []
        st.session_state["net-selected"] = seed
    flt = filters()
    with st.sidebar:
        st.subheader("Expansion")
        depth = st.slider("Hops from the start", 1, 3, 2)
        base = st.slider("At most this many nodes", 20, 500, 80, step=10)
    expanded: list[str] = st.session_state["net-expanded"]
    seeds = [seed, *expanded]
    limit = min(MAX_LIMIT, base + STEP * len(expanded))
    view = attempt(ego, session, seeds, depth=depth, limit=limit, flt=flt)
    if view is None:
        return
    graph_col, panel_col = st.columns([3, 1])
    with graph_col:
        clicked = network_graph(view, key="network")
    if clicked and clicked.startswith(MORE_PREFIX):
        expand(clicked[len(MORE_PREFIX) :])
    elif clicked and not clicked.startswith(AGGREGATE_PREFIX):
        st.session_state["net-selected"] = clicked
    with panel_col:
        panel(st.session_state.get("net-selected") or seed)
        if expanded and st.button("Collapse expansions"):
            st.session_state["net-expanded"] = []
            st.rerun()


if __name__ == "__main__":
    render()
