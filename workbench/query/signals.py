"""Signals as rows for people: time order, organisation, kind, theme, original text.

Also the filter the network view applies (organisation, theme, kind, dates):
a fact stays on screen while at least one signal that asserts it passes.

>>> import datetime as dt
>>> from workbench.store import Node
>>> s = Node("Signal:coa|C-1", "Signal", {"source": "coa", "record_id": "C-1",
...     "date": dt.date(2024, 3, 1), "kind": "zacht", "theme": "mensenhandel"})
>>> signal_row(s, "subject").organisation, signal_row(s).kind
('COA', 'Soft')
>>> SignalFilter(organisations=frozenset({"kmar"})).accepts(s)
False
>>> SignalFilter(start=dt.date(2024, 1, 1)).accepts(s)
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from workbench.query import visibility
from workbench.query.describe import display
from workbench.query.session import Session
from workbench.store import Node


@dataclass(frozen=True)
class SignalRow:
    """One signal as listed wherever signals are shown."""

    id: str
    source: str
    organisation: str
    record_id: str
    date: dt.date | None
    kind: str
    theme: str
    text: str
    relation: str = ""
    legal_regime: str = ""
    indicators: tuple[str, ...] = ()


def signal_row(node: Node, relation: str = "") -> SignalRow:
    """A Signal node as a row; ``relation`` says how it concerns the entity shown."""
    p = node.props
    return SignalRow(
        id=node.id,
        source=str(p.get("source") or ""),
        organisation=display("source", p.get("source")),
        record_id=str(p.get("record_id") or ""),
        date=p.get("date"),
        kind=display("signal_kind", p.get("kind")),
        theme=display("theme", p.get("theme")),
        text=str(p.get("text") or ""),
        relation=relation,
        legal_regime=display("legal_regime", p.get("legal_regime")),
        indicators=tuple(p.get("indicators") or ()),
    )


def in_time_order(rows: Iterable[SignalRow]) -> list[SignalRow]:
    """Oldest first; undated signals last; ties by id so the order is stable."""
    return sorted(rows, key=lambda r: (r.date is None, r.date or dt.date.min, r.id))


def provenance(found: Iterable[Node]) -> list[str]:
    """The ids of the signals that assert these nodes (their ``signals`` lists)."""
    out: dict[str, None] = {}
    for node in found:
        for sid in node.props.get("signals") or ():
            out[sid] = None
    return list(out)


def signal_rows(
    session: Session, ids: Iterable[str], relations: Mapping[str, str] | None = None
) -> list[SignalRow]:
    """The visible signals among ``ids``, in time order."""
    relations = relations or {}
    found = visibility.nodes(session, [i for i in ids if i.startswith("Signal:")])
    return in_time_order(signal_row(n, relations.get(n.id, "")) for n in found.values())


@dataclass(frozen=True)
class SignalFilter:
    """Which signals to keep; an empty set or ``None`` means no restriction."""

    organisations: frozenset[str] = field(default_factory=frozenset)
    themes: frozenset[str] = field(default_factory=frozenset)
    kinds: frozenset[str] = field(default_factory=frozenset)
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def active(self) -> bool:
        return bool(self.organisations or self.themes or self.kinds or self.start or self.end)

    def accepts(self, signal: Node) -> bool:
        p = signal.props
        if self.organisations and p.get("source") not in self.organisations:
            return False
        if self.themes and p.get("theme") not in self.themes:
            return False
        if self.kinds and p.get("kind") not in self.kinds:
            return False
        date = p.get("date")
        if self.start and (date is None or date < self.start):
            return False
        return not (self.end and (date is None or date > self.end))
