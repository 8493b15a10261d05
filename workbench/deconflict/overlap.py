"""Where two cases meet: pure functions from what each case reaches to notices.

A case *reaches* subjects: resolved persons and facilitators, identifiers
(phones, documents, devices, plates) and clusters of the latest detection
run. Each subject comes with the entities of the case that lead to it (a
cluster: the case's persons in it; an identifier: the case's persons who
carry it; an entity: itself), so that an overlap can be told at its most
specific: two cases sharing a person need one notice about that person, not
also about its cluster and its phone.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations

Reach = Mapping[str, frozenset[str]]  # subject id -> the case's entities leading to it
ENTITY_LABELS = ("Person:", "FacilitatorEntity:")


def is_entity(subject: str) -> bool:
    return subject.startswith(ENTITY_LABELS)


def meeting(a: Reach, b: Reach) -> list[str]:
    """The subjects both cases reach, at their most specific: a cluster or identifier is
    left out when an entity both reach leads to it on either side.

    >>> a = {"Person:1": frozenset({"Person:1"}), "Cluster:R|1": frozenset({"Person:1"}),
    ...      "Phone:+31": frozenset({"Person:1"})}
    >>> b = {"Person:1": frozenset({"Person:1"}), "Cluster:R|1": frozenset({"Person:2"}),
    ...      "Phone:+31": frozenset({"Person:1"})}
    >>> meeting(a, b)
    ['Person:1']
    >>> meeting({"Cluster:R|1": frozenset({"Person:1"})}, {"Cluster:R|1": frozenset({"Person:2"})})
    ['Cluster:R|1']
    """
    common = set(a) & set(b)
    entities = {s for s in common if is_entity(s)}
    return sorted(s for s in common if is_entity(s) or not ((a[s] | b[s]) & entities))


def notices(reach: Mapping[str, Reach], leads: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(case, other case, subject) for every pair of cases of different leads that meet,
    one row for each side.

    >>> notices({"A": {"Person:1": frozenset({"Person:1"})},
    ...          "B": {"Person:1": frozenset({"Person:1"})},
    ...          "C": {"Person:1": frozenset({"Person:1"})}},
    ...         {"A": "ann", "B": "bob", "C": "ann"})  # A and C: one lead, one team
    [('A', 'B', 'Person:1'), ('B', 'A', 'Person:1'), ('B', 'C', 'Person:1'), ('C', 'B', 'Person:1')]
    """
    out = []
    for x, y in combinations(sorted(reach), 2):
        if leads[x] == leads[y]:
            continue
        for subject in meeting(reach[x], reach[y]):
            out += [(x, y, subject), (y, x, subject)]
    return out
