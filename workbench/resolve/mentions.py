"""Person mentions read from the store as records: every one for a run, or a few for a reader.

A resolution run reads every mention in bulk (``service._read``); a reader
rebuilding the explanation of a few stored links (``workbench.resolve.links``)
reads only those links' mentions, by id. Both build each record here, so a
rebuilt explanation compares and shows what the run compared and showed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.ingest.mapping import ROLE_EDGE
from workbench.resolve.records import (
    TRAVELLING_ROLES,
    Birth,
    Record,
    centre_of,
    link_companions,
)
from workbench.store.base import GraphStore, Node

__all__ = ["MENTION_FIELDS", "NOWHERE", "Context", "context", "key_value", "record", "records_of"]

# What resolution reads of a mention: its record (``record``) and its person's summary.
MENTION_FIELDS = ("name", "given", "surname", "birth_date", "birth_administrative",
                  "nationality", "sex", "v_number", "source", "record_id")  # fmt: skip


@dataclass(frozen=True)
class Context:
    """What a mention's record says around it: the journey, the day it was made, and where."""

    route: tuple[str, ...] = ()
    arrival: int | None = None
    seen: int | None = None
    role: str | None = None
    place: str | None = None  # the record's location key (``OBSERVED_AT``)

    @property
    def travelling(self) -> bool:
        """In a travelling role: its record's companions are its mates."""
        return self.role in TRAVELLING_ROLES


NOWHERE = Context()  # a mention no record places (one object, not one per lookup)


def context(
    role: str,
    day: dt.date | None,
    arrival: dt.date | None,
    route: str | None,
    place: str | None = None,
) -> Context:
    """The context a record (its ``day``, ``arrival``, ``route`` and ``place``) gives a
    mention in ``role``.

    A border record's route and arrival hold for the companions as well:
    a household travels together, which tells its members' mentions apart
    from namesakes who came another way or on another day. The record's own
    day holds for everyone on it (records follow a person's arrival).

    >>> context("visitor", dt.date(2024, 1, 2), dt.date(2024, 1, 1), "SYR>TUR").route
    ()
    """
    travelling = role in TRAVELLING_ROLES
    return Context(
        tuple(route.split(">")) if route and travelling else (),
        arrival.toordinal() if travelling and arrival is not None else None,
        day.toordinal() if day is not None else None,
        role,
        place,
    )


def record(
    mention_id: str,
    props: Mapping[str, Any],
    phones: Iterable[str],
    docs: Iterable[str],
    around: Context,
) -> Record:
    """The record of a mention (its ``MENTION_FIELDS``, identifiers and context)."""
    p = props
    return Record(
        mention_id,
        p.get("name") or " ".join(x for x in (p.get("given"), p.get("surname")) if x),
        Birth.parse(p.get("birth_date"), administrative=bool(p.get("birth_administrative"))),
        nationality=p.get("nationality"),
        sex=p.get("sex"),
        v_number=p.get("v_number"),
        phones=frozenset(phones),
        documents=frozenset(docs),
        group=f"{p['source']}:{p['record_id']}",  # two people in one record are two people
        route=around.route,
        arrival=around.arrival,
        seen=around.seen,
        centre=centre_of(p["source"], around.role, around.place),
    )


def records_of(
    store: GraphStore, ids: Sequence[str], *, nodes: Mapping[str, Node] | None = None
) -> dict[str, Record]:
    """The records of the mentions ``ids`` that exist, read by id: a few queries at any size.

    Their companions (``Record.mates``) are read too, as far as the companions
    comparison looks at them: name and birth date. ``nodes`` are the mentions'
    ``MENTION_FIELDS`` when the caller has read them already.
    """
    mentions = nodes if nodes is not None else store.get_nodes(list(ids), fields=MENTION_FIELDS)
    wanted = list(mentions)
    if not wanted:
        return {}
    phones: dict[str, set[str]] = defaultdict(set)
    for e in store.find_edges("HAS_PHONE", src=wanted):
        phones[e.src].add(key_value(e.dst))
    docs: dict[str, set[str]] = defaultdict(set)
    for e in store.find_edges("HAS_DOCUMENT", src=wanted):
        docs[e.src].add(key_value(e.dst))
    roles = [(role, e) for role, edge in ROLE_EDGE.items()
             for e in store.find_edges(edge, dst=wanted)]  # fmt: skip
    sources = sorted({e.src for _, e in roles})
    fellows = [(role, e) for role, edge in ROLE_EDGE.items() if role in TRAVELLING_ROLES and sources
               for e in store.find_edges(edge, src=sources) if e.dst not in mentions]  # fmt: skip
    others = store.get_nodes(sorted({e.dst for _, e in fellows}), fields=MENTION_FIELDS)
    signals = store.get_nodes(sources, fields=["date", "arrival_date"]) if sources else {}
    routes = ({e.src: key_value(e.dst) for e in store.find_edges("TRAVELLED", src=sources)}
              if sources else {})  # fmt: skip
    places = ({e.src: key_value(e.dst) for e in store.find_edges("OBSERVED_AT", src=sources)}
              if sources else {})  # fmt: skip
    around: dict[str, Context] = {}
    for role, e in [*roles, *fellows]:  # in the bulk read's order: the last role edge read holds
        if e.src in signals:
            s = signals[e.src].props
            around[e.dst] = context(role, s.get("date"), s.get("arrival_date"), routes.get(e.src),
                                    places.get(e.src))  # fmt: skip
    out = {
        i: record(i, n.props, phones.get(i, ()), docs.get(i, ()), around.get(i, NOWHERE))
        for i, n in mentions.items()
    }
    fellow = [record(i, n.props, (), (), around.get(i, NOWHERE)) for i, n in others.items()]
    link_companions(r for r in [*out.values(), *fellow] if around.get(r.id, NOWHERE).travelling)
    return out


def key_value(node_id: str) -> str:
    """The key value a node id carries (``Phone:+31612345678`` -> ``+31612345678``)."""
    return node_id.partition(":")[2]
