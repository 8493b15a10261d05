"""The entity chart on cluster, person and facilitator pages, and its switch to the raw graph.

The chart is folded in the query layer (``query.chart``) and cached per
viewer, run and item; the browser (``graph/frontend/chart.js``, the same
offline page and vendored vis-network as the network view) draws it and does
the filtering, the time slider, hiding, pinning and the SVG/PNG export on
the signals each link carries, so a filter or a slider step costs no rerun.
Clicks that need the server come back as ``{action, id, seq}``: open a page,
or expand a node's neighbours (same caps as the network view).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from graph_schema import enums
from workbench.query import Session, ego, latest_run
from workbench.query.chart import (
    COLOURS,
    LINK_KINDS,
    MAX_NEIGHBOURS,
    NEIGHBOURS,
    Chart,
    ChartLink,
    ChartNode,
    cluster_chart,
    entity_chart,
)
from workbench.query.describe import style, type_name
from workbench.ui.graph import FRONTEND, network_graph
from workbench.ui.widgets import CLUSTERS_PAGE, ENTITY_PAGE, attempt

_component = components.declare_component("entity_chart", path=str(FRONTEND))

STEP = 40  # entities added to the cap per expanded node, as in the network view
OFF = (LINK_KINDS["route"].name,)  # context, not a tie: drawn only when asked for
PAGES = ("Person", "FacilitatorEntity", "Phone", "Device", "Document", "Vehicle", "Location")
LEVEL = {"organiser": 0, "broker": 1}


def _node_title(n: ChartNode) -> str:
    parts = [n.type, n.label]
    if n.role:
        parts.append(n.role)
    if n.first:
        parts.append(f"first seen {n.first}, {n.signals} signals on its links")
    if n.pseudonymised:
        parts.append("pseudonymised for you")
    return "\n".join(parts)


def _link_title(x: ChartLink, ends: dict[str, ChartNode]) -> str:
    lines = [
        f"{x.kind}: {ends[x.a].label} — {ends[x.b].label}",
        f"{x.count} signal{'s' if x.count != 1 else ''}, strongest {x.strength}",
        f"{x.first} .. {x.last}" if x.first else "no dates",
    ]
    if x.via:
        lines.append("shared: " + ", ".join(x.via))
    if x.pseudonymised:
        lines.append("every signal behind it is pseudonymised for you")
    return "\n".join(lines)


def _level(n: ChartNode) -> int:
    if n.kind not in ("person", "facilitator"):
        return 3
    return LEVEL.get(n.role, 1 if n.kind == "facilitator" else 2)


def legend(chart: Chart) -> list[dict[str, Any]]:
    """Node kinds with the model's colours and shapes, then the evidence colours."""
    seen: dict[str, dict[str, Any]] = {}
    for n in chart.nodes:
        seen.setdefault(n.type, {"name": n.type, "color": n.color, "shape": n.shape})
    for label in ("Person", "FacilitatorEntity"):
        color, shape = style(label)
        seen.setdefault(type_name(label), {"name": type_name(label), "color": color,
                                           "shape": shape})  # fmt: skip
    return [
        *seen.values(),
        {"name": "hard evidence", "color": COLOURS["hard"], "line": True},
        {"name": "soft evidence only", "color": COLOURS["soft"], "line": True},
        {"name": "dashed: pseudonymised for you", "color": "#757575", "line": True},
    ]


def payload(chart: Chart, *, scope: str) -> dict[str, Any]:
    """The JSON the browser draws: nodes, links (with signal indices), signals, filters.

    >>> from workbench.query.chart import ChartSignal
    >>> n = [ChartNode("Person:a", "person", "<b>A</b>", "Person", "#1e88e5", "dot"),
    ...      ChartNode("Phone:+31", "phone", "+31", "Phone number", "#43a047", "square")]
    >>> s = ChartSignal("Signal:x", "kmar", "KMar", "K1", "2024-01-01", "hard", "t", "", False)
    >>> link = ChartLink("Person:a", "Phone:+31", "phone", ("Signal:x",), "hard", "2024-01-01",
    ...                  "2024-01-01")
    >>> p = payload(Chart(tuple(n), (link,), {"Signal:x": s}), scope="Person:a")
    >>> p["links"][0]["signals"], p["nodes"][0]["label"], p["dates"], p["kinds"]
    ([0], '<b>A</b>', ['2024-01-01'], ['phone'])
    """
    ends = {n.id: n for n in chart.nodes}
    every_seed = all(n.seed for n in chart.nodes if n.kind in ("person", "facilitator"))
    index = {sid: i for i, sid in enumerate(chart.signals)}
    pairs: Counter[frozenset[str]] = Counter()
    links = []
    for i, x in enumerate(chart.links):
        pair = frozenset((x.a, x.b))
        pairs[pair] += 1
        links.append(
            {
                "id": i,
                "from": x.a,
                "to": x.b,
                "kind": x.kind,
                "signals": [index[s] for s in x.signals],
                "via": list(x.via),
                "pseudonymised": x.pseudonymised,
                "parallel": pairs[pair] - 1,
                "title": _link_title(x, ends),
            }
        )
    orgs = enums.enums()["source"]["values"]
    fields = {"id": "id", "date": "date", "source": "source", "org": "organisation",
              "kind": "kind", "theme": "theme", "text": "text", "record": "record_id"}  # fmt: skip
    signals = [{k: getattr(s, f) for k, f in fields.items()} for s in chart.signals.values()]
    body: dict[str, Any] = {
        "scope": scope,
        "nodes": [
            {
                **{k: getattr(n, k) for k in ("id", "label", "kind", "type", "color", "shape")},
                **{k: getattr(n, k) for k in ("role", "seed", "pseudonymised", "first")},
                "signals": n.signals,
                "mark": n.seed and not every_seed,  # a cluster's members are all seeds
                "entity": n.kind in ("person", "facilitator"),
                "page": n.id.partition(":")[0] in PAGES and not n.pseudonymised,
                "level": _level(n),
                "title": _node_title(n),
            }
            for n in chart.nodes
        ],
        "links": links,
        "signals": signals,
        "kinds": sorted({x.kind for x in chart.links}),
        "off": [k for k in OFF if any(x.kind == k for x in chart.links)],
        "orgs": sorted((k, str(v)) for k, v in orgs.items()),
        "dates": sorted({s.date for s in chart.signals.values() if s.date}),
        "legend": legend(chart),
        "colours": COLOURS,
        "status": _status(chart),
    }
    body["key"] = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
    return body


