"""Cases as a viewer sees them: their own cases, a case's page, deconfliction notices.

Members see a case; to anyone else it does not exist (:class:`NotFound`, as
for an unknown id), and no list, count or notice tells them of it. On the
page every item, cluster, alert, annotation, verdict and audit event passes
the viewer's own policy: two members of different organisations see the
same case with what each may see of its items (an item one of them may not
see is counted, not shown).

A deconfliction notice names the other case's owning organisation, its lead
and how to reach them, and the overlapping item as the viewer may see it -
never the other case's name, id, purpose, members or items. When the other
case is sensitive it says only that a coordinator of that organisation will
contact them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.deconflict.subjects import CASE_ITEM_LABELS, latest_clusters
from workbench.query import visibility
from workbench.query.alerts import AlertRow, alerts
from workbench.query.annotations import AnnotationView, annotations_for
from workbench.query.clusters import _verdicts
from workbench.query.describe import Ref, ref
from workbench.query.errors import InvalidInput, NotFound
from workbench.query.session import Session
from workbench.security.audit import AuditEvent, AuditLog
from workbench.security.cases import Case, CaseBook, Notice

HIDDEN_ITEM = "an item you may not see"
TIMELINE_MAX = 500


@dataclass(frozen=True)
class NoticeRow:
    """A deconfliction notice to one of the viewer's cases, as they may read it."""

    id: int
    case: str
    case_name: str
    other_case_org: str
    other_case_lead: str | None  # None: the other case is sensitive
    contact: str
    item: Ref | None  # None: hidden from the viewer, or the other case is sensitive
    raised_at: str
    status: str

    def to_dict(self) -> dict[str, Any]:
        """One notice in ``workbench deconflict --json``."""
        return {
            "id": self.id,
            "case": self.case,
            "other_case_org": self.other_case_org,
            "other_case_lead": self.other_case_lead,
            "contact": self.contact,
            "item": self.item.id if self.item else None,
            "item_caption": self.item.caption if self.item else None,
            "raised_at": self.raised_at,
            "status": self.status,
        }


@dataclass(frozen=True)
class TimelineEntry:
    """One audit event of a member on the case or its items, as far as the viewer sees."""

    at: str
    actor: str
    organisation: str
    action: str
    target: str | None
    what: str

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at, "actor": self.actor, "organisation": self.organisation,
                "action": self.action, "target": self.target, "what": self.what}  # fmt: skip


@dataclass(frozen=True)
class CaseView:
    """A case's page: the case, its items and their latest clusters, alerts, annotations,
    verdicts, dossiers exported under it, a timeline and its notices."""

    case: Case
    items: tuple[Ref, ...]
    hidden_items: int
    clusters: tuple[Ref, ...]
    verdicts: dict[str, dict[str, Any] | None]
    alerts: tuple[AlertRow, ...]
    annotations: tuple[AnnotationView, ...]
    dossiers: tuple[dict[str, Any], ...]
    timeline: tuple[TimelineEntry, ...]
    notices: tuple[NoticeRow, ...]

    def to_dict(self) -> dict[str, Any]:
        """The shape of ``workbench case show --json``."""
        return {
            **self.case.to_dict(),
            "items": [{"id": r.id, "type": r.type, "caption": r.caption} for r in self.items],
            "hidden_items": self.hidden_items,
            "clusters": [
                {"id": r.id, "caption": r.caption, "verdict": self.verdicts.get(r.id)}
                for r in self.clusters
            ],
            "alerts": [a.to_dict() for a in self.alerts],
            "annotations": [
                {"target": a.target, "note": a.note, "author": a.author, "status": a.status}
                for a in self.annotations
            ],
            "dossiers": list(self.dossiers),
            "timeline": [t.to_dict() for t in self.timeline],
            "notices": [n.to_dict() for n in self.notices],
        }


def member_case(session: Session, book: CaseBook, case_id: str) -> Case:
    """The case if the viewer is a member; else :class:`NotFound`, as for an unknown id."""
    case = book.for_member(case_id, session.viewer.username)
    if case is None:
        raise NotFound(f"no case {case_id!r} of yours; `workbench case list` shows yours")
    return case


def my_cases(session: Session, book: CaseBook) -> list[Case]:
    """The cases the viewer is a member of, oldest first."""
    found = book.of_member(session.viewer.username)
    session.record("view_cases", shown=len(found))
    return found


def addable(session: Session, items: Sequence[str]) -> list[str]:
    """The stored ids of ``items``, each a kind a case holds and visible to the viewer
    under that id (:class:`NotFound` otherwise, as the item's page would say: adding must
    not probe for what is hidden, nor confirm the real number behind a pseudonym)."""
    if not items:
        raise InvalidInput("name at least one item (a cluster, person, facilitator, identifier "
                           "or signal id)")  # fmt: skip
    for item in items:
        if item.partition(":")[0] not in CASE_ITEM_LABELS:
            raise InvalidInput(
                f"{item!r} is not a cluster, person, facilitator, identifier or signal id"
            )
    with session.store.reader():
        seen = visibility.nodes(session, list(items))
    missing = [i for i in items if i not in seen]
    if missing:
        raise NotFound(f"nothing with id {missing[0]!r} that you may see; search for it again")
    return list(dict.fromkeys(items))


