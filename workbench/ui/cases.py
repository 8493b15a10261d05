""" "Add to case" on an item's page (cluster, person, facilitator, identifier, signal).

The viewer's open cases come from ``workbench.query.cases``; adding is the one
way the CLI adds too (``workbench.deconflict.add_to_case``: visible items
only, audited, then deconfliction), so a notice raised here is the same as
one raised on the command line.
"""

from __future__ import annotations

import streamlit as st

from workbench.deconflict import CASE_ITEM_LABELS, add_to_case
from workbench.query import Session
from workbench.query import cases as seen
from workbench.security import SecurityContext
from workbench.ui.session import current_context, current_session
from workbench.ui.text import md
from workbench.ui.widgets import attempt

CASES_PAGE = "views/cases.py"


def case_panel(item_id: str) -> None:
    """A small "Add to case" form listing the viewer's open cases (nothing if none)."""
    if item_id.partition(":")[0] not in CASE_ITEM_LABELS:
        return
    ctx, session = current_context(), current_session()
    mine = [c for c in attempt(seen.my_cases, session, ctx.cases) or [] if c.status == "open"]
    holding = [c for c in mine if item_id in c.items]
    for c in holding:
        st.caption(md(f"In your case {c.name} ({c.id})"))
    free = [c for c in mine if c not in holding]
    if not free:
        return
    with st.expander("Add to case"), st.form(f"case-add-{item_id}"):
        names = {c.id: f"{c.name} ({c.id})" for c in free}
        case_id = st.selectbox("Case", list(names), format_func=names.__getitem__,
                               key=f"case-pick-{item_id}")  # fmt: skip
        if st.form_submit_button("Add to case"):
            done = attempt(add_to_case, ctx, session, str(case_id), [item_id])
            if done is not None:
                raised = [n for n in done[1] if n.case_id == case_id]
                st.toast(md(f"Added; {len(raised)} new deconfliction notice(s)"))
                st.rerun()


def case_title(ctx: SecurityContext, session: Session) -> str:
    """The Cases page's sidebar title, counting the open notices to the viewer's cases."""
    waiting = seen.open_notices(session, ctx.cases)
    return f"Cases ({waiting})" if waiting else "Cases"
