"""What a pseudonymised or partly visible node or edge looks like: pure functions.

Allow-lists, not deny-lists: a property of a pseudonymised node is kept
only if it is listed here as harmless (organisation, kind, theme, dates,
indicators, roles...) or turned into a pseudonym; everything else,
including any property added to the model later, is withheld. So a new
free-text field cannot leak through a pseudonymised view by accident.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from graph_schema.model import model
from workbench.store.base import Edge, Node

Pseudonym = Callable[[str, str], str]

# Properties of a pseudonymised evidence node shown as they are.
KEEP: dict[str, frozenset[str]] = {
    "Signal": frozenset(
        {
            "source",
            "record_id",
            "date",
            "timestamp",
            "kind",
            "theme",
            "origin",
            "indicators",
            "arrival_date",
            "legal_regime",
            "purpose",
            "retention_until",
            "file",
            "row",
            "batch_id",
            "signals",
        }
    ),
    "PersonMention": frozenset(
        {"source", "record_id", "role", "position", "nationality", "sex", "signals"}
    ),
    "FacilitatorMention": frozenset(
        {"source", "record_id", "position", "role", "confidence", "signals"}
    ),
    "Phone": frozenset({"signals"}),
    "Device": frozenset({"signals"}),
    "Document": frozenset({"country", "type", "signals"}),
    "Vehicle": frozenset({"signals"}),
    "Route": frozenset({"itinerary", "countries", "signals"}),
    "Location": frozenset({"key", "name", "kind", "signals"}),
    "Conflict": frozenset({"source", "record_id", "file", "row", "batch_id", "status", "signals"}),
}
# Properties replaced by a keyed pseudonym of their value (property -> pseudonym kind).
PSEUDONYM: dict[str, dict[str, str]] = {
    "PersonMention": {"name": "name", "v_number": "vnumber"},
    "FacilitatorMention": {"alias": "name"},
    "Phone": {"e164": "phone"},
    "Device": {"imei": "imei"},
    "Document": {"number": "document"},
    "Vehicle": {"plate": "plate"},
}
# Value-keyed labels whose id holds the value: their ids are pseudonymised too.
KEYED = {"Phone": "phone", "Device": "imei", "Document": "document", "Vehicle": "plate"}
# Properties of a pseudonymised evidence edge shown as they are (``signals`` always).
KEEP_EDGE: dict[str, frozenset[str]] = {
    "HAS_DOCUMENT": frozenset({"assessment"}),
    "MENTIONS_PHONE": frozenset({"confidence"}),
    "MENTIONS_VEHICLE": frozenset({"confidence"}),
    "TRAVELLED": frozenset({"arrival_date"}),
    "PAID": frozenset({"amount_eur", "method"}),
    # structure, not content: computed from links the viewer can already see (a role's
    # reason is numbers and words about paths, never a name)
    "MEMBER_OF": frozenset({"run", "role", "centrality", "role_reason"}),
}


def withheld(owner: str | Sequence[str] | None) -> str:
    """The text shown instead of withheld content: who holds it and that it can be asked for.

    >>> withheld("ind")
    '[withheld by IND: ask for release]'
    >>> withheld(["kmar", "ind"])
    '[withheld by IND, KMAR: ask for release]'
    """
    owners = [owner] if isinstance(owner, str) else sorted(owner or [])
    who = ", ".join(o.upper() for o in owners) or "its owner"
    return f"[withheld by {who}: ask for release]"


def pseudonymous_id(node_id: str, pseudonym: Pseudonym) -> str:
    """The id a viewer sees for a pseudonymised node: value-keyed ids are replaced.

    >>> pseudonymous_id("Phone:+31612345678", lambda kind, v: f"<{kind}:{v}>")
    'Phone:<phone:+31612345678>'
    >>> pseudonymous_id("Signal:ind|IND-1", lambda kind, v: "x")
    'Signal:ind|IND-1'
    """
    label, _, key = node_id.partition(":")
    kind = KEYED.get(label)
    return f"{label}:{pseudonym(kind, key)}" if kind else node_id


def _withheld_value(prop: str, props: Mapping[str, Any], label: str, owner: str | None) -> Any:
    spec = model().node(label).properties.get(prop)
    if spec is None or not spec.required:
        return None
    if spec.type == "json":
        return {"withheld": withheld(owner)}
    return withheld(owner) if spec.type == "string" else props.get(prop)


def pseudonymise_node(node: Node, pseudonym: Pseudonym, owner: str | None) -> Node:
    """``node`` with identifying and free-text properties replaced or withheld."""
    keep = KEEP.get(node.label, frozenset({"signals"}))
    renamed = PSEUDONYM.get(node.label, {})
    key = node.id.partition(":")[2]
    props: dict[str, Any] = {}
    for name, value in node.props.items():
        if name in keep:
            props[name] = value
        elif name in renamed and value is not None:
            # a value-keyed node's value gets the pseudonym of its id, so both agree
            source = key if node.label in KEYED else str(value)
            props[name] = pseudonym(renamed[name], source)
        else:
            props[name] = _withheld_value(name, node.props, node.label, owner)
    return Node(id=pseudonymous_id(node.id, pseudonym), label=node.label, props=props)


def pseudonymise_edge(edge: Edge) -> Edge:
    """``edge`` with the values as written (raw numbers, text spans) withheld."""
    keep = KEEP_EDGE.get(edge.type, frozenset()) | {"signals"}
    return replace(edge, props={k: (v if k in keep else None) for k, v in edge.props.items()})


def redact_text_fields(node: Node, fields: Mapping[str, Any]) -> Node:
    """``node`` with ``fields`` replaced (a partly visible cluster, alert, note, decision)."""
    return replace(node, props={**node.props, **fields})


def redact_explanation(explanation: Any, owner: str | Sequence[str] | None = None) -> Any:
    """Score terms with their free-text ``reason`` withheld (term and value stay).

    >>> redact_explanation([{"term": "hard signals", "value": 2.0, "reason": "Abu X ..."}], "ind")
    [{'term': 'hard signals', 'value': 2.0, 'reason': '[withheld by IND: ask for release]'}]
    """
    if isinstance(explanation, list):
        return [
            {**t, "reason": withheld(owner)} if isinstance(t, dict) and "reason" in t else t
            for t in explanation
        ]
    return None if explanation is None else {"withheld": withheld(owner)}
