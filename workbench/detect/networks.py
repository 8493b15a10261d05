"""Networks above clusters: clusters tied by strong links, read as one wider network.

Community detection cuts a ring where its links are thinnest, so one
organisation may come out as several clusters held together by a few
members (the leader who talks to every cell, the driver who serves two
smugglers). Two clusters are *tied* when the links between their members,
counting only markers (a facilitator, phone, vehicle, document... - not
co-travel or route windows), weigh at least ``tie`` (0.5: half of one fully
specific shared thing) together; a wider network
is a connected group of tied clusters. Pure: links and cluster membership in,
groups out. Lineage and alerts stay per cluster.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["cluster_ties", "wider_networks"]


def cluster_ties(
    links: Iterable[tuple[str, str, float]], where: Mapping[str, int]
) -> dict[tuple[int, int], float]:
    """Summed link weight between each pair of clusters ``(i, j)``, ``i < j``.

    ``links`` are ``(a, b, weight)`` between members; ``where`` gives each
    clustered member's cluster. Links with an end in no cluster are skipped.

    >>> cluster_ties([("a", "b", 1.0), ("a", "c", 0.5), ("b", "c", 0.5), ("c", "x", 1.0)],
    ...              {"a": 0, "b": 1, "c": 1})
    {(0, 1): 1.5}
    """
    out: dict[tuple[int, int], float] = defaultdict(float)
    for a, b, w in links:
        i, j = where.get(a), where.get(b)
        if i is not None and j is not None and i != j:
            out[(min(i, j), max(i, j))] += w
    return dict(sorted(out.items()))


def wider_networks(
    ties: Mapping[tuple[int, int], float], clusters: int, *, tie: float = 0.5
) -> list[list[int]]:
    """Groups of two or more clusters joined by ties of at least ``tie`` (connected components).

    Each group is sorted, and groups are ordered by their first cluster, so
    the same ties give the same networks.

    Parameters
    ----------
    ties : mapping
        :func:`cluster_ties` of the run.
    clusters : int
        How many clusters there are (indices ``0 .. clusters - 1``).
    tie : float
        The weight that makes two clusters one network: 1.0 is one fully
        specific shared thing (a phone only the two share, a client naming the
        other cluster's facilitator); the default 0.5 is half of that (a phone
        three share, a number read from a statement).

    Examples
    --------
    >>> wider_networks({(0, 1): 1.0, (1, 2): 0.2, (3, 4): 2.0}, 5, tie=1.0)
    [[0, 1], [3, 4]]

    Notes
    -----
    A union-find over the strong ties (R. E. Tarjan, "Efficiency of a good but
    not linear set union algorithm", J. ACM 22, 215 (1975)).
    """
    parent = list(range(clusters))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (i, j), w in ties.items():
        if w >= tie:
            a, b = root(i), root(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(clusters):
        groups[root(i)].append(i)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def membership(groups: Sequence[Sequence[int]], clusters: int) -> list[int | None]:
    """Each cluster's network index, or None for a cluster standing alone.

    >>> membership([[0, 2]], 3)
    [0, None, 0]
    """
    out: list[int | None] = [None] * clusters
    for k, group in enumerate(groups):
        for i in group:
            out[i] = k
    return out
