"""Display labels of the model's enumerations (graph_schema/enums.yaml), for people."""

from __future__ import annotations

from typing import Any

from graph_schema import enums


def enum_label(enum: str, value: Any) -> str | None:
    """The English label of an enumeration value; the value itself when unknown.

    >>> enum_label("theme", "mensensmokkel"), enum_label("theme", "x"), enum_label("theme", None)
    ('People smuggling', 'x', None)
    """
    if value is None:
        return None
    labels: dict[str, str] = enums.enums()[enum]["values"]
    return labels.get(str(value), str(value))


def organisation(source: str | None) -> str:
    """The display name of a source organisation.

    >>> organisation("kmar"), organisation(None)
    ('Koninklijke Marechaussee', 'unknown')
    """
    return enum_label("source", source) or "unknown"
