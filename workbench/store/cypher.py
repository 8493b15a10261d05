"""Cypher text shared by both backends.

Every function takes names from the graph model (labels, types, property
names: checked identifiers) and returns query text whose values are all
parameters (``$ids``, ``$rows``, ``$w0``...). User input never reaches these
strings; ``tests/security`` scans the code base for string-built queries.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from graph_schema.model import EdgeType, NodeType


def node_columns(names: Iterable[str]) -> str:
    """``n``'s id and the named properties as columns.

    Returning the node value itself is several times slower on LadybugDB: it
    converts every property of every table to a Python dict per row.

    >>> node_columns(["name", "left"])
    'n.id AS id, n.`name` AS `name`, n.`left` AS `left`'
    """
    return ", ".join(["n.id AS id", *(f"n.`{name}` AS `{name}`" for name in names)])


def get_nodes(node: NodeType, fields: Sequence[str] | None = None) -> str:
    names = node.properties if fields is None else fields
    return f"UNWIND $ids AS i MATCH (n:{node.label} {{id: i}}) RETURN " + node_columns(names)


def node_ids(label: str) -> str:
    return f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id"


def all_nodes(node: NodeType) -> str:
    return f"MATCH (n:{node.label}) RETURN " + node_columns(node.properties)


def find_nodes(
    node: NodeType,
    names: Sequence[str],
    limit: int | None,
    fields: Sequence[str] | None = None,
    *,
    paged: bool = False,
) -> str:
    conditions = [f"n.{name} = $w{i}" for i, name in enumerate(names)]
    where = " AND ".join([*conditions, "n.id > $after"] if paged else conditions)
    cols = node_columns(node.properties if fields is None else [f for f in fields if f != "id"])
    query = (
        f"MATCH (n:{node.label})"
        + (f" WHERE {where}" if where else "")
        + f" RETURN {cols} ORDER BY id"
    )
    return query + (" LIMIT $limit" if limit is not None else "")


def _value(var: str, prop: str, nulls: Collection[str]) -> str:
    # A parameter column that is null in every row has no type to bind to
    # (LadybugDB reads it as STRING); write the literal instead.
    return "NULL" if prop in nulls else f"{var}.{prop}"


def set_nodes(
    node: NodeType, nulls: Collection[str] = (), names: Sequence[str] | None = None
) -> str:
    """Set ``names`` (every property when not given) of the nodes with the rows' ids."""
    given = node.properties if names is None else names
    sets = ", ".join(f"n.{p} = {_value('r', p, nulls)}" for p in given)
    return f"UNWIND $rows AS r MATCH (n:{node.label} {{id: r.id}}) SET {sets}"


def create_nodes(node: NodeType, nulls: Collection[str] = ()) -> str:
    sets = ", ".join(f"n.{p} = {_value('r', p, nulls)}" for p in node.properties)
    return f"UNWIND $rows AS r CREATE (n:{node.label} {{id: r.id}}) SET {sets}"


def set_edges(
    edge: EdgeType,
    src: str,
    dst: str,
    nulls: Collection[str] = (),
    names: Sequence[str] | None = None,
) -> str:
    """Set ``names`` (every property when not given) of the edges between the rows' ends."""
    given = edge.properties if names is None else names
    match = (
        f"UNWIND $rows AS r MATCH (a:{src} {{id: r.src}})-[e:{edge.type}]->(b:{dst}) "
        "WHERE b.id = r.dst"
    )
    if not given:
        return match + " RETURN count(e) AS n"
    return match + " SET " + ", ".join(f"e.{p} = {_value('r', p, nulls)}" for p in given)


def create_edges(edge: EdgeType, src: str, dst: str, nulls: Collection[str] = ()) -> str:
    sets = ", ".join(f"e.{p} = {_value('r', p, nulls)}" for p in edge.properties)
    return (
        f"UNWIND $rows AS r MATCH (a:{src} {{id: r.src}}) MATCH (b:{dst} {{id: r.dst}}) "
        f"CREATE (a)-[e:{edge.type}]->(b)" + (f" SET {sets}" if sets else "")
    )