def _status(chart: Chart) -> str:
    notes = []
    if chart.more:
        notes.append(f"{chart.more} more tied entities not shown (expand a node)")
    if chart.hubs:
        listed = ", ".join(f"{h.kind} {h.label} ({h.entities})" for h in chart.hubs[:3])
        notes.append(f"shared by too many to draw: {listed}")
    return "; ".join(notes)


@st.cache_data(ttl=300, show_spinner=False, max_entries=50)
def _chart(
    _session: Session,
    viewer: str,
    run_id: str,
    scope: str,
    seeds: tuple[str, ...],
    around: tuple[str, ...],
    roles: tuple[tuple[str, str], ...],
    identifiers: bool,
) -> Chart:
    """The folded chart, cached per viewer, run and item (and expansions)."""
    if scope.startswith("Cluster:") and not around:  # as detected; grown: members + ties
        return cluster_chart(_session, scope, identifiers=identifiers)
    grown = len(around) - 1 if around else len(seeds) - 1  # expansions beyond the first
    neighbours = min(MAX_NEIGHBOURS, NEIGHBOURS + STEP * grown)
    return entity_chart(
        _session,
        list(seeds),
        around=list(around) or None,
        roles=dict(roles),
        neighbours=neighbours,
        identifiers=identifiers,
    )


def _follow(value: Any, key: str, expanded: list[str]) -> None:
    """Act on a click the browser sent once: open a page, or expand a node."""
    if not isinstance(value, dict) or st.session_state.get(f"{key}:seen") == value.get("seq"):
        return
    st.session_state[f"{key}:seen"] = value.get("seq")
    target = str(value.get("id") or "")
    if value.get("action") == "open" and target:
        page = CLUSTERS_PAGE if target.startswith("Cluster:") else ENTITY_PAGE
        st.switch_page(page, query_params={"id": target})
    if value.get("action") == "expand" and target and target not in expanded:
        expanded.append(target)
        st.rerun()


def chart_section(
    session: Session,
    scope: str,
    *,
    seeds: Sequence[str],
    roles: dict[str, str] | None = None,
    key: str,
    height: int = 560,
) -> None:
    """The chart of ``scope`` (a cluster or an entity), or the raw evidence graph."""
    expanded: list[str] = st.session_state.setdefault(f"{key}:expanded", [])
    cols = st.columns([1, 1, 1])
    raw = cols[0].toggle("Raw evidence graph", key=f"{key}:raw")
    identifiers = cols[1].toggle("Shared identifiers as nodes", value=True, key=f"{key}:ids")
    if expanded and cols[2].button("Collapse expansions", key=f"{key}:collapse"):
        expanded.clear()
        st.rerun()
    if raw:
        net = attempt(ego, session, [*seeds, *expanded], depth=2, limit=250)
        if net is not None:
            network_graph(net, key=f"{key}:net", height=height)
        return
    run = latest_run(session)
    chart = attempt(
        _chart,
        session,
        session.viewer.username,
        run.run_id if run else "",
        scope,
        tuple(dict.fromkeys([*seeds, *expanded])),
        tuple(expanded) if scope.startswith("Cluster:") else (),  # an entity grows all round
        tuple(sorted((roles or {}).items())),
        identifiers,
    )
    if chart is None:
        return
    if not chart.nodes:
        st.info("Nothing you may see ties this to anyone yet.")
        return
    value = _component(chart=payload(chart, scope=scope), height=height + 190, key=key,
                       default=None)  # fmt: skip
    _follow(value, key, expanded)
