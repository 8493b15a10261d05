"""Analysts' verdicts on clusters: recorded, superseded, revoked, and carried along lineage.

A verdict (``confirmed``, ``partly``, ``benign``, ``unclear``) is a
``Verdict`` node with a ``JUDGES`` edge to the cluster it is about. As with
match decisions (nomenklatura's judgements), each cluster has at most one
*live* verdict: a new one soft-deletes the old one (``deleted_at``), and a
revocation soft-deletes it with no successor, so the history survives.

Clusters have no identity across runs, so a verdict *follows lineage*: a
cluster of a later run that continues a judged cluster ``same`` or ``grown``
carries its verdict, marked inherited; a ``split``, ``merged`` or ``shrunk``
one lists its ancestors' verdicts for the analyst to confirm
(:func:`verdict_for`, pure). :func:`verdicts_for` reads what that needs from
the store for the query layer, which applies the viewer's policy.

Writing functions take an audit sink of the query layer's shape
``(action, details)`` and call it once the write succeeded.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, cast

from graph_schema import enums
from workbench.store import GraphStore, Node
from workbench.store.base import Writer

__all__ = [
    "INHERITED_VIA",
    "Verdict",
    "VerdictError",
    "VerdictView",
    "live_verdicts",
    "record_verdict",
    "revoke_verdict",
    "verdict_for",
    "verdicts_for",
]

AuditFn = Callable[[str, dict[str, Any]], None]
VerdictValue = Literal["confirmed", "partly", "benign", "unclear"]
INHERITED_VIA = frozenset({"same", "grown"})  # a continuation that carries a verdict as it is


class VerdictError(ValueError):
    """A verdict cannot be recorded or revoked; the message says what to change."""


@dataclass(frozen=True)
class Verdict:
    """One analyst's verdict on one cluster of one run."""

    verdict_id: str
    cluster_id: str
    run_id: str
    verdict: str
    reason: str
    author: str
    organisation: str
    created_at: dt.datetime
    members: tuple[str, ...] = ()
    not_members: tuple[str, ...] = ()

    @classmethod
    def from_node(cls, node: Node) -> Verdict:
        p = node.props
        lists: dict[str, Any] = {k: tuple(p.get(k) or ()) for k in ("members", "not_members")}
        return cls(**{f.name: p[f.name] for f in fields(cls) if f.name not in lists} | lists)

    def to_dict(self) -> dict[str, Any]:
        """The verdict as ``clusters --json`` shows it (``cluster`` is the cluster judged)."""
        row = {**_row(self), "created_at": self.created_at.isoformat()}
        return {"id": f"Verdict:{self.verdict_id}", "cluster": row.pop("cluster_id"), **row}


@dataclass(frozen=True)
class VerdictView:
    """What an analyst sees of a cluster's verdict: its own, inherited, or ancestors' to confirm.

    ``inherited`` is true when ``verdict`` was given on an earlier cluster
    that this one continues ``same`` or ``grown`` (``verdict.cluster_id``
    says which); ``to_confirm`` lists the verdicts of the clusters this one
    was split from, merged from or shrank from.
    """

    cluster_id: str
    verdict: Verdict | None = None
    inherited: bool = False
    to_confirm: tuple[Verdict, ...] = field(default=())

    def to_dict(self) -> dict[str, Any] | None:
        """The ``"verdict"`` of ``clusters --json``: None when there is nothing to show."""
        if self.verdict is None and not self.to_confirm:
            return None
        out: dict[str, Any] = dict(self.verdict.to_dict()) if self.verdict else {"verdict": None}
        out["inherited"] = self.inherited
        out["to_confirm"] = [v.to_dict() for v in self.to_confirm]
        return out


# -- pure --------------------------------------------------------------------------------


