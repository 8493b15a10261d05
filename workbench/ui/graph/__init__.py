"""The network component: vis-network drawn in the browser, clicks back to Python.

vis-network is vendored under ``frontend/vendor`` and served by Streamlit
from this package (``components.v1.declare_component`` with a static path),
so the view works with no internet. ``payload`` turns a query-layer
:class:`~workbench.query.NetworkView` into what the browser draws, adding
"+N more" nodes where the cap left neighbours out; clicking one expands it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from workbench.query import NetworkView

FRONTEND = Path(__file__).parent / "frontend"
MORE_PREFIX = "more:"
MAX_STUBS = 12  # "+N more" nodes drawn; the rest say so in their tooltip
AGGREGATE_PREFIX = "agg:"

_component = components.declare_component("network_graph", path=str(FRONTEND))


def payload(view: NetworkView) -> dict[str, Any]:
    """The JSON the browser draws: nodes, edges, "+N more" stubs, legend, status.

    >>> from workbench.query.network import NetNode
    >>> n = NetNode("Phone:+31", "Phone", "+31", "Phone number", "#43a047", "square", "t",
    ...             seed=True, more=12)
    >>> p = payload(NetworkView(nodes=[n], more={"Phone:+31": 12}))
    >>> [x["label"] for x in p["nodes"]], p["legend"]
    (['+31', '+12 more'], [{'name': 'Phone number', 'color': '#43a047'}])
    """
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    legend: dict[str, str] = {}
    stubbed = {n.id for n in sorted(view.nodes, key=lambda n: -n.more)[:MAX_STUBS] if n.more}
    for n in view.nodes:
        legend.setdefault(n.type, n.color)
        nodes.append(
            {
                "id": n.id,
                "label": n.caption,
                "title": n.title,
                "color": n.color,
                "shape": n.shape,
                "seed": n.seed,
                "aggregate": n.aggregate,
            }
        )
        if n.id in stubbed:
            stub = f"{MORE_PREFIX}{n.id}"
            nodes.append(
                {
                    "id": stub,
                    "label": f"+{n.more} more",
                    "title": f"{n.more} more neighbours of {n.caption}: click to expand",
                    "color": "#ffffff",
                    "shape": "box",
                    "more": n.more,
                }
            )
            edges.append({"from": n.id, "to": stub, "label": "", "title": "", "dashes": True})
    edges += [{"from": e.src, "to": e.dst, "label": e.label, "title": e.title} for e in view.edges]
    status = f"{len(view.nodes)} nodes, {len(view.edges)} links"
    if view.aggregated:
        status += f"; {view.aggregated} leaves folded into groups"
    if view.filtered_out:
        status += f"; {view.filtered_out} hidden by the filters"
    body = {
        "nodes": nodes,
        "edges": edges,
        "legend": [{"name": k, "color": v} for k, v in legend.items()],
        "status": status,
    }
    body["key"] = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
    return body


def network_graph(view: NetworkView, *, key: str, height: int = 560) -> str | None:
    """Draw ``view``; return the id of a node the user just clicked, else None.

    The component keeps its last value across reruns, so each click carries
    a sequence number and is reported once.
    """
    value = _component(payload=payload(view), height=height, key=key, default=None)
    if not isinstance(value, dict):
        return None
    seen_key = f"{key}:seen"
    if st.session_state.get(seen_key) == value.get("seq"):
        return None
    st.session_state[seen_key] = value.get("seq")
    clicked = value.get("id")
    return str(clicked) if clicked else None
