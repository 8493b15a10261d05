"""The Neo4j 5 backend, through the official driver.

Thin on purpose: every operation is the shared Cypher of ``CypherStore``.
Only the unit of work (a driver transaction), creating new nodes and edges
(``UNWIND ... CREATE``), the shortest path and the full-text index differ.
Enabled by ``WORKBENCH_STORE=neo4j`` and ``NEO4J_URI``/``NEO4J_USER``/
``NEO4J_PASSWORD``; the contract suite runs against it when ``NEO4J_URI``
is set.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from graph_schema.ddl import FULLTEXT_INDEX, neo4j_ddl
from graph_schema.model import EdgeType, Model, NodeType
from workbench.store import cypher
from workbench.store.base import CypherStore, Row, Runner, SearchHit
from workbench.store.errors import StoreError, StoreUnavailable

log = logging.getLogger(__name__)
_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')


def _plain(value: Any) -> Any:
    """Driver values -> the plain shapes the shared code reads (as LadybugDB gives)."""
    from neo4j.graph import Node, Relationship

    if isinstance(value, Node):
        return {"_LABEL": next(iter(value.labels)), **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"_LABEL": value.type, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "to_native"):
        return value.to_native()
    return value


class Neo4jRunner(Runner):
    """Runs parameterised Cypher in one driver transaction."""

    def __init__(self, tx: Any) -> None:
        self.tx = tx

    def tabular(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], list[list[Any]]]:
        from neo4j.exceptions import Neo4jError

        try:
            result = self.tx.run(query, dict(params or {}))
            return list(result.keys()), [[_plain(v) for v in record.values()] for record in result]
        except Neo4jError as exc:
            raise StoreError(f"Neo4j rejected a query: {exc.message}") from exc


def lucene_query(text: str) -> str:
    """Every word required, special characters escaped: input is never syntax.

    >>> lucene_query("al-Hassan OR x")
    '+al\\\\-Hassan* +OR* +x*'
    """
    return " ".join("+" + _LUCENE_SPECIAL.sub(r"\\\1", w) + "*" for w in text.split())


class Neo4jStore(CypherStore):
    """A Neo4j 5 database reached over Bolt."""

    kind = "neo4j"

    def __init__(
        self, uri: str, user: str, password: str | None, model: Model, *, database: str = "neo4j"
    ) -> None:
        super().__init__(model)
        import neo4j

        self.location = uri
        self.database = database
        try:
            self.driver = neo4j.GraphDatabase.driver(uri, auth=(user, password or ""))
            self.driver.verify_connectivity()
        except Exception as exc:
            raise StoreUnavailable(f"cannot reach Neo4j at {uri}: {exc}") from exc

    @contextmanager
    def _open(self, *, write: bool) -> Iterator[Runner]:
        with self.driver.session(database=self.database) as session:
            tx = session.begin_transaction()
            try:
                yield Neo4jRunner(tx)
            except BaseException:
                tx.rollback()
                raise
            if write:
                tx.commit()
            else:
                tx.rollback()

    def ensure_schema(self) -> None:
        """Constraints, indexes and the full-text index (each ``IF NOT EXISTS``)."""
        with self.driver.session(database=self.database) as session:
            for statement in neo4j_ddl(self.model):
                session.run(statement).consume()

    def _create_nodes(self, r: Runner, node: NodeType, rows: list[Row]) -> None:
        encoded = [self._encode_row(node.properties, row, full=True) for row in rows]
        r.run(cypher.create_nodes(node), {"rows": encoded})

    def _create_edges(self, r: Runner, edge: EdgeType, src: str, dst: str, rows: list[Row]) -> None:
        encoded = [self._encode_row(edge.properties, row, full=True) for row in rows]
        r.run(cypher.create_edges(edge, src, dst), {"rows": encoded})

    def _shortest_path(
        self, r: Runner, a: str, b: str, max_depth: int
    ) -> tuple[list[Row], list[Row]] | None:
        a_label, b_label = self.model.label_of(a), self.model.label_of(b)
        rows = r.run(
            f"MATCH p = shortestPath((a:{a_label} {{id: $a}})-[*..{int(max_depth)}]-"
            f"(b:{b_label} {{id: $b}})) "
            "RETURN nodes(p) AS nodes, "
            "[e IN relationships(p) | {src: startNode(e).id, dst: endNode(e).id, e: e}] AS rels",
            {"a": a, "b": b},
        )
        return (rows[0]["nodes"], rows[0]["rels"]) if rows else None

    def _index_text(self, r: Runner, docs: list[tuple[str, str, str]]) -> None:
        """Neo4j indexes searchable properties itself (FULLTEXT_INDEX)."""

    def _unindex_text(self, r: Runner, ids: Sequence[str]) -> None:
        """Deleted nodes leave the full-text index with them."""

    def _search(
        self, r: Runner, text: str, labels: Sequence[str] | None, limit: int
    ) -> list[SearchHit]:
        if not text.split():
            return []
        rows = r.run(
            "CALL db.index.fulltext.queryNodes($index, $q, {limit: $limit}) YIELD node, score "
            "RETURN node.id AS id, score",
            {"index": FULLTEXT_INDEX, "q": lucene_query(text), "limit": limit},
        )
        hits = [
            SearchHit(
                id=row["id"],
                label=self.model.label_of(row["id"]),
                snippet="",
                rank=-float(row["score"]),
            )
            for row in rows
        ]
        return [h for h in hits if not labels or h.label in labels]

    def close(self) -> None:
        self.driver.close()
