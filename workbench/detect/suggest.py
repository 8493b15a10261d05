"""Likely missing links: suggestions for an analyst, never facts.

A pair of members who are not linked but share several neighbours in the
projection probably have a link nobody recorded. The Adamic-Adar index
ranks such pairs, counting a shared neighbour more when it has few links
itself. Suggestions are stored and shown apart from evidence, marked as
suggestions, and never become edges of the graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import igraph as ig  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]

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

    Every cluster at once, as two sparse matrix products (the members' rows
    of the adjacency times the adjacency, once weighted by ``1 / log``):
    walking each two-step path in Python took 19 of a 1% delivery's 104
    detection seconds at a million rows, most of it in the clusters around
    hubs (ADR 0020, *Session 18*).

    Parameters
    ----------
    graph : igraph.Graph
        The projection, vertex ``name`` = member id.
    clusters : sequence of iterables of int
        Each cluster's vertices.
    limit : int
        At most this many suggestions per cluster, best first.
    min_common : int
        The fewest common neighbours a suggested pair has.

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
    members = [sorted(set(c)) for c in clusters]
    out: list[list[Suggestion]] = [[] for _ in members]
    if not graph.vcount() or not any(members):
        return out
    names = graph.vs["name"]
    adjacency = _adjacency(graph)
    degree = np.array(graph.degree())  # as igraph counts it: a repeated edge twice
    inverse_log = np.where(degree > 1, 1.0 / np.log(np.maximum(degree, 2)), 0.0)
    rank = np.empty(len(names), dtype=np.int64)  # each name's place in sorted order
    rank[np.argsort(np.array(names, dtype=object), kind="stable")] = np.arange(len(names))
    rows = np.array([u for vs in members for u in vs], dtype=np.int64)
    owner = np.repeat(np.arange(len(members)), [len(vs) for vs in members])
    inside = np.sort(owner * len(names) + rows)  # (cluster, member) codes
    neighbours: dict[int, set[int]] = {}
    parts = [
        _candidates(rows[part], owner[part], adjacency, inverse_log, inside, min_common)
        for part in _batches(rows, adjacency)
    ]  # a cluster's members may fall in two batches: ranked once all are in
    owners, left, right = (np.concatenate([p[i] for p in parts]) for i in range(3))
    found: _Found = (owners, left, right, np.concatenate([p[3] for p in parts]))
    for k, u, v, score in _best(found, rank, limit):
        via = _common(u, v, adjacency, neighbours)
        out[k].append(
            Suggestion(
                names[u],
                names[v],
                score,
                tuple(sorted(names[z] for z in via)),
                not _member(k, v, inside, len(names)),
            )
        )
    return out


Ints = npt.NDArray[np.int64]
_Found = tuple[Ints, Ints, Ints, npt.NDArray[np.float64]]  # cluster, u, v, score

# Member rows whose two-step neighbourhoods are expanded at a time: a hub's members
# reach every member of the hub, so the pairs grow with the square of its degree.
PAIRS_PER_BATCH = 20_000_000


def _adjacency(graph: ig.Graph) -> sparse.csr_matrix:
    """The projection's adjacency, symmetric, without loops or repeated edges."""
    edges = np.array(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    edges = edges[edges[:, 0] != edges[:, 1]]
    n = graph.vcount()
    a = sparse.coo_matrix(
        (
            np.ones(2 * len(edges)),
            (np.r_[edges[:, 0], edges[:, 1]], np.r_[edges[:, 1], edges[:, 0]]),
        ),
        shape=(n, n),
    ).tocsr()
    a.data[:] = 1.0  # a repeated edge is one neighbour
    return a


def _batches(rows: npt.NDArray[np.int64], adjacency: sparse.csr_matrix) -> list[slice]:
    """Slices of ``rows`` whose two-step expansions stay near ``PAIRS_PER_BATCH``."""
    degree = np.diff(adjacency.indptr)
    reach = np.asarray(adjacency[rows] @ degree).ravel()  # paths of two steps from each row
    out, start, total = [], 0, 0
    for i, r in enumerate(reach.tolist()):
        if total and total + r > PAIRS_PER_BATCH:
            out.append(slice(start, i))
            start, total = i, 0
        total += r
    out.append(slice(start, len(rows)))
    return out


def _candidates(
    rows: npt.NDArray[np.int64],
    owner: npt.NDArray[np.int64],
    adjacency: sparse.csr_matrix,
    inverse_log: npt.NDArray[np.float64],
    inside: npt.NDArray[np.int64],
    min_common: int,
) -> _Found:
    """(cluster, u, v, score) of the unlinked pairs with enough common neighbours.

    Two sparse products count each member's common neighbours with every
    vertex two steps away and sum their ``1 / log(degree)``: the paths the
    definition walks, in C. A pair inside one cluster is kept once (u < v).
    """
    start = adjacency[rows]
    counts = (start @ adjacency).tocoo()
    scores = (start @ sparse.diags(inverse_log) @ adjacency).tocsr()
    r, v = counts.row.astype(np.int64), counts.col.astype(np.int64)
    u, k = rows[r], owner[r]
    n = adjacency.shape[0]
    keep = (counts.data >= min_common) & (v != u) & ~((v < u) & _member(k, v, inside, n))
    r, u, v, k = r[keep], u[keep], v[keep], k[keep]
    linked = _at(start, r, v) > 0
    r, u, v, k = r[~linked], u[~linked], v[~linked], k[~linked]
    return k, u, v, _at(scores, r, v)


def _at(matrix: sparse.csr_matrix, rows: Ints, columns: Ints) -> npt.NDArray[np.float64]:
    """The matrix's entries at ``(rows[i], columns[i])``, as a flat array."""
    if not len(rows):  # sparse indexing by no pair gives a matrix, not an empty array
        return np.zeros(0)
    return np.asarray(matrix[rows, columns], dtype=np.float64).ravel()


def _member(k: Any, v: Any, inside: npt.NDArray[np.int64], n: int) -> Any:
    """Whether vertex ``v`` is a member of cluster ``k`` (elementwise for arrays)."""
    code = np.asarray(k, dtype=np.int64) * n + v
    at = np.minimum(np.searchsorted(inside, code), len(inside) - 1)
    return inside[at] == code


def _best(
    found: _Found, rank: npt.NDArray[np.int64], limit: int
) -> list[tuple[int, int, int, float]]:
    """The ``limit`` best pairs of each cluster: highest score (to four places), then by
    the two names."""
    k, u, v, score = found
    rounded = np.round(score, 4)
    order = np.lexsort((rank[v], rank[u], -rounded, k))
    k, u, v, rounded = k[order], u[order], v[order], rounded[order]
    first = np.searchsorted(k, k, side="left")
    top = np.arange(len(k)) - first < limit
    return list(
        zip(k[top].tolist(), u[top].tolist(), v[top].tolist(), rounded[top].tolist(), strict=True)
    )


def _common(
    u: int, v: int, adjacency: sparse.csr_matrix, neighbours: dict[int, set[int]]
) -> set[int]:
    """The common neighbours of two vertices (each one's set made once)."""
    for x in (u, v):
        if x not in neighbours:
            neighbours[x] = set(
                adjacency.indices[adjacency.indptr[x] : adjacency.indptr[x + 1]].tolist()
            )
    return neighbours[u] & neighbours[v]
