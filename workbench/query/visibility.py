"""Reading through the viewer's policy: the only way the query layer fetches.

Every node and edge passes ``Policy.view_node`` / ``Policy.view_edge``, and an
edge is shown only when both of its ends are: a line to something hidden
would say that the hidden thing exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from workbench.query.errors import NotFound
from workbench.query.session import Session
from workbench.security import policy as need_to_know
from workbench.store import Edge, Node, Subgraph


def view_nodes(session: Session, found: Iterable[Node]) -> dict[str, Node]:
    """The nodes as the viewer may see them, keyed by the id the viewer sees.

    A pseudonymised identifier (phone, IMEI, document, plate) comes back
    under a new id; hidden nodes are left out.
    """
    return need_to_know.view_nodes(session.policy, found)


def view_edges(session: Session, found: Iterable[Edge], visible: Mapping[str, Any]) -> list[Edge]:
    """The edges the viewer may see whose two ends, as seen, are in ``visible``."""
    found = list(found)
    need_to_know.prefetch(session.policy, found)
    out: list[Edge] = []
    for edge in found:
        seen = session.policy.view_edge(edge)
        if seen is not None and seen.src in visible and seen.dst in visible:
            out.append(seen)
    return out


def nodes(
    session: Session, ids: Sequence[str], *, fields: Sequence[str] | None = None
) -> dict[str, Node]:
    """Fetch nodes by id and keep the visible ones (unknown ids are skipped).

    ``fields`` reads only those properties, for a list that shows a few of them
    (the others are absent, so the view of them is absent too).
    """
    wanted = [i for i in dict.fromkeys(ids) if ":" in i]
    if not wanted:
        return {}
    return view_nodes(session, session.store.get_nodes(wanted, fields=fields).values())


def by_stored_id(
    session: Session, ids: Sequence[str], *, prefetch: Sequence[Node | Edge] = ()
) -> dict[str, Node]:
    """Fetch nodes by id; the visible ones as the viewer sees them, keyed by their stored id.

    For callers that follow edges as stored: a pseudonymised mention or
    identifier is seen under another id, but is still found by the id its
    edges name. ``prefetch`` adds other items to the same bulk policy read.
    """
    wanted = [i for i in dict.fromkeys(ids) if ":" in i]
    found = session.store.get_nodes(wanted) if wanted else {}
    return shown_by_stored_id(session, found.values(), prefetch=prefetch)


def shown_by_stored_id(
    session: Session, found: Iterable[Node], *, prefetch: Sequence[Node | Edge] = ()
) -> dict[str, Node]:
    """:func:`by_stored_id` for nodes already read, in the order given."""
    found = list(found)
    need_to_know.prefetch(session.policy, [*found, *prefetch])
    return {n.id: seen for n in found if (seen := session.policy.view_node(n)) is not None}


def seen_ids(
    session: Session, found: Mapping[str, Node], *, prefetch: Sequence[Node] = ()
) -> set[str]:
    """The ids among ``found`` (stored id -> node) that the viewer may see at all.

    For lists that show only what a node's pseudonymised view keeps anyway
    (a record's source, id and role): it judges without shaping the nodes.
    """
    need_to_know.prefetch(session.policy, [*found.values(), *prefetch])
    return {i for i, n in found.items() if need_to_know.sees(session.policy, n)}


def known_resolution(session: Session, persons: Sequence[Node], links: Sequence[Edge]) -> None:
    """Hand the policy every RESOLVED_TO edge into ``persons`` that the caller read."""
    need_to_know.know_resolved(session.policy, persons, links)


def next_page(session: Session) -> None:
    """Between pages of a long list: the policy may forget the nodes of the last page."""
    need_to_know.forget_nodes(session.policy)


def stored_id(session: Session, node_id: str) -> str:
    """The id the store knows a node by, for an id the viewer was shown (a pseudonymised
    phone, document, device or plate was shown under another id)."""
    return need_to_know.stored_id(session.policy, node_id)


def node(session: Session, node_id: str) -> Node:
    """One visible node, or :class:`NotFound` (also when the policy hides it).

    ``node_id`` is the id the viewer was shown: a pseudonymised identifier is found
    by its pseudonym, and never by its real value (shaped, that node would come back
    under the pseudonym, not under the id asked for).
    """
    found = nodes(session, [stored_id(session, node_id)])
    if node_id not in found:
        raise NotFound(f"nothing with id {node_id!r} that you may see; search for it again")
    return found[node_id]


def find(
    session: Session,
    label: str,
    where: Mapping[str, Any] | None = None,
    *,
    limit: int | None = None,
) -> list[Node]:
    """Visible nodes of ``label`` whose properties equal ``where``."""
    return list(view_nodes(session, session.store.find_nodes(label, where, limit=limit)).values())


def edges(
    session: Session,
    type_: str,
    *,
    src: Sequence[str] | None = None,
    dst: Sequence[str] | None = None,
) -> list[Edge]:
    """Edges of ``type_`` from ``src`` or into ``dst`` ids, as the policy lets them through.

    The far ends are not checked here; callers fetch them with :func:`nodes`
    and keep an edge only if its far end came back.
    """
    if (src is not None and not src) or (dst is not None and not dst):
        return []
    return seen_edges(session, session.store.find_edges(type_, src=src, dst=dst))


def seen_edges(session: Session, found: Sequence[Edge]) -> list[Edge]:
    """The edges among ``found`` (as stored) that the policy lets through, as it shows them."""
    need_to_know.prefetch(session.policy, found)
    out = []
    for edge in found:
        seen = session.policy.view_edge(edge)
        if seen is not None:
            out.append(seen)
    return out


def around(
    session: Session,
    ids: Sequence[str],
    *,
    depth: int = 1,
    limit: int = 500,
    edge_types: Sequence[str] | None = None,
) -> Subgraph:
    """The capped neighbourhood of ``ids`` as the viewer may see it.

    Hidden nodes go with every edge touching them; pseudonymised ids are
    followed by edges and by ``more`` (the neighbours the cap left out).
    """
    if not ids:
        return Subgraph()
    sub = session.store.neighbourhood(list(ids), depth=depth, limit=limit, edge_types=edge_types)
    return need_to_know.view_subgraph(session.policy, sub)


def signal_levels(session: Session, ids: Iterable[str]) -> dict[str, need_to_know.Access]:
    """How much of each signal the viewer may read: hidden, pseudonymised or in full."""
    return need_to_know.signal_levels(session.policy, ids)


def custodian(session: Session) -> bool:
    """Whether the viewer is the local operator (custodian of the data directory)."""
    return bool(getattr(session.policy, "custodian", False))
