"""Lineage between consecutive runs, and the alerts it raises.

Clusters have no identity of their own from run to run: a cluster of this
run *continues* one of the previous run when they share members. The
relation is read from two shares of the overlap - how much of the old
cluster went into the new one, how much of the new one came from the old:

- ``merged``: the majority of two or more previous clusters is now in this one;
- ``split``: this one came mostly from a previous cluster that also gave
  most of another new cluster;
- ``same`` / ``grown`` / ``shrunk``: one predecessor (best Jaccard), members
  identical, more, or fewer;
- ``new``: no predecessor. A previous cluster no new cluster continues is
  ``dissolved``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

__all__ = [
    "Alert",
    "Continuation",
    "Lineage",
    "Snapshot",
    "alerts",
    "jaccard",
    "match",
    "summary",
]


@dataclass(frozen=True)
class Continuation:
    """This run's cluster ``current`` continues ``previous`` (one LINEAGE edge)."""

    current: str
    previous: str
    relation: str
    jaccard: float


@dataclass(frozen=True)
class Lineage:
    """Per current cluster its relation and edges; the previous clusters that dissolved."""

    relation: dict[str, str]
    edges: list[Continuation]
    dissolved: list[str]

    @cached_property
    def _previous_of(self) -> dict[str, list[str]]:
        """Each current cluster's predecessors, indexed once (a scan per cluster was quadratic)."""
        out: dict[str, list[str]] = defaultdict(list)
        for e in self.edges:
            out[e.current].append(e.previous)
        return dict(out)

    def predecessors(self, current: str) -> list[str]:
        return list(self._previous_of.get(current, ()))

    def renamed(self, ids: Mapping[str, str]) -> Lineage:
        """The same lineage with this run's clusters under other ids (``ids[old]``)."""
        return Lineage(
            {ids[k]: v for k, v in self.relation.items()},
            [Continuation(ids[e.current], e.previous, e.relation, e.jaccard) for e in self.edges],
            self.dissolved,
        )


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a & b| / |a | b|.

    >>> jaccard(frozenset("abc"), frozenset("bcd"))
    0.5
    """
    union = len(a | b)
    return len(a & b) / union if union else 1.0


def match(
    previous: Mapping[str, frozenset[str]],
    current: Mapping[str, frozenset[str]],
    *,
    share: float = 0.5,
) -> Lineage:
    """Match this run's clusters to the previous run's by member overlap.

    Parameters
    ----------
    previous, current : mapping of cluster id to its members
    share : float
        The part of a cluster that counts as "most of it".

    Examples
    --------
    >>> prev = {"p1": frozenset("abcd"), "p2": frozenset("efgh"), "p3": frozenset("ijkl")}
    >>> cur = {"c1": frozenset("abcdx"), "c2": frozenset("efghijkl"), "c3": frozenset("mno")}
    >>> lin = match(prev, cur)
    >>> lin.relation
    {'c1': 'grown', 'c2': 'merged', 'c3': 'new'}
    >>> match(cur, prev).relation
    {'p1': 'shrunk', 'p2': 'split', 'p3': 'split'}
    """
    member_of: dict[str, list[str]] = {}
    for pid, members in previous.items():
        for m in members:
            member_of.setdefault(m, []).append(pid)
    overlap: dict[str, dict[str, int]] = {}
    for cid, members in current.items():
        counts: dict[str, int] = {}
        for m in members:
            for pid in member_of.get(m, ()):
                counts[pid] = counts.get(pid, 0) + 1
        overlap[cid] = counts
    # how much of each previous cluster went into each current one ("fwd"), and back
    fwd = {cid: {p: k / len(previous[p]) for p, k in o.items()} for cid, o in overlap.items()}
    back = {cid: {p: k / len(current[cid]) for p, k in o.items()} for cid, o in overlap.items()}
    children: dict[str, list[str]] = {}
    for cid, shares in back.items():
        for pid, b in shares.items():
            if b >= share and overlap[cid][pid] >= 2:
                children.setdefault(pid, []).append(cid)
    relation: dict[str, str] = {}
    edges: list[Continuation] = []
    for cid in sorted(current):
        sources = sorted(p for p, f in fwd[cid].items() if f >= share)
        parents = sorted(p for p, b in back[cid].items() if b >= share)
        split_from = [p for p in parents if len(children.get(p, ())) >= 2]
        if len(sources) >= 2:
            rel, linked = "merged", sources
        elif split_from:
            rel, linked = "split", split_from
        elif sources or parents:
            best = max({*sources, *parents}, key=lambda p: (jaccard(previous[p], current[cid]), p))
            rel, linked = _change(previous[best], current[cid]), [best]
        else:
            rel, linked = "new", []
        relation[cid] = rel
        edges += [
            Continuation(cid, p, rel, round(jaccard(previous[p], current[cid]), 4)) for p in linked
        ]
    continued = {e.previous for e in edges}
    return Lineage(relation, edges, sorted(p for p in previous if p not in continued))


def _change(old: frozenset[str], new: frozenset[str]) -> str:
    if old == new:
        return "same"
    return "grown" if len(new) >= len(old) and new - old else "shrunk"


@dataclass(frozen=True)
class Snapshot:
    """What alerts compare of a cluster between runs."""

    members: frozenset[str]
    score: float
    hard_signals: int
    organisations: int


@dataclass(frozen=True)
class Alert:
    """A material change worth an analyst's look."""

    cluster: str
    kind: str  # new_high_score, grew, hard_signal, second_organisation
    message: str


