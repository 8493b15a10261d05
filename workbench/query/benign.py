"""Benign marks as a viewer may see and set them: identifiers that tie people together innocently.

The marks are detection's data (``workbench.detect.benign``: normalised,
soft-deleted, left out of every projection); this is where a viewer lists,
adds and removes them. A viewer may mark or unmark only an identifier they
see as it is (not hidden, not pseudonymised: a mark names the value), and
sees a partner's mark as far as the policy shows the identifier.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from workbench.query import visibility
from workbench.query.errors import InvalidInput
from workbench.query.session import Session

if TYPE_CHECKING:
    from workbench.detect.benign import Mark

IDENTIFIER_LINKS = ("HAS_PHONE", "HAS_DOCUMENT", "HAS_DEVICE")  # mention -> identifier
NAMED_IN_TEXT = ("MENTIONS_PHONE", "MENTIONS_VEHICLE", "SEEN_WITH_VEHICLE")  # signal -> identifier
MARK_FIELDS = ("identifier", "kind", "value", "label", "reason", "author", "organisation",
               "created_at")  # fmt: skip


def visible_as_is(session: Session, node_id: str) -> bool:
    """Whether the viewer sees the node under its own id (not hidden, not pseudonymised);
    an alias is no node and is its author's to mark."""
    return node_id.startswith("alias:") or node_id in visibility.nodes(session, [node_id])


def _signal_of(mention_id: str) -> str:
    """``PersonMention:kmar|KM-1|subject|0`` -> ``Signal:kmar|KM-1``."""
    source, record = mention_id.partition(":")[2].split("|")[:2]
    return f"Signal:{source}|{record}"


def markable(session: Session, cluster_id: str) -> list[tuple[str, int]]:
    """The identifiers of a cluster's members that the viewer sees as they are, with how
    many members each ties, most shared first: what the cluster page offers to mark benign
    (a support line, a lawyer's office number). Phones, documents and devices a member's
    record gives, and phones and plates named in the text of a member's records."""
    visibility.node(session, cluster_id)  # NotFound when hidden
    store = session.store
    members = [e.src for e in store.find_edges("MEMBER_OF", dst=[cluster_id])]
    owner = {e.src: e.dst for e in store.find_edges("RESOLVED_TO", dst=members)} if members else {}
    by_signal: dict[str, set[str]] = defaultdict(set)
    for mention, member in owner.items():
        by_signal[_signal_of(mention)].add(member)
    shared: dict[str, set[str]] = defaultdict(set)
    for link in IDENTIFIER_LINKS if owner else ():
        for e in store.find_edges(link, src=list(owner)):
            shared[e.dst].add(owner[e.src])
    for link in NAMED_IN_TEXT if by_signal else ():
        for e in store.find_edges(link, src=list(by_signal)):
            shared[e.dst].update(by_signal[e.src])
    seen = visibility.nodes(session, list(shared))  # keyed as seen: pseudonymised ones differ
    return sorted(((i, len(who)) for i, who in shared.items() if i in seen),
                  key=lambda x: (-x[1], x[0]))  # fmt: skip


def marks(session: Session, *, suggest: bool = False) -> dict[str, Any]:
    """The live marks the viewer may see, oldest first, and (with ``suggest``) identifiers
    recurring in clusters judged benign that the viewer may see with all their clusters;
    audited. The shape of ``workbench benign list --json``."""
    from workbench.detect.benign import suggestions

    found = [n for n in visibility.find(session, "BenignMark") if n.props.get("deleted_at") is None]
    rows = [
        {"id": n.id, **{k: n.props.get(k) for k in MARK_FIELDS}}
        for n in sorted(found, key=lambda n: n.props["created_at"])
    ]
    out: dict[str, Any] = {"marks": rows}
    if suggest:
        out["suggestions"] = [
            c.to_dict()
            for c in suggestions(session.store)
            if visible_as_is(session, c.identifier)
            and len(visibility.nodes(session, list(c.clusters))) == len(c.clusters)
        ]
    session.record("view", target="benign marks", count=len(rows))
    return out


def mark(
    session: Session, identifier: str, *, label: str, reason: str, kind: str | None = None
) -> Mark:
    """Mark an identifier the viewer sees as it is benign; audited."""
    from workbench.detect.benign import BenignError, add_mark

    try:
        return add_mark(
            session.store,
            identifier,
            label=label,
            reason=reason,
            kind=kind,
            author=session.viewer.username,
            organisation=session.viewer.organisation,
            visible=lambda node_id: visible_as_is(session, node_id),
            audit=session.audit,
        )
    except BenignError as exc:
        raise InvalidInput(str(exc)) from exc


def unmark(
    session: Session, identifier: str, *, reason: str, kind: str | None = None
) -> list[Mark]:
    """Remove the live mark on an identifier the viewer sees as it is (kept in the history)."""
    from workbench.detect.benign import BenignError, live_marks, remove_mark
    from workbench.detect.benign import identifier as parse

    try:
        wanted = parse(identifier, kind)
        key = (wanted.kind, wanted.value)
        live = [m for m in live_marks(session.store) if (m.kind, m.value) == key]
        if not all(visible_as_is(session, m.identifier) for m in live):
            raise BenignError(f"{wanted.value} is not marked benign (see `workbench benign list`)")
        return remove_mark(
            session.store, identifier, reason=reason, kind=kind,
            author=session.viewer.username, audit=session.audit,
        )  # fmt: skip
    except BenignError as exc:
        raise InvalidInput(str(exc)) from exc
