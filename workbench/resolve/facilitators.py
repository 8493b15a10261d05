"""Facilitator resolution: aliases and phones across organisations.

Smugglers are known by a kunya or nickname (``Abu Omar``, ``Wedi Tesfay``)
spelled differently by every clerk, and by a phone number they keep for a
season. The phone is the stronger tie: mentions sharing a phone are one
facilitator. An alias alone is weak - the same kunya is used by many
unrelated men - so a mention without a phone joins a phone-group by alias

1. when exactly one phone-group carries that alias (``alias``), or
2. when several do, and the record it came from writes down the number of
   exactly one of them (``alias+context``): a police report naming "Abu
   Omar (+90 532 ...)" in its text. Route and amount are not enough: two
   men called Abu Omar move people the same way for the same price, and an
   alias pinned on the wrong man is an accusation.

Otherwise it stays on its own.

>>> ms = [FacilitatorRecord("a", "Abu Omar", "+905321111111"),
...       FacilitatorRecord("b", "ABOU OMAR", "+905321111111"),
...       FacilitatorRecord("c", "Abu Umar", None, context=frozenset({"phone:+905321111111"})),
...       FacilitatorRecord("d", "Abu Omar", "+905329999999"),
...       FacilitatorRecord("e", "Abu Omar", None)]
>>> groups, how = group_facilitators(ms)
>>> groups
[['a', 'b', 'c'], ['d'], ['e']]
>>> how["c"], how["b"], how["e"]
('alias+context', 'phone', 'alone')
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence, Set
from dataclasses import dataclass, field

from workbench.resolve.names import name_key

__all__ = ["FacilitatorRecord", "group_facilitators"]

# A phone named by more facilitator mentions than this is a helpdesk, not a
# smuggler: a busy smuggler is named by dozens of clients (a network of 40
# gave 33 mentions of one number), so the line sits well above that.
HUB_PHONE = 200


@dataclass(frozen=True)
class FacilitatorRecord:
    """One facilitator mention: its id, alias as written and phone (E.164).

    ``context`` holds markers of the record it came from (``phone:...`` for a
    number written in it), to tell apart phone-groups sharing an alias.
    """

    id: str
    alias: str | None
    phone: str | None
    role: str | None = None
    source: str | None = None
    context: frozenset[str] = field(default_factory=frozenset)


def group_facilitators(
    mentions: Sequence[FacilitatorRecord],
) -> tuple[list[list[str]], dict[str, str]]:
    """Mention ids grouped into facilitators (sorted), and how each joined its group.

    How: ``phone`` (shares the group's number), ``alias`` (the only phone-group
    with that alias), ``alias+context`` (the alias, decided by shared markers)
    or ``alone``.
    """
    uses = Counter(m.phone for m in mentions if m.phone)
    groups: dict[str, list[str]] = defaultdict(list)
    alias_groups: dict[str, set[str]] = defaultdict(set)
    how: dict[str, str] = {}
    loose: list[FacilitatorRecord] = []
    for m in mentions:
        if m.phone and uses[m.phone] <= HUB_PHONE:
            groups[m.phone].append(m.id)
            how[m.id] = "phone"
            if m.alias:
                alias_groups[name_key(m.alias)].add(m.phone)
        else:
            loose.append(m)
    singles: list[list[str]] = []
    for m in loose:
        owners = alias_groups.get(name_key(m.alias), set()) if m.alias else set()
        owner, method = _owner(m, owners)
        if owner is None:
            singles.append([m.id])
            how[m.id] = "alone"
        else:
            groups[owner].append(m.id)
            how[m.id] = method
    return sorted([sorted(g) for g in groups.values()] + singles), how


def _owner(m: FacilitatorRecord, owners: Set[str]) -> tuple[str | None, str]:
    """The phone-group an alias-only mention belongs to, if one stands out.

    Looked up from the mention's few markers, not by walking the owners: a
    common alias has thousands of phone-groups at a million rows, and every
    alias-only mention of it walked (and sorted) them all (8.9 of 12.8 s).
    """
    if len(owners) == 1:
        return next(iter(owners)), "alias"
    # The record writes down the number of exactly one of them.
    named = {c.removeprefix("phone:") for c in m.context if c.startswith("phone:")} & owners
    if len(named) == 1:
        return named.pop(), "alias+context"
    return None, "alone"
