"""Pieces every page shares: links to entities, signal lists, annotations, errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

from workbench.query import (
    TRIAGE,
    AnnotationView,
    QueryError,
    Ref,
    Session,
    SignalRow,
    annotate,
)
from workbench.query.annotations import annotatable
from workbench.security import SecurityError
from workbench.ui.text import cell, md, short
from workbench.ui.timeline import timeline_chart

ENTITY_PAGE = "views/entity.py"
NETWORK_PAGE = "views/network.py"
CLUSTERS_PAGE = "views/clusters.py"
T = TypeVar("T")


def attempt(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run a query; show its error to the analyst instead of a stack trace."""
    try:
        return fn(*args, **kwargs)
    except (QueryError, SecurityError) as exc:
        st.error(str(exc))
        return None


def act(fn: Callable[..., object], *args: Any, **kwargs: Any) -> bool:
    """Run a work action (annotate, decide, triage, request); False and a message if it failed."""
    try:
        fn(*args, **kwargs)
    except (QueryError, SecurityError) as exc:
        st.error(str(exc))
        return False
    return True


def current_id() -> str | None:
    """The id the page shows, from ``?id=``, pinned in the address bar.

    A page link carries its query parameters to the first run of the page but
    does not put them in the browser's address, so a rerun (a tab, a button)
    would lose them; writing them back keeps reruns and reloads on the item.
    """
    node_id = st.query_params.get("id")
    if node_id:
        st.query_params["id"] = node_id
    return node_id


def entity_link(ref: Ref, *, prefix: str = "") -> None:
    """A link to the entity page of ``ref`` (clusters go to the cluster view)."""
    page = CLUSTERS_PAGE if ref.label == "Cluster" else ENTITY_PAGE
    label = md(f"{prefix}{ref.type}: {short(ref.caption, 60)}")
    st.page_link(page, label=label, query_params={"id": ref.id})


def row_table(rows: Sequence[dict[str, Any]], ids: Sequence[str], *, key: str, page: str) -> None:
    """A table whose row opens ``page`` on the row's id when clicked (selected).

    The table's key changes after each click, so coming back to the list does
    not find the old selection and open the same row again.
    """
    turn = int(st.session_state.get(f"{key}-turn", 0))
    event = st.dataframe(
        rows,
        hide_index=True,
        key=f"{key}-{turn}",
        on_select="rerun",
        selection_mode="single-row",
    )
    picked = list(event.selection.rows) if event is not None else []
    if picked and picked[0] < len(ids):
        st.session_state[f"{key}-turn"] = turn + 1
        st.switch_page(page, query_params={"id": ids[picked[0]]})


def contributions_table(contributions: Sequence[Any], *, key: str) -> None:
    """Entity resolution's per-feature explanation of a pair (log2 weights)."""
    st.dataframe(
        [
            {
                "feature": c.feature,
                "level": c.level,
                "weight": round(c.weight, 2),
                "share": c.share,
                "adjustment": "" if c.adjustment is None else f"{c.adjustment:+.2f}",
                "left": cell(c.left),
                "right": cell(c.right),
            }
            for c in contributions
        ],
        hide_index=True,
        key=key,
    )


def signals_section(rows: Sequence[SignalRow], *, key: str) -> None:
    """The timeline and the table of signals, oldest first."""
    if not rows:
        st.info("No signals you may see.")
        return
    chart = timeline_chart(rows)
    if chart is not None:
        st.altair_chart(chart, width="stretch", key=f"{key}-timeline")
    st.dataframe(
        [
            {
                "date": r.date,
                "organisation": r.organisation,
                "kind": cell(r.kind),
                "theme": cell(r.theme),
                "relation": r.relation,
                "record": r.record_id,
                "text": cell(r.text),
            }
            for r in rows
        ],
        hide_index=True,
        key=f"{key}-table",
    )


def annotations_section(session: Session, target: str, notes: Sequence[AnnotationView]) -> None:
    """Existing annotations, then a form to add one (author and time are automatic)."""
    if not annotatable(target.partition(":")[0]):
        st.caption("This kind of item is annotated through its entity or signal.")
        return
    if not notes:
        st.caption("No annotations yet.")
    for a in notes:
        with st.container(border=True):
            meta = [a.created_at.strftime("%Y-%m-%d %H:%M UTC"), a.author]
            if a.status:
                meta.append(f"status: {a.status}")
            if a.tags:
                meta.append("tags: " + ", ".join(a.tags))
            st.text(" · ".join(meta))
            if a.note:
                st.text(a.note)
    with st.form(key=f"annotate-{target}", clear_on_submit=True):
        note = st.text_area("Note")
        tags = st.text_input("Tags (comma-separated)")
        status = st.selectbox("Triage status", ["(none)", *TRIAGE])
        if st.form_submit_button("Add annotation"):
            done = act(
                annotate,
                session,
                target,
                note=note,
                tags=tags.split(","),
                status=None if status == "(none)" else status,
            )
            if done:
                st.toast("Annotation saved")
                st.rerun()
