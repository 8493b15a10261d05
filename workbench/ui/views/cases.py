"""Cases: the viewer's cases, a new-case form, deconfliction notices, and a case's page.

Everything is read through ``workbench.query.cases``: a viewer sees only the
cases they are a member of (any other id is "not found"), and on a case's
page each item, cluster, alert, annotation and audit event as their own
policy allows. Notices are shown here (and counted in the sidebar), not on
the Alerts page: see docs/decisions/0014-cases-and-deconfliction.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from workbench.query import cases as seen
from workbench.security import casework
from workbench.security.cases import REGIMES
from workbench.ui.cases import CASES_PAGE
from workbench.ui.session import current_context, current_session
from workbench.ui.text import md
from workbench.ui.widgets import act, attempt, current_id, entity_link


def notices_table(rows: Sequence[seen.NoticeRow], *, key: str) -> None:
    """Deconfliction notices: whom to call, about what (as the viewer may see it)."""
    if not rows:
        st.caption("No deconfliction notices.")
        return
    st.dataframe(
        [
            {
                "your case": f"{n.case_name} ({n.case})",
                "other team": n.other_case_org.upper(),
                "lead": n.other_case_lead or "-",
                "how to reach them": n.contact,
                "overlap": n.item.caption if n.item else "-",
                "raised": n.raised_at[:16].replace("T", " "),
                "status": n.status,
            }
            for n in rows
        ],
        hide_index=True,
        key=key,
    )


def _new_case_form() -> None:
    ctx = current_context()
    with st.expander("New case"), st.form("case-new", clear_on_submit=True):
        name = st.text_input("Name (required)")
        regime = st.selectbox("Legal regime", list(REGIMES), format_func=REGIMES.__getitem__)
        purpose = st.text_area("Purpose (required)")
        members = st.text_input("Members (their accounts, comma-separated)")
        contact = st.text_input("How other teams reach you (default: your account)")
        sensitive = st.checkbox("Sensitive: other teams are told only that a coordinator "
                                "of your organisation will contact them")  # fmt: skip
        if st.form_submit_button("Open case") and act(
            casework.open_case, ctx, name, regime=str(regime), purpose=purpose,
            members=[m.strip() for m in members.split(",") if m.strip()],
            sensitive=sensitive, contact=contact,
        ):  # fmt: skip
            st.toast("Case opened")
            st.rerun()


def _list() -> None:
    ctx, session = current_context(), current_session()
    st.title("Cases")
    _new_case_form()
    mine = attempt(seen.my_cases, session, ctx.cases) or []
    st.subheader("Deconfliction notices")
    notices_table(attempt(seen.notices, session, ctx.cases) or [], key="notices-all")
    st.subheader(f"Your cases ({len(mine)})")
    if not mine:
        st.info("You are a member of no case yet. Open one above, or ask a lead to add you.")
    for c in mine:
        st.page_link(CASES_PAGE, label=md(f"{c.name} · {c.id} · {c.status} · led by {c.lead}"),
                     query_params={"id": c.id})  # fmt: skip


def _page(case_id: str) -> None:
    ctx, session = current_context(), current_session()
    st.page_link(CASES_PAGE, label="All cases")
    view = attempt(seen.case_view, session, ctx.cases, ctx.audit, case_id)
    if view is None:
        return
    c = view.case
    st.title(md(c.name))
    regime = REGIMES.get(c.regime, c.regime) + (" · sensitive" if c.sensitive else "")
    st.caption(md(f"{c.id} · {c.status} · {c.owner_org.upper()} · led by {c.lead} · {regime}"))
    st.text(f"Purpose: {c.purpose}")
    st.text("Members: " + ", ".join(f"{u} ({o.upper()})" for u, o in c.members.items()))
    st.subheader(f"Deconfliction notices ({len(view.notices)})")
    notices_table(view.notices, key="notices-case")
    st.subheader(f"Items ({len(view.items)})")
    for r in view.items:
        entity_link(r)
    if view.hidden_items:
        st.caption(f"{view.hidden_items} item(s) you may not see")
    st.subheader(f"Latest clusters ({len(view.clusters)})")
    for r in view.clusters:
        verdict = (view.verdicts.get(r.id) or {}).get("verdict") or {}
        entity_link(r, prefix=f"[{verdict.get('verdict', 'no verdict')}] ")
    tabs = st.tabs([
        f"Alerts ({len(view.alerts)})", f"Annotations ({len(view.annotations)})",
        f"Dossiers ({len(view.dossiers)})", f"Timeline ({len(view.timeline)})",
    ])  # fmt: skip
    with tabs[0]:
        st.dataframe([{"when": a.created_at, "alert": a.message, "status": a.status}
                      for a in view.alerts], hide_index=True, key="case-alerts")  # fmt: skip
    with tabs[1]:
        st.dataframe([{"on": a.target, "note": a.note, "by": a.author, "status": a.status or ""}
                      for a in view.annotations], hide_index=True, key="case-notes")  # fmt: skip
    with tabs[2]:
        st.dataframe(list(view.dossiers), hide_index=True, key="case-dossiers")
    with tabs[3]:
        st.dataframe([t.to_dict() for t in view.timeline], hide_index=True, key="case-timeline")
    if c.live:
        with st.expander("Close case"), st.form("case-close"):
            reason = st.text_input("Reason (required)")
            if st.form_submit_button("Close case") and act(
                casework.close_case, ctx, c.id, reason=reason
            ):
                st.rerun()


def render() -> None:
    case_id = current_id()
    if case_id:
        _page(case_id)
    else:
        _list()


if __name__ == "__main__":
    render()