def verdict_for(
    cluster_id: str,
    *,
    own: Mapping[str, Verdict],
    lineage: Mapping[str, Sequence[tuple[str, str]]],
) -> VerdictView:
    """The verdict a cluster shows, following lineage back through earlier runs.

    Parameters
    ----------
    cluster_id : str
    own : mapping
        Live verdicts by the cluster they were given on.
    lineage : mapping
        Per cluster, its ``LINEAGE`` edges as ``(previous cluster, relation)``.

    Examples
    --------
    >>> v = Verdict("v1", "Cluster:R1|3", "R1", "benign", "support line", "ann", "coa",
    ...             dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    >>> lin = {"Cluster:R2|3": [("Cluster:R1|3", "same")],
    ...        "Cluster:R3|1": [("Cluster:R2|3", "grown")],
    ...        "Cluster:R3|2": [("Cluster:R2|3", "split")]}
    >>> seen = verdict_for("Cluster:R3|1", own={v.cluster_id: v}, lineage=lin)
    >>> seen.verdict.verdict, seen.inherited
    ('benign', True)
    >>> [t.cluster_id for t in verdict_for("Cluster:R3|2", own={v.cluster_id: v},
    ...                                    lineage=lin).to_confirm]
    ['Cluster:R1|3']
    """
    if cluster_id in own:
        return VerdictView(cluster_id, own[cluster_id])
    edges = lineage.get(cluster_id, ())
    if len(edges) == 1 and edges[0][1] in INHERITED_VIA:
        found = _carried(edges[0][0], own, lineage)
        return VerdictView(cluster_id, found, inherited=found is not None)
    confirm = [v for previous, _ in edges if (v := _carried(previous, own, lineage)) is not None]
    return VerdictView(cluster_id, to_confirm=tuple(dict.fromkeys(confirm)))


def _carried(
    cluster_id: str, own: Mapping[str, Verdict], lineage: Mapping[str, Sequence[tuple[str, str]]]
) -> Verdict | None:
    """The verdict ``cluster_id`` holds or carries (iterative: lineage can be long)."""
    seen: set[str] = set()
    while cluster_id not in seen:
        seen.add(cluster_id)
        if cluster_id in own:
            return own[cluster_id]
        edges = lineage.get(cluster_id, ())
        if len(edges) != 1 or edges[0][1] not in INHERITED_VIA:
            return None
        cluster_id = edges[0][0]
    return None


# -- reading -----------------------------------------------------------------------------


def live_verdicts(
    store: GraphStore, cluster_ids: Sequence[str] | None = None
) -> dict[str, Verdict]:
    """Live verdicts by cluster (all, or those on ``cluster_ids``); unrestricted, for computing."""
    if cluster_ids is not None and not cluster_ids:
        return {}
    found = store.find_nodes("Verdict") if cluster_ids is None else _on(store, cluster_ids)
    live = (Verdict.from_node(n) for n in found if n.props.get("deleted_at") is None)
    return {v.cluster_id: v for v in sorted(live, key=lambda v: v.created_at)}


def _on(store: GraphStore, cluster_ids: Sequence[str]) -> list[Node]:
    edges = store.find_edges("JUDGES", dst=list(cluster_ids))
    return list(store.get_nodes(sorted({e.src for e in edges})).values())


def lineage_back(
    store: GraphStore, cluster_ids: Iterable[str], *, stop: Iterable[str] = ()
) -> dict[str, list[tuple[str, str]]]:
    """``LINEAGE`` edges from ``cluster_ids`` back through earlier runs.

    One read per earlier run; the walk stops at clusters in ``stop`` (those
    holding a verdict) and at clusters with no predecessor.
    """
    out: dict[str, list[tuple[str, str]]] = {}
    done = set(stop)
    frontier = sorted(set(cluster_ids) - done)
    while frontier:
        done |= set(frontier)
        for e in store.find_edges("LINEAGE", src=frontier):
            out.setdefault(e.src, []).append((e.dst, str(e.props["relation"])))
        frontier = sorted({p for es in out.values() for p, _ in es} - done)
    return out


def verdicts_for(store: GraphStore, cluster_ids: Sequence[str]) -> dict[str, VerdictView]:
    """Each cluster's verdict view (own, inherited or to confirm), read unrestricted.

    For the query layer, which must pass the verdicts it shows through the
    viewer's policy (a ``Verdict`` node follows its cluster).
    """
    with store.reader():
        own = live_verdicts(store)
        lineage = lineage_back(store, cluster_ids, stop=own)
    return {c: verdict_for(c, own=own, lineage=lineage) for c in cluster_ids}


# -- writing -----------------------------------------------------------------------------


