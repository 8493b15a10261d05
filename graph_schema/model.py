"""The graph model, read once from the YAML files beside this module.

The schema is data (one YAML file per node label and per edge type, as in
followthemoney); this module loads it in two phases - parse every file, then
check references across files - and raises :class:`SchemaError` naming the
file and key on any inconsistency, so a bad model fails at import.

Everything else derives from the loaded :class:`Model`: node ids, value
validation for ingest, the embedded DDL, the Neo4j constraints, the UI legend
and ``docs/schema.md``.

>>> m = model()
>>> m.node("Phone").key
('e164',)
>>> m.node_id("Phone", {"e164": "+31612345678"})
'Phone:+31612345678'
>>> [p for p in m.edge("HAS_PHONE").endpoints]
[('PersonMention', 'Phone'), ('FacilitatorMention', 'Phone')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypedDict, cast

import yaml

from graph_schema import enums

HERE = Path(__file__).parent
PropType = Literal["string", "int", "float", "bool", "date", "datetime", "strings", "json"]
PROP_TYPES: tuple[PropType, ...] = (
    "string",
    "int",
    "float",
    "bool",
    "date",
    "datetime",
    "strings",
    "json",
)
LAYERS = ("evidence", "identity", "analysis", "work")
KEY_SEPARATOR = "|"


class SchemaError(Exception):
    """The model files are inconsistent; the message names the file and key."""


class ValidationError(ValueError):
    """A value written to the store does not fit the model."""


class PropertySpec(TypedDict, total=False):
    """The YAML shape of one property."""

    type: str
    required: bool
    description: str
    enum: str
    index: bool
    search: bool
    display: bool
    merge: str


@dataclass(frozen=True)
class Property:
    """One typed property of a node or edge type."""

    name: str
    type: PropType
    required: bool = False
    description: str = ""
    enum: str | None = None
    index: bool = False
    search: bool = False
    display: bool = True
    merge: Literal["replace", "union"] = "replace"


PROVENANCE = Property(
    name="signals",
    type="strings",
    required=True,
    description="Ids of the signals that assert this fact.",
    merge="union",
)


@dataclass(frozen=True)
class NodeType:
    """A node label: its key, its properties and how the UI draws it."""

    label: str
    display: str
    description: str
    layer: str
    key: tuple[str, ...]
    caption: str
    color: str
    shape: str
    pivot: bool
    properties: Mapping[str, Property]
    source_file: str = ""

    @property
    def searchable(self) -> tuple[str, ...]:
        """Properties that feed the full-text index."""
        return tuple(p.name for p in self.properties.values() if p.search)


@dataclass(frozen=True)
class EdgeType:
    """A relationship type with its allowed (source, target) label pairs."""

    type: str
    display: str
    description: str
    layer: str
    endpoints: tuple[tuple[str, str], ...]
    properties: Mapping[str, Property]
    # False for bookkeeping edges (a load batch's signals, a run's clusters):
    # walking through them would make everything a neighbour of everything.
    walk: bool = True
    source_file: str = ""


@dataclass(frozen=True)
class Model:
    """The whole graph model. Build it with :func:`model`."""

    nodes: Mapping[str, NodeType]
    edges: Mapping[str, EdgeType]
    layers: Mapping[str, dict[str, Any]] = field(default_factory=dict)

    def node(self, label: str) -> NodeType:
        try:
            return self.nodes[label]
        except KeyError:
            raise ValidationError(f"unknown node label {label!r}") from None

    def walked_edges(self) -> list[str]:
        """The edge types a network view walks through (all but bookkeeping ones)."""
        return sorted(e.type for e in self.edges.values() if e.walk)

    def edge(self, type_: str) -> EdgeType:
        try:
            return self.edges[type_]
        except KeyError:
            raise ValidationError(f"unknown edge type {type_!r}") from None

    def node_id(self, label: str, props: Mapping[str, Any]) -> str:
        """The deterministic id of a node: its label and its key values.

        Ids carry their label, so a store can find any node by id alone.
        """
        spec = self.node(label)
        parts = []
        for k in spec.key:
            value = props.get(k)
            if value is None:
                raise ValidationError(f"{label}: key property {k!r} is missing")
            parts.append(str(value))
        return f"{label}:{KEY_SEPARATOR.join(parts)}"

    @staticmethod
    def label_of(node_id: str) -> str:
        """The label encoded in a node id (``Phone:+316...`` -> ``Phone``)."""
        label, sep, _ = node_id.partition(":")
        if not sep:
            raise ValidationError(f"not a node id: {node_id!r}")
        return label

    def to_dict(self) -> dict[str, Any]:
        """A plain-data view of the model, for docs, the UI and JSON output."""
        return {
            "nodes": {
                n.label: {
                    "display": n.display,
                    "description": n.description,
                    "layer": n.layer,
                    "key": list(n.key),
                    "caption": n.caption,
                    "color": n.color,
                    "shape": n.shape,
                    "pivot": n.pivot,
                    "properties": {p.name: _prop_dict(p) for p in n.properties.values()},
                }
                for n in self.nodes.values()
            },
            "edges": {
                e.type: {
                    "display": e.display,
                    "description": e.description,
                    "layer": e.layer,
                    "endpoints": [list(p) for p in e.endpoints],
                    "walk": e.walk,
                    "properties": {p.name: _prop_dict(p) for p in e.properties.values()},
                }
                for e in self.edges.values()
            },
        }


def _prop_dict(p: Property) -> dict[str, Any]:
    out: dict[str, Any] = {"type": p.type, "required": p.required}
    if p.enum:
        out["enum"] = p.enum
    if p.description:
        out["description"] = p.description
    return out


# -- loading -----------------------------------------------------------------


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise SchemaError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SchemaError(f"{path.name}: expected a mapping at the top level")
    return data


def _require(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise SchemaError(f"{where}: missing required key {key!r}")
    return data[key]


def _properties(raw: Any, where: str, provenance: bool) -> dict[str, Property]:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise SchemaError(f"{where}: 'properties' must be a mapping")
    props: dict[str, Property] = {}
    for name, spec in raw.items():
        spec = cast(PropertySpec, spec or {})
        ptype = cast(PropType, spec.get("type", "string"))
        if ptype not in PROP_TYPES:
            raise SchemaError(f"{where}: property {name!r} has unknown type {ptype!r}")
        enum = spec.get("enum")
        if enum is not None and enum not in enums.enums():
            raise SchemaError(f"{where}: property {name!r} names unknown enum {enum!r}")
        if name in ("id", "signals"):
            raise SchemaError(f"{where}: property name {name!r} is reserved")
        merge = spec.get("merge", "replace")
        if merge not in ("replace", "union"):
            raise SchemaError(f"{where}: property {name!r} has unknown merge {merge!r}")
        props[name] = Property(
            name=name,
            type=ptype,
            required=bool(spec.get("required", False)),
            description=str(spec.get("description", "")),
            enum=enum,
            index=bool(spec.get("index", False)),
            search=bool(spec.get("search", False)),
            display=bool(spec.get("display", True)),
            merge=cast(Any, merge),
        )
    if provenance:
        props["signals"] = PROVENANCE
    return props


def _layer(data: Mapping[str, Any], where: str, layers: Mapping[str, Any]) -> str:
    layer = str(_require(data, "layer", where))
    if layer not in layers:
        raise SchemaError(f"{where}: unknown layer {layer!r}; expected one of {sorted(layers)}")
    return layer


def load_model(root: Path = HERE) -> Model:
    """Load and check the model from ``root`` (phase 1: parse; phase 2: refs)."""
    layers = _read(root / "layers.yaml")
    for name in layers:
        if name not in LAYERS:
            raise SchemaError(f"layers.yaml: unknown layer {name!r}")

    nodes: dict[str, NodeType] = {}
    for path in sorted((root / "nodes").glob("*.yaml")):
        data = _read(path)
        where = path.name
        label = str(_require(data, "label", where))
        if label != path.stem:
            raise SchemaError(f"{where}: label {label!r} must match the file name")
        layer = _layer(data, where, layers)
        props = _properties(data.get("properties"), where, layers[layer].get("provenance", False))
        key = tuple(_require(data, "key", where))
        for k in key:
            if k not in props:
                raise SchemaError(f"{where}: key {k!r} is not a declared property")
        caption = str(data.get("caption", key[0]))
        if caption not in props:
            raise SchemaError(f"{where}: caption {caption!r} is not a declared property")
        nodes[label] = NodeType(
            label=label,
            display=str(data.get("display", label)),
            description=str(data.get("description", "")).strip(),
            layer=layer,
            key=key,
            caption=caption,
            color=str(data.get("color", "#999999")),
            shape=str(data.get("shape", "dot")),
            pivot=bool(data.get("pivot", False)),
            properties=props,
            source_file=where,
        )

    edges: dict[str, EdgeType] = {}
    for path in sorted((root / "edges").glob("*.yaml")):
        data = _read(path)
        where = path.name
        type_ = str(_require(data, "type", where))
        if type_ != path.stem:
            raise SchemaError(f"{where}: type {type_!r} must match the file name")
        layer = _layer(data, where, layers)
        endpoints = tuple(tuple(pair) for pair in _require(data, "endpoints", where))
        for pair in endpoints:
            if len(pair) != 2:
                raise SchemaError(f"{where}: endpoint {list(pair)} must be [source, target]")
            for label in pair:
                if label not in nodes:  # phase 2: references across files
                    raise SchemaError(f"{where}: endpoint label {label!r} is not a node type")
        edges[type_] = EdgeType(
            type=type_,
            display=str(data.get("display", type_.lower())),
            description=str(data.get("description", "")).strip(),
            layer=layer,
            endpoints=cast(tuple[tuple[str, str], ...], endpoints),
            properties=_properties(
                data.get("properties"), where, layers[layer].get("provenance", False)
            ),
            walk=bool(data.get("walk", True)),
            source_file=where,
        )
    names: dict[str, str] = {}
    for name in [*nodes, *edges]:  # phase 2: stores fold table names to one case
        other = names.setdefault(name.casefold(), name)
        if other != name:
            raise SchemaError(f"{name}: clashes with {other} (table names ignore case)")
    return Model(nodes=nodes, edges=edges, layers=layers)


@cache
def model() -> Model:
    """The project's model, loaded once."""
    return load_model()


