"""Facilitator resolution: aliases and phones across organisations.

Smugglers are known by a kunya or nickname (``Abu Omar``, ``Wedi Tesfay``)
spelled differently by every clerk, and by a phone number they keep for a
season. The phone is the stronger tie: mentions sharing a phone are one
facilitator. An alias alone is weak - the same kunya is used by many
unrelated men - so a mention without a phone joins a phone-group by alias

1. when exactly one phone-group carries that alias (``alias``), or
2. when several do, and the record it came from points at exactly one of
   them (``alias+context``): the group's number written in the same record,
   or both the same route and the same amount as records of a group known
   from several records. That is how an analyst tells two men called Abu
   Omar apart: by their number, or which way they moved people for how much.

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from workbench.resolve.names import name_key

__all__ = ["FacilitatorRecord", "group_facilitators"]

HUB_PHONE = 25  # a phone named by more facilitator mentions than this is a helpdesk
MIN_CONTEXT_GROUP = 3  # route and amount only attach an alias to a group of this many mentions


@dataclass(frozen=True)
class FacilitatorRecord:
    """One facilitator mention: its id, alias as written and phone (E.164).

    ``context`` holds markers of the record it came from (``phone:...``,
    ``route:...``, ``amount:...``), to tell apart phone-groups sharing an alias.
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
    markers: dict[str, set[str]] = defaultdict(set)
    alias_groups: dict[str, set[str]] = defaultdict(set)
    how: dict[str, str] = {}
    loose: list[FacilitatorRecord] = []
    for m in mentions:
        if m.phone and uses[m.phone] <= HUB_PHONE:
            groups[m.phone].append(m.id)
            markers[m.phone] |= m.context | {f"phone:{m.phone}"}
            how[m.id] = "phone"
            if m.alias:
                alias_groups[name_key(m.alias)].add(m.phone)
        else:
            loose.append(m)
    sizes = {phone: len(ids) for phone, ids in groups.items()}  # before any alias joins
    singles: list[list[str]] = []
    for m in loose:
        owners = sorted(alias_groups.get(name_key(m.alias), ())) if m.alias else []
        owner, method = _owner(m, owners, markers, sizes)
        if owner is None:
            singles.append([m.id])
            how[m.id] = "alone"
        else:
            groups[owner].append(m.id)
            how[m.id] = method
    return sorted([sorted(g) for g in groups.values()] + singles), how


def _owner(
    m: FacilitatorRecord,
    owners: Sequence[str],
    markers: Mapping[str, set[str]],
    sizes: Mapping[str, int],
) -> tuple[str | None, str]:
    """The phone-group an alias-only mention belongs to, if one stands out."""
    if len(owners) == 1:
        return owners[0], "alias"
    support = sorted(((_support(m, o, markers, sizes), o) for o in owners), reverse=True)
    if support and support[0][0] > 0 and (len(support) == 1 or support[0][0] > support[1][0]):
        return support[0][1], "alias+context"
    return None, "alone"


def _support(
    m: FacilitatorRecord, owner: str, markers: Mapping[str, set[str]], sizes: Mapping[str, int]
) -> int:
    """How strongly the mention's record points at one phone-group (0: not at all).

    The group's own number written in the record is direct evidence. Route
    and amount are common on their own, so both must agree, and only with a
    group known from several records: an alias is not pinned on a number
    seen once.
    """
    shared = m.context & markers[owner]
    if any(x.startswith("phone:") for x in shared):
        return 10 + len(shared)
    if len(shared) >= 2 and sizes[owner] >= MIN_CONTEXT_GROUP:
        return len(shared)
    return 0
