"""From scored pairs to entities, without chaining through weak links.

Taking connected components of "probably the same" links chains: A looks
like B, B looks like C, so A, B and C become one person even though A and C
plainly differ (two brothers with one spelling of the family name and the
same year of birth). This is constrained agglomeration (cf. Hassanzadeh
et al. 2009, "Framework for evaluating clustering algorithms in duplicate
detection", PVLDB 2:1282): links are taken strongest first, and two
clusters join only when

- no pair across them is a clear non-match (weight below ``veto``),
- their *linkage* is above the merge line: the mean, over the members of
  both, of each member's strongest link across (the modified Hausdorff
  distance of Dubuisson and Jain 1994, "A modified Hausdorff distance for
  object matching", ICPR, as a similarity) - or, for two groups holding the
  same V-number, the strongest link between its holders,
- no constraint forbids it: an analyst's ``different`` decision, two
  different exclusive identifiers (valid V-numbers) that are not one typo
  apart, or a shared ``group``, and
- the smaller is not as much like another group that could not be the same
  person (two namesakes with different V-numbers): then it joins neither.

Analysts' ``same`` decisions are applied first and override the
identifier constraint: a person may really hold two V-numbers.

>>> w = {("a", "b"): 8.0, ("b", "c"): 6.0, ("a", "c"): -12.0}
>>> sorted(map(sorted, agglomerate(["a", "b", "c"], w, weight=lambda x, y: w[(x, y)])))
[['a', 'b'], ['c']]
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import cast

import igraph as ig  # type: ignore[import-untyped]

__all__ = ["Constraints", "Lines", "agglomerate"]

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
    """What decides merges besides the scores.

    ``related`` tells whether two different exclusive identifiers may still
    be one (a V-number mistyped by one digit); unrelated ones never merge
    without an analyst's ``same`` decision.
    """

    same: Iterable[Pair] = ()
    different: Iterable[Pair] = ()
    exclusive: Mapping[str, str] = field(default_factory=dict)  # id -> V-number
    group: Mapping[str, str] = field(default_factory=dict)  # id -> group that never merges
    related: Callable[[str, str], bool] = lambda a, b: False


@dataclass(frozen=True)
class Lines:
    """The weights (log2 odds) that decide a merge (chosen in ``pipeline.Thresholds``).

    - ``merge``: the linkage of two groups (each member's strongest link across,
      averaged) must reach it;
    - ``veto``: no pair across them may fall below it;
    - ``alternatives``: a group joins another only when the odds that it
      belongs there *rather than to the other groups it links to that can
      never be the same person* reach this line (a mention known by a common
      name alone, equally like two namesakes, joins neither);
    - ``related``: the stricter linkage a merge across two related but
      different identifiers (one typo apart) must reach, and then only while
      the person holds at most ``max_identifiers`` of them;
    - ``move``: once the groups are final, a mention whose strongest link into
      another group beats its strongest into its own by this much moves there.
    """

    merge: float = 0.0
    veto: float = -8.0
    alternatives: float = 2.0
    related: float = 6.0
    max_identifiers: int = 2
    rival: float = -3.0
    move: float = 1.0


@dataclass
class _Cluster:
    key: int
    members: list[str]
    exclusive: set[str]
    groups: set[str]


def agglomerate(
    ids: Sequence[str],
    links: Mapping[Pair, float],
    *,
    weight: Callable[[str, str], float],
    constraints: Constraints | None = None,
    lines: Lines | None = None,
) -> list[list[str]]:
    """Clusters of ``ids``; ``links`` are scored pairs, ``weight`` scores any other pair.

    ``lines`` say where merges happen. Deterministic: ties are broken by the pair's ids.

    Each connected component of the links (and ``same`` decisions) is agglomerated on
    its own: no merge, linkage or rival reaches across components, so the clusters
    are those of one agglomeration over everything, in the same order. One over a
    million rows' 1.6M mentions did about five times the work of one over 312k but
    took eight times as long, its lookups missing the processor's caches in dicts
    of millions of entries (ADR 0002, eleventh round).
    """
    cons, lines = constraints or Constraints(), lines or Lines()
    different: dict[str, set[str]] = defaultdict(set)  # an analyst said: not one
    for a, b in cons.different:
        different[a].add(b)
        different[b].add(a)
    index = {i: n for n, i in enumerate(ids)}
    same = [p for p in cons.same if p[0] in index and p[1] in index]
    part_of = _components(len(ids), [(index[a], index[b]) for a, b in chain(links, same)])
    part_links: dict[int, dict[Pair, float]] = defaultdict(dict)
    for p, w in links.items():
        part_links[part_of[index[p[0]]]][p] = w
    part_same: dict[int, list[Pair]] = defaultdict(list)
    for p in same:
        part_same[part_of[index[p[0]]]].append(p)
    members: dict[int, list[int]] = defaultdict(list)
    for n, part in enumerate(part_of):
        members[part].append(n)
    out: list[tuple[int, list[str]]] = []
    for part, keys in members.items():
        if len(keys) == 1:
            out.append((keys[0], [ids[keys[0]]]))
            continue
        one = _Agglomeration(
            [(k, ids[k]) for k in keys], part_links[part], weight, cons, lines, different
        )
        out += one.run(part_same[part])
    return [m for _, m in sorted(out, key=lambda kept: kept[0])]


def _components(n: int, edges: list[tuple[int, int]]) -> list[int]:
    """The component of each of ``n`` nodes (igraph's connected components).

    >>> _components(5, [(0, 3), (3, 4)])
    [0, 1, 2, 0, 0]
    """
    return list(ig.Graph(n=n, edges=edges).connected_components().membership)


def _best_links(cross: Sequence[float], width: int) -> float:
    """The mean of each row's and each column's maximum of ``cross``, a matrix of
    weights stored row by row ``width`` wide: every member's strongest link across.

    >>> _best_links([8.0, -4.0, -4.0, -4.0], 2)  # a and c match; b and d are weak
    2.0
    >>> sum([8.0, -4.0, -4.0, -4.0]) / 4  # the average of every pair
    -1.0
    """
    rows = [max(cross[i : i + width]) for i in range(0, len(cross), width)]
    columns = [max(cross[j::width]) for j in range(width)]
    return (sum(rows) + sum(columns)) / (len(rows) + len(columns))


class _Agglomeration:
    """One component's agglomeration; its clusters keep the keys (positions) of ``ids``."""

    def __init__(
        self,
        ids: Sequence[tuple[int, str]],
        links: Mapping[Pair, float],
        weight: Callable[[str, str], float],
        cons: Constraints,
        lines: Lines,
        different: Mapping[str, set[str]],
    ) -> None:
        self.links, self.weight, self.cons, self.lines = links, weight, cons, lines
        self.different = different
        # Linkages of two clusters, by their keys and sizes (a cluster only grows).
        self.linkages: dict[tuple[int, int, int, int], float | None] = {}
        self.owner: dict[str, int] = {}
        self.clusters: dict[int, _Cluster] = {}
        self.keys = {i: n for n, i in ids}
        for n, i in ids:
            self.owner[i] = n
            v, g = cons.exclusive.get(i), cons.group.get(i)
            self.clusters[n] = _Cluster(n, [i], {v} if v else set(), {g} if g else set())
        self.cache: dict[Pair, float] = dict(links)
        self.near: dict[str, list[str]] = defaultdict(list)  # linked at or above the rival line
        for (a, b), w in links.items():
            if w >= lines.rival:
                self.near[a].append(b)
                self.near[b].append(a)

    def join(self, x: int, y: int) -> None:
        if len(self.clusters[x].members) < len(self.clusters[y].members):
            x, y = y, x
        big, small = self.clusters[x], self.clusters.pop(y)
        big.members.extend(small.members)
        big.exclusive |= small.exclusive
        big.groups |= small.groups
        for m in small.members:
            self.owner[m] = x

    def line(self, cx: _Cluster, cy: _Cluster) -> float | None:
        """The linkage the two must reach to merge, or None when a constraint forbids it."""
        if not cx.groups.isdisjoint(cy.groups):
            return None
        if self.different and any(
            self.different[p] & set(cy.members) for p in cx.members if p in self.different
        ):
            return None
        if not (cx.exclusive and cy.exclusive) or not cx.exclusive.isdisjoint(cy.exclusive):
            return self.lines.merge
        both = cx.exclusive | cy.exclusive
        related = all(self.cons.related(p, q) for p in cx.exclusive for q in cy.exclusive)
        if related and len(both) <= self.lines.max_identifiers:
            return max(self.lines.related, self.lines.merge)
        return None

    def linkage(self, cx: _Cluster, cy: _Cluster) -> float | None:
        """Each member's strongest link across, averaged over both clusters; None when
        one pair across is below the veto.

        Not the average of every pair across: a person's records differ in what
        they hold, and a record without a birth date matches a dated record of
        its person weakly though it matches another undated one well. Averaging
        every pair held such groups apart below the line; each member's best
        counterpart is what says it belongs (ADR 0002, fourteenth round).
        """
        key = (cx.key, cy.key, len(cx.members), len(cy.members))
        if key not in self.linkages:
            # The pairs across from the cache in one comprehension, not a call each:
            # namesake groups grow with the population (clustering grew 7x for 4x the
            # data, ADR 0002); a pair not seen yet is scored by ``weight``.
            cache, them = self.cache, cy.members
            found = [cache.get((p, q) if p < q else (q, p)) for p in cx.members for q in them]
            if None in found:
                for i, w in enumerate(found):
                    if w is None:
                        ends = pair(cx.members[i // len(them)], them[i % len(them)])
                        found[i] = cache[ends] = self.weight(*ends)
            cross = cast(list[float], found)
            self.linkages[key] = (
                None if min(cross) < self.lines.veto else _best_links(cross, len(them))
            )
        return self.linkages[key]

    def mergeable(self, cx: _Cluster, cy: _Cluster) -> float | None:
        """The linkage of the two if they may merge, else None.

        Two groups holding one V-number are one person by the chain's own
        identifier: the strongest link between the records that carry it
        stands for their linkage when it is the higher. A record with the
        V-number and little else (an IND decision without a birth date) is
        otherwise held apart by the group's undated, unnumbered records, each
        of which matches it only by name.
        """
        line = self.line(cx, cy)
        if line is None:
            return None
        linked = self.linkage(cx, cy)
        if linked is None:
            return None
        if linked < line and not cx.exclusive.isdisjoint(cy.exclusive):
            linked = max(linked, self._identified(cx, cy))
        return linked if linked >= line else None

    def _identified(self, cx: _Cluster, cy: _Cluster) -> float:
        """The strongest link between a record of ``cx`` and one of ``cy`` with its V-number."""
        exclusive, best = self.cons.exclusive, -math.inf
        for a in cx.members:
            v = exclusive.get(a)
            if v in cy.exclusive:
                best = max(best, self._best(a, [b for b in cy.members if exclusive.get(b) == v]))
        return best

    def odds_against_alternatives(self, small: int, target: int, linked: float) -> float:
        """log2 odds that ``small`` belongs with ``target`` rather than with a rival group.

        Rivals are other groups ``small`` links to at the merge line that
        can never be one person with ``target`` (another V-number, a clear
        non-match, an analyst's ``different``): the odds are the target's
        weight against the rivals' together, as between two namesakes.
        Without a rival, infinite (the merge line alone decides).
        """
        rivals = {self.owner[o] for m in self.clusters[small].members for o in self.near[m]}
        rivals -= {small, target}
        mass = 0.0
        for z in sorted(rivals):
            cz, ct = self.clusters[z], self.clusters[target]
            theirs = self.linkage(self.clusters[small], cz)
            if theirs is None or self.line(cz, self.clusters[small]) is None:
                continue
            if self.line(cz, ct) is None or self.linkage(cz, ct) is None:
                mass += 2.0 ** max(min(theirs, 60.0), -60.0)
        return linked - math.log2(mass) if mass else math.inf

    def run(self, same: Iterable[Pair]) -> list[tuple[int, list[str]]]:
        """The clusters, each with its key; analysts' ``same`` decisions joined first."""
        for a, b in sorted(pair(*p) for p in same):
            if a in self.owner and b in self.owner and self.owner[a] != self.owner[b]:
                self.join(self.owner[a], self.owner[b])
        strong = [(p, w) for p, w in self.links.items() if w >= self.lines.merge]
        todo = [p for p, _ in sorted(strong, key=lambda kv: (-kv[1], kv[0]))]
        # A group left alone for a rival may be free to join once the rival has
        # merged into its target: passes repeat until nothing changes.
        while todo:
            waiting = [p for p in todo if self.attempt(*p) == "waiting"]
            if len(waiting) == len(todo):
                break
            todo = waiting
        decided = {m for p in same for m in p}
        for m in self.ambiguous(decided):
            self.detach(m)
        self.reassign(decided)
        return [(key, sorted(c.members)) for key, c in self.clusters.items()]

    def reassign(self, decided: Collection[str]) -> None:
        """Move each mention that links far more strongly into another group than into its own.

        Groups join strongest link first, on an average: a mention can be taken
        early by a namesake's group while its own person's records gather in a
        group it links to far more strongly. Such a mention - without a V-number
        (one that has one is anchored by it) and not in an analyst's decision -
        moves when its strongest link into the other group beats its strongest
        into its own by ``move`` bits, and it may join that group as any merge
        may (no constraint, no veto, linkage at the merge line). One pass in key
        order, inside one component: an incremental run equals a full one. The
        local-search step of clustering aggregation (Gionis, Mannila and
        Tsaparas 2007, "Clustering aggregation", ACM TKDD 1:4), on our links.
        """
        for c in sorted(self.clusters.values(), key=lambda c: c.key):
            for m in list(c.members):
                home = self.clusters[self.owner[m]]
                if len(home.members) < 2 or m in decided:
                    continue
                if self.cons.exclusive.get(m) or not self.near[m]:
                    continue
                own = self._best(m, [o for o in home.members if o != m])
                best: tuple[float, int] | None = None
                for z in sorted({self.owner[o] for o in self.near[m]} - {home.key}):
                    w = self._best(m, self.clusters[z].members)
                    if w >= own + self.lines.move and (best is None or w > best[0]):
                        best = (w, z)
                if best is not None and self._may_join(m, self.clusters[best[1]]):
                    self.detach(m)
                    self.join(best[1], self.owner[m])

    def _may_join(self, m: str, target: _Cluster) -> bool:
        """Whether the mention ``m`` alone could merge into ``target``."""
        g = self.cons.group.get(m)
        if self.line(target, _Cluster(-1, [m], set(), {g} if g else set())) is None:
            return False
        cross = [self._best(m, [o]) for o in target.members]
        return min(cross) >= self.lines.veto and (
            _best_links(cross, len(target.members)) >= self.lines.merge
        )

    def ambiguous(self, decided: Collection[str]) -> list[str]:
        """Members without a V-number that a namesake with another V-number claims as well.

        Merges happen strongest first, and a group's V-number may arrive after
        a lone mention joined it; so once the clusters are final, each such
        mention is weighed again against the groups it links to that can
        never be its own (another V-number): its strongest link into its
        group must beat their strongest links together by ``alternatives``,
        or it stands alone (ADR 0002, thirteenth round). Strongest links, not
        averages: a mention matches the record of its group that holds its
        details best. Mentions in analysts' ``same`` decisions stay.
        """
        out = []
        for c in sorted(self.clusters.values(), key=lambda c: c.key):
            if not c.exclusive or len(c.members) < 2:
                continue
            for m in c.members:
                if m in decided or self.cons.exclusive.get(m) or not self.near[m]:
                    continue
                rivals = {self.owner[o] for o in self.near[m]} - {c.key}
                mass = 0.0
                for z in sorted(rivals):
                    cz = self.clusters[z]
                    if self.line(cz, c) is None:  # can never be one person with c
                        mass += 2.0 ** max(min(self._best(m, cz.members), 60.0), -60.0)
                if not mass:
                    continue
                rest = [o for o in c.members if o != m]
                if self._best(m, rest) - math.log2(mass) < self.lines.alternatives:
                    out.append(m)
        return out

    def _best(self, m: str, others: Sequence[str]) -> float:
        """``m``'s strongest weight to any of ``others`` (a pair not seen yet is scored)."""
        best = -math.inf
        for o in others:
            ends = pair(m, o)
            if ends not in self.cache:
                self.cache[ends] = self.weight(*ends)
            best = max(best, self.cache[ends])
        return best

    def detach(self, m: str) -> None:
        """``m`` leaves its cluster and stands alone, under a key of its own."""
        c = self.clusters[self.owner[m]]
        c.members.remove(m)
        g = self.cons.group.get(m)
        if g is not None and all(self.cons.group.get(o) != g for o in c.members):
            c.groups.discard(g)
        key = self.keys[m]
        if c.key == key:  # the cluster goes on under the first key of those left
            del self.clusters[key]
            c.key = min(self.keys[o] for o in c.members)
            self.clusters[c.key] = c
            for o in c.members:
                self.owner[o] = c.key
        self.clusters[key] = _Cluster(key, [m], set(), {g} if g else set())
        self.owner[m] = key

    def attempt(self, a: str, b: str) -> str:
        """Merge the groups of ``a`` and ``b`` if allowed: "joined", "refused" or "waiting"."""
        x, y = self.owner[a], self.owner[b]
        if x == y:
            return "joined"
        linked = self.mergeable(self.clusters[x], self.clusters[y])
        if linked is None:
            return "refused"
        if len(self.clusters[x].members) < len(self.clusters[y].members):
            x, y = y, x
        if self.odds_against_alternatives(y, x, linked) < self.lines.alternatives:
            return "waiting"
        self.join(x, y)
        return "joined"