def _refs(session: Session, ids: Sequence[str]) -> dict[str, Ref]:
    """Stored id -> a reference to the node as the viewer sees it (visible ones only)."""
    return {i: ref(n) for i, n in visibility.by_stored_id(session, list(ids)).items()}


def open_notices(session: Session, book: CaseBook) -> int:
    """How many notices to the viewer's live cases are open (the Cases page's sidebar count)."""
    mine = [c.id for c in book.of_member(session.viewer.username, live=True)]
    return sum(n.status == "open" for n in book.notices(mine)) if mine else 0


def notices(
    session: Session, book: CaseBook, case_ids: Sequence[str] | None = None
) -> list[NoticeRow]:
    """The notices to the viewer's cases (``case_ids``: only these), newest first."""
    mine = {c.id: c for c in book.of_member(session.viewer.username)}
    wanted = [c for c in (case_ids if case_ids is not None else mine) if c in mine]
    found = book.notices(wanted)
    others = {c.id: c for c in book.rows(sorted({n.other_case for n in found}))}
    with session.store.reader():
        seen = _refs(session, sorted({n.subject for n in found}))
    rows = [_notice(n, mine[n.case_id], others[n.other_case], seen) for n in found]
    session.record("view_notices", shown=len(rows))
    return rows


def _notice(n: Notice, mine: Case, other: Case, seen: dict[str, Ref]) -> NoticeRow:
    org = other.owner_org.upper()
    if other.sensitive:
        lead, contact, item = None, f"a coordinator of {org} will contact you", None
    else:
        lead, contact, item = other.lead, other.contact, seen.get(n.subject)
    return NoticeRow(n.id, mine.id, mine.name, other.owner_org, lead, contact, item,
                     n.raised_at, n.status)  # fmt: skip


def _what(e: AuditEvent) -> str:
    d = e.details
    parts = [str(d[k]) for k in ("change", "format", "status", "judgement") if d.get(k)]
    if e.action == "case" and d.get("items"):
        parts.append(f"{len(d['items'])} item(s)")
    return " ".join(parts) or e.action


def _about_case(e: AuditEvent, case: Case, targets: set[str]) -> bool:
    if e.target == case.id or e.details.get("case") == case.id:
        return e.actor in case.members or e.action == "deconfliction"
    return e.actor in case.members and e.target in targets


def _timeline(
    session: Session, log: AuditLog, case: Case, targets: set[str]
) -> tuple[list[TimelineEntry], list[dict[str, Any]]]:
    since = dt.datetime.fromisoformat(case.created_at)
    events = [e for e in log.events(since=since) if _about_case(e, case, targets)]
    graph_targets = sorted({e.target for e in events if e.target and e.target != case.id})
    visible = set(_refs(session, graph_targets))
    shown = [e for e in events if e.target in (None, case.id) or e.target in visible]
    timeline = [TimelineEntry(e.at, e.actor, e.organisation, e.action, e.target, _what(e))
                for e in shown[:TIMELINE_MAX]]  # fmt: skip
    dossiers = [
        {"at": e.at, "by": e.actor, "cluster": e.details.get("cluster"),
         "format": e.details.get("format"), "sha256": e.details.get("sha256"),
         "reason": e.details.get("reason")}
        for e in shown
        if e.action == "export" and e.details.get("case") == case.id
        and e.details.get("outcome") == "ok"
    ]  # fmt: skip
    return timeline, dossiers


def case_clusters(session: Session, book: CaseBook, case_id: str) -> list[str]:
    """The latest clusters of a case's items that the viewer (a member) may see."""
    case = member_case(session, book, case_id)
    with session.store.reader():
        current = latest_clusters(session.store, list(case.items))
        return [c for c in current if c in _refs(session, current)]


def case_view(session: Session, book: CaseBook, log: AuditLog, case_id: str) -> CaseView:
    """A case's page for a member (:class:`NotFound` for anyone else); audited."""
    case = member_case(session, book, case_id)
    with session.store.reader():
        items = _refs(session, list(case.items))
        current = latest_clusters(session.store, list(case.items))
        clusters = _refs(session, current)
    cluster_ids = [c for c in current if c in clusters]
    verdicts = _verdicts(session, cluster_ids) if cluster_ids else {}
    found_alerts = alerts(session, limit=None, about=cluster_ids)
    notes = [a for t in [*items, *cluster_ids] for a in annotations_for(session, t)]
    timeline, dossiers = _timeline(session, log, case, {*case.items, *cluster_ids})
    session.record("view", kind="case", target=case.id)
    return CaseView(
        case=case,
        items=tuple(items[i] for i in case.items if i in items),
        hidden_items=sum(i not in items for i in case.items),
        clusters=tuple(clusters[c] for c in cluster_ids),
        verdicts=verdicts,
        alerts=tuple(found_alerts),
        annotations=tuple(notes),
        dossiers=tuple(dossiers),
        timeline=tuple(timeline),
        notices=tuple(notices(session, book, [case.id])),
    )
