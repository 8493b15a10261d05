"""Why members are drawn together: the cluster's projection, from the dossier's own evidence.

The picture in a dossier must be explainable from the dossier alone, so its
links are computed from the facts the dossier lists (not from the detection
run's projection of the whole graph, which the reader cannot check).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

HUB_CAP = 25
METHOD = (
    "Members are linked when they share a record, phone, handset, document or vehicle in the "
    "evidence listed in this dossier; each thing held by k members adds 1/(k-1) to each of its "
    "pairs (Newman 2001). Things held by more than {cap} members are hubs: listed, not drawn."
)
Thing = tuple[str, str]


def shared_things(
    members: Sequence[Mapping[str, Any]], signals: Sequence[Mapping[str, Any]]
) -> dict[Thing, list[str]]:
    """Each specific thing in the evidence and the member refs that hold it.

    A record is held by the members who appear in it; an identifier by the
    members whose mentions carry it; a vehicle by the members of the records
    it was recorded or read in.
    """
    holders: dict[Thing, list[str]] = defaultdict(list)

    def hold(thing: Thing, ref: str) -> None:
        if ref not in holders[thing]:
            holders[thing].append(ref)

    for s in signals:
        for ref in s["members"]:
            hold(("record", f"{s['source']}:{s['record_id']}"), ref)
            for v in s["vehicles"]:
                hold(("vehicle", str(v["plate"])), ref)
    for m in members:
        for ident in m["identifiers"]:
            hold((ident["kind"], ident["value"]), m["ref"])
    return dict(holders)


def project(
    holders: Mapping[Thing, Sequence[str]], *, hub_cap: int = HUB_CAP
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Weighted member-member links from the things members hold in common.

    The one-mode projection of the member-thing bipartite graph with
    Newman's weights: a thing held by ``k`` members adds ``1 / (k - 1)`` to
    the link of each pair of them, so a thing shared by many links nobody
    strongly, while two members who share several rare things are pulled
    together. Things held by more than ``hub_cap`` members are not turned
    into links at all (a phone everyone calls is a helpdesk, not a tie); they
    are returned as hubs.

    Parameters
    ----------
    holders : mapping
        ``(kind, value) -> member refs`` (see :func:`shared_things`).
    hub_cap : int
        Largest number of holders a thing may have and still make links.

    Returns
    -------
    links : list of dict
        ``{"a", "b", "weight", "shared": [{"kind", "value"}]}``, strongest first.
    hubs : list of dict
        ``{"kind", "value", "members"}`` for the things left out, most held first.

    Examples
    --------
    >>> links, hubs = project(
    ...     {("phone", "+316"): ["M1", "M2"], ("record", "kmar:7"): ["M1", "M2", "M3"]}
    ... )
    >>> [(x["a"], x["b"], x["weight"]) for x in links]
    [('M1', 'M2', 1.5), ('M1', 'M3', 0.5), ('M2', 'M3', 0.5)]
    >>> project({("phone", "+316"): ["M1", "M2", "M3"]}, hub_cap=2)[1]
    [{'kind': 'phone', 'value': '+316', 'members': 3}]

    References
    ----------
    M. E. J. Newman, "Scientific collaboration networks. II. Shortest paths,
    weighted networks, and centrality", Phys. Rev. E 64, 016132 (2001).
    doi:10.1103/PhysRevE.64.016132
    """
    weight: dict[tuple[str, str], float] = defaultdict(float)
    shared: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    hubs: list[dict[str, Any]] = []
    for (kind, value), refs in sorted(holders.items()):
        refs = sorted(set(refs), key=ref_order)
        if len(refs) > hub_cap:
            hubs.append({"kind": kind, "value": value, "members": len(refs)})
            continue
        for a, b in combinations(refs, 2):
            weight[(a, b)] += 1.0 / (len(refs) - 1)
            shared[(a, b)].append({"kind": kind, "value": value})
    links: list[dict[str, Any]] = [
        {"a": a, "b": b, "weight": round(w, 6), "shared": shared[(a, b)]}
        for (a, b), w in weight.items()
    ]
    links.sort(key=lambda x: (-x["weight"], ref_order(x["a"]), ref_order(x["b"])))
    hubs.sort(key=lambda h: (-h["members"], h["kind"], h["value"]))
    return links, hubs


def ref_order(ref: str) -> tuple[int, str]:
    """Member refs in number order (M2 before M10)."""
    digits = ref[1:]
    return (int(digits), ref) if digits.isdigit() else (0, ref)


def member_links(
    members: Sequence[Mapping[str, Any]],
    signals: Sequence[Mapping[str, Any]],
    *,
    hub_cap: int = HUB_CAP,
) -> dict[str, Any]:
    """The dossier's ``network`` section: method, links and hubs."""
    links, hubs = project(shared_things(members, signals), hub_cap=hub_cap)
    return {"method": METHOD.format(cap=hub_cap), "hub_cap": hub_cap, "links": links, "hubs": hubs}
