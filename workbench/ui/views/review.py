"""Review page: entity resolution's near-threshold pairs, judged same / different / unsure."""

from __future__ import annotations

from typing import Any

import streamlit as st

from workbench.deconflict import after_run
from workbench.query import FeatureUnavailable, ReviewPair, ReviewQueue, decide, review
from workbench.ui.exchange import request_form
from workbench.ui.session import current_context, current_session
from workbench.ui.text import md
from workbench.ui.widgets import act, contributions_table, entity_link, signals_section

SHOWN = ("name", "birth_date", "nationality", "sex", "v_number", "source", "record_id", "role")
BUTTONS = (("same", "Same person"), ("different", "Different persons"), ("unsure", "Unsure"))


def side_by_side(pair: ReviewPair) -> list[dict[str, Any]]:
    """The two records' comparable fields as table rows.

    >>> from workbench.query import Ref
    >>> p = ReviewPair(Ref("a", "PersonMention", "Person mention", "A"),
    ...     Ref("b", "PersonMention", "Person mention", "B"), {"name": "A"}, {"name": "B"},
    ...     [], [], 0.5, 0.0, [], 1)
    >>> side_by_side(p)[0]
    {'field': 'name', 'left': 'A', 'right': 'B'}
    """
    return [
        {
            "field": f,
            "left": str(pair.left_props.get(f) or ""),
            "right": str(pair.right_props.get(f) or ""),
        }
        for f in SHOWN
        if pair.left_props.get(f) or pair.right_props.get(f)
    ]


def waiting_for_partners(found: ReviewQueue) -> None:
    """Pairs the viewer cannot judge: a side is withheld by a partner. A request asks for it."""
    if not found.withheld:
        return
    floor = "" if found.complete else "at least "
    held = ", ".join(f"{floor}{n} for {o.upper()}" for o, n in found.withheld.items())
    st.info(
        f"Pairs you cannot judge yet, because a record is withheld from you: {held}. "
        "A decision needs both records in full; ask their owners for release."
    )
    request_form("review queue", found.signals)


def render() -> None:
    session = current_session()
    st.title("Review")
    try:
        found = review(session, limit=50)
    except FeatureUnavailable as exc:
        st.info(str(exc))
        return
    waiting_for_partners(found)
    queue = found.pairs
    if not queue:
        st.info("Nothing to review: no near-threshold pairs are waiting.")
        return
    skipped: list[str] = st.session_state.setdefault("review-skipped", [])
    waiting = [p for p in queue if f"{p.left.id}~{p.right.id}" not in skipped] or queue
    pair = waiting[0]
    st.caption(
        f"{len(queue)} pairs waiting · match probability {pair.score:.2f} · "
        f"a 'same' decision changes {pair.impact} mentions"
    )
    if pair.conflict:
        st.warning(
            "The two records carry different V-numbers: they are two people unless one "
            "number is a typing error. Never merged without your decision."
        )
    left, right = st.columns(2)
    for col, ref, rows, key in (
        (left, pair.left, pair.left_signals, "left"),
        (right, pair.right, pair.right_signals, "right"),
    ):
        with col:
            entity_link(ref)
            with st.expander(f"Signals ({len(rows)})"):
                signals_section(rows, key=f"review-{key}")
    st.dataframe(side_by_side(pair), hide_index=True, key="review-fields")
    st.subheader("Why the model thinks so")
    contributions_table(pair.contributions, key="review-explanation")
    reason = st.text_input("Reason (required)", key=f"reason-{pair.left.id}-{pair.right.id}")
    cols = st.columns(len(BUTTONS) + 1)
    for col, (judgement, label) in zip(cols, BUTTONS, strict=False):
        clicked = col.button(label, disabled=not reason.strip(), key=f"decide-{judgement}")
        if clicked and act(decide, session, pair.left.id, pair.right.id, judgement, reason=reason):
            after_run(session.store, current_context().settings.home)
            st.toast(md(f"Recorded: {label.lower()}"))
            st.rerun()
    if cols[-1].button("Skip", key="review-skip"):
        skipped.append(f"{pair.left.id}~{pair.right.id}")
        st.rerun()


if __name__ == "__main__":
    render()
