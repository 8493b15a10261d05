"""Database definitions derived from the model, for both backends.

Identifiers in these statements come from the model files (checked to be
plain names at load time), never from user input.

>>> from graph_schema.model import model
>>> embedded_ddl(model())["Phone"]
'CREATE NODE TABLE IF NOT EXISTS Phone(id STRING PRIMARY KEY, e164 STRING, signals STRING[])'
>>> neo4j_ddl(model())[0]
'CREATE CONSTRAINT Alert_id IF NOT EXISTS FOR (n:Alert) REQUIRE n.id IS UNIQUE'
"""

from __future__ import annotations

from graph_schema.model import Model, Property

EMBEDDED_TYPES = {
    "string": "STRING",
    "int": "INT64",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "strings": "STRING[]",
    "json": "STRING",
}
FULLTEXT_INDEX = "workbench_text"


def embedded_column(prop: Property) -> str:
    """The LadybugDB column type of a property."""
    return EMBEDDED_TYPES[prop.type]


def embedded_ddl(model: Model) -> dict[str, str]:
    """Table name -> ``CREATE ... IF NOT EXISTS`` statement, nodes before edges."""
    out = {}
    for node in sorted(model.nodes.values(), key=lambda n: n.label):
        cols = ", ".join(f"{p.name} {embedded_column(p)}" for p in node.properties.values())
        out[node.label] = (
            f"CREATE NODE TABLE IF NOT EXISTS {node.label}(id STRING PRIMARY KEY, {cols})"
        )
    for edge in sorted(model.edges.values(), key=lambda e: e.type):
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in edge.endpoints)
        cols = "".join(f", {p.name} {embedded_column(p)}" for p in edge.properties.values())
        out[edge.type] = f"CREATE REL TABLE IF NOT EXISTS {edge.type}({pairs}{cols})"
    return out


def neo4j_ddl(model: Model) -> list[str]:
    """Uniqueness constraints, property indexes and the full-text index for Neo4j 5."""
    out = []
    for node in sorted(model.nodes.values(), key=lambda n: n.label):
        out.append(
            f"CREATE CONSTRAINT {node.label}_id IF NOT EXISTS "
            f"FOR (n:{node.label}) REQUIRE n.id IS UNIQUE"
        )
    for node in sorted(model.nodes.values(), key=lambda n: n.label):
        for prop in node.properties.values():
            if prop.index:
                out.append(
                    f"CREATE INDEX {node.label}_{prop.name} IF NOT EXISTS "
                    f"FOR (n:{node.label}) ON (n.{prop.name})"
                )
    labels = sorted(n.label for n in model.nodes.values() if n.searchable)
    props = sorted({p for n in model.nodes.values() for p in n.searchable})
    out.append(
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{'|'.join(labels)}) "
        f"ON EACH [{', '.join('n.' + p for p in props)}]"
    )
    return out
