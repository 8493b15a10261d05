"""Cypher text shared by both backends.

Every function takes names from the graph model (labels, types, property
names: checked identifiers) and returns query text whose values are all
parameters (``$ids``, ``$rows``, ``$w0``...). User input never reaches these
strings; ``tests/security`` scans the code base for string-built queries.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from graph_schema.model import EdgeType, NodeType


def get_nodes(label: str) -> str:
    return f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n"


def node_ids(label: str) -> str:
    return f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id"


def all_nodes(label: str) -> str:
    return f"MATCH (n:{label}) RETURN n"


def find_nodes(
    label: str, names: Sequence[str], limit: int | None, fields: Sequence[str] | None = None
) -> str:
    where = " AND ".join(f"n.{name} = $w{i}" for i, name in enumerate(names))
    ret = "n" if fields is None else ", ".join(f"n.{f} AS {f}" for f in ["id", *fields])
    query = (
        f"MATCH (n:{label})" + (f" WHERE {where}" if where else "") + f" RETURN {ret} ORDER BY n.id"
    )
    return query + (" LIMIT $limit" if limit is not None else "")


def _value(var: str, prop: str, nulls: Collection[str]) -> str:
    # A parameter column that is null in every row has no type to bind to
    # (LadybugDB reads it as STRING); write the literal instead.
    return "NULL" if prop in nulls else f"{var}.{prop}"


def set_nodes(node: NodeType, nulls: Collection[str] = ()) -> str:
    sets = ", ".join(f"n.{p} = {_value('r', p, nulls)}" for p in node.properties)
    return f"UNWIND $rows AS r MATCH (n:{node.label} {{id: r.id}}) SET {sets}"


def create_nodes(node: NodeType) -> str:
    sets = ", ".join(f"n.{p} = r.{p}" for p in node.properties)
    return f"UNWIND $rows AS r CREATE (n:{node.label} {{id: r.id}}) SET {sets}"


def set_edges(edge: EdgeType, src: str, dst: str, nulls: Collection[str] = ()) -> str:
    match = (
        f"UNWIND $rows AS r MATCH (a:{src} {{id: r.src}})-[e:{edge.type}]->(b:{dst}) "
        "WHERE b.id = r.dst"
    )
    if not edge.properties:
        return match + " RETURN count(e) AS n"
    return match + " SET " + ", ".join(f"e.{p} = {_value('r', p, nulls)}" for p in edge.properties)


def create_edges(edge: EdgeType, src: str, dst: str) -> str:
    sets = ", ".join(f"e.{p} = r.{p}" for p in edge.properties)
    return (
        f"UNWIND $rows AS r MATCH (a:{src} {{id: r.src}}) MATCH (b:{dst} {{id: r.dst}}) "
        f"CREATE (a)-[e:{edge.type}]->(b)" + (f" SET {sets}" if sets else "")
    )


def delete_nodes(label: str) -> str:
    return f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) DETACH DELETE n"


def delete_edges_from(type_: str, src: str, dst: str) -> str:
    return f"UNWIND $ids AS i MATCH (a:{src} {{id: i}})-[e:{type_}]->(b:{dst}) DELETE e"


def edges_from(type_: str, src: str, dst: str) -> str:
    # UNWIND, not `WHERE a.id IN $ids`: LadybugDB tests IN-lists linearly
    # (measured 10x slower on 20k-id batches).
    return (
        f"UNWIND $ids AS i MATCH (a:{src} {{id: i}})-[e:{type_}]->(b:{dst}) "
        "RETURN a.id AS src, b.id AS dst, e"
    )


def edges_to(type_: str, src: str, dst: str) -> str:
    return (
        f"UNWIND $ids AS i MATCH (a:{src})-[e:{type_}]->(b:{dst} {{id: i}}) "
        "RETURN a.id AS src, b.id AS dst, e"
    )


def all_edges(type_: str, src: str, dst: str) -> str:
    return f"MATCH (a:{src})-[e:{type_}]->(b:{dst}) RETURN a.id AS src, b.id AS dst, e"


def adjacent_out(label: str) -> str:
    return (
        f"UNWIND $ids AS i MATCH (a:{label} {{id: i}})-[e]->(b) "
        "RETURN a.id AS me, a.id AS src, b.id AS dst, e"
    )


def adjacent_in(label: str) -> str:
    return (
        f"UNWIND $ids AS i MATCH (a:{label} {{id: i}})<-[e]-(b) "
        "RETURN a.id AS me, b.id AS src, a.id AS dst, e"
    )


def count_nodes(label: str) -> str:
    return f"MATCH (n:{label}) RETURN count(n) AS n"


def count_edges(type_: str) -> str:
    return f"MATCH ()-[e:{type_}]->() RETURN count(e) AS n"


def node_provenance(label: str) -> str:
    return f"MATCH (n:{label}) RETURN n.id AS id, n.signals AS signals"


def edge_provenance(type_: str, src: str, dst: str) -> str:
    return (
        f"MATCH (a:{src})-[e:{type_}]->(b:{dst}) "
        "RETURN a.id AS src, b.id AS dst, e.signals AS signals"
    )


def set_node_signals(label: str) -> str:
    return f"UNWIND $rows AS r MATCH (n:{label} {{id: r.id}}) SET n.signals = r.signals"


def set_edge_signals(type_: str, src: str, dst: str) -> str:
    return (
        f"UNWIND $rows AS r MATCH (a:{src} {{id: r.src}})-[e:{type_}]->(b:{dst}) "
        "WHERE b.id = r.dst SET e.signals = r.signals"
    )


def delete_edges(type_: str, src: str, dst: str) -> str:
    return (
        f"UNWIND $rows AS r MATCH (a:{src} {{id: r.src}})-[e:{type_}]->(b:{dst}) "
        "WHERE b.id = r.dst DELETE e"
    )