def delete_nodes(label: str) -> str:
    return f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) DETACH DELETE n"


# For nodes whose key the index lost (ADR 0019): found by a scan of their label,
# the only way to reach them, and a count of the nodes that their own key finds.


def nodes_scanned(node: NodeType) -> str:
    return f"MATCH (n:{node.label}) WHERE n.id IN $ids RETURN " + node_columns(node.properties)


def edges_scanned(edge: EdgeType, src: str, dst: str, end: str) -> str:
    """Edges whose ``end`` (``a``, the source, or ``b``, the target) is in ``$ids``, by a scan."""
    return (
        f"MATCH (a:{src})-[e:{edge.type}]->(b:{dst}) WHERE {end}.id IN $ids RETURN "
        + edge_columns(edge.properties)
    )


def delete_scanned(label: str) -> str:
    return f"MATCH (n:{label}) WHERE n.id IN $ids DETACH DELETE n"


def all_ids(label: str) -> str:
    return f"MATCH (n:{label}) RETURN n.id AS id"


def shared_ids(label: str) -> str:
    """Ids more than one node of ``label`` holds: a node whose key was lost, copied again."""
    return f"MATCH (n:{label}) WITH n.id AS i, count(n) AS c WHERE c > 1 RETURN i AS id ORDER BY id"


def keyed_nodes(label: str) -> str:
    """How many of a label's nodes their own key leads to: one key lookup per node.

    LadybugDB looks each id up in the key index (measured: it counts the nodes
    whose key was lost), ~2 us a node, without sending the ids to the client.
    """
    return (
        f"MATCH (n:{label}) WITH n, n.id AS i MATCH (m:{label} {{id: i}}) WHERE m = n "
        "RETURN count(m) AS n"
    )


def delete_edges_from(type_: str, src: str, dst: str) -> str:
    return f"UNWIND $ids AS i MATCH (a:{src} {{id: i}})-[e:{type_}]->(b:{dst}) DELETE e"


def edge_columns(names: Iterable[str]) -> str:
    """The edge's ends and the named properties as columns (see ``node_columns``).

    >>> edge_columns(["raw"])
    'a.id AS src, b.id AS dst, e.`raw` AS `raw`'
    """
    return ", ".join(["a.id AS src", "b.id AS dst", *(f"e.`{name}` AS `{name}`" for name in names)])


# Edges at given ends: each end is looked up by its key in a MATCH of its own,
# and the edges are read from its adjacency list by an OPTIONAL MATCH. Written
# as one pattern with the key inside, LadybugDB plans an UNWIND of ids as a
# join over every edge of the type (0.4 s for 300 persons' mentions at 88k
# persons); this shape costs 0.04 s for 3,000 and 0.65 s for 20,000 at a million
# rows, where one query per id took 1.7-2.0 s (ADR 0019). An end with no edge
# of the type comes back once with nulls, which the caller drops (``src`` and
# ``dst`` are never null in an edge).
def edges_from(edge: EdgeType, src: str, dst: str) -> str:
    return (
        f"UNWIND $ids AS i MATCH (a:{src} {{id: i}}) "
        f"OPTIONAL MATCH (a)-[e:{edge.type}]->(b:{dst}) RETURN " + edge_columns(edge.properties)
    )


def edges_to(edge: EdgeType, src: str, dst: str) -> str:
    return (
        f"UNWIND $ids AS i MATCH (b:{dst} {{id: i}}) "
        f"OPTIONAL MATCH (b)<-[e:{edge.type}]-(a:{src}) RETURN " + edge_columns(edge.properties)
    )


def all_edges(edge: EdgeType, src: str, dst: str, props: Iterable[str] | None = None) -> str:
    """Every edge of the type between the two labels, with ``props`` (default: all)."""
    columns = edge_columns(edge.properties if props is None else props)
    return f"MATCH (a:{src})-[e:{edge.type}]->(b:{dst}) RETURN " + columns


