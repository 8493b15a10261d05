"""The analysis projection: who is linked to whom by what they specifically share.

Pure: incidences in, links out. An *incidence* says that one resolved entity
(a ``Person`` or ``FacilitatorEntity`` node id) touches one *thing* - a phone
number, a vehicle, a named facilitator, a batch of forged passports - and
which signal says so. Things touched by two or more members become links
between them; each link keeps the things it came from (its evidence), so the
UI and the dossier can always answer "why are these two connected?".

A thing is as telling as it is rare. A phone number shared by three people is
a lead; one shared by three hundred is a helpdesk. So each thing spreads a
fixed amount of weight over its members (inverse frequency), and a thing with
more than ``hub_size`` members is no link at all: it is dropped and reported
as a hub. A thing an analyst marked benign (a support line, a lawyer's office)
is dropped and reported the same way, whatever its size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

__all__ = [
    "KINDS",
    "Evidence",
    "Hub",
    "Incidence",
    "Kind",
    "LeftOut",
    "Link",
    "Projection",
    "Thing",
    "group_things",
    "project",
    "thing_links",
]


@dataclass(frozen=True)
class Kind:
    """One kind of shared thing: its base weight and how it links its members.

    A *star* thing is itself a member (a facilitator, a visitor): its members
    link to it, not to each other, so the one who organises stays visible in
    the projection. Any other thing links every pair of its members. A
    *marker* is evidence of facilitation; travelling together or on the same
    route is context (families do), which links but does not make a network.
    """

    name: str
    weight: float
    star: bool
    meaning: str
    marker: bool = True


KINDS: Mapping[str, Kind] = {
    k.name: k
    for k in (
        Kind("facilitator", 1.0, True, "named or paid the same facilitator"),
        Kind("visitor", 1.0, True, "was visited by the same person in a reception centre"),
        Kind("alias", 0.5, False, "named a facilitator by the same alias (spellings folded)"),
        Kind("phone", 1.0, False, "used, named or was reached on the same phone number"),
        Kind("device", 1.0, False, "carried the same handset (IMEI)"),
        Kind("document", 1.0, False, "showed the same document"),
        Kind("document_batch", 1.0, False, "showed forged documents of one batch"),
        Kind("vehicle", 1.0, False, "was seen with the same vehicle"),
        Kind("cotravel", 1.0, False, "travelled together", marker=False),
        Kind("route", 0.25, False, "travelled the same route, arriving within days", marker=False),
    )
}


@dataclass(frozen=True, slots=True)  # millions of them at national scale
class Incidence:
    """One member touches one thing, as one signal says.

    ``centre`` marks the member that *is* the thing (the facilitator entity
    of a ``facilitator`` thing); ``confidence`` is below 1 for facts read
    from free text.
    """

    member: str
    kind: str
    key: str
    signal: str
    label: str = ""
    confidence: float = 1.0
    centre: bool = False


@dataclass(frozen=True)
class Thing:
    """A thing with every member that touches it.

    ``members`` maps each member to the signals that say so, ``confidence``
    to its best confidence. ``size`` is the number of members in the whole
    projection (kept when a thing is cut down to one cluster, because the
    weights depend on it).
    """

    kind: str
    key: str
    label: str
    centre: str | None
    members: Mapping[str, tuple[str, ...]]
    confidence: Mapping[str, float]
    size: int

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON, as stored with a cluster (see :meth:`from_dict`)."""
        return {
            "kind": self.kind,
            "key": self.key,
            "label": self.label,
            "centre": self.centre,
            "size": self.size,
            "members": {m: list(s) for m, s in self.members.items()},
            "confidence": dict(self.confidence),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Thing:
        """The thing :meth:`to_dict` stored.

        >>> t = group_things([Incidence("Person:a", "phone", "+31", "S1")])[0]
        >>> Thing.from_dict(t.to_dict()) == t
        True
        """
        return cls(
            kind=str(data["kind"]),
            key=str(data["key"]),
            label=str(data["label"]),
            centre=data.get("centre"),
            members={m: tuple(s) for m, s in data["members"].items()},
            confidence={m: float(c) for m, c in data["confidence"].items()},
            size=int(data["size"]),
        )

    def links_within(self) -> int:
        """How many members this thing links (a star needs its centre)."""
        if KINDS[self.kind].star:
            return len(self.members) if self.centre is not None and len(self.members) > 1 else 0
        return len(self.members) if len(self.members) > 1 else 0

    def restricted(self, keep: set[str]) -> Thing:
        """The same thing seen only from the members in ``keep`` (size unchanged)."""
        return Thing(
            kind=self.kind,
            key=self.key,
            label=self.label,
            centre=self.centre if self.centre in keep else None,
            members={m: s for m, s in self.members.items() if m in keep},
            confidence={m: c for m, c in self.confidence.items() if m in keep},
            size=self.size,
        )


@dataclass(frozen=True)
class Hub:
    """A thing shared by too many to mean anything: dropped, and reported."""

    kind: str
    key: str
    label: str
    size: int


@dataclass(frozen=True)
class LeftOut:
    """A thing left out because an analyst marked it (or what it stands for) benign."""

    kind: str
    key: str
    label: str
    size: int
    mark: str  # what ``benign`` said: the id of the mark that left it out


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why ``a`` and ``b`` are linked: one shared thing, the weight it adds, who says so."""

    thing: Thing
    a: str
    b: str
    weight: float

    @property
    def kind(self) -> str:
        return self.thing.kind

    @property
    def key(self) -> str:
        return self.thing.key

    @property
    def label(self) -> str:
        return self.thing.label

    @property
    def signals(self) -> tuple[str, ...]:
        """The signals saying that ``a`` or ``b`` touches the thing."""
        return tuple(sorted({*self.thing.members[self.a], *self.thing.members[self.b]}))


@dataclass(slots=True)
class Link:
    """A projected link between two members (``a < b``), with its evidence."""

    a: str
    b: str
    weight: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Projection:
    """Members, the things that link them, the links, and the hubs left out."""

    members: list[str]
    things: list[Thing]
    links: dict[tuple[str, str], Link]
    hubs: list[Hub]
    benign: list[LeftOut] = field(default_factory=list)


def group_things(incidences: Iterable[Incidence]) -> list[Thing]:
    """Gather incidences into things, in a deterministic order.

    >>> ts = group_things([Incidence("Person:a", "phone", "+31", "S1"),
    ...                    Incidence("Person:b", "phone", "+31", "S2"),
    ...                    Incidence("Person:a", "phone", "+31", "S3", confidence=0.5)])
    >>> ts[0].members["Person:a"], ts[0].confidence["Person:a"], ts[0].size
    (('S1', 'S3'), 1.0, 2)
    """
    # Per thing: each member's signals (in a dict, for order), confidence, and the labels.
    # One lookup of the thing per incidence: there are millions (3.0M at a million rows).
    found: dict[tuple[str, str], tuple[dict[str, dict[str, None]], dict[str, float], Counter[str]]]
    found = {}
    centres: dict[tuple[str, str], str] = {}
    for inc in incidences:
        tk = (inc.kind, inc.key)
        thing = found.get(tk)
        if thing is None:
            thing = found[tk] = ({}, {}, Counter())
        signals, conf, labels = thing
        member = inc.member
        held = signals.get(member)
        if held is None:
            signals[member] = {inc.signal: None}
            conf[member] = max(0.0, inc.confidence)
        else:
            held[inc.signal] = None
            conf[member] = max(conf[member], inc.confidence)
        if inc.label:
            labels[inc.label] += 1
        if inc.centre:
            centres[tk] = member
    things = []
    for tk in sorted(found):
        signals, conf, labels = found[tk]
        members = {m: tuple(sorted(s)) for m, s in sorted(signals.items())}
        things.append(
            Thing(
                kind=tk[0],
                key=tk[1],
                label=_most_common(labels) or tk[1],
                centre=centres.get(tk),
                members=members,
                confidence=dict(sorted(conf.items())),
                size=len(members),
            )
        )
    return things


def _most_common(counts: Counter[str]) -> str | None:
    """The most frequent label, the alphabetically first among equals (deterministic)."""
    return min(counts, key=lambda label: (-counts[label], label)) if counts else None


def thing_links(
    thing: Thing, *, weights: Mapping[str, float] | None = None
) -> Iterator[tuple[str, str, float]]:
    """The weighted pairs ``(a, b, w)`` (``a < b``) a thing contributes.

    A clique thing gives each pair ``base * min(confidence) / (size - 1)``,
    so every member draws the same total weight from it however many share
    it (Newman's collaboration weighting). A star thing gives each member
    ``base * confidence`` towards the centre.

    >>> t = group_things([Incidence(f"Person:{c}", "vehicle", "AB12CD", "S") for c in "abc"])[0]
    >>> [(a[-1], b[-1], w) for a, b, w in thing_links(t)]
    [('a', 'b', 0.5), ('a', 'c', 0.5), ('b', 'c', 0.5)]
    """
    base = (weights or {}).get(thing.kind, KINDS[thing.kind].weight)
    if KINDS[thing.kind].star:
        centre = thing.centre
        for member, confidence in thing.confidence.items():
            if centre is not None and member != centre:
                a, b = sorted((member, centre))
                yield a, b, base * confidence
        return
    if thing.size < 2:
        return
    share = base / (thing.size - 1)
    for a, b in combinations(thing.confidence, 2):
        yield a, b, share * min(thing.confidence[a], thing.confidence[b])


def project(
    incidences: Iterable[Incidence],
    *,
    hub_size: int = 50,
    hub_sizes: Mapping[str, int] | None = None,
    weights: Mapping[str, float] | None = None,
    benign: Callable[[Thing], str | None] | None = None,
) -> Projection:
    """Project incidences onto weighted member-member links with evidence.

    Parameters
    ----------
    incidences : iterable of Incidence
    hub_size : int
        A thing with more members than this is a hub: no link, reported.
    hub_sizes : mapping, optional
        ``hub_size`` per kind, where it differs.
    weights : mapping, optional
        Base weight per kind, overriding ``KINDS``.
    benign : callable, optional
        Says of a thing whether an analyst marked it benign (the mark's id)
        or not (None); a benign thing is no link, reported in ``benign``.

    Returns
    -------
    Projection
        Links keyed ``(a, b)`` with ``a < b``; members sorted; hubs largest first.

    Examples
    --------
    Two persons named the same facilitator; a helpdesk number is shared by
    four, which with ``hub_size=3`` is a hub, not a link:

    >>> inc = [Incidence("FacilitatorEntity:f", "facilitator", "f", "S1", centre=True),
    ...        Incidence("Person:a", "facilitator", "f", "S1"),
    ...        Incidence("Person:b", "facilitator", "f", "S2")]
    >>> inc += [Incidence(f"Person:{c}", "phone", "+3120", f"T{c}") for c in "abcd"]
    >>> p = project(inc, hub_size=3)
    >>> sorted((a[-1], b[-1], lk.weight) for (a, b), lk in p.links.items())
    [('f', 'a', 1.0), ('f', 'b', 1.0)]
    >>> [(h.kind, h.size) for h in p.hubs]
    [('phone', 4)]

    Notes
    -----
    Weighting a shared thing by the inverse of how many share it is the
    specificity idea of followthemoney's pivot types and of term-frequency
    adjustment in record linkage; the ``1 / (k - 1)`` form is from
    M. E. J. Newman, "Scientific collaboration networks. II", Phys. Rev. E
    64, 016132 (2001), https://doi.org/10.1103/PhysRevE.64.016132.
    """
    links: dict[tuple[str, str], Link] = {}
    kept: list[Thing] = []
    hubs: list[Hub] = []
    left_out: list[LeftOut] = []
    for thing in group_things(incidences):
        if thing.size < 2:
            continue
        mark = benign(thing) if benign is not None else None
        if mark is not None:
            left_out.append(LeftOut(thing.kind, thing.key, thing.label, thing.size, mark))
            continue
        if thing.size > (hub_sizes or {}).get(thing.kind, hub_size):
            hubs.append(Hub(thing.kind, thing.key, thing.label, thing.size))
            continue
        kept.append(thing)
        for a, b, w in thing_links(thing, weights=weights):
            link = links.get((a, b))
            if link is None:
                link = links[(a, b)] = Link(a, b)
            link.weight += w
            link.evidence.append(Evidence(thing, a, b, w))
    members = sorted({m for pair in links for m in pair})
    hubs.sort(key=lambda h: (-h.size, h.kind, h.key))
    left_out.sort(key=lambda h: (-h.size, h.kind, h.key))
    return Projection(members=members, things=kept, links=links, hubs=hubs, benign=left_out)
