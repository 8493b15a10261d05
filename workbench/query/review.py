"""The entity-resolution review queue and the analyst's decisions on it.

Entity resolution (``workbench.resolve``) is imported lazily: until it is
installed the UI says "entity resolution not available" instead of failing.
A pair is offered only when the viewer may see both mentions.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from workbench.query import visibility
from workbench.query.describe import Ref, ref
from workbench.query.errors import FeatureUnavailable, InvalidInput
from workbench.query.session import Session
from workbench.query.signals import SignalRow, signal_rows

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


def _resolve(*names: str) -> ModuleType:
    try:
        module = importlib.import_module("workbench.resolve")
    except ImportError as exc:
        raise FeatureUnavailable("entity resolution not available") from exc
    if not all(hasattr(module, n) for n in names):
        raise FeatureUnavailable("entity resolution not available")
    return module


def review_queue(session: Session, *, limit: int = 50) -> list[ReviewPair]:
    """Near-threshold pairs for this viewer, most consequential first (as resolution ranks)."""
    items = list(
        _resolve("review_queue").review_queue(session.store, limit=limit, policy=session.policy)
    )
    with session.store.reader():
        ids = sorted({x for item in items for x in (item.pair.left, item.pair.right)})
        seen = visibility.nodes(session, ids)
        out = []
        for item in items:
            pair = item.pair
            left, right = seen.get(pair.left), seen.get(pair.right)
            if left is None or right is None:
                continue
            out.append(
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
                    impact=item.impact,
                )
            )
    return out


def decide(session: Session, left: str, right: str, judgement: str, *, reason: str) -> None:
    """Record the viewer's judgement on a pair; a reason is required."""
    if judgement not in JUDGEMENTS:
        raise InvalidInput(f"judgement must be one of {', '.join(JUDGEMENTS)}, not {judgement!r}")
    if not reason.strip():
        raise InvalidInput("say why: a decision needs a reason")
    resolve = _resolve("decide")
    visibility.node(session, left)
    visibility.node(session, right)
    resolve.decide(
        session.store, left, right, judgement, author=session.viewer.username, reason=reason.strip()
    )
    session.record("decide", left=left, right=right, judgement=judgement)
