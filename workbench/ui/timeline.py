"""The signals timeline (Altair, as shipped with Streamlit), built from rows.

Tooltips carry only dates, organisations, kinds, themes and record ids,
never free text, so nothing from a record reaches a tooltip renderer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from workbench.query import SignalRow


def timeline_data(rows: Sequence[SignalRow]) -> list[dict[str, Any]]:
    """One point per dated signal.

    >>> import datetime as dt
    >>> row = SignalRow("Signal:coa|1", "coa", "COA", "1", dt.date(2024, 1, 2), "Soft",
    ...                 "Other", "text")
    >>> timeline_data([row])[0]["date"]
    '2024-01-02'
    """
    return [
        {
            "date": r.date.isoformat(),
            "organisation": r.organisation,
            "kind": r.kind,
            "theme": r.theme,
            "record": r.record_id,
        }
        for r in rows
        if r.date is not None
    ]


def timeline_chart(rows: Sequence[SignalRow], *, height: int = 180) -> alt.Chart | None:
    """Signals over time, one row per organisation, coloured by theme; None if undated."""
    data = timeline_data(rows)
    if not data:
        return None
    chart: alt.Chart = (
        alt.Chart({"values": data}, height=height)
        .mark_point(filled=True, size=70, opacity=0.8)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("organisation:N", title=None, axis=alt.Axis(labelLimit=220)),
            color=alt.Color("theme:N", title="theme"),
            shape=alt.Shape("kind:N", title="kind"),
            tooltip=["date:T", "organisation:N", "kind:N", "theme:N", "record:N"],
        )
    )
    return chart
