"""Search: persons, phones, documents, plates, facilitators and free text.

Identifiers typed the way people write them (``06-12345678``, ``1-abc-123``,
a V-number) are normalised with the model's value types and looked up by
value first; everything else goes to the store's full-text index. Each hit
says what it is, which organisations' signals mention it, and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from graph_schema.types import document, phone, plate, vnumber
from workbench.query import visibility
from workbench.query.describe import Ref, caption, display, type_name
from workbench.query.session import Session
from workbench.security import policy as need_to_know
from workbench.store import Node, SearchHit

Kind = Literal["persons", "phones", "documents", "plates", "facilitators", "text"]
KINDS: dict[Kind, tuple[str, ...]] = {
    "persons": ("Person", "PersonMention"),
    "phones": ("Phone", "Device"),
    "documents": ("Document",),
    "plates": ("Vehicle",),
    "facilitators": ("FacilitatorEntity", "FacilitatorMention"),
    "text": ("Signal", "Annotation", "Location", "Route"),
}


@dataclass(frozen=True)
class SearchResult:
    """One hit: what it is, what matched, whose signals mention it, and when."""

    id: str
    label: str
    type: str
    caption: str
    snippet: str
    organisations: tuple[str, ...]
    first: dt.date | None
    last: dt.date | None
    exact: bool = False

    @property
    def ref(self) -> Ref:
        return Ref(self.id, self.label, self.type, self.caption)


def _exact_hits(session: Session, text: str, labels: set[str]) -> tuple[list[str], list[SearchHit]]:
    """Identifier nodes whose normalised value is exactly ``text``: their stored
    ids, and the hits the viewer may know about.

    Each goes through the security module's ``view_hits`` with the value and
    property that matched, so a pseudonymised identifier is not confirmed.
    """
    store, found = session.store, []
    if "Phone" in labels and (e164 := phone.clean(text)):
        found.append(([f"Phone:{e164}"], e164, "e164"))
    if "Vehicle" in labels and (plate_ := plate.clean(text)):
        found.append(([f"Vehicle:{plate_}"], plate_, "plate"))
    if "Document" in labels and (number := document.clean_number(text)):
        docs = store.find_nodes("Document", {"number": number}, limit=20)
        found.append(([n.id for n in docs], number, "number"))
    if (v := vnumber.clean(text)) is not None:
        for label in ("Person", "PersonMention"):
            if label in labels:
                nodes = store.find_nodes(label, {"v_number": v}, limit=20)
                found.append(([n.id for n in nodes], v, "v_number"))
    hits: list[SearchHit] = []
    for ids, value, prop in found:
        candidates = [SearchHit(i, i.partition(":")[0], "", -1.0) for i in ids]
        hits += need_to_know.view_hits(session.policy, store, candidates, value, fields=[prop])
    return [i for ids, _, _ in found for i in ids], hits


def _signal_ids(session: Session, found: Iterable[Node]) -> dict[str, list[str]]:
    """Per node, the signals that mention it (resolved entities: via their mentions)."""
    out: dict[str, list[str]] = {}
    resolved: list[str] = []
    for node in found:
        if node.label == "Signal":
            out[node.id] = [node.id]
        elif node.label in ("Person", "FacilitatorEntity"):
            resolved.append(node.id)
        else:
            out[node.id] = list(node.props.get("signals") or ())
    if resolved:
        links = visibility.edges(session, "RESOLVED_TO", dst=resolved)
        mentions = visibility.nodes(session, [e.src for e in links])
        for edge in links:
            if edge.src in mentions:
                out.setdefault(edge.dst, []).extend(mentions[edge.src].props.get("signals") or ())
    return out


def search(
    session: Session, text: str, *, kinds: Sequence[Kind] | None = None, limit: int = 50
) -> list[SearchResult]:
    """Find what matches ``text`` among ``kinds`` (all kinds when None), best first.

    The viewer's policy applies to the hits and to the signals that describe
    them, and the search is audited.
    """
    text = text.strip()
    chosen = list(kinds or KINDS)
    labels = {label for k in chosen for label in KINDS[k]}
    session.record("search", text=text, kinds=chosen)
    if not text:
        return []
    with session.store.reader():
        originals, exact = _exact_hits(session, text, labels)
        matched = session.store.search(text, labels=sorted(labels), limit=limit * 2)
        # Never a raw index snippet: view_hits drops hits on withheld text and
        # rebuilds each snippet from the text as the viewer sees it.
        hits = need_to_know.view_hits(session.policy, session.store, matched, text)
        snippets = {h.id: h.snippet for h in hits}
        exact_ids = {h.id for h in exact}
        order = list(dict.fromkeys(h.id for h in [*exact, *hits]))
        stored = session.store.get_nodes([*originals, *(h.id for h in matched)])
        found = visibility.view_nodes(session, stored.values())  # keyed by the ids seen
        per_node = _signal_ids(session, found.values())
        signals = visibility.nodes(session, [s for ids in per_node.values() for s in ids])
    results = []
    for node_id in order:
        node = found.get(node_id)
        if node is None:
            continue
        seen = [signals[s] for s in per_node.get(node_id, []) if s in signals]
        dates = sorted(s.props["date"] for s in seen if s.props.get("date"))
        orgs = {display("source", s.props.get("source")) for s in seen}
        results.append(
            SearchResult(
                id=node.id,
                label=node.label,
                type=type_name(node.label),
                caption=caption(node),
                snippet=snippets.get(node_id, ""),
                organisations=tuple(sorted(orgs)),
                first=dates[0] if dates else None,
                last=dates[-1] if dates else None,
                exact=node_id in exact_ids,
            )
        )
    return results[:limit]
