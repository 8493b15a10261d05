"""What a check of the key index found, and what a repair did (ADR 0019, *Lost keys*).

LadybugDB 0.22 can drop committed keys from a label's key index: the node is
there (a scan finds it) but a lookup by its id misses it. A store that lost
keys before the store checked its writes stays broken until repaired
(``GraphStore.repair_keys``, ``workbench store repair``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SHOWN_IDS = 20  # ids named per label in a report; the count is always whole


@dataclass(frozen=True)
class LabelKeys:
    """One label: its nodes, how many their own key finds, and the ids it does not.

    ``lost`` are ids no key lookup finds (``repair_keys`` re-creates those
    nodes). ``shadowed`` are ids held by more than one node, where the key
    finds one of them and the others are unreachable: a lost node copied again
    by a later load; no repair can choose between the copies.
    """

    label: str
    nodes: int
    keyed: int
    lost: tuple[str, ...] = ()
    shadowed: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.nodes == self.keyed

    def to_dict(self, shown: int | None = SHOWN_IDS) -> dict[str, Any]:
        return {
            "label": self.label,
            "nodes": self.nodes,
            "keyed": self.keyed,
            "lost": len(self.lost),
            "lost_ids": list(self.lost[:shown]),
            "shadowed": len(self.shadowed),
            "shadowed_ids": list(self.shadowed[:shown]),
        }


@dataclass(frozen=True)
class KeyCheck:
    """Every node label of the model, checked (``GraphStore.check_keys``)."""

    labels: tuple[LabelKeys, ...]
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(k.ok for k in self.labels)

    @property
    def lost(self) -> dict[str, list[str]]:
        """The lost ids per label (only labels that lost some)."""
        return {k.label: list(k.lost) for k in self.labels if k.lost}

    @property
    def shadowed(self) -> dict[str, list[str]]:
        return {k.label: list(k.shadowed) for k in self.labels if k.shadowed}

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "seconds": round(self.seconds, 2),
            "labels": [k.to_dict() for k in self.labels],
        }


@dataclass(frozen=True)
class KeyRepair:
    """What ``GraphStore.repair_keys`` did: the check before, the units written, the check after."""

    before: KeyCheck
    after: KeyCheck
    recreated: dict[str, int] = field(default_factory=dict)  # nodes re-created per label
    edges: int = 0  # edges re-created with them
    units: int = 0  # write units (transactions) it took
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.after.ok

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "recreated": dict(self.recreated),
            "edges": self.edges,
            "units": self.units,
            "seconds": round(self.seconds, 2),
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
        }
