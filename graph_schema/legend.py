"""The UI legend: how each node type is drawn, derived from the model.

>>> from graph_schema.model import model
>>> entry = legend(model())["Phone"]
>>> entry["color"], entry["shape"], entry["display"]
('#43a047', 'square', 'Phone number')
"""

from __future__ import annotations

from graph_schema.model import Model


def legend(model: Model) -> dict[str, dict[str, str]]:
    """Label -> display name, colour, shape, caption property and layer."""
    return {
        n.label: {
            "display": n.display,
            "color": n.color,
            "shape": n.shape,
            "caption": n.caption,
            "layer": n.layer,
        }
        for n in model.nodes.values()
    }
