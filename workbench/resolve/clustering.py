"""From scored pairs to entities, without chaining through weak links.

Taking connected components of "probably the same" links chains: A looks
like B, B looks like C, so A, B and C become one person even though A and C
plainly differ (two brothers with one spelling of the family name and the
same year of birth). This is constrained average-linkage agglomeration
(cf. Hassanzadeh et al. 2009, "Framework for evaluating clustering
algorithms in duplicate detection", PVLDB 2:1282): links are taken
strongest first, and two clusters join only when

- no pair across them is a clear non-match (weight below ``veto``),
- the average weight across them is above ``threshold``, and
- no constraint forbids it: an analyst's ``different`` decision, two
  different exclusive identifiers (valid V-numbers), or a shared ``group``.

Analysts' ``same`` decisions are applied first and override the
identifier constraint: a person may really hold two V-numbers.

>>> w = {("a", "b"): 8.0, ("b", "c"): 8.0, ("a", "c"): -12.0}
>>> sorted(map(sorted, agglomerate(["a", "b", "c"], w, weight=lambda x, y: w[(x, y)])))
[['a', 'b'], ['c']]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["Constraints", "agglomerate"]

Pair = tuple[str, str]


def pair(a: str, b: str) -> Pair:
    """The ordered key of a pair (self-pairs are an error).

    >>> pair("b", "a")
    ('a', 'b')
    """
    if a == b:
        raise ValueError(f"a record cannot be paired with itself: {a!r}")
    return (a, b) if a < b else (b, a)


@dataclass
class Constraints:
    """What decides merges besides the scores."""

    same: Iterable[Pair] = ()
    different: Iterable[Pair] = ()
    exclusive: Mapping[str, str] = field(default_factory=dict)  # id -> V-number
    group: Mapping[str, str] = field(default_factory=dict)  # id -> group that never merges


@dataclass
class _Cluster:
    members: list[str]
    exclusive: set[str]
    groups: set[str]


def agglomerate(
    ids: Sequence[str],
    links: Mapping[Pair, float],
    *,
    weight: Callable[[str, str], float],
    constraints: Constraints | None = None,
    threshold: float = 0.0,
    veto: float = -8.0,
) -> list[list[str]]:
    """Clusters of ``ids``; ``links`` are scored pairs, ``weight`` scores any other pair.

    Deterministic: ties are broken by the pair's ids.
    """
    cons = constraints or Constraints()
    different = {pair(*p) for p in cons.different}
    owner: dict[str, int] = {}
    clusters: dict[int, _Cluster] = {}
    for n, i in enumerate(ids):
        owner[i] = n
        v = cons.exclusive.get(i)
        g = cons.group.get(i)
        clusters[n] = _Cluster([i], {v} if v else set(), {g} if g else set())
    cache: dict[Pair, float] = dict(links)

    def w(a: str, b: str) -> float:
        key = pair(a, b)
        if key not in cache:
            cache[key] = weight(*key)
        return cache[key]

    def join(x: int, y: int) -> None:
        if len(clusters[x].members) < len(clusters[y].members):
            x, y = y, x
        big, small = clusters[x], clusters.pop(y)
        big.members.extend(small.members)
        big.exclusive |= small.exclusive
        big.groups |= small.groups
        for m in small.members:
            owner[m] = x

    for a, b in sorted(pair(*p) for p in cons.same):
        if a in owner and b in owner and owner[a] != owner[b]:
            join(owner[a], owner[b])

    for (a, b), _ in sorted(links.items(), key=lambda kv: (-kv[1], kv[0])):
        if links[(a, b)] < threshold:
            break
        x, y = owner[a], owner[b]
        if x == y:
            continue
        cx, cy = clusters[x], clusters[y]
        if cx.exclusive and cy.exclusive and not cx.exclusive & cy.exclusive:
            continue
        if cx.groups & cy.groups:
            continue
        if any(pair(p, q) in different for p in cx.members for q in cy.members):
            continue
        cross = [w(p, q) for p in cx.members for q in cy.members]
        if min(cross) < veto or sum(cross) / len(cross) < threshold:
            continue
        join(x, y)
    return [sorted(c.members) for c in clusters.values()]
