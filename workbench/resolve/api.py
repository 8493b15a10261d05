"""The public face of entity resolution, for the CLI, the UI and dossiers.

Mentions are ``PersonMention`` node ids; persons are ``Person`` node ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from workbench.store import GraphStore, Node

Judgement = Literal["same", "different", "unsure"]
MODEL = "model"  # the author of the links and runs entity resolution writes itself


def last_run(store: GraphStore, fields: Sequence[str] | None = None) -> Node | None:
    """The newest ``ResolutionRun`` (only ``fields`` of it), or None before the first.

    Found by start time alone, then read by itself: every run keeps its
    weights, frequency tables and review queue, which grow with the store.
    """
    runs = store.find_nodes("ResolutionRun", fields=["started_at"])
    newest = max(runs, key=lambda n: (n.props["started_at"], n.id), default=None)
    return None if newest is None else store.get_nodes([newest.id], fields=fields)[newest.id]


def explained(store: GraphStore, decisions: Iterable[Node]) -> list[Node]:
    """The decisions as stored, each model link with its explanation: rebuilt from its
    levels when it stored none (``workbench.resolve.links``). For the query layer, which
    shows them through the viewer's policy as it would a stored explanation."""
    from workbench.resolve.links import explained as rebuilt  # numpy: loaded when needed

    return rebuilt(store, decisions)


def link_key(left: str, right: str) -> str:
    """The key of the model's link between two mentions (``left`` < ``right``).

    >>> link_key("PersonMention:a", "PersonMention:b")
    'model:PersonMention:a~PersonMention:b'
    """
    return f"{MODEL}:{left}~{right}"


@dataclass(frozen=True)
class Contribution:
    """One feature's part in a match score (a bar of splink's waterfall chart).

    ``weight`` is the log2 Bayes factor the feature's comparison level adds:
    positive pushes towards "same person", negative away from it. Where the
    two records agree on a value whose frequency is known, ``frequency`` is
    that value's share of the records and ``adjustment`` the bits it moved
    the weight (already included in ``weight``): agreeing on ``Mohammed Ali``
    counts for less than on a name two records in the store share. ``among``
    is the group the share is counted in (the nationality both records hold,
    ``Comparison.within``), None when it is the share of all records.
    """

    feature: str
    level: str
    weight: float
    left: str | None = None
    right: str | None = None
    frequency: float | None = None
    adjustment: float | None = None
    among: str | None = None

    @property
    def share(self) -> str:
        """``frequency`` as an analyst reads it (:func:`share_text`)."""
        return share_text(self.frequency, self.among)


def share_text(frequency: float | None, among: str | None) -> str:
    """A value's share as a line of an explanation shows it ("" when none applies).

    >>> share_text(0.015297, "SYR"), share_text(0.000337, None), share_text(None, None)
    ('1.53 % of SYR', '0.0337 % of all', '')
    """
    if frequency is None:
        return ""
    return f"{100 * frequency:.3g} % of {among or 'all'}"


@dataclass(frozen=True)
class PairExplanation:
    """Why two mentions are (or are not) thought to be the same person."""

    left: str
    right: str
    score: float  # match probability 0..1
    weight: float  # total log2 odds, prior included
    contributions: list[Contribution] = field(default_factory=list)

    @classmethod
    def from_props(cls, p: Mapping[str, Any]) -> PairExplanation:
        """The explanation a stored ``MatchDecision`` carries (as the viewer sees its props)."""
        return cls(
            p["left"],
            p["right"],
            float(p.get("score") or 0.0),
            float(p.get("weight") or 0.0),
            [Contribution(**c) for c in p.get("explanation") or []],
        )


@dataclass(frozen=True)
class HistoryEvent:
    """One step in a person's resolution history (a decision or a re-resolve)."""

    at: dt.datetime
    kind: str  # "decision" or "resolve"
    judgement: str | None
    left: str | None
    right: str | None
    author: str
    reason: str | None
