"""Likely missing links: suggestions for an analyst, never facts.

A pair of members who are not linked but share several neighbours in the
projection probably have a link nobody recorded. The Adamic-Adar index
ranks such pairs, counting a shared neighbour more when it has few links
itself. Suggestions are stored and shown apart from evidence, marked as
suggestions, and never become edges of the graph.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import igraph as ig  # type: ignore[import-untyped]

__all__ = ["Suggestion", "adamic_adar"]


@dataclass(frozen=True)
class Suggestion:
    """A suggested link ``a``-``b`` (``a`` a cluster member) and the neighbours behind it."""

    a: str
    b: str
    score: float
    via: tuple[str, ...]
    outside: bool  # ``b`` is not a member of the cluster

    def to_dict(self) -> dict[str, object]:
        return {
            "a": self.a,
            "b": self.b,
            "score": self.score,
            "via": list(self.via),
            "outside_cluster": self.outside,
            "method": "adamic-adar",
            "status": "suggestion",
        }


def adamic_adar(
    graph: ig.Graph,
    clusters: Sequence[Iterable[int]],
    *,
    limit: int = 10,
    min_common: int = 2,
) -> list[list[Suggestion]]:
    """Per cluster, unlinked pairs with a member, ranked by the Adamic-Adar index.

    ``score(u, v) = sum(1 / log(degree(z)))`` over the common neighbours
    ``z`` of ``u`` and ``v``. Only pairs with at least ``min_common`` common
    neighbours are suggested (one shared neighbour is just the cluster's
    own structure, e.g. two clients of one smuggler).

    Parameters
    ----------
    graph : igraph.Graph
        The projection, vertex ``name`` = member id.
    clusters : sequence of iterables of int
        Each cluster's vertices.
    limit : int
        At most this many suggestions per cluster, best first.
    min_common : int

    Examples
    --------
    In a square, ``a`` and ``d`` share the neighbours ``b`` and ``c`` but
    are not linked (and ``b`` and ``c`` share ``a`` and ``d``):

    >>> g = ig.Graph(edges=[(0, 1), (0, 2), (1, 3), (2, 3)]); g.vs["name"] = list("abcd")
    >>> [(s.a, s.b, s.via, s.outside) for s in adamic_adar(g, [[0, 1, 2]])[0]]
    [('a', 'd', ('b', 'c'), True), ('b', 'c', ('a', 'd'), False)]

    References
    ----------
    L. A. Adamic, E. Adar, "Friends and neighbors on the Web", Social
    Networks 25, 211 (2003), https://doi.org/10.1016/S0378-8733(03)00009-1;
    D. Liben-Nowell, J. Kleinberg, "The link-prediction problem for social
    networks", JASIST 58, 1019 (2007), https://doi.org/10.1002/asi.20591.
    """
    names = graph.vs["name"]
    degree = graph.degree()
    neighbours = [set(n) for n in graph.get_adjlist()]
    return [
        _suggest(set(c), names, degree, neighbours, limit=limit, min_common=min_common)
        for c in clusters
    ]


def _suggest(
    inside: set[int],
    names: Sequence[str],
    degree: Sequence[int],
    neighbours: Sequence[set[int]],
    *,
    limit: int,
    min_common: int,
) -> list[Suggestion]:
    common: dict[tuple[int, int], list[int]] = {}
    for u in sorted(inside):
        for z in neighbours[u]:
            for v in neighbours[z]:
                if v == u or v in neighbours[u] or (v in inside and v < u):
                    continue
                common.setdefault((u, v), []).append(z)
    found = []
    for (u, v), via in common.items():
        if len(via) < min_common:
            continue
        score = sum(1 / math.log(degree[z]) for z in via)
        found.append(
            Suggestion(
                names[u],
                names[v],
                round(score, 4),
                tuple(sorted(names[z] for z in via)),
                v not in inside,
            )
        )
    found.sort(key=lambda s: (-s.score, s.a, s.b))
    return found[:limit]