# -- validation --------------------------------------------------------------

_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "int": (int,),
    "float": (float, int),
    "bool": (bool,),
    "date": (dt.date,),
    "datetime": (dt.datetime,),
    "strings": (list, tuple),
    "json": (dict, list, str, int, float, bool),
}


def check_value(prop: Property, value: Any, where: str) -> None:
    """Raise :class:`ValidationError` if ``value`` does not fit ``prop``."""
    if value is None:
        if prop.required:
            raise ValidationError(f"{where}: required property {prop.name!r} is missing")
        return
    if prop.type == "string" and type(value) is str and not prop.enum:
        return
    expected = _PY_TYPES[prop.type]
    bad_bool = prop.type in ("int", "float") and isinstance(value, bool)
    bad_date = prop.type == "date" and isinstance(value, dt.datetime)
    if not isinstance(value, expected) or bad_bool or bad_date:
        raise ValidationError(
            f"{where}: property {prop.name!r} expects {prop.type}, got {type(value).__name__}"
        )
    checked: Any = value
    if prop.type == "strings" and not all(isinstance(v, str) for v in checked):
        raise ValidationError(f"{where}: property {prop.name!r} expects a list of strings")
    if prop.type == "datetime" and checked.tzinfo is None:
        raise ValidationError(f"{where}: property {prop.name!r} needs a timezone-aware datetime")
    if prop.enum and prop.type == "string" and enums.canonical(prop.enum, checked) != value:
        allowed = ", ".join(enums.values(prop.enum))
        raise ValidationError(f"{where}: {value!r} is not a value of {prop.enum} ({allowed})")


def check_properties(props: Mapping[str, Property], row: Mapping[str, Any], where: str) -> None:
    """Validate one node or edge row: no unknown properties, types and enums fit.

    Walks only the keys given (plus the required ones), since bulk loads
    validate hundreds of thousands of rows.
    """
    for name, value in row.items():
        prop = props.get(name)
        if prop is None:
            if name not in ("id", "src", "dst"):
                unknown = sorted(set(row) - set(props) - {"id", "src", "dst"})
                raise ValidationError(f"{where}: unknown properties {unknown}")
            continue
        if value is not None:
            check_value(prop, value, where)
    for prop in _required(props):
        if row.get(prop.name) is None:
            raise ValidationError(f"{where}: required property {prop.name!r} is missing")


def _required(props: Mapping[str, Property]) -> tuple[Property, ...]:
    key = id(props)
    cached = _REQUIRED.get(key)
    if cached is None or cached[0] is not props:
        cached = (props, tuple(p for p in props.values() if p.required))
        _REQUIRED[key] = cached
    return cached[1]


_REQUIRED: dict[int, tuple[Mapping[str, Property], tuple[Property, ...]]] = {}
