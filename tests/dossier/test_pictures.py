"""The network and timeline pictures: deterministic, readable at 50 members, escaped."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from itertools import combinations
from typing import Any

from workbench.dossier.links import member_links
from workbench.dossier.network_svg import HEIGHT, WIDTH, draw_network, layout, radius
from workbench.dossier.timeline_svg import draw_timeline

HOSTILE = "<img src=x onerror=alert(1)>"


def _cluster(n: int, *, seed: int = 3) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``n`` members in small cells sharing records, one broker in several cells."""
    rng = random.Random(seed)
    members = [
        {"ref": f"M{i}", "id": f"Person:P{i}", "kind": "facilitator" if i == 1 else "person",
         "name": HOSTILE if i == 2 else f"Person {i}", "centrality": 1.0 / i, "identifiers": []}
        for i in range(1, n + 1)
    ]  # fmt: skip
    signals = []
    for k in range(n * 2):
        cell = rng.sample([m["ref"] for m in members[1:]], 3)
        signals.append(
            {"source": "kmar", "record_id": f"KM-{k}", "members": ["M1", *cell] if k % 5 == 0
             else cell, "vehicles": [], "date": f"2015-{1 + k % 12:02d}-0{1 + k % 9}",
             "kind": "hard" if k % 3 else "zacht", "organisation": "KMar"}
        )  # fmt: skip
    return members, signals


def test_the_picture_is_the_same_every_time() -> None:
    members, signals = _cluster(30)
    network = member_links(members, signals)
    assert draw_network(members, network) == draw_network(members, network)


def test_fifty_members_do_not_overlap_and_stay_in_the_frame() -> None:
    members, signals = _cluster(50)
    network = member_links(members, signals)
    pos, height = layout([m["ref"] for m in members], network["links"])
    r = radius(50)
    for (a, pa), (b, pb) in combinations(pos.items(), 2):
        gap = ((pa[0] - pb[0]) ** 2 + (pa[1] - pb[1]) ** 2) ** 0.5
        assert gap >= 2 * r + 4, (a, b, gap)
    for x, y in pos.values():
        assert r <= x <= WIDTH - r and r <= y <= height - r
    assert height >= HEIGHT


def test_members_without_links_sit_in_a_row_below() -> None:
    pos, height = layout(["M1", "M2", "M3"], [{"a": "M1", "b": "M2", "weight": 1.0}])
    assert pos["M3"][1] > max(pos["M1"][1], pos["M2"][1]) and height > HEIGHT


def test_svg_is_well_formed_with_names_as_text_only() -> None:
    members, signals = _cluster(12)
    svg = draw_network(members, member_links(members, signals))
    root = ET.fromstring(svg)  # escaping mistakes would make this fail
    assert root.tag == "svg" and "<img" not in svg and "&lt;img" in svg
    texts = [t.text for t in root.iter("text")] + [t.text for t in root.iter("title")]
    assert any(HOSTILE in (t or "") for t in texts)
    assert not [e for e in root.iter() if any(a.startswith("on") or "href" in a for a in e.attrib)]


def test_timeline_has_a_dot_per_dated_signal() -> None:
    _, signals = _cluster(10)
    root = ET.fromstring(draw_timeline(signals))
    dots = [c for c in root.iter("circle") if c.find("title") is not None]
    assert len(dots) == len(signals)
    assert draw_timeline([]) == ""
