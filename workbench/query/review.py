"""The entity-resolution review queue and the analyst's decisions on it.

Entity resolution (``workbench.resolve``) is imported lazily: until it is
installed the UI says "entity resolution not available" instead of failing.
A pair is offered only when the viewer may read both mentions in full: a
judgement needs the facts, and two pseudonyms compared as "name: fuzzy" are
not facts. The pairs left out are counted per organisation that holds the
withheld side, with the signals a request for release would ask for
(:class:`ReviewQueue`).
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from types import ModuleType
from typing import Any

from workbench.query import visibility
from workbench.query.describe import Ref, ref
from workbench.query.errors import FeatureUnavailable, InvalidInput
from workbench.query.session import Session
from workbench.query.signals import SignalRow, signal_rows
from workbench.security.sharing import Access, signal_owner
from workbench.store import Node

# The values of ``workbench.resolve.api.Judgement`` (a test keeps them equal);
# not imported, so that the UI does not load entity resolution to start.
JUDGEMENTS = ("same", "different", "unsure")


@dataclass(frozen=True)
class ReviewPair:
    """Two mentions side by side, with the model's explanation and a decision's impact."""

    left: Ref
    right: Ref
    left_props: dict[str, Any]
    right_props: dict[str, Any]
    left_signals: list[SignalRow]
    right_signals: list[SignalRow]
    score: float
    weight: float
    contributions: list[Any]
    impact: int
    conflict: bool = False  # the two mentions carry different V-numbers: asked first

    def to_dict(self) -> dict[str, Any]:
        """The shape of ``workbench review --json``: the pair, its explanation and impact."""
        return {
            "impact": self.impact,
            "left": self.left.id,
            "right": self.right.id,
            "score": self.score,
            "weight": self.weight,
            "contributions": [asdict(c) for c in self.contributions],
            "v_conflict": self.conflict,
        }


def _resolve(*names: str) -> ModuleType:
    try:
        module = importlib.import_module("workbench.resolve")
    except ImportError as exc:
        raise FeatureUnavailable("entity resolution not available") from exc
    if not all(hasattr(module, n) for n in names):
        raise FeatureUnavailable("entity resolution not available")
    return module


@dataclass
class ReviewQueue:
    """The pairs this viewer may judge, and what waits for a partner's release."""

    pairs: list[ReviewPair] = field(default_factory=list)
    withheld: dict[str, int] = field(default_factory=dict)  # owner -> pairs waiting for it
    signals: dict[str, list[str]] = field(default_factory=dict)  # owner -> what to ask for
    complete: bool = True  # False: the scan stopped at ``limit``, the counts are a floor


def _unreadable(session: Session, sides: Iterable[Node]) -> dict[str, list[str]]:
    """Owner -> the pseudonymised signals of the sides the viewer cannot read in full
    (empty when every side is readable: a side is, if any of its signals is in full)."""
    sides = list(sides)
    levels = visibility.signal_levels(
        session, [s for n in sides for s in n.props.get("signals") or ()]
    )
    out: dict[str, list[str]] = defaultdict(list)
    for side in sides:
        mine = side.props.get("signals") or []
        if any(levels.get(s) == Access.FULL for s in mine):
            continue
        for s in mine:
            if levels.get(s) == Access.PSEUDONYMISED:
                out[signal_owner(s)].append(s)
    return out


def review(session: Session, *, limit: int = 50, explain: bool = True) -> ReviewQueue:
    """Near-threshold pairs for this viewer, most consequential first (as resolution ranks).

    Resolution ranks every undecided link; this reads them in that order,
    a chunk at a time, through the viewer's policy, and keeps a pair only
    when the viewer may read both mentions in full, until ``limit`` are
    found. A pair with a pseudonymised side is counted for the organisation
    holding it instead. Without ``explain`` the pairs come without their
    contributions (rebuilt from the run's model: half the time of a desk's count).
    """
    resolve = _resolve("review_candidates")
    api = importlib.import_module("workbench.resolve.api")
    out = ReviewQueue()
    waiting: dict[str, dict[str, None]] = defaultdict(dict)
    step = max(2 * limit, 100)
    with session.store.reader():
        ranked = resolve.review_candidates(session.store)
        shown: list[tuple[Node, int]] = []  # the links to show, in rank order
        sides: dict[str, Node] = {}
        for start in range(0, len(ranked), step):
            chunk = ranked[start : start + step]
            found = session.store.get_nodes([i for i, _ in chunk])
            seen = visibility.seen_ids(session, found)
            sides.update(visibility.by_stored_id(  # keyed as the links name them
                session, [found[i].props[s] for i in seen for s in ("left", "right")]
            ))  # fmt: skip
            for link_id, impact in chunk:
                if link_id not in seen:
                    continue
                left = sides.get(found[link_id].props["left"])
                right = sides.get(found[link_id].props["right"])
                if left is None or right is None:
                    continue
                withheld = _unreadable(session, (left, right))
                if withheld:
                    for owner, signals in withheld.items():
                        out.withheld[owner] = out.withheld.get(owner, 0) + 1
                        waiting[owner].update(dict.fromkeys(signals))
                    continue
                shown.append((found[link_id], impact))
                if len(shown) >= limit:
                    break
            if len(shown) >= limit:
                out.complete = start + step >= len(ranked)
                break
        # Explained once known to be shown, all at once: rebuilding an explanation reads
        # both mentions and their records, and a partner's view skips most of a chunk.
        picked = [link for link, _ in shown]
        stored = api.explained(session.store, picked) if explain else picked
        links = visibility.shown_by_stored_id(session, stored)
        for found_link, impact in shown:
            link = links[found_link.id]
            pair = api.PairExplanation.from_props(link.props)
            left, right = sides[found_link.props["left"]], sides[found_link.props["right"]]
            out.pairs.append(
                ReviewPair(
                    left=ref(left),
                    right=ref(right),
                    left_props=dict(left.props),
                    right_props=dict(right.props),
                    left_signals=signal_rows(session, left.props.get("signals") or ()),
                    right_signals=signal_rows(session, right.props.get("signals") or ()),
                    score=pair.score,
                    weight=pair.weight,
                    contributions=list(pair.contributions),
                    impact=impact,
                    conflict=bool(link.props.get("v_conflict")),
                )
            )
    out.signals = {owner: list(found) for owner, found in sorted(waiting.items())}
    out.withheld = dict(sorted(out.withheld.items()))
    session.record("view", target="review queue", count=len(out.pairs), withheld=out.withheld)
    return out


def review_queue(session: Session, *, limit: int = 50) -> list[ReviewPair]:
    """The pairs of :func:`review` alone."""
    return review(session, limit=limit).pairs


def decide(session: Session, left: str, right: str, judgement: str, *, reason: str) -> None:
    """Record the viewer's judgement on a pair; a reason is required."""
    if judgement not in JUDGEMENTS:
        raise InvalidInput(f"judgement must be one of {', '.join(JUDGEMENTS)}, not {judgement!r}")
    if not reason.strip():
        raise InvalidInput("say why: a decision needs a reason")
    resolve = _resolve("decide")
    sides = [visibility.node(session, left), visibility.node(session, right)]
    withheld = _unreadable(session, [n for n in sides if n.label == "PersonMention"])
    if withheld:
        owners = ", ".join(o.upper() for o in withheld)
        raise InvalidInput(
            f"you cannot read both records in full: ask {owners} to release them first"
        )
    resolve.decide(
        session.store, left, right, judgement, author=session.viewer.username, reason=reason.strip()
    )
    session.record("decide", left=left, right=right, judgement=judgement)
