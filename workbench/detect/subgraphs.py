"""Subgraphs of the projection, each induced in time proportional to its own size.

A run induces one subgraph per connected component (communities) and per
cluster and wider network (roles). igraph's ``induced_subgraph`` sizes a map
by every vertex of the whole graph on each call, so those calls together grew
with the square of the projection: 33 microseconds a call at 100,000
vertices, 216 at 400,000 - some 14 s of a first detection run at a million
rows (42,643 components and 26,895 clusters in a graph of 385,594 vertices),
under half a second at 250,000 rows.

:class:`Subgraphs` reads the graph's incidence lists once and builds a small
subgraph from them; a big one it leaves to igraph, whose cost is then in
proportion. Either way the subgraph is the one igraph makes - vertices in id
order, edges in igraph's order, every attribute - so nothing computed on it
changes (``tests/detect/test_subgraphs.py`` compares them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, NamedTuple

import igraph as ig  # type: ignore[import-untyped]

__all__ = ["Subgraphs"]

# Below this many incidences per vertex of the whole graph a subgraph is built here:
# igraph's map costs about half a nanosecond a vertex, a Python incidence some 300.
_SMALL = 1 / 500


class _Lists(NamedTuple):
    """What building a subgraph reads of the whole graph, once."""

    incident: list[list[int]]  # per vertex, its edges' ids
    ends: list[tuple[int, int]]  # per edge, its two vertices
    vertex_values: dict[str, list[Any]]  # per attribute, its value per vertex
    edge_values: dict[str, list[Any]]  # per attribute, its value per edge


class Subgraphs:
    """Induced subgraphs of one ``graph`` (which must not change meanwhile).

    >>> g = ig.Graph(edges=[(0, 1), (1, 2), (2, 3), (0, 3)])
    >>> g.vs["name"] = list("abcd"); g.es["weight"] = [1.0, 2.0, 3.0, 4.0]
    >>> sub = Subgraphs(g).induced([3, 0, 2])
    >>> sub.vs["name"], sub.get_edgelist(), sub.es["weight"]
    (['a', 'c', 'd'], [(0, 2), (1, 2)], [4.0, 3.0])
    """

    def __init__(self, graph: ig.Graph, *, small: float = _SMALL) -> None:
        self.graph, self.small = graph, small
        # igraph's own for a directed graph or one with loops (a projection has neither)
        self.exact = not graph.is_directed() and not any(graph.is_loop())
        self.degree: list[int] = graph.degree()
        self._lists: _Lists | None = None

    def _read(self) -> _Lists:
        """The graph's lists, read when first needed (a delivery's run needs few subgraphs)."""
        if self._lists is None:
            g = self.graph
            self._lists = _Lists(
                g.get_inclist(),
                g.get_edgelist(),
                {a: g.vs[a] for a in g.vs.attributes()},
                {a: g.es[a] for a in g.es.attributes()},
            )
        return self._lists

    def induced(
        self,
        vertices: Sequence[int],
        implementation: Literal["auto", "create_from_scratch"] = "create_from_scratch",
    ) -> ig.Graph:
        """``graph.induced_subgraph(vertices, implementation)``, the same graph."""
        n = self.graph.vcount()
        big = sum(self.degree[v] for v in vertices) > self.small * n
        copies = implementation == "auto" and 2 * len(vertices) > n  # igraph copies, then deletes
        if not self.exact or big or copies:
            return self.graph.induced_subgraph(vertices, implementation=implementation)
        incident, ends, vertex_values, edge_values = self._read()
        kept = sorted(set(vertices))
        new = {v: i for i, v in enumerate(kept)}
        edges: list[tuple[int, int]] = []
        ids: list[int] = []
        for i, v in enumerate(kept):
            # igraph lists each edge at its higher end, in incidence order
            lower = []
            for e in incident[v]:
                a, b = ends[e]
                j = new.get(b if a == v else a)
                if j is not None and j < i:
                    lower.append((j, e))
            edges += [(j, i) for j, _ in lower]
            ids += [e for _, e in lower]
        sub = ig.Graph(n=len(kept), edges=edges)
        for name, values in vertex_values.items():
            sub.vs[name] = [values[v] for v in kept]
        for name, values in edge_values.items():
            sub.es[name] = [values[e] for e in ids]
        return sub
