"""Facilitator resolution: aliases and phones across organisations.

Smugglers are known by a kunya or nickname (``Abu Omar``, ``Wedi Tesfay``)
spelled differently by every clerk, and by a phone number they keep for a
season. The phone is the stronger tie: mentions sharing a phone are one
facilitator. An alias alone is weak - the same kunya is used by many
unrelated men - so a mention without a phone joins a facilitator by alias
only when exactly one phone-group carries that alias.

>>> ms = [FacilitatorRecord("a", "Abu Omar", "+905321111111"),
...       FacilitatorRecord("b", "ABOU OMAR", "+905321111111"),
...       FacilitatorRecord("c", "Abu Umar", None),
...       FacilitatorRecord("d", "Abu Omar", "+905329999999")]
>>> group_facilitators(ms)
[['a', 'b'], ['c'], ['d']]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.resolve.names import name_key

__all__ = ["FacilitatorRecord", "group_facilitators"]

HUB_PHONE = 25  # a phone named by more facilitator mentions than this is a helpdesk


@dataclass(frozen=True)
class FacilitatorRecord:
    """One facilitator mention: its id, alias as written and phone (E.164)."""

    id: str
    alias: str | None
    phone: str | None
    role: str | None = None
    source: str | None = None


def group_facilitators(mentions: Sequence[FacilitatorRecord]) -> list[list[str]]:
    """Mention ids grouped into facilitators, sorted."""
    uses = Counter(m.phone for m in mentions if m.phone)
    groups: dict[str, list[str]] = defaultdict(list)
    alias_groups: dict[str, set[str]] = defaultdict(set)
    loose: list[FacilitatorRecord] = []
    for m in mentions:
        if m.phone and uses[m.phone] <= HUB_PHONE:
            groups[m.phone].append(m.id)
            if m.alias:
                alias_groups[name_key(m.alias)].add(m.phone)
        else:
            loose.append(m)
    singles: list[list[str]] = []
    for m in loose:
        owners = alias_groups.get(name_key(m.alias), set()) if m.alias else set()
        if len(owners) == 1:
            groups[next(iter(owners))].append(m.id)
        else:
            singles.append([m.id])
    return sorted([sorted(g) for g in groups.values()] + singles)
