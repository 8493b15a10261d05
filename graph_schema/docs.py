"""Render the model as Markdown (``docs/schema.md``; a test keeps it in sync).

Run ``python -m graph_schema.docs > docs/schema.md`` after changing the model.
"""

from __future__ import annotations

import sys

from graph_schema import enums
from graph_schema.limits import Limits, limits
from graph_schema.model import Model, Property, model


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _props_table(props: dict[str, Property]) -> list[str]:
    if not props:
        return ["No properties.", ""]
    lines = ["| property | type | required | meaning |", "| --- | --- | --- | --- |"]
    for p in props.values():
        kind = f"{p.type} ({p.enum})" if p.enum else p.type
        lines.append(
            f"| `{p.name}` | {kind} | {'yes' if p.required else ''} | {_cell(p.description)} |"
        )
    return [*lines, ""]


def _limits_section(lim: Limits) -> list[str]:
    """What an export may hold (``limits.yaml``): kinds of field, each format's fields, files."""
    out = [
        "## Loading limits",
        "",
        "From `graph_schema/limits.yaml` (decision 0009). A row with a value over its field's",
        "limit is rejected naming field, length and limit; a file over a file limit is",
        "rejected whole. Lengths are characters, sizes bytes.",
        "",
        "| kind | longest value | meaning | fields |",
        "| --- | --- | --- | --- |",
    ]
    for kind in lim.kinds.values():
        fields = "; ".join(
            f"{source}: " + ", ".join(f"`{f}`" for f, k in table.items() if k == kind.name)
            for source, table in lim.fields.items()
            if kind.name in table.values()
        )
        out.append(
            f"| `{kind.name}` | {kind.max_length:,} | {_cell(kind.description)} | "
            f"{fields or 'any field not named here'} |"
        )
    out += ["", "| file limit | value | meaning |", "| --- | --- | --- |"]
    for name, value in vars(lim.files).items():
        out.append(f"| `{name}` | {value:,} | {_cell(lim.descriptions.get(name, ''))} |")
    return [*out, ""]


def render(m: Model) -> str:
    """The whole schema document."""
    out = [
        "# Graph schema",
        "",
        "Generated from `graph_schema/` by `python -m graph_schema.docs`; do not edit by hand.",
        "Every node has a string `id` (its label and key values, e.g. `Phone:+31612345678`).",
        "Nodes and edges of the evidence layer carry `signals`: the ids of the signals that",
        "assert them.",
        "",
    ]
    for layer, info in m.layers.items():
        out += [f"## {layer.capitalize()} layer", "", str(info.get("description", "")), ""]
        for n in (n for n in m.nodes.values() if n.layer == layer):
            pivot = (
                " Pivot: shared by every record that mentions the same value." if n.pivot else ""
            )
            out += [
                f"### {n.display} (`{n.label}`)",
                "",
                f"{n.description}{pivot} Key: {', '.join(f'`{k}`' for k in n.key)}.",
                "",
                *_props_table(dict(n.properties)),
            ]
        for e in (e for e in m.edges.values() if e.layer == layer):
            ends = ", ".join(f"`{a}` -> `{b}`" for a, b in e.endpoints)
            walk = "" if e.walk else " The network view does not walk through it (bookkeeping)."
            out += [
                f"### `{e.type}` ({e.display})",
                "",
                f"{e.description} Endpoints: {ends}.{walk}",
                "",
            ]
            out += _props_table(dict(e.properties))
    out += ["## Enumerations", ""]
    for name, spec in enums.enums().items():
        values = ", ".join(f"`{k}` ({v})" for k, v in spec["values"].items())
        out += [f"- `{name}`: {spec['description']} {values}"]
    out += ["", *_limits_section(limits())]
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":
    sys.stdout.write(render(model()))
