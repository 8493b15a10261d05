"""The cluster's network as a static SVG picture, laid out with a fixed seed.

The same dossier always gives the same picture (each connected component by
a networkx spring layout with ``SEED``, refined by Kamada-Kawai up to
``KAMADA_KAWAI_UP_TO`` members, the components side by side),
so a printed copy and a re-export can be compared side by side. Members are
numbered as in the member list (M12 is drawn as 12), names are written beside
the nodes up to ``NAMED_UP_TO`` members, and nodes are pushed apart until none
overlap, so the picture stays readable at 50 members.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx  # type: ignore[import-untyped, unused-ignore]
import numpy as np

from graph_schema.model import model
from workbench.dossier.links import ref_order
from workbench.dossier.svg import clip, document, esc, num, text
from workbench.query.chart import COLOURS, LINK_KINDS

SEED = 7
WIDTH, HEIGHT, MARGIN = 800.0, 540.0, 40.0
NAMED_UP_TO = 60
KAMADA_KAWAI_UP_TO = 80  # its cost grows with the square of the members
MAX_LINKS = 1500
ISOLATE_ROW = 44.0
Point = tuple[float, float]
HARD, SOFT = COLOURS["hard"], COLOURS["soft"]


def radius(n: int) -> float:
    """Node radius for a picture of ``n`` members: smaller as the picture fills up.

    >>> radius(10), radius(50), radius(200)
    (12.0, 10.0, 7.0)
    """
    return 12.0 if n <= 30 else 10.0 if n <= 80 else 7.0


Box = tuple[float, float, float, float]


def spread(xy: np.ndarray, min_dist: float, *, box: Box, stretch: float = 1.0) -> np.ndarray:
    """Push points apart until no two are closer than ``min_dist`` (or 200 rounds pass).

    Each round moves both points of every too-close pair half the shortfall
    away from each other, then clamps to ``box`` (x0, y0, x1, y1). With
    ``stretch`` > 1 horizontal distance counts less (names are written to the
    right of the nodes, so neighbours need more room sideways than above).

    >>> pts = spread(np.array([[10.0, 10.0], [10.5, 10.0]]), 8.0, box=(0, 0, 100, 100))
    >>> round(float(np.hypot(*(pts[0] - pts[1]))), 1) >= 7.9
    True
    """
    xy = xy.astype(float).copy()
    if len(xy) < 2:
        return xy
    jitter = np.random.default_rng(SEED).normal(scale=1e-3, size=xy.shape)
    xy += jitter  # coincident points need a direction to part in
    scale = np.array([1.0 / stretch, 1.0])
    x0, y0, x1, y1 = box
    for _ in range(200):
        d = (xy[:, None, :] - xy[None, :, :]) * scale
        dist = np.hypot(d[..., 0], d[..., 1])
        np.fill_diagonal(dist, 2 * min_dist)  # a point is never too close to itself
        close = dist < min_dist * 0.995  # a hair short is close enough (it converges)
        if not close.any():
            break
        push = np.where(close, (min_dist - dist) / 2.0 / np.maximum(dist, 1e-9), 0.0)
        xy += (d * push[..., None]).sum(axis=1) * 0.6 / scale
        xy[:, 0] = xy[:, 0].clip(x0, x1)
        xy[:, 1] = xy[:, 1].clip(y0, y1)
    return xy


def positions(graph: nx.Graph, *, seed: int = SEED) -> dict[str, Any]:
    """Seeded spring layout of a connected graph, refined by Kamada-Kawai when small.

    Kamada-Kawai places members at distances that follow their graph
    distances (unweighted), which reads better than a spring layout whose
    strong links pull cores into a ball; its cost grows with the square of
    the members, so large graphs keep the spring layout.

    References
    ----------
    T. Kamada and S. Kawai, "An algorithm for drawing general undirected
    graphs", Information Processing Letters 31(1), 7-15 (1989).
    doi:10.1016/0020-0190(89)90102-6
    """
    start = nx.spring_layout(graph, seed=seed, iterations=50)
    if not 3 <= graph.number_of_nodes() <= KAMADA_KAWAI_UP_TO:
        return dict(start)
    return dict(nx.kamada_kawai_layout(graph, pos=start))


def pack(graph: nx.Graph, box: Box, *, seed: int = SEED) -> dict[str, Point]:
    """Each connected component laid out alone, side by side in ``box``.

    A component gets a slice of the width in proportion to the square root
    of its size and is scaled evenly to fit it, so one big component is not
    squeezed by a pair of members far away.

    >>> g = nx.Graph([("M1", "M2"), ("M2", "M3"), ("M3", "M1"), ("M4", "M5")])
    >>> pos = pack(g, (0.0, 0.0, 400.0, 200.0))
    >>> max(pos["M1"][0], pos["M2"][0], pos["M3"][0]) < min(pos["M4"][0], pos["M5"][0])
    True
    """
    parts = sorted(
        (sorted(c, key=ref_order) for c in nx.connected_components(graph)),
        key=lambda c: (-len(c), ref_order(c[0])),
    )
    shares = [math.sqrt(len(c)) for c in parts]
    x0, y0, x1, y1 = box
    pos: dict[str, Point] = {}
    left = x0
    for part, share in zip(parts, shares, strict=True):
        width = (x1 - x0) * share / sum(shares)
        raw = positions(graph.subgraph(part), seed=seed)
        xy = np.array([raw[n] for n in part], dtype=float).reshape(-1, 2)
        lo, span = xy.min(axis=0), xy.max(axis=0) - xy.min(axis=0)
        pad = min(20.0, width / 4)
        room = np.array([width - 2 * pad, y1 - y0])
        scale = min((room[k] / span[k] for k in (0, 1) if span[k] > 1e-9), default=0.0)
        centre = np.array([left + width / 2, (y0 + y1) / 2])
        xy = (xy - lo - span / 2) * scale + centre
        pos.update({n: (float(x), float(y)) for n, (x, y) in zip(part, xy, strict=True)})
        left += width
    return pos


def layout(
    refs: Sequence[str], links: Sequence[Mapping[str, Any]], *, seed: int = SEED
) -> tuple[dict[str, Point], float]:
    """Positions of the members in picture units, and the picture's height.

    Linked members are laid out component by component in the main area
    (:func:`pack`) and pushed apart until none overlap; members without links
    sit in rows beneath it.

    >>> pos, height = layout(["M1", "M2", "M3"], [{"a": "M1", "b": "M2", "weight": 1.0}])
    >>> sorted(pos), height > 0
    (['M1', 'M2', 'M3'], True)
    """
    graph = nx.Graph()
    graph.add_nodes_from(refs)
    graph.add_weighted_edges_from((x["a"], x["b"], float(x["weight"])) for x in links)
    linked = [r for r in refs if graph.degree(r) > 0]
    alone = [r for r in refs if graph.degree(r) == 0]
    r = radius(len(refs))
    per_row = max(1, int((WIDTH - 2 * MARGIN) // (ISOLATE_ROW * 2.2)))
    rows = math.ceil(len(alone) / per_row)
    main = HEIGHT if linked else 0.0
    height = main + rows * ISOLATE_ROW + (MARGIN if rows else 0.0)
    pos: dict[str, Point] = {}
    if linked:
        box = (MARGIN, MARGIN, WIDTH - MARGIN - 90.0, main - MARGIN)
        packed = pack(graph.subgraph(linked), box, seed=seed)
        stretch = 2.0 if len(refs) <= NAMED_UP_TO else 1.0
        xy = np.array([packed[ref] for ref in linked], dtype=float)
        xy = spread(xy, r * 3.2, box=box, stretch=stretch)
        pos.update({ref: (float(x), float(y)) for ref, (x, y) in zip(linked, xy, strict=True)})
    for i, ref in enumerate(alone):
        row, col = divmod(i, per_row)
        pos[ref] = (MARGIN + col * ISOLATE_ROW * 2.2, main + MARGIN / 2 + row * ISOLATE_ROW)
    return pos, height


def _node(member: Mapping[str, Any], x: float, y: float, r: float, central: bool) -> str:
    kind = "FacilitatorEntity" if member["kind"] == "facilitator" else "Person"
    colour = member.get("color") or model().node(kind).color
    ring = 'stroke="#212121" stroke-width="2.5"' if central else 'stroke="#ffffff" stroke-width="1"'
    if member["kind"] not in ("person", "facilitator"):  # an identifier of the chart
        k = r * 0.7
        corners = ((x - k, y - k), (x + k, y - k), (x + k, y + k), (x - k, y + k))
        pts = " ".join(f"{num(a)},{num(b)}" for a, b in corners)
        title = f"<title>{esc(member['ref'])} {esc(member['kind'])} {esc(member['name'])}</title>"
        return f'<g>{title}<polygon points="{pts}" fill="{esc(colour)}" {ring}/></g>'
    if member["kind"] == "facilitator":
        k = r * 1.25
        corners = ((x, y - k), (x + k, y), (x, y + k), (x - k, y))
        pts = " ".join(f"{num(a)},{num(b)}" for a, b in corners)
        shape = f'<polygon points="{pts}" fill="{esc(colour)}" {ring}/>'
    else:
        shape = f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" fill="{esc(colour)}" {ring}/>'
    title = f"<title>{esc(member['ref'])} {esc(member['name'])}</title>"
    label = text(
        x, y + r * 0.38, member["ref"][1:], size=r * 1.05, fill="#ffffff", text_anchor="middle"
    )
    return f"<g>{title}{shape}{label}</g>"


def _legend(y: float) -> str:
    person = model().node("Person").color
    facilitator = model().node("FacilitatorEntity").color
    return (
        f'<circle cx="{num(MARGIN)}" cy="{num(y)}" r="6" fill="{esc(person)}"/>'
        + text(MARGIN + 10, y + 4, "person", size=10)
        + f'<polygon points="{num(MARGIN + 76)},{num(y - 7)} {num(MARGIN + 83)},{num(y)} '
        f'{num(MARGIN + 76)},{num(y + 7)} {num(MARGIN + 69)},{num(y)}" fill="{esc(facilitator)}"/>'
        + text(MARGIN + 88, y + 4, "facilitator", size=10)
        + f'<circle cx="{num(MARGIN + 170)}" cy="{num(y)}" r="6" fill="#ffffff" '
        'stroke="#212121" stroke-width="2.5"/>'
        + text(MARGIN + 180, y + 4, "most central", size=10)
        + f'<line x1="{num(MARGIN + 270)}" y1="{num(y)}" x2="{num(MARGIN + 300)}" y2="{num(y)}" '
        f'stroke="{HARD}" stroke-width="3"/>'
        + text(MARGIN + 306, y + 4, "hard", size=10)
        + f'<line x1="{num(MARGIN + 336)}" y1="{num(y)}" x2="{num(MARGIN + 366)}" y2="{num(y)}" '
        f'stroke="{SOFT}" stroke-width="3"/>'
        + text(MARGIN + 372, y + 4, "soft only (thicker: more signals)", size=10)
        + text(MARGIN + 560, y + 4, "numbers: members M1, M2, ...", size=10)
    )


def draw_network(
    members: Sequence[Mapping[str, Any]], network: Mapping[str, Any], *, seed: int = SEED
) -> str:
    """The SVG picture of ``members`` and the dossier's ``network`` links (strongest first)."""
    if not members:
        return ""
    refs = [m["ref"] for m in members]
    links = list(network["links"])[:MAX_LINKS]
    pos, height = layout(refs, links, seed=seed)
    r = radius(len(refs))
    strongest = max((float(x["weight"]) for x in links), default=1.0)
    parts = []
    for x in reversed(links):  # strongest drawn last, on top
        share = float(x["weight"]) / strongest
        (ax, ay), (bx, by) = pos[x["a"]], pos[x["b"]]
        dash = ' stroke-dasharray="5 3"' if x.get("dashed") else ""
        parts.append(
            f'<line x1="{num(ax)}" y1="{num(ay)}" x2="{num(bx)}" y2="{num(by)}" '
            f'stroke="{esc(x.get("color", "#607d8b"))}"{dash} '
            f'stroke-width="{0.6 + 2.4 * share:.2f}" stroke-opacity="{0.3 + 0.55 * share:.2f}"/>'
        )
    ranked = [m["ref"] for m in members if m.get("centrality") is not None][:3]
    for m in members:
        x, y = pos[m["ref"]]
        parts.append(_node(m, x, y, r, m["ref"] in ranked))
    if len(members) <= NAMED_UP_TO:
        for m in members:
            x, y = pos[m["ref"]]
            parts.append(text(x + r + 3, y + 3.5, clip(str(m["name"]), 22), size=9.5, halo=True))
    parts.append(_legend(height + 14))
    label = f"Network of {len(members)} members and {len(links)} links"
    return document(WIDTH, height + 28, label, parts)