def hop_edges(
    label: str,
    hop: int,
    labels: Sequence[str],
    props: Sequence[str],
    *,
    directed: bool = False,
    types: Sequence[str] | None = None,
) -> str:
    """LadybugDB: the edges of the nodes ``hop`` hops from the seed ``$seed``.

    For ``hop`` > 0 only those of the nodes in ``$ids``, whose ``labels`` are
    given, and not those back to the ``$done`` nodes of earlier hops; only
    those of the ``types`` (None: all), walked only along those too. Each
    row: the node, the edge's type, the node at its other end, the edge's
    ``props`` as columns and, when ``directed``, whether the edge leaves the
    node. The caller reads an edge's direction from the model's endpoint
    pairs instead wherever they decide it (all but ``Cluster -> Cluster``):
    the ``_out`` test doubles the cost of the query. Expanding from one
    bound start node follows its adjacency lists; the ``UNWIND $ids`` form
    is planned as a join over every relationship (see docs/decisions/0001).
    ``label()``, ``struct_extract(e, '_SRC')`` (the edge's real source:
    ``start_node(e)`` is the pattern's left node) and ``(x:A:B)`` for "A or
    B" are LadybugDB's. Paths beyond the first hop repeat nodes, so those
    are made distinct before their edges are read.

    >>> print(hop_edges("Phone", 1, ["PersonMention"], ["raw"]))  # doctest: +NORMALIZE_WHITESPACE
    MATCH (s:Phone {id: $seed})-[]-(x:PersonMention)-[e]-(b)
    WHERE x.id IN $ids AND NOT b.id IN $done
    RETURN x.id AS _x, label(e) AS _type, b.id AS _b, e.`raw` AS `raw`
    >>> print(hop_edges("Cluster", 0, [], [], directed=True))  # doctest: +NORMALIZE_WHITESPACE
    MATCH (x:Cluster {id: $seed})-[e]-(b) RETURN x.id AS _x, label(e) AS _type, b.id AS _b,
    struct_extract(e, '_SRC') = ID(x) AS _out
    """
    returns = _hop_returns(props, directed=directed)
    walk, edge = f"-[{rel_types(types)}]-", f"-[e{rel_types(types)}]-"
    if hop == 0:
        return f"MATCH (x:{label} {{id: $seed}}){edge}(b) {returns}"
    names = ":".join(labels)
    if hop == 1:
        return (
            f"MATCH (s:{label} {{id: $seed}}){walk}(x:{names}){edge}(b) "
            f"WHERE x.id IN $ids AND NOT b.id IN $done {returns}"
        )
    path = f"{walk}()" * (int(hop) - 1)
    return (
        f"MATCH (s:{label} {{id: $seed}}){path}{walk}(x:{names}) WHERE x.id IN $ids "
        f"WITH DISTINCT x MATCH (x){edge}(b) WHERE NOT b.id IN $done {returns}"
    )


def _hop_returns(props: Sequence[str], *, directed: bool) -> str:
    returns = "RETURN x.id AS _x, label(e) AS _type, b.id AS _b"
    if directed:
        returns += ", struct_extract(e, '_SRC') = ID(x) AS _out"
    return returns + "".join(f", e.`{p}` AS `{p}`" for p in props)


def rel_types(types: Sequence[str] | None) -> str:
    """A relationship pattern's type filter: any type, or one of ``types``.

    >>> rel_types(None), rel_types(["HAS_PHONE", "SUBJECT"])
    ('', ':HAS_PHONE|SUBJECT')
    """
    return ":" + "|".join(types) if types else ""


def adjacent_out(label: str, types: Sequence[str] | None = None) -> str:
    return (
        f"UNWIND $ids AS i MATCH (a:{label} {{id: i}})-[e{rel_types(types)}]->(b) "
        "RETURN a.id AS me, a.id AS src, b.id AS dst, e"
    )


def adjacent_in(label: str, types: Sequence[str] | None = None) -> str:
    return (
        f"UNWIND $ids AS i MATCH (a:{label} {{id: i}})<-[e{rel_types(types)}]-(b) "
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
