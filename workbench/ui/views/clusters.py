"""Clusters page: the ranked list of the latest run, and one cluster's view."""

from __future__ import annotations

import importlib
import importlib.util

import altair as alt
import streamlit as st

from graph_schema import enums
from workbench.query import (
    ClusterRow,
    ClusterView,
    RunInfo,
    Session,
    cluster,
    disruption,
    latest_run,
    list_clusters,
    suggestions,
)
from workbench.query.benign import mark, markable
from workbench.query.describe import display
from workbench.query.verdicts import judge
from workbench.ui.cases import case_panel
from workbench.ui.chart import chart_section
from workbench.ui.exchange import request_panel
from workbench.ui.session import current_context, current_session
from workbench.ui.text import md
from workbench.ui.widgets import (
    CLUSTERS_PAGE,
    act,
    annotations_section,
    attempt,
    current_id,
    entity_link,
    row_table,
    signals_section,
)

LIST_PAGE = 25  # clusters the list shows at first (a screenful), and adds per "Show more"
LIMIT_KEY = "cluster-list-limit"


@st.cache_data(ttl=300, show_spinner=False, max_entries=50)
def ranked(
    _session: Session, viewer: str, run_id: str, limit: int, sharing: str
) -> tuple[RunInfo | None, list[ClusterRow]]:
    """The top of the ranked list, cached per viewer, run, length and state of the releases
    (a release, revocation or lapse changes what the viewer may see of it)."""
    return list_clusters(_session, run_id=run_id, limit=limit)


def ranked_list(session: Session) -> None:
    st.title("Clusters")
    latest = attempt(latest_run, session)
    limit = int(st.session_state.get(LIMIT_KEY, LIST_PAGE))
    found = (
        attempt(
            ranked,
            session,
            session.viewer.username,
            latest.run_id,
            limit,
            current_context().visibility_version(),
        )
        if latest
        else (None, [])
    )
    if found is None:
        return
    run, rows = found
    if run is None:
        st.info("No detection run yet: run `workbench detect` (or `make demo`).")
        return
    st.caption(
        f"Run {run.run_id} · {run.algorithm} · started {run.started_at:%Y-%m-%d %H:%M} UTC · "
        f"the {len(rows)} highest-scoring clusters you may see"
    )
    if not rows:
        st.info("This run found no clusters you may see.")
        return
    st.caption("Click a row to open its cluster.")
    row_table(
        [
            {
                "rank": i + 1,
                "cluster": r.number,
                "score": round(r.score, 2),
                "type": r.type,
                "size": r.size,
                "organisations": ", ".join(r.organisations),
                "themes": ", ".join(display("theme", t) for t in r.themes),
                "lineage": r.lineage or "",
            }
            for i, r in enumerate(rows)
        ],
        [r.id for r in rows],
        key="cluster-table",
        page=CLUSTERS_PAGE,
    )
    if len(rows) >= limit and st.button(f"Show {LIST_PAGE} more", key="cluster-list-more"):
        st.session_state[LIMIT_KEY] = limit + LIST_PAGE
        st.rerun()


def explanation(view: ClusterView) -> None:
    if not view.explanation:
        st.caption("The run stored no explanation for this score.")
        return
    data = [{"term": t.term, "value": t.value, "reason": t.reason} for t in view.explanation]
    chart = (
        alt.Chart({"values": data}, height=28 * len(data) + 20)
        .mark_bar()
        .encode(x=alt.X("value:Q", title="contribution"), y=alt.Y("term:N", sort=None, title=None))
    )
    st.altair_chart(chart, width="stretch", key="explanation-chart")
    st.dataframe(data, hide_index=True)


def dossier_button(session: Session, view: ClusterView) -> None:
    """Export behind a stated reason; the dossier module audits the export itself."""
    if importlib.util.find_spec("workbench.dossier.export") is None:
        st.caption("Dossier export is not available yet.")
        return
    reason = st.text_input("Reason for the export (required)", key="dossier-reason")
    fmt = st.radio("Format", ["pdf", "html", "json"], horizontal=True, key="dossier-format")
    if not st.button("Prepare dossier", disabled=not reason.strip()):
        return
    dossier = importlib.import_module("workbench.dossier.export")  # WeasyPrint: only on demand
    errors = importlib.import_module("workbench.dossier.errors")
    try:
        done = dossier.export_dossier(
            session.store,
            view.row.id,
            fmt=fmt,
            reason=reason,
            policy=session.policy,
            audit=session.audit,
        )
    except errors.DossierError as exc:
        st.error(str(exc))
        return
    st.download_button(
        f"Download {done.filename}", done.content, file_name=done.filename, mime=done.media_type
    )


