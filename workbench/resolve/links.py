"""The model's links as stored, and their explanations rebuilt when read.

A link (a ``suggested`` ``MatchDecision`` by ``model``) keeps its score and
weight, the level each comparison reached (``levels``, a character per
feature) and the run that scored it (``run``). Its explanation - a line per
feature with the two mentions' values, the agreed value's frequency and the
adjustment - is not stored: it was ~1.5 KB of a link's row and most of a full
run's write time (ADR 0002, sixth round). A reader gets it from
:func:`explained`, which rebuilds it from the levels, the two mentions and
the run's stored parameters with ``Scorer.explanations`` - the code that
summed the stored weight - so it is the explanation the run would have stored.
The mentions are respelled with the spellings the run learned, as the run
respelled them, so a name's agreed outline and its frequency are the run's.

A store written before keeps its stored explanations; they are read as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from workbench.resolve.compare import PERSON
from workbench.resolve.mentions import records_of
from workbench.resolve.records import Record
from workbench.resolve.scoring import Scorer
from workbench.resolve.spellings import respell
from workbench.store.base import GraphStore, Node

__all__ = ["MISSING", "explained", "levels", "vectors"]

MISSING = "-"  # a level the pair could not be compared at (a value missing on a side)
SCORERS_KEPT = 4  # runs whose scorer a process keeps: readers ask about the latest few
_scorers: dict[tuple[str, str, str], Scorer | None] = {}  # (store kind, location, run) -> scorer


def levels(gamma: npt.NDArray[np.int8]) -> list[str]:
    """Each comparison vector as stored: a digit per feature's level, ``-`` for missing.

    >>> levels(np.array([[0, -1, 5], [2, 1, 0]], dtype=np.int8))
    ['0-5', '210']
    """
    if gamma.size and int(gamma.max()) > 9:
        raise ValueError("a comparison with more than 10 levels cannot be stored as a digit")
    codes = np.where(gamma < 0, ord(MISSING), gamma.astype(np.int16) + ord("0"))
    text = codes.astype(np.uint8).tobytes().decode("ascii")
    width = gamma.shape[1]
    return [text[i : i + width] for i in range(0, len(text), width)]


def vectors(stored: Sequence[str]) -> npt.NDArray[np.int8]:
    """The comparison vectors of stored ``levels`` strings (of one width).

    >>> vectors(["0-5", "210"]).tolist()
    [[0, -1, 5], [2, 1, 0]]
    """
    raw = np.frombuffer("".join(stored).encode("ascii"), dtype=np.uint8).astype(np.int16)
    gamma = np.where(raw == ord(MISSING), -1, raw - ord("0")).astype(np.int8)
    return gamma.reshape(len(stored), -1)


def explained(store: GraphStore, decisions: Iterable[Node]) -> list[Node]:
    """The decisions as read, each model link that stored its levels with its explanation.

    Decisions with a stored explanation, analysts' decisions, and links whose
    run or mentions are gone (or whose run compared other levels) are
    returned unchanged. A handful of queries for any number of links: the
    mentions by id, and each run's parameters once per process.
    """
    found = list(decisions)
    todo: dict[str, list[int]] = defaultdict(list)  # run -> positions of its links in found
    for k, d in enumerate(found):
        p = d.props
        if p.get("explanation") is None and p.get("levels") and p.get("run"):
            todo[str(p["run"])].append(k)
    if not todo:
        return found
    # Runs that learned the same spellings read their mentions once, respelled alike.
    tables: dict[tuple[tuple[str, str], ...], list[tuple[Scorer, list[int]]]] = defaultdict(list)
    for run, ks in todo.items():
        scorer = _scorer(store, run)
        if scorer is not None:
            tables[tuple(sorted(scorer.model.spellings.items()))].append((scorer, ks))
    for table, runs in tables.items():
        ends = {found[k].props[s] for _, ks in runs for k in ks for s in ("left", "right")}
        records = records_of(store, sorted(ends))
        respell(records.values(), dict(table))
        for scorer, ks in runs:
            _explain(found, ks, scorer, records)
    return found


def _explain(
    found: list[Node], ks: list[int], scorer: Scorer, records: Mapping[str, Record]
) -> None:
    """Give the links of one run at ``ks`` in ``found`` their explanations, in place."""
    ks = [k for k in ks if found[k].props["left"] in records and found[k].props["right"] in records]
    stored = [str(found[k].props["levels"]) for k in ks]
    if not ks or {len(s) for s in stored} != {len(scorer.comparisons)}:
        return
    pairs = [(found[k].props["left"], found[k].props["right"]) for k in ks]
    for k, (_, _, lines) in zip(
        ks, scorer.explanations(vectors(stored), pairs, records), strict=True
    ):
        d = found[k]
        found[k] = Node(d.id, d.label, {**d.props, "explanation": lines})


def _scorer(store: GraphStore, run: str) -> Scorer | None:
    """The scorer of the run ``run`` (None if it is gone or compared other levels), kept
    for the next reader: a run's parameters never change once it is written. Kept per
    store, as the policy's signal facts are: two stores may hold runs of one name."""
    cached = (store.kind, store.location, run)
    if cached not in _scorers:
        key = f"ResolutionRun:{run}"
        node = store.get_nodes([key], fields=["parameters"]).get(key)
        if node is None or not node.props.get("parameters"):
            return None
        if len(_scorers) >= SCORERS_KEPT:
            del _scorers[next(iter(_scorers))]
        _scorers[cached] = Scorer.of_run(node.props["parameters"], PERSON)
    return _scorers[cached]
