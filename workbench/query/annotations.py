"""Annotations: notes, tags and a triage status on any entity or cluster.

Stored in the graph as ``(Annotation)-[:ABOUT]->(target)``, with author and
time. A colleague sees an annotation only when they may see what it is
about (and the annotation itself), so a note never leaks a hidden entity.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from graph_schema.model import model
from workbench.query import visibility
from workbench.query.errors import InvalidInput
from workbench.query.session import Session

TRIAGE = ("to check", "relevant", "not relevant", "escalated")
MAX_NOTE = 10_000


@dataclass(frozen=True)
class AnnotationView:
    """One annotation as shown under its target."""

    id: str
    target: str
    note: str
    tags: tuple[str, ...]
    status: str | None
    author: str
    created_at: dt.datetime


def annotatable(label: str) -> bool:
    """Whether the model allows an annotation on nodes of ``label``."""
    return ("Annotation", label) in model().edge("ABOUT").endpoints


def annotations_for(session: Session, target: str) -> list[AnnotationView]:
    """The visible annotations on ``target``, oldest first (nothing if it is hidden)."""
    with session.store.reader():
        if not visibility.nodes(session, [target]):
            return []
        about = visibility.edges(session, "ABOUT", dst=[target])
        found = visibility.nodes(session, [e.src for e in about])
    views = [
        AnnotationView(
            id=n.id,
            target=target,
            note=str(n.props.get("note") or ""),
            tags=tuple(n.props.get("tags") or ()),
            status=n.props.get("status"),
            author=str(n.props.get("author") or ""),
            created_at=n.props["created_at"],
        )
        for n in found.values()
        if n.label == "Annotation"
    ]
    return sorted(views, key=lambda a: (a.created_at, a.id))


def _clean_tags(tags: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in tags if t.strip()))


def annotate(
    session: Session,
    target: str,
    *,
    note: str,
    tags: Sequence[str] = (),
    status: str | None = None,
) -> AnnotationView:
    """Write an annotation by the session's viewer on a target they may see."""
    note, clean_tags = note.strip(), _clean_tags(tags)
    if not note and not clean_tags and status is None:
        raise InvalidInput("an annotation needs a note, a tag or a triage status")
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"a note holds at most {MAX_NOTE} characters; shorten it")
    if status is not None and status not in TRIAGE:
        raise InvalidInput(f"triage status must be one of {', '.join(TRIAGE)}, not {status!r}")
    target_node = visibility.node(session, target)
    if not annotatable(target_node.label):
        raise InvalidInput(f"a {target_node.label} cannot be annotated; annotate its entity")
    view = AnnotationView(
        id=f"Annotation:{uuid.uuid4().hex}",
        target=target,
        note=note,
        tags=clean_tags,
        status=status,
        author=session.viewer.username,
        created_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
    )
    with session.store.writer() as w:
        w.upsert_nodes(
            "Annotation",
            [
                {
                    "id": view.id,
                    "annotation_id": view.id.partition(":")[2],
                    "note": note or None,
                    "tags": list(clean_tags),
                    "status": status,
                    "author": view.author,
                    "created_at": view.created_at,
                }
            ],
        )
        w.upsert_edges("ABOUT", [{"src": view.id, "dst": target}])
    session.record("annotate", target=target, annotation=view.id)
    return view