def verdict_and_ranking(r: ClusterRow) -> None:
    """Which ranking placed the cluster, and the analysts' verdict it carries, if any."""
    if r.ranking == "learned":
        chance = f" (probability {r.probability:.2f} that an analyst confirms it)"
        st.caption("Ranked by a model learned from analysts' verdicts" + chance)
    else:
        st.caption("Ranked by the hand-set score (too few verdicts yet to learn from)")
    v = r.verdict
    if v is None:
        return
    if v.get("verdict"):
        origin = f", inherited from {v['cluster']}" if v.get("inherited") else ""
        st.info(
            md(
                f"Verdict: {v['verdict']} by {v['author']} ({v['organisation']}{origin}): "
                f"{v.get('reason') or ''}"
            )
        )
    for earlier in v.get("to_confirm") or []:
        st.warning(
            md(
                f"To confirm: {earlier['cluster']} was judged {earlier['verdict']} by "
                f"{earlier['author']} before it split or merged"
            )
        )


def verdict_form(session: Session, r: ClusterRow) -> None:
    """Record a verdict: confirmed, partly, benign or unclear, with a reason (audited)."""
    with st.expander("Record a verdict"), st.form(f"verdict-{r.id}", clear_on_submit=True):
        choice = st.selectbox("Verdict", enums.values("verdict"), key=f"verdict-choice-{r.id}")
        reason = st.text_input("Reason (required)", key=f"verdict-reason-{r.id}")
        if st.form_submit_button("Record verdict") and act(
            judge, session, r.id, str(choice), reason=reason
        ):
            ranked.clear()  # the list shows verdicts too
            st.rerun()  # the head of the page shows the verdict recorded


def benign_form(session: Session, cluster_id: str) -> None:
    """Mark an identifier the members share benign (a support line, a lawyer's office):
    later runs leave it out. Offered for identifiers the viewer sees as they are."""
    shared = attempt(markable, session, cluster_id) or []
    if not shared:
        return
    with st.expander("Mark a shared identifier benign"), st.form(f"benign-{cluster_id}"):
        counts = dict(shared)
        chosen = st.selectbox(
            "Identifier",
            list(counts),
            format_func=lambda i: f"{i} (shared by {counts[i]})",
            key=f"benign-id-{cluster_id}",
        )
        label = st.text_input(
            "Label (support line, lawyer's office, ...)", key=f"benign-label-{cluster_id}"
        )
        reason = st.text_input("Reason (required)", key=f"benign-reason-{cluster_id}")
        if st.form_submit_button("Mark benign") and act(
            mark, session, str(chosen), label=label, reason=reason
        ):
            st.toast(md(f"Marked benign: {chosen}. The next detection run leaves it out."))


