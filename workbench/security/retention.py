"""Retention: a date per signal, a dry-run plan and a purge that leaves no trace.

A signal's retention date is its date plus the years of the first rule of
``retention.yaml`` that matches its legal regime and theme (packaged
default, replaced by ``$WORKBENCH_HOME/retention.yaml``), unless the signal
carries its own ``retention_until`` (set by :func:`extend_retention`,
audited). A signal expires the day after that date.

:func:`purge` removes, in one write transaction:

- the expired signals and every evidence node and edge that only they
  assert (``GraphStore.retract_signals``, which also drops them from the
  text index); nodes and edges other signals still assert stay, minus the
  purged ids in their ``signals``;
- resolved persons and facilitators left without mentions; the others get
  their values recomputed from the mentions that remain;
- match decisions about a purged mention;
- every cluster with a member that lost a mention (its score and
  explanation were computed from the purged evidence; the next detection run
  rebuilds it), the alerts about those clusters, and annotations about only
  purged things (notes on surviving things that lost evidence are listed in
  ``annotations_to_review``: they are people's words and may quote what went).

It then forgets the purged signals' releases and writes one ``purge``
audit event listing them. The audit log keeps the purged ids (that is its
job); nothing else does.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.security.errors import ConfigError, InvalidRequest, NotFound, ReasonRequired
from workbench.security.identity import derive_entity
from workbench.security.manage import own_organisation
from workbench.security.policy import forget_signals
from workbench.security.roles import require
from workbench.security.rules import Match, load_rules
from workbench.security.session import SecurityContext
from workbench.security.sharing import Access
from workbench.store import GraphStore, Node
from workbench.store.base import Retraction

FILE = "retention.yaml"
FACTS = ("source", "kind", "theme", "legal_regime", "date", "retention_until")
ENTITY_OF = {"PersonMention": "Person", "FacilitatorMention": "FacilitatorEntity"}


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved ``years`` on; 29 February becomes 28 February in other years.

    >>> add_years(dt.date(2016, 2, 29), 5)
    datetime.date(2021, 2, 28)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _years(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"{where}: years must be a whole number >= 0")
    return value


@dataclass(frozen=True)
class RetentionTable:
    """First-match rules of (regime, theme, ...) -> years after the signal's date."""

    rules: tuple[tuple[Match, int], ...]
    default_years: int
    source: str = "<built in>"

    @classmethod
    def load(cls, home: Path | None) -> RetentionTable:
        rules, data, path = load_rules(FILE, home, "years", _years)
        return cls(rules, _years(data.get("default_years"), f"{path} default_years"), str(path))

    def until(self, signal: Mapping[str, Any]) -> dt.date:
        """The last day ``signal`` (a Signal node's properties) may be kept.

        >>> table = RetentionTable.load(None)
        >>> table.until({"date": dt.date(2015, 9, 14), "legal_regime": "wpg", "kind": "hard",
        ...              "theme": "mensensmokkel", "source": "kmar"})
        datetime.date(2020, 9, 14)
        """
        own = signal.get("retention_until")
        if isinstance(own, dt.date):
            return own
        facts = {
            "owner": signal.get("source"),
            "kind": signal.get("kind"),
            "theme": signal.get("theme"),
            "regime": signal.get("legal_regime"),
        }
        years = next((y for match, y in self.rules if match.matches(facts)), self.default_years)
        return add_years(signal["date"], years)


@dataclass
class PurgePlan:
    """What a purge on ``today`` removes (a dry run) or removed."""

    today: dt.date
    expired: list[tuple[str, dt.date]] = field(default_factory=list)
    retraction: Retraction = field(default_factory=Retraction)
    entities_deleted: list[str] = field(default_factory=list)
    entities_updated: dict[str, dict[str, Any]] = field(default_factory=dict)
    decisions_deleted: list[str] = field(default_factory=list)
    clusters_deleted: list[str] = field(default_factory=list)
    alerts_deleted: list[str] = field(default_factory=list)
    annotations_deleted: list[str] = field(default_factory=list)
    annotations_to_review: list[str] = field(default_factory=list)

    @property
    def derived_deleted(self) -> list[str]:
        return [
            *self.entities_deleted,
            *self.decisions_deleted,
            *self.clusters_deleted,
            *self.alerts_deleted,
            *self.annotations_deleted,
        ]

    def to_dict(self) -> dict[str, Any]:
        by_label: dict[str, int] = defaultdict(int)
        for node_id in [*self.retraction.deleted_nodes, *self.derived_deleted]:
            by_label[node_id.partition(":")[0]] += 1
        return {
            "today": self.today.isoformat(),
            "signals": [{"id": i, "retention_until": d.isoformat()} for i, d in self.expired],
            "nodes_deleted": dict(sorted(by_label.items())),
            "nodes_kept_with_fewer_signals": self.retraction.updated_nodes,
            "edges_deleted": self.retraction.deleted_edges,
            "edges_kept_with_fewer_signals": self.retraction.updated_edges,
            "entities_recomputed": sorted(self.entities_updated),
            "clusters_deleted": self.clusters_deleted,
            "annotations_to_review": self.annotations_to_review,
        }


def expired_signals(
    store: GraphStore, today: dt.date, table: RetentionTable
) -> list[tuple[str, dt.date]]:
    """(signal id, retention date) of every signal whose date has passed, oldest first."""
    signals = store.find_nodes("Signal", fields=FACTS)  # not the text and raw record
    dated = [(s.id, table.until(s.props)) for s in signals]
    return sorted(((i, d) for i, d in dated if d < today), key=lambda x: (x[1], x[0]))