def _cluster(store: GraphStore, cluster_id: str) -> tuple[Node, set[str]]:
    if not cluster_id.startswith("Cluster:"):
        raise VerdictError(f"{cluster_id!r} is not a cluster id (Cluster:RUN|NUMBER)")
    with store.reader():
        node = store.get_nodes([cluster_id]).get(cluster_id)
        members = {e.src for e in store.find_edges("MEMBER_OF", dst=[cluster_id])}
    if node is None:
        raise VerdictError(f"no cluster {cluster_id!r}; list them with `workbench clusters`")
    return node, members


def record_verdict(
    store: GraphStore,
    cluster_id: str,
    verdict: str,
    *,
    reason: str,
    author: str,
    organisation: str,
    members: Sequence[str] = (),
    not_members: Sequence[str] = (),
    now: dt.datetime | None = None,
    audit: AuditFn | None = None,
) -> Verdict:
    """Record a verdict on a cluster; the live one for that cluster is superseded.

    The caller checks that the author may see the cluster (the query layer's
    ``visibility.node``). Members named must be members of the cluster.
    """
    if verdict not in enums.values("verdict"):
        raise VerdictError(
            f"verdict must be one of {', '.join(enums.values('verdict'))}, not {verdict!r}"
        )
    if not reason.strip():
        raise VerdictError("a verdict needs a reason (--reason): say what you checked")
    node, belong = _cluster(store, cluster_id)
    strangers = sorted((set(members) | set(not_members)) - belong)
    if strangers:
        raise VerdictError(f"not members of {cluster_id}: {', '.join(strangers)}")
    both = sorted(set(members) & set(not_members))
    if both:
        raise VerdictError(f"named as member and as not a member: {', '.join(both)}")
    now = now or dt.datetime.now(dt.UTC)
    made = Verdict(
        verdict_id=uuid.uuid4().hex,
        cluster_id=cluster_id,
        run_id=str(node.props["run_id"]),
        verdict=cast(VerdictValue, verdict),
        reason=reason.strip(),
        author=author,
        organisation=organisation,
        created_at=now,
        members=tuple(sorted(set(members))),
        not_members=tuple(sorted(set(not_members))),
    )
    with store.writer() as w:
        superseded = _supersede(
            store, w, cluster_id, now, author, f"superseded by {made.verdict_id}"
        )
        w.upsert_nodes("Verdict", [_row(made)])
        w.upsert_edges("JUDGES", [{"src": f"Verdict:{made.verdict_id}", "dst": cluster_id}])
    if audit is not None:
        audit(
            "verdict",
            {"cluster": cluster_id, "verdict": verdict, "reason": made.reason,
             "members": list(made.members), "not_members": list(made.not_members),
             "supersedes": superseded},
        )  # fmt: skip
    return made


def revoke_verdict(
    store: GraphStore,
    cluster_id: str,
    *,
    reason: str,
    author: str,
    now: dt.datetime | None = None,
    audit: AuditFn | None = None,
) -> list[str]:
    """Withdraw a cluster's live verdict (kept, soft-deleted); the ids withdrawn."""
    if not reason.strip():
        raise VerdictError("revoking a verdict needs a reason (--reason)")
    _cluster(store, cluster_id)
    now = now or dt.datetime.now(dt.UTC)
    with store.writer() as w:
        revoked = _supersede(store, w, cluster_id, now, author, reason.strip())
    if not revoked:
        raise VerdictError(f"{cluster_id} has no verdict of its own to revoke")
    if audit is not None:
        audit("verdict", {"cluster": cluster_id, "revoked": revoked, "reason": reason.strip()})
    return revoked


def _supersede(
    store: GraphStore, w: Writer, cluster_id: str, now: dt.datetime, author: str, why: str
) -> list[str]:
    """Soft-delete the cluster's live verdicts (inside the caller's writer)."""
    live = [n for n in _on(store, [cluster_id]) if n.props.get("deleted_at") is None]
    w.upsert_nodes(
        "Verdict",
        [
            {
                **_row(Verdict.from_node(n)),
                "deleted_at": now,
                "deleted_by": author,
                "deleted_reason": why,
            }
            for n in live
        ],
    )
    return [n.id for n in live]


def _row(v: Verdict) -> dict[str, Any]:
    """The stored properties of a verdict (lists for the ``strings`` columns)."""
    return {**asdict(v), "members": list(v.members), "not_members": list(v.not_members)}