def cluster_page(session: Session, cluster_id: str) -> None:
    view = attempt(cluster, session, cluster_id)
    if view is None:
        return
    r = view.row
    st.page_link(CLUSTERS_PAGE, label="All clusters")
    st.title(f"Cluster {r.number}")
    st.caption(md(f"run {r.run_id} · {r.type or 'type not set'}"))
    cols = st.columns(4)
    cols[0].metric("Score", f"{r.score:.1f}")
    cols[1].metric("Members", r.size)
    cols[2].metric("Organisations", len(r.organisations))
    cols[3].metric("Lineage", r.lineage or "-")
    st.text("Organisations: " + (", ".join(r.organisations) or "-"))
    wider_network(r)
    verdict_and_ranking(r)
    verdict_form(session, r)
    request_panel(r.id, partial=r.withheld)
    case_panel(r.id)
    # Lazy tabs: only the open tab's content runs, so opening a cluster is quick.
    chart, members, what_if, signals, score, leads, notes, lineage = st.tabs(
        [
            "Chart",
            f"Members ({len(view.members)})",
            "What if",
            f"Signals ({len(view.signals)})",
            "Score explanation",
            "Suggestions",
            f"Annotations ({len(view.annotations)})",
            "Lineage and export",
        ],
        key=f"tabs-{r.id}",
        on_change="rerun",
    )
    if members.open:
        with members:
            for m in view.members:
                entity_link(m.ref)
                st.caption(
                    f"role {m.role or '-'} · centrality {m.centrality or 0:.2f} · "
                    + (", ".join(m.organisations) or "no visible records")
                )
                if m.role_reason:
                    st.caption(md(f"why {m.role}: {m.role_reason}"))
    if chart.open:
        with chart:
            roles = {m.ref.id: m.role or "" for m in view.members}
            chart_section(session, r.id, seeds=list(roles), roles=roles, key=f"chart-{r.id}")
    if what_if.open:
        with what_if:
            disruption_section(session, r)
    if signals.open:
        with signals:
            signals_section(view.signals, key="cluster-signals")
    if score.open:
        with score:
            explanation(view)
    if leads.open:
        with leads:
            suggestion_list(session, r.id)
            benign_form(session, r.id)  # here, not above the tabs: reading them takes a while
    if notes.open:
        with notes:
            annotations_section(session, r.id, view.annotations)
    if lineage.open:
        with lineage:
            for link in view.lineage:
                # relation and Jaccard are withheld while a member's input is pseudonymised
                relation = "" if link.relation in ("", "None") else f"{link.relation} "
                entity_link(link.other, prefix=f"{link.direction}: {relation}")
                if link.jaccard is not None:
                    st.caption(f"Jaccard {link.jaccard:.2f}")
            if not view.lineage:
                st.caption("No lineage: new in this run, or the first run.")
            dossier_button(session, view)


def wider_network(r: ClusterRow) -> None:
    """The tied clusters this one is part of, so a ring cut into pieces is read whole."""
    if r.network is None or len(r.network.clusters) < 2:
        return
    others = [c for c in r.network.clusters if c != r.id]
    st.markdown("**" + md(r.network.sentence[0].upper() + r.network.sentence[1:]) + "**")
    for other in others:
        number = other.rpartition("|")[2]
        st.page_link(CLUSTERS_PAGE, label=f"Cluster {number}", query_params={"id": other})


def disruption_section(session: Session, r: ClusterRow) -> None:
    """What-if: the members whose removal fragments the cluster (or its network) most."""
    st.caption(
        "Which removals (an arrest, a phone cut off) would break this cluster apart most: "
        "Borgatti's key players, and for comparison removal by betweenness. A lead for "
        "planning, not a prediction: covert networks rewire."
    )
    cols = st.columns(2)
    k = int(cols[0].number_input("Removals", 1, 20, 3, key=f"disrupt-k-{r.id}"))
    wider = bool(r.network) and cols[1].checkbox("Whole wider network", key=f"disrupt-wider-{r.id}")
    found = attempt(disruption, session, r.id, k=k, wider=wider)
    if found is None:
        return
    st.text(f"{found.members} members in {found.components} piece(s) before any removal")
    for title, targets, steps in (
        ("Key players", found.targets, found.steps),
        ("Removal by betweenness", found.sequential, found.sequential_steps),
    ):
        st.subheader(title)
        st.dataframe(
            [
                {
                    "remove": t.label,
                    "role": t.role or "-",
                    "largest piece left": s.largest_component,
                    "pieces": s.components,
                    "cut off from organisers": s.cut_off,
                }
                for t, s in zip(targets, steps, strict=True)
            ],
            hide_index=True,
            key=f"disrupt-{title}-{r.id}",
        )


def suggestion_list(session: Session, cluster_id: str) -> None:
    st.warning(
        "Suggestions, not findings: persons outside the cluster who share an identifier "
        "with a member. Check the records before acting on them."
    )
    found = attempt(suggestions, session, cluster_id)
    if found is not None and not found:
        st.caption("No person outside the cluster shares a specific identifier with a member.")
    for s in found or []:
        entity_link(s.person, prefix="Suggested: ")
        st.caption(
            md(f"shares {s.via.type} {s.via.caption} with ")
            + ", ".join(md(m.caption) for m in s.members)
        )


def render() -> None:
    session = current_session()
    cluster_id = current_id()
    if cluster_id:
        cluster_page(session, cluster_id)
    else:
        ranked_list(session)


if __name__ == "__main__":
    render()