def plan_purge(
    store: GraphStore,
    today: dt.date,
    *,
    table: RetentionTable | None = None,
    home: Path | None = None,
) -> PurgePlan:
    """What :func:`purge` would remove on ``today``; writes nothing.

    The table is ``table``, else ``retention.yaml`` of ``home``, else the default.
    """
    table = table or RetentionTable.load(home)
    with store.reader():
        return _plan(store, today, table, store.plan_retraction)


def purge(
    store: GraphStore,
    today: dt.date,
    ctx: SecurityContext,
    *,
    table: RetentionTable | None = None,
) -> PurgePlan:
    """Remove every signal expired on ``today`` and what only it supports; audited.

    ``ctx`` is who purges (the local operator, or an admin); the table is
    ``table``, else the ``retention.yaml`` of ``ctx.settings.home``.
    """
    require(ctx.viewer, "purge")
    table = table or RetentionTable.load(ctx.settings.home)
    with store.writer() as w:
        plan = _plan(store, today, table, store.plan_retraction)
        ids = [i for i, _ in plan.expired]
        if ids:
            w.retract_signals(ids)
            w.delete_nodes(plan.derived_deleted)
            rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for node_id, props in plan.entities_updated.items():
                rows[node_id.partition(":")[0]].append({"id": node_id, **props})
            for label, batch in rows.items():
                w.upsert_nodes(label, batch)
    forget_signals(store, ids)
    released = ctx.releases.forget(ids)
    ctx.requests.forget(ids)
    ctx.event(
        "purge",
        today=today.isoformat(),
        signals=ids,
        releases_removed=released,
        **{k: v for k, v in plan.to_dict().items() if k not in ("today", "signals")},
    )
    return plan


def _plan(
    store: GraphStore,
    today: dt.date,
    table: RetentionTable,
    retraction: Callable[[Sequence[str]], Retraction],
) -> PurgePlan:
    plan = PurgePlan(today=today, expired=expired_signals(store, today, table))
    if not plan.expired:
        return plan
    plan.retraction = retraction([i for i, _ in plan.expired])
    gone = set(plan.retraction.deleted_nodes)
    affected = _entities(store, plan, gone)
    gone.update(plan.entities_deleted)
    plan.decisions_deleted = [
        d.id
        for d in store.find_nodes("MatchDecision")
        if d.props.get("left") in gone or d.props.get("right") in gone
    ]
    plan.clusters_deleted = _ends(store.find_edges("MEMBER_OF", src=affected), "dst")
    about = store.find_edges("ABOUT", dst=plan.clusters_deleted)
    plan.alerts_deleted = [i for i in _ends(about, "src") if i.startswith("Alert:")]
    gone.update(plan.clusters_deleted)
    notes = _ends(store.find_edges("ABOUT", dst=[*gone, *affected]), "src")
    targets: dict[str, set[str]] = defaultdict(set)
    for e in store.find_edges("ABOUT", src=[i for i in notes if i.startswith("Annotation:")]):
        targets[e.src].add(e.dst)
    plan.annotations_deleted = sorted(a for a, ts in targets.items() if ts <= gone)
    # notes on what survives may still quote what went: listed for a person to review
    plan.annotations_to_review = sorted(a for a, ts in targets.items() if not ts <= gone)
    return plan


def _ends(edges: Iterable[Any], end: str) -> list[str]:
    return sorted({getattr(e, end) for e in edges})


def _entities(store: GraphStore, plan: PurgePlan, gone: set[str]) -> list[str]:
    """Persons and facilitators that lose mentions: deleted if none remain, else recomputed.

    Returns every entity that lost a mention.
    """
    mentions = [i for i in gone if i.partition(":")[0] in ENTITY_OF]
    affected = _ends(store.find_edges("RESOLVED_TO", src=mentions), "dst")
    remaining: dict[str, list[str]] = defaultdict(list)
    for e in store.find_edges("RESOLVED_TO", dst=affected):
        if e.src not in gone:
            remaining[e.dst].append(e.src)
    nodes = store.get_nodes([*affected, *(m for ms in remaining.values() for m in ms)])
    phones = {i for i in gone if i.startswith("Phone:")}
    for entity_id in affected:
        kept: Sequence[Node] = [nodes[m] for m in remaining.get(entity_id, []) if m in nodes]
        if not kept:
            plan.entities_deleted.append(entity_id)
            continue
        entity = nodes[entity_id]
        now = derive_entity(
            entity,
            kept,
            kept,
            pseudonym=None,
            phone_access=lambda p: Access.HIDDEN if f"Phone:{p}" in phones else Access.FULL,
        )
        if now.props != entity.props:
            plan.entities_updated[entity_id] = now.props
    return affected


def extend_retention(
    ctx: SecurityContext, store: GraphStore, signal_id: str, until: dt.date, *, reason: str
) -> dt.date:
    """Keep ``signal_id`` until ``until`` (later than its current date); audited."""
    require(ctx.viewer, "retention")
    if not reason.strip():
        raise ReasonRequired("extending retention needs a stated reason (e.g. a case number)")
    found = store.get_nodes([signal_id]) if signal_id.startswith("Signal:") else {}
    if signal_id not in found:
        raise NotFound(f"no signal {signal_id!r}")
    signal = found[signal_id]
    own_organisation(ctx, str(signal.props["source"]), "extend the retention of signals")
    current = RetentionTable.load(ctx.settings.home).until(signal.props)
    if until <= current:
        raise InvalidRequest(f"{signal_id} is kept until {current} already; give a later date")
    with store.writer() as w:
        w.upsert_nodes("Signal", [{**signal.props, "retention_until": until}])
    ctx.event(
        "retention", target=signal_id, change="extend", until=until.isoformat(),
        previous=current.isoformat(), reason=reason,
    )  # fmt: skip
    return until