def chart_picture(
    members: Sequence[Mapping[str, Any]], chart: Mapping[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """What :func:`draw_network` needs to draw the dossier's ``chart`` section.

    Members and the chart's identifiers are the nodes; each link is as wide as
    its signals are many and coloured by the strongest evidence behind it.

    >>> nodes, net = chart_picture(
    ...     [{"ref": "M1", "kind": "person", "name": "A"}],
    ...     {"identifiers": [{"ref": "I1", "kind": "phone", "value": "+316"}],
    ...      "links": [{"a": "M1", "b": "I1", "kind": "phone", "strength": "hard",
    ...                 "pseudonymised": False, "records": [{}, {}]}]})
    >>> [n["ref"] for n in nodes], net["links"][0]["weight"], net["links"][0]["color"] == HARD
    (['M1', 'I1'], 2.0, True)
    """
    labels = {k.name: k.label for k in LINK_KINDS.values() if k.label}
    nodes = [dict(m) for m in members]
    for i in chart["identifiers"]:
        colour = model().node(labels.get(i["kind"], "Phone")).color
        nodes.append({"ref": i["ref"], "kind": i["kind"], "name": i["value"], "color": colour})
    links = [
        {
            "a": x["a"],
            "b": x["b"],
            "weight": float(len(x["records"])),
            "color": COLOURS[x["strength"]],
            "dashed": x["pseudonymised"],
        }
        for x in chart["links"]
    ]
    links.sort(key=lambda x: -x["weight"])
    return nodes, {"links": links}
