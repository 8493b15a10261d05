"""The cluster's signals on a time axis, one lane per organisation, as static SVG."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from workbench.dossier.svg import document, esc, num, text

WIDTH, LEFT, RIGHT, TOP, LANE = 800.0, 150.0, 20.0, 30.0, 30.0
SOURCES = ("politie", "kmar", "ind", "coa")
HARD, SOFT = "#c62828", "#1565c0"


def ticks(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of years, quarters or months between ``first`` and ``last``, 2 to 13 of them.

    >>> [d.isoformat() for d in ticks(dt.date(2015, 1, 10), dt.date(2015, 4, 2))]
    ['2015-02-01', '2015-03-01', '2015-04-01']
    >>> len(ticks(dt.date(2010, 1, 1), dt.date(2016, 1, 1)))
    6
    """
    for step in (1, 3, 12):
        out = []
        year, month = first.year, first.month
        while True:
            month += 1
            if month > 12:
                year, month = year + 1, 1
            if (month - 1) % step:
                continue
            day = dt.date(year, month, 1)
            if day > last:
                break
            out.append(day)
        if len(out) <= 13:
            return out
    return [dt.date(y, 1, 1) for y in range(first.year + 1, last.year + 1)]


def draw_timeline(signals: Sequence[Mapping[str, Any]]) -> str:
    """Each dated signal as a dot in its organisation's lane: filled hard, hollow soft."""
    dated = [(dt.date.fromisoformat(s["date"]), s) for s in signals if s.get("date")]
    if not dated:
        return ""
    first = min(d for d, _ in dated) - dt.timedelta(days=3)
    last = max(d for d, _ in dated) + dt.timedelta(days=3)
    days = max((last - first).days, 1)
    lanes = [src for src in SOURCES if any(s["source"] == src for _, s in dated)]
    lanes += sorted({s["source"] for _, s in dated} - set(lanes))
    height = TOP + LANE * len(lanes) + 40

    def x(day: dt.date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / days

    parts = []
    for i, src in enumerate(lanes):
        y = TOP + LANE * i + LANE / 2
        label = next(s["organisation"] for _, s in dated if s["source"] == src)
        parts.append(text(8, y + 4, label, size=10.5))
        parts.append(
            f'<line x1="{num(LEFT)}" y1="{num(y)}" x2="{num(WIDTH - RIGHT)}" y2="{num(y)}" '
            'stroke="#cfd8dc" stroke-width="1"/>'
        )
    bottom = TOP + LANE * len(lanes)
    for tick in ticks(first, last):
        tx = x(tick)
        parts.append(
            f'<line x1="{num(tx)}" y1="{num(TOP - 6)}" x2="{num(tx)}" y2="{num(bottom)}" '
            'stroke="#eceff1" stroke-width="1"/>'
        )
        parts.append(text(tx, TOP - 10, tick.strftime("%Y-%m"), size=9, text_anchor="middle"))
    stacked: Counter[tuple[str, dt.date]] = Counter()
    for day, s in sorted(dated, key=lambda t: (t[0], t[1]["record_id"])):
        lane = lanes.index(s["source"])
        k = stacked[(s["source"], day)]
        stacked[(s["source"], day)] += 1
        y = TOP + LANE * lane + LANE / 2 + ((k % 3) - 1) * 6 * (k > 0)
        hard = s.get("kind") == "hard"
        fill, stroke = (HARD, HARD) if hard else ("#ffffff", SOFT)
        parts.append(
            f'<circle cx="{num(x(day))}" cy="{num(y)}" r="4.5" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="1.6"><title>{esc(s["date"])} {esc(s["record_id"])}</title></circle>'
        )
    legend_y = bottom + 24
    parts.append(f'<circle cx="{num(LEFT)}" cy="{num(legend_y)}" r="4.5" fill="{HARD}"/>')
    parts.append(text(LEFT + 9, legend_y + 4, "hard signal", size=10))
    parts.append(
        f'<circle cx="{num(LEFT + 110)}" cy="{num(legend_y)}" r="4.5" fill="#ffffff" '
        f'stroke="{SOFT}" stroke-width="1.6"/>'
    )
    parts.append(text(LEFT + 119, legend_y + 4, "soft signal", size=10))
    label = f"Timeline of {len(dated)} signals from {first.isoformat()} to {last.isoformat()}"
    return document(WIDTH, height, label, parts)