def alerts(
    lineage: Lineage,
    current: Mapping[str, Snapshot],
    previous: Mapping[str, Snapshot],
    *,
    min_score: float = 15.0,
    names: Mapping[str, str] | None = None,
) -> list[Alert]:
    """Alerts for clusters scoring at least ``min_score``: new, grown, a first or
    further hard signal, a second (or further) organisation.

    A cluster is compared with its predecessors taken together (a merged
    cluster with the union of those it merged), so unchanged data raises
    nothing.

    >>> lin = match({"p": frozenset("abc")}, {"c": frozenset("abcd")})
    >>> now = {"c": Snapshot(frozenset("abcd"), 20.0, 2, 2)}
    >>> before = {"p": Snapshot(frozenset("abc"), 18.0, 1, 1)}
    >>> [a.kind for a in alerts(lin, now, before)]
    ['grew', 'hard_signal', 'second_organisation']
    """
    out: list[Alert] = []
    for cid in sorted(current):
        snap = current[cid]
        if snap.score < min_score:
            continue
        name = (names or {}).get(cid, cid)
        preds = [previous[p] for p in lineage.predecessors(cid) if p in previous]
        if not preds:
            out.append(Alert(cid, "new_high_score", f"new cluster {name} scores {snap.score:.1f}"))
            continue
        before = frozenset().union(*(p.members for p in preds))
        gained = len(snap.members - before)
        hard = max(p.hard_signals for p in preds)
        orgs = max(p.organisations for p in preds)
        changes = (
            (gained > 0, "grew", f"grew by {gained} members to {len(snap.members)}"),
            (snap.hard_signals > hard, "hard_signal",
             f"gained {snap.hard_signals - hard} hard signal(s)"),
            (snap.organisations > orgs, "second_organisation",
             f"now rests on signals of {snap.organisations} organisations (was {orgs})"),
        )  # fmt: skip
        out += [
            Alert(cid, kind, f"cluster {name} {what}") for changed, kind, what in changes if changed
        ]
    return out


def summary(lineage: Lineage) -> dict[str, int]:
    """How many clusters had each relation, and how many dissolved."""
    out: dict[str, int] = {}
    for rel in lineage.relation.values():
        out[rel] = out.get(rel, 0) + 1
    out["dissolved"] = len(lineage.dissolved)
    return dict(sorted(out.items()))
