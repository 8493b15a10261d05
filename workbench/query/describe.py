"""How a node is named for people: its type's display name and its caption.

Both come from the graph model (``graph_schema``), so a new node type is
described without touching the UI.

>>> from workbench.store import Node
>>> n = Node("Phone:+31612345678", "Phone", {"e164": "+31612345678"})
>>> type_name("Phone"), caption(n)
('Phone number', '+31612345678')
>>> display("theme", "mensensmokkel")
'People smuggling'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from graph_schema import enums
from graph_schema.legend import legend
from graph_schema.model import model
from workbench.store import Node

# Search and entity views group the model's labels into what analysts look for.
PERSON_LABELS = ("Person", "PersonMention")
FACILITATOR_LABELS = ("FacilitatorEntity", "FacilitatorMention")
RESOLVED_LABELS = ("Person", "FacilitatorEntity")
MENTION_LABELS = ("PersonMention", "FacilitatorMention")


@cache
def _legend() -> dict[str, dict[str, str]]:
    return legend(model())


def type_name(label: str) -> str:
    """The display name of a node label (``PersonMention`` -> ``Person mention``)."""
    entry = _legend().get(label)
    return entry["display"] if entry else label


def style(label: str) -> tuple[str, str]:
    """The colour and shape the model gives a label."""
    entry = _legend().get(label, {})
    return entry.get("color", "#999999"), entry.get("shape", "dot")


def caption_field(label: str) -> str | None:
    """The property a node of ``label`` is called by (read it to make a :class:`Ref`)."""
    entry = _legend().get(label)
    return entry["caption"] if entry and entry.get("caption") else None


def caption(node: Node) -> str:
    """What to call a node: its caption property, else its key, else its id."""
    entry = _legend().get(node.label)
    value = node.props.get(entry["caption"]) if entry else None
    if value in (None, ""):
        key = node.id.partition(":")[2]
        return key or node.id
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{type_name(node.label)} {value}"  # "Cluster 3", not "3"
    return str(value)


def display(enum: str, value: str | None) -> str:
    """The English label of an enumeration value (the value itself if unknown)."""
    if value is None:
        return ""
    labels = enums.enums().get(enum, {}).get("values", {})
    return str(labels.get(value, value))


def is_pivot(label: str) -> bool:
    """Identifier nodes keyed by their value (Phone, Document, Vehicle, ...)."""
    spec = model().nodes.get(label)
    return bool(spec and spec.pivot)


def is_evidence(label: str) -> bool:
    spec = model().nodes.get(label)
    return bool(spec and spec.layer == "evidence")


@dataclass(frozen=True)
class Ref:
    """A pointer to a node for lists and links: id, label, type name and caption."""

    id: str
    label: str
    type: str
    caption: str


def ref(node: Node) -> Ref:
    return Ref(id=node.id, label=node.label, type=type_name(node.label), caption=caption(node))
