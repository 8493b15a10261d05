"""Entity resolution against the store: read mentions and decisions, write persons.

The identity layer is derived, never edited by hand: ``Person`` and
``FacilitatorEntity`` nodes and their ``RESOLVED_TO`` edges follow from the
mentions, the learned weights and the analysts' ``MatchDecision``s. So a
wrong merge is undone by one ``different`` decision, and a full re-resolve
reproduces the same persons.

Incremental runs compare only pairs with a new mention, then re-cluster the
part of the graph those links (and new decisions) touch: every component
of merge-strength links is clustered as a whole, which is why the result
equals a full run's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import resource
import time
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt

from workbench.collector import gc_paused
from workbench.ingest.mapping import ROLE_EDGE
from workbench.resolve import facilitators as facilitators_module
from workbench.resolve.api import MODEL, Judgement, last_run, link_key
from workbench.resolve.blocking import (
    PERSON_RULES,
    PERSON_TRAINING,
    blocked,
    person_identifier,
    reblocked,
)
from workbench.resolve.clustering import Pair, pair
from workbench.resolve.compare import PERSON
from workbench.resolve.facilitators import FacilitatorRecord, group_facilitators
from workbench.resolve.links import levels as stored_levels
from workbench.resolve.mentions import (
    MENTION_FIELDS,
    NOWHERE,
    Context,
    context,
    key_value,
    record,
    records_of,
)
from workbench.resolve.pairs import Pairs, PairWeights
from workbench.resolve.pipeline import Thresholds, cluster, train, vectors
from workbench.resolve.records import Record, RecordIndex, link_companions, v_number_typo
from workbench.resolve.scoring import Scorer, probability, refine
from workbench.resolve.spellings import learn_spellings, respell
from workbench.store.base import GraphStore, Node, Writer

__all__ = [
    "ResolveError",
    "ResolveReport",
    "decide",
    "resolve",
    "review_candidates",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

REVIEW_KEPT = 5000  # queue entries a run stores: far more than anyone reviews before the next
MIN_DECISIONS = 30  # analysts' decisions needed (both kinds) before they retrain weights
JUDGEMENTS = ("same", "different", "unsure")
FACILITATOR_INPUTS = ("LoadBatch", "Signal", "FacilitatorMention")  # see ``_facilitator_inputs``
# What resolution reads of a decision; the stored explanation is read only for display.
DECISION_FIELDS = ("left", "right", "judgement", "weight", "score", "author", "reason",
                   "created_at", "deleted_at", "v_conflict")  # fmt: skip


class ResolveError(ValueError):
    """A decision or lookup that cannot be carried out as asked."""


@dataclass
class ResolveReport:
    """What a run did (``workbench resolve --json``)."""

    run_id: str
    mode: str
    persons: int
    mentions: int
    links: int
    review_queue: int
    new_mentions: int = 0
    candidate_pairs: int = 0
    persons_created: int = 0
    persons_changed: int = 0
    persons_removed: int = 0
    facilitators: int = 0
    method: str = "fellegi-sunter"
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- reading --------------------------------------------------------------------------


@dataclass
class _State:
    """What resolution needs from the store, read once per run.

    ``records`` and ``mentions`` hold every person mention, or only the
    ``scope`` of a run that needs no other (:func:`_read`); the rest is
    always whole.
    """

    records: list[Record]
    mentions: dict[str, list[Any]]  # id -> [id, *MENTION_FIELDS] (see ``_props``)
    assigned: dict[str, str]  # mention -> person id
    links: dict[Pair, float]  # stored model links (weights)
    decisions: list[Node]  # live analyst decisions
    last_run: Node | None
    decided: list[str] = field(default_factory=list)  # ids of every analyst decision
    conflicts: set[Pair] = field(default_factory=set)  # stored links across two V-numbers
    total: int = 0  # person mentions in the store (``records`` may hold fewer)
    scope: set[str] | None = None  # the mentions read, when not all of them
    unflagged: bool = False  # a stored link predates its ``v_conflict`` flag
    by_id: RecordIndex = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = RecordIndex(self.records)


def _read(
    store: GraphStore, *, everything: bool = True, limits: Thresholds | None = None
) -> _State:
    """The store as resolution sees it, in one read unit.

    Without ``everything``, a run that has no new mention to place (an
    analyst's decision, mostly) reads only the records of the persons it
    can change: :func:`_closure` of the decisions made since the last run.
    Building every record was most of such a run (a decision took 88 s at a
    million rows, 50 s of it reading; ADR 0020, *Session 18*). It falls back
    to reading every record when the stored weights cannot be reused, or a
    stored link predates its ``v_conflict`` flag.
    """
    with store.reader():
        state = _skeleton(store)
        scope = None
        if not everything and _scopable(state):
            scope = _closure(_touched(state, set(), ()), state, state.links,
                             _judged(state, "same"), limits or Thresholds())  # fmt: skip
        rows, records = _mentions(store, state, scope)
    state.mentions, state.records, state.scope = rows, records, scope
    state.by_id = RecordIndex(records)
    return state


def _skeleton(store: GraphStore) -> _State:
    """Persons, links, decisions and the last run: every run reads them whole."""
    assigned = {src: dst for src, dst in store.edge_ends("RESOLVED_TO")
                if src.startswith("PersonMention:")}  # fmt: skip
    # The model's links are most of the store's nodes (3.6 million at a million rows):
    # read as bare rows, their ends as the mentions' own id strings, not one copy each.
    links: dict[Pair, float] = {}
    conflicts: set[Pair] = set()
    unflagged = False
    decided: list[str] = []  # every analyst's decision, superseded ones too
    same_id = {m: m for m in assigned}
    for i, judgement, left, right, weight, deleted, conflict in store.find_values(
        "MatchDecision", ("judgement", "left", "right", "weight", "deleted_at", "v_conflict")
    ):
        if judgement != "suggested":
            decided.append(i)
        elif deleted is None:
            ends = (same_id.get(left, left), same_id.get(right, right))
            links[ends] = float(weight or 0.0)
            if conflict:
                conflicts.add(ends)
            unflagged = unflagged or conflict is None
    found = store.get_nodes(decided, fields=DECISION_FIELDS)
    decisions = [found[i] for i in decided if found[i].props.get("deleted_at") is None]
    decisions.sort(key=lambda d: d.props["created_at"])
    total = store.count_nodes("PersonMention")
    return _State([], {}, assigned, links, decisions, last_run(store), decided, conflicts,
                  total, unflagged=unflagged)  # fmt: skip


def _scopable(state: _State) -> bool:
    """Whether a run may read only its scope: nothing new to place, stored weights to reuse."""
    if state.total != len(state.assigned) or state.unflagged:
        return False
    return _stored_scorer(state) is not None


def _stored_scorer(state: _State) -> Scorer | None:
    """The last run's weights, if they score every comparison of today's model.

    A run from before a comparison was added explains its links, but scores no new ones.
    """
    params = state.last_run.props.get("parameters") if state.last_run else None
    stored = Scorer.of_run(params, PERSON) if params else None
    if stored is not None and [c.name for c in stored.comparisons] == [c.name for c in PERSON]:
        return stored
    return None


def _mentions(
    store: GraphStore, state: _State, scope: set[str] | None
) -> tuple[dict[str, list[Any]], list[Record]]:
    """The rows and records of every person mention, or of ``scope``'s (by id)."""
    if scope is not None:
        nodes = store.get_nodes(sorted(scope), fields=MENTION_FIELDS)
        rows = {i: [i, *(n.props.get(f) for f in MENTION_FIELDS)] for i, n in nodes.items()}
        found = records_of(store, list(nodes), nodes=nodes)
        return rows, [found[i] for i in sorted(found)]
    # Bare rows, not nodes: a dict per mention was 0.6 GB of a run at 225k rows.
    mentions = {row[0]: row for row in store.find_values("PersonMention", MENTION_FIELDS)}
    phones: dict[str, set[str]] = defaultdict(set)
    for src, dst in store.edge_ends("HAS_PHONE"):
        if src in mentions:
            phones[src].add(key_value(dst))
    docs: dict[str, set[str]] = defaultdict(set)
    for src, dst in store.edge_ends("HAS_DOCUMENT"):
        docs[src].add(key_value(dst))
    around = _context(store, mentions)
    state.assigned = {m: p for m, p in state.assigned.items() if m in mentions}
    records = [
        record(i, _props(row), phones.get(i, ()), docs.get(i, ()), around.get(i, NOWHERE))
        for i, row in mentions.items()
    ]
    link_companions(r for r in records if around.get(r.id, NOWHERE).travelling)
    records.sort(key=lambda r: r.id)
    return mentions, records


def _props(row: Sequence[Any]) -> dict[str, Any]:
    """A mention's ``MENTION_FIELDS`` by name, from its row in ``_State.mentions``."""
    return dict(zip(MENTION_FIELDS, row[1:], strict=True))


def _context(store: GraphStore, mentions: Mapping[str, Any]) -> dict[str, Context]:
    """Route, arrival day, record day and place of the record each mention came from
    (``context``)."""
    routes = {src: key_value(dst) for src, dst in store.edge_ends("TRAVELLED")}
    places = {src: key_value(dst) for src, dst in store.edge_ends("OBSERVED_AT")}
    signals = {i: (day, arrival) for i, day, arrival
               in store.find_values("Signal", ("date", "arrival_date"))}  # fmt: skip
    out: dict[str, Context] = {}
    for role, edge in ROLE_EDGE.items():
        made: dict[str, Context] = {}  # a record's mentions in one role share their context
        for signal, mention in store.edge_ends(edge):
            if mention not in mentions or signal not in signals:
                continue
            found = made.get(signal)
            if found is None:
                day, arrival = signals[signal]
                found = made[signal] = context(role, day, arrival, routes.get(signal),
                                               places.get(signal))  # fmt: skip
            out[mention] = found
    return out


# -- the model --------------------------------------------------------------------------


def _spellings(state: _State, stored: Scorer | None) -> dict[str, str]:
    """The spellings the run's records are written in, applied to them: the stored
    model's when its weights are reused (an incremental run keys names as the run that
    trained them did), else learned from the V-numbers anew (``spellings``)."""
    if stored is not None:
        spellings = stored.model.spellings
    else:
        spellings = learn_spellings(state.records, person_identifier)
    respell(state.records, spellings)
    return spellings


def _scorer(
    state: _State,
    *,
    seed: int,
    candidates: tuple[Sequence[Pair], npt.NDArray[np.int8]] | None = None,
    spellings: Mapping[str, str] | None = None,
) -> Scorer:
    """New weights learned from the mentions (and decisions), stored with ``spellings``."""
    pairs, gamma = candidates if candidates is not None else (None, None)
    model = train(
        state.records,
        PERSON,
        PERSON_RULES,
        PERSON_TRAINING,
        seed=seed,
        pairs=pairs,
        gamma=gamma,
        identifier=person_identifier,
        spellings=spellings,
    )
    scorer = Scorer(model, PERSON)
    labelled = [
        (
            state.by_id[d.props["left"]],
            state.by_id[d.props["right"]],
            d.props["judgement"] == "same",
        )
        for d in state.decisions
        if d.props["judgement"] in ("same", "different")
        and d.props["left"] in state.by_id
        and d.props["right"] in state.by_id
    ]
    kinds = Counter(same for *_, same in labelled)
    if min(kinds[True], kinds[False]) >= MIN_DECISIONS // 2 and len(labelled) >= MIN_DECISIONS:
        scorer = refine(scorer, [(a, b) for a, b, _ in labelled], [s for *_, s in labelled])
    return scorer


def _parameters(scorer: Scorer, thresholds: Thresholds) -> dict[str, Any]:
    return {
        **scorer.model.to_json(),
        "scale": scorer.scale,
        "offset": scorer.offset,
        "thresholds": asdict(thresholds),
        "method": "fellegi-sunter+logistic" if scorer.offset else "fellegi-sunter",
    }


# -- resolution ---------------------------------------------------------------------------


def _mint(prefix: str, members: Sequence[str]) -> str:
    return prefix + hashlib.sha256(min(members).encode()).hexdigest()[:12].upper()


def _assign_ids(clusters: list[list[str]], current: Mapping[str, str]) -> dict[str, list[str]]:
    """Person id per cluster: keep an existing id where the cluster holds most of it."""
    claims: list[tuple[int, str, str, int]] = []  # (-count, cluster's first member, id, index)
    for n, members in enumerate(clusters):
        held = Counter(current[m] for m in members if m in current)
        for person, count in held.items():
            claims.append((-count, members[0], person, n))
    out: dict[str, list[str]] = {}
    given: dict[int, str] = {}
    for _, _, person, n in sorted(claims):
        if n in given or person in out:
            continue
        given[n] = person
        out[person] = clusters[n]
    for n, members in enumerate(clusters):
        if n not in given:
            person = "Person:" + _mint("P", members)
            while person in out:
                person += "x"
            out[person] = members
    return out


def _person_props(person_id: str, members: Sequence[str], state: _State) -> dict[str, Any]:
    nodes = [_props(state.mentions[m]) for m in members]

    def mode(key: str) -> Any:
        values = Counter(p.get(key) for p in nodes if p.get(key))
        return min(values.items(), key=lambda kv: (-kv[1], str(kv[0])))[0] if values else None

    v_numbers = sorted({p["v_number"] for p in nodes if p.get("v_number")})
    births = [p for p in nodes if p.get("birth_date")]
    best = max(
        births,
        key=lambda p: (not p.get("birth_administrative"), len(p["birth_date"]), p["birth_date"]),
        default=None,
    )
    return {
        "person_id": key_value(person_id),
        "name": mode("name"),
        "v_number": mode("v_number"),
        "v_numbers": v_numbers,
        "v_number_conflict": unrelated_v_numbers(v_numbers),
        "birth_date": best["birth_date"] if best else None,
        "nationality": mode("nationality"),
        "sex": mode("sex"),
        "mentions": len(members),
        "sources": sorted({p["source"] for p in nodes}),
    }


def _link_id(left: str, right: str) -> str:
    return link_key(left, right)


def unrelated_v_numbers(values: Sequence[str]) -> bool:
    """Whether two of the V-numbers are not one typo apart (two people, or two registrations).

    >>> unrelated_v_numbers(["2803456781", "2803456718"]), unrelated_v_numbers(["1", "2"])
    (False, True)
    """
    return any(
        not v_number_typo(a, b) for i, a in enumerate(values) for b in values[i + 1 :] if a != b
    )


def _v_conflict(a: Record, b: Record) -> bool:
    return bool(a.v_number and b.v_number and a.v_number != b.v_number)


LINK_CHUNK = 50_000  # links scored and written at a time (one unit of work each)
# Rows of persons or their RESOLVED_TO edges a unit writes: a first run at a million rows
# grew by 2.3 GB writing 526k persons and a million edges in one unit; smaller units pay a
# LadybugDB checkpoint each (ADR 0019).
IDENTITY_CHUNK = 250_000


@dataclass
class _Links:
    """The model's links a run stores, a chunk at a time as they are written.

    A link stores its comparison levels and its run, not its explanation
    (``workbench.resolve.links`` rebuilds that when it is read): the score
    and weight are summed as the explanation sums them (:func:`_changed`).
    """

    pairs: Pairs
    gamma: npt.NDArray[np.int8]
    scores: list[float]
    weights: list[float]
    scorer: Scorer
    run: str
    now: dt.datetime

    def __len__(self) -> int:
        return len(self.pairs)

    def v_conflicts(self) -> npt.NDArray[np.bool_]:
        """Per link, whether its two mentions hold different V-numbers (``v_conflict``)."""
        j, levels = _v_conflict_levels(self.scorer)
        return np.isin(self.gamma[:, j], levels)

    def chunks(self) -> Iterator[list[dict[str, Any]]]:
        flags = self.v_conflicts()
        for start in range(0, len(self.pairs), LINK_CHUNK):
            end = start + LINK_CHUNK
            yield [
                _link_row(a, b, score, weight, lv, bool(v), self.run, self.now)
                for (a, b), score, weight, lv, v in zip(
                    self.pairs[start:end],
                    self.scores[start:end],
                    self.weights[start:end],
                    stored_levels(self.gamma[start:end]),
                    flags[start:end],
                    strict=True,
                )
            ]


def _changed(
    rows: npt.NDArray[np.int64],
    pairs: Pairs,
    gamma: npt.NDArray[np.int8],
    scorer: Scorer,
    state: _State,
) -> tuple[list[int], list[float], list[float]]:
    """The ``rows`` among the pairs whose stored link would change (all in a first run),
    with the score and weight each will store.

    A stored weight is its explanation's total (:meth:`Scorer.stored`), so it is
    compared with that, not with the rounded ``Scorer.weigh`` that clustering
    reads: the two differ by a thousandth in about half the links, and every
    full run rewrote all of those unchanged (ADR 0002, eighth round).
    """
    out: tuple[list[int], list[float], list[float]] = ([], [], [])
    for start in range(0, len(rows), LINK_CHUNK):
        part = rows[start : start + LINK_CHUNK]
        taken = pairs.take(part)
        scores, weights = scorer.stored(gamma[part], taken, state.by_id)
        for i, p, score, w in zip(part.tolist(), taken, scores, weights, strict=True):
            if state.links.get(p) != w:
                out[0].append(i)
                out[1].append(score)
                out[2].append(w)
    return out


def _v_conflict_levels(scorer: Scorer) -> tuple[int, list[int]]:
    """The V-number feature and its levels at which both mentions hold one and they differ."""
    j = next(j for j, c in enumerate(scorer.comparisons) if c.name == "v_number")
    return j, [k for k, label in enumerate(scorer.comparisons[j].levels) if label != "same"]


def _link_row(
    left: str,
    right: str,
    score: float,
    weight: float,
    levels: str,
    v_conflict: bool,
    run: str,
    now: dt.datetime,
) -> dict[str, Any]:
    return {
        "decision_id": _link_id(left, right),
        "left": left,
        "right": right,
        "judgement": "suggested",
        "score": score,
        "weight": weight,
        "author": MODEL,
        "levels": levels,
        "run": run,
        "explanation": None,  # rebuilt when read; a stored one (older code) would be stale
        "v_conflict": v_conflict,
        "created_at": now,
    }


@gc_paused()  # its passes walked every record and pair alive: blocking took 12x at 4x the data
def resolve(
    store: GraphStore,
    *,
    full: bool = False,
    retrain: bool = False,
    operator: str = "workbench",
    thresholds: Thresholds | None = None,
    seed: int = 0,
) -> ResolveReport:
    """Resolve new mentions (or, with ``full``, all of them) into persons and facilitators."""
    started = dt.datetime.now(dt.UTC)
    stage = _Stages()
    limits = thresholds or Thresholds()
    state = _read(store, everything=full or retrain, limits=limits)
    stage("read" if state.scope is None else f"read ({len(state.records)} mentions in scope)")
    mode = "full" if full or state.last_run is None else "incremental"
    new = {r.id for r in state.records if r.id not in state.assigned}
    stored_scorer = None if retrain else _stored_scorer(state)
    spellings = _spellings(state, stored_scorer)
    if mode == "full":
        pairs, lost = blocked(state.records, PERSON_RULES), set()
    else:  # stored links that the new mentions pushed out of blocking go, as in a full run
        delivered = reblocked(state.records, PERSON_RULES, new, state.links)
        pairs, lost = delivered.pairs, delivered.lost
    stage("blocking")
    gamma = vectors(pairs, state.by_id, PERSON)
    stage("comparing")
    every = (pairs, gamma) if mode == "full" else None
    scorer = stored_scorer or _scorer(state, seed=seed, candidates=every, spellings=spellings)
    stage("training")
    weights = scorer.weigh(gamma, pairs, state.by_id)
    scored = PairWeights(pairs, weights)
    strong = scored.rows_at_least(limits.keep)
    kept = scored.at_least(limits.keep)
    stored, scores, stored_weights = _changed(strong, pairs, gamma, scorer, state)
    run_id = f"resolve-{started:%Y%m%dT%H%M%S%fZ}"
    new_links = _Links(pairs.take(stored), gamma[stored], scores, stored_weights, scorer,
                       run_id, started)  # fmt: skip
    # The weight each link holds once written: what an analyst sees, and what the queue
    # ranks by, so that it is the same whether a run re-weighed a link or kept it.
    rewritten = dict(zip(new_links.pairs, stored_weights, strict=True))
    old = {} if mode == "full" else {p: w for p, w in state.links.items() if p not in lost}
    links = {**old, **{p: round(w, 3) for p, w in kept.items()}}
    same, different = _judged(state, "same"), _judged(state, "different")
    if mode == "full":
        scope = {r.id for r in state.records}
    else:
        # A run that read only its scope had nothing new to pair (no kept, no lost
        # link), so its closure is the one it was read by.
        touched = _touched(state, new, [*kept, *lost])
        scope = state.scope or _closure(touched, state, links, same, limits)
        links.update(_reweighed(old, scope, scorer, state))
    records = [state.by_id[i] for i in sorted(scope) if i in state.by_id]
    clusters = cluster(
        records,
        {p: w for p, w in links.items() if p[0] in scope and p[1] in scope},
        scorer,
        thresholds=limits,
        same=[p for p in same if p[0] in scope and p[1] in scope],
        different=[p for p in different if p[0] in scope and p[1] in scope],
        scored=scored,
    )
    stage("clustering")
    people = _assign_ids(clusters, state.assigned)
    writes, report = _plan(state, new, people, scored, links, new_links, scope, scorer, limits,
                           run_id, started, mode, operator)  # fmt: skip
    stage("planning")
    inputs = _facilitator_inputs(store)
    writes.run["counts"]["facilitator_inputs"] = inputs
    before = (state.last_run.props.get("counts") or {}) if state.last_run else {}
    if mode == "full" or before.get("facilitator_inputs") != inputs:
        facilitators = _plan_facilitators(store, run_id)
        report.facilitators = len(facilitators.rows)
    else:  # nothing loaded or purged since: the grouping would be the same
        facilitators = _Identity("FacilitatorEntity")
        report.facilitators = store.count_nodes("FacilitatorEntity")
    stage("facilitators")
    report.new_mentions = len(new)
    report.candidate_pairs = len(pairs)
    assigned = {**state.assigned, **{m: p for p, ms in people.items() for m in ms}}
    state.links.update(rewritten)  # from here on, each link's weight as stored once written
    # Counted on the stored weights, as the queue ranks: a run that re-weighed a link
    # and one that kept it count it alike (a decision counted 7 of 2.6M apart).
    report.links = sum(1 for p in links if state.links[p] >= limits.merge)
    conflicts = _conflicts(state, new_links, links)
    queue = _queue(links, state.links, conflicts, [d.props for d in state.decisions], assigned,
                   limits)  # fmt: skip
    report.review_queue = len(queue)
    # the queue this run leaves, for the review page to read
    writes.run.update(review=_ranked(queue[:REVIEW_KEPT]), decisions=state.decided)
    stage("review queue")
    _publish(store, writes, facilitators)
    stage("writing")
    report.seconds = round((dt.datetime.now(dt.UTC) - started).total_seconds(), 2)
    return report


class _Stages:
    """Logs each stage's wall and CPU time and the peak memory so far (``workbench -vv resolve``).

    CPU seconds are the figure to compare on a shared machine.
    """

    def __init__(self, what: str = "resolve") -> None:
        self.what = what
        self.mark, self.cpu = time.perf_counter(), time.process_time()

    def __call__(self, name: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        log.info("%s %s: %.1f s (%.1f CPU s), peak RSS %d MB", self.what, name,
                 now - self.mark, cpu - self.cpu, peak)  # fmt: skip
        self.mark, self.cpu = now, cpu


def _ranked(queue: Sequence[tuple[_Link, int]]) -> list[tuple[str, int]]:
    return [(f"MatchDecision:{_link_id(p.left, p.right)}", n) for p, n in queue]


# How far a stored weight (its explanation's total: a sum of rounded contributions) may lie
# from the rounded sum ``Scorer.weigh`` gives, which is what clustering reads.
ROUNDING = 0.001 * (len(PERSON) + 2)


def _reweighed(
    old: Mapping[Pair, float], scope: set[str], scorer: Scorer, state: _State
) -> dict[Pair, float]:
    """The stored links inside the scope, weighed again as a full run weighs them.

    A stored link's weight is its explanation's total; a run clusters on
    ``Scorer.weigh`` rounded, a thousandth away in about half the links at
    225k rows - enough to reorder links of equal weight and so change a
    merge (4 persons apart from a full run after a delivery, ADR 0002).
    """
    inside = Pairs.of(
        [
            (a, b)
            for a, b in old
            if a in scope and b in scope and a in state.by_id and b in state.by_id
        ],
        state.records,
    )
    weights = scorer.weigh(vectors(inside, state.by_id, PERSON), inside, state.by_id)
    return {p: round(w, 3) for p, w in zip(inside, weights.tolist(), strict=True)}


def _closure(
    seeds: set[str],
    state: _State,
    links: Mapping[Pair, float],
    same: Sequence[Pair],
    limits: Thresholds,
) -> set[str]:
    """Seeds, their current persons' mentions, and everything links that clustering
    reads reach: merge-strength links, and the weaker ones down to the rival line,
    since a group's rivals (clustering's ``odds_against_alternatives``) decide
    whether it may merge. Following merge-strength links only left a namesake
    outside the scope, so the incremental run merged what a full run held back
    (8 of 29,067 persons at 56k rows). Stored weights are followed from a
    little below the line: they are their explanations' totals."""
    members: dict[str, list[str]] = defaultdict(list)
    for m, p in state.assigned.items():
        members[p].append(m)
    reach = min(limits.merge, limits.rival) - ROUNDING  # stored weights, see ``ROUNDING``
    adjacent: dict[str, set[str]] = defaultdict(set)
    for (a, b), w in links.items():
        if w >= reach:
            adjacent[a].add(b)
            adjacent[b].add(a)
    for a, b in same:
        adjacent[a].add(b)
        adjacent[b].add(a)
    scope: set[str] = set()
    todo = list(seeds)
    while todo:
        m = todo.pop()
        if m in scope:
            continue
        scope.add(m)
        todo.extend(adjacent[m] - scope)
        if m in state.assigned:
            todo.extend(x for x in members[state.assigned[m]] if x not in scope)
    return scope


def _judged(state: _State, judgement: str) -> list[Pair]:
    """The pairs of the live analysts' decisions of one kind."""
    return [
        pair(d.props["left"], d.props["right"])
        for d in state.decisions
        if d.props["judgement"] == judgement
    ]


def _touched(state: _State, new: set[str], pairs: Sequence[Pair]) -> set[str]:
    """What an incremental run starts from: new mentions, the ends of decisions made
    since the last run, and the ends of links it made or lost (``pairs``)."""
    since = state.last_run.props["started_at"] if state.last_run else None
    touched = set(new)
    for d in state.decisions:
        if since is None or d.props["created_at"] >= since:
            touched |= {d.props["left"], d.props["right"]}
    for a, b in pairs:
        touched |= {a, b}
    return touched


@dataclass
class _Identity:
    """The entities of one label a run writes, and the mentions it re-points to them."""

    label: str  # Person or FacilitatorEntity
    rows: list[dict[str, Any]] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)  # mentions whose RESOLVED_TO is rewritten
    edges: list[dict[str, Any]] = field(default_factory=list)  # their new RESOLVED_TO edges
    removed: list[str] = field(default_factory=list)  # entities left with no mention

    def size(self) -> int:
        return len(self.rows) + len(self.unlinked) + len(self.edges) + len(self.removed)

    def write(self, store: GraphStore) -> None:
        """Entities, then their mentions re-pointed, then the entities left without any.

        One unit when it is small, so that even a write outside a staged run
        keeps every entity with its mentions and every mention with one
        entity. A first run at a million rows (526k persons, a million
        edges) grew by 2.3 GB in that one unit: a big write goes in units of
        ``IDENTITY_CHUNK`` rows, which a staged run publishes together (ADR 0016).
        """
        if self.size() <= IDENTITY_CHUNK:
            with store.writer() as w:
                self._write(w, self.rows, self.unlinked, self.edges, self.removed)
            return
        for rows in _parts(self.rows):
            with store.writer() as w:
                self._write(w, rows=rows)
        for mentions in _parts(self.unlinked):
            with store.writer() as w:
                self._write(w, unlinked=mentions)
        for edges in _parts(self.edges):
            with store.writer() as w:
                self._write(w, edges=edges)
        with store.writer() as w:
            self._write(w, removed=self.removed)

    def _write(
        self,
        w: Writer,
        rows: Sequence[dict[str, Any]] = (),
        unlinked: Sequence[str] = (),
        edges: Sequence[dict[str, Any]] = (),
        removed: Sequence[str] = (),
    ) -> None:
        if rows:
            w.upsert_nodes(self.label, rows)
        if unlinked:
            w.delete_edges_from("RESOLVED_TO", unlinked)
        if edges:
            w.upsert_edges("RESOLVED_TO", edges)
        if removed:
            w.delete_nodes(removed)


def _parts(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """``items`` in slices of ``IDENTITY_CHUNK``."""
    for start in range(0, len(items), IDENTITY_CHUNK):
        yield items[start : start + IDENTITY_CHUNK]


@dataclass
class _Writes:
    """Everything a run writes besides its facilitators, computed before any of it is."""

    stale: list[str]  # model links re-scored below ``keep``
    links: _Links
    persons: _Identity
    run: dict[str, Any]

    def size(self) -> int:
        return len(self.stale) + len(self.links) + self.persons.size() + 1


def _plan(
    state: _State,
    new: set[str],
    people: dict[str, list[str]],
    scored: Mapping[Pair, float],
    links: Mapping[Pair, float],
    link_rows: _Links,
    scope: set[str],
    scorer: Scorer,
    limits: Thresholds,
    run_id: str,
    started: dt.datetime,
    mode: str,
    operator: str,
) -> tuple[_Writes, ResolveReport]:
    """What the run writes (links, persons, the run record) and its report."""
    old_persons = {state.assigned[m] for m in scope if m in state.assigned}
    moved = {m for p, ms in people.items() for m in ms if state.assigned.get(m) != p}
    removed = sorted(old_persons - set(people))
    changed = {p for p, ms in people.items() if p in old_persons and not moved.isdisjoint(ms)}
    created = [p for p in people if p not in old_persons]
    # Stored links the run dropped, or re-scored below ``keep``: only a pair with a new
    # mention is scored again (in a full run, one below ``keep`` is not among ``links``).
    stale = [
        f"MatchDecision:{_link_id(a, b)}"
        for a, b in state.links
        if (a, b) not in links
        or ((a in new or b in new) and scored.get((a, b), limits.keep) < limits.keep)
    ]
    edges = []
    for p, ms in people.items():
        for m in ms:
            if m in moved:
                edges.append(
                    {
                        "src": m,
                        "dst": p,
                        "score": _membership(m, ms, scored),
                        "method": "fellegi-sunter",
                        "run": run_id,
                    }
                )
    persons = _Identity(
        "Person",
        [_person_props(p, ms, state) for p, ms in people.items()],
        sorted(m for m in moved if m in state.assigned),
        edges,
        removed,
    )
    run: dict[str, Any] = {
        "run_id": run_id,
        "started_at": started,
        "mode": mode,
        "operator": operator,
        "parameters": _parameters(scorer, limits),
        "counts": {
            "mentions": state.total,
            "in_scope": len(scope),
            "records_read": len(state.records),  # all mentions, or a decision's scope
            "links_written": len(link_rows),
            "mentions_moved": len(moved),
            "persons_created": len(created),
            "persons_changed": len(changed),
            "persons_removed": len(removed),
        },
    }
    persons_total = len({*state.assigned.values()} - set(removed) | set(people))
    report = ResolveReport(
        run_id=run_id,
        mode=mode,
        persons=persons_total,
        mentions=state.total,
        links=0,
        review_queue=0,
        persons_created=len(created),
        persons_changed=len(changed),
        persons_removed=len(removed),
        method=run["parameters"]["method"],
    )
    return _Writes(stale, link_rows, persons, run), report


def _publish(store: GraphStore, writes: _Writes, facilitators: _Identity) -> None:
    """Write the run in units on one staged run (ADR 0016), the run record last.

    Readers see the whole run or none of it; a run killed between units
    leaves the store as it was, and running again writes the same result
    (links, persons and facilitators are keyed by deterministic ids).
    """
    stage = _Stages("write")
    with store.staged(rows=writes.size() + facilitators.size()):
        stage("staging")
        with store.writer() as w:
            w.delete_nodes(writes.stale)
        for rows in writes.links.chunks():  # a unit each: a unit's memory grows with its rows
            with store.writer() as w:
                w.upsert_nodes("MatchDecision", rows)
        stage(f"{len(writes.links)} links")
        writes.persons.write(store)
        stage(f"{len(writes.persons.rows)} persons")
        facilitators.write(store)
        with store.writer() as w:
            w.upsert_nodes(
                "ResolutionRun", [{**writes.run, "finished_at": dt.datetime.now(dt.UTC)}]
            )
        stage("facilitators and run")
    stage("publishing")


def _membership(m: str, members: Sequence[str], scored: Mapping[Pair, float]) -> float:
    """How firmly a mention sits in its person: its best link's probability (1 alone)."""
    found = (scored.get(pair(m, o)) for o in members if o != m)
    weights = [w for w in found if w is not None]
    return round(probability(max(weights)), 6) if weights else 1.0


# How sure a facilitator mention's place is, by how it was placed (see facilitators.py).
JOIN_SCORE = {"phone": 1.0, "alone": 1.0, "alias": 0.8, "alias+context": 0.7}


def _facilitator_context(
    store: GraphStore, mentions: Mapping[str, Node], phone: Mapping[str, str]
) -> dict[str, set[str]]:
    """The numbers written in the record each facilitator mention came from.

    From its text, or from another facilitator's column of the same record.
    """
    signal = {e.dst: e.src for e in store.find_edges("NAMES_FACILITATOR", dst=list(mentions))}
    markers: dict[str, set[str]] = defaultdict(set)
    for src, dst in store.edge_ends("MENTIONS_PHONE"):
        markers[src].add(f"phone:{key_value(dst)}")
    for m, number in phone.items():
        if m in signal:
            markers[signal[m]].add(f"phone:{number}")
    return {m: set(markers.get(s, ())) for m, s in signal.items()}


def _facilitator_inputs(store: GraphStore) -> dict[str, int | str]:
    """What facilitator grouping reads, as counts that any change to it moves, and the
    code that groups them.

    Facilitator mentions, their phones and the numbers in their records are
    written by a load (a new ``LoadBatch``) and removed by a purge (fewer
    ``Signal``s); nothing else writes them. A run after neither with the same
    code - an analyst's decision - would group them as the last run did, and
    skips it (4 s of a decision at a million rows).
    """
    counts: dict[str, int | str] = {label: store.count_nodes(label) for label in FACILITATOR_INPUTS}
    return {**counts, "code": _grouping_code()}


@cache
def _grouping_code() -> str:
    """A digest of the modules that group facilitators (this one and ``facilitators``)."""
    digest = hashlib.sha256()
    for module in (__file__, facilitators_module.__file__):
        digest.update(Path(str(module)).read_bytes())
    return digest.hexdigest()[:12]


def _plan_facilitators(store: GraphStore, run_id: str) -> _Identity:
    """Facilitator mentions into facilitators (recomputed whole: they are few)."""
    with store.reader():
        mentions = {n.id: n for n in store.find_nodes("FacilitatorMention")}
        # Their own edges, by key: a scan of every mention's RESOLVED_TO and phone
        # made this stage grow 11x for 5x the rows (3.3 -> 37.5 s at a million rows).
        ids = list(mentions)
        phone = {e.src: key_value(e.dst) for e in store.find_edges("HAS_PHONE", src=ids)}
        placed = {e.src: e for e in store.find_edges("RESOLVED_TO", src=ids)}
        old = {n.id for n in store.find_nodes("FacilitatorEntity")}
        context = _facilitator_context(store, mentions, phone)
    current = {m: e.dst for m, e in placed.items()}
    records = [
        FacilitatorRecord(
            i,
            n.props.get("alias"),
            phone.get(i),
            n.props.get("role"),
            n.props["source"],
            frozenset(context.get(i, ())),
        )
        for i, n in sorted(mentions.items())
    ]
    groups, how = group_facilitators(records)
    rows, edges, moved = [], [], []
    for members in groups:
        fid = _mint("F", members)
        entity = f"FacilitatorEntity:{fid}"
        props = [mentions[m].props for m in members]
        aliases = Counter(p["alias"] for p in props if p.get("alias"))
        rows.append(
            {
                "facilitator_id": fid,
                "alias": min(aliases.items(), key=lambda kv: (-kv[1], kv[0]))[0]
                if aliases
                else None,
                "aliases": sorted(aliases),
                "roles": sorted({p["role"] for p in props if p.get("role")}),
                "phones": sorted({phone[m] for m in members if m in phone}),
                "mentions": len(members),
                "sources": sorted({p["source"] for p in props}),
            }
        )
        for m in members:
            if current.get(m) != entity:
                moved.append(m)
            # Rewritten when the mention moved or was placed another way, so
            # the edge always says how it got where it is.
            if current.get(m) != entity or placed[m].props.get("method") != how[m]:
                edges.append(
                    {
                        "src": m,
                        "dst": entity,
                        "score": JOIN_SCORE[how[m]],
                        "method": how[m],
                        "run": run_id,
                    }
                )
    wanted = {f"FacilitatorEntity:{r['facilitator_id']}" for r in rows}
    return _Identity(
        "FacilitatorEntity",
        rows,
        [m for m in moved if m in current],
        edges,
        sorted(old - wanted),
    )


# -- decisions, queue, history ---------------------------------------------------------------


def _mention_pair(store: GraphStore, left: str, right: str) -> Pair:
    """Mention ids from mention or person ids (a person stands for its first mention)."""
    ends = []
    for ref in (left, right):
        if ref.startswith("PersonMention:"):
            if not store.get_nodes([ref]):
                raise ResolveError(f"no such mention: {ref}")
            ends.append(ref)
            continue
        person = ref if ref.startswith("Person:") else f"Person:{ref}"
        members = sorted(e.src for e in store.find_edges("RESOLVED_TO", dst=[person]))
        if not members:
            raise ResolveError(f"no such person: {ref} (give a Person or PersonMention id)")
        ends.append(members[0])
    if ends[0] == ends[1]:
        raise ResolveError("a decision needs two different mentions")
    return pair(ends[0], ends[1])


def decide(
    store: GraphStore,
    left: str,
    right: str,
    judgement: Judgement,
    *,
    author: str,
    reason: str,
) -> ResolveReport:
    """Record an analyst's decision on a pair, supersede the old one, and re-resolve."""
    if judgement not in JUDGEMENTS:
        raise ResolveError(f"judgement must be one of {', '.join(JUDGEMENTS)}, not {judgement!r}")
    if not reason or not reason.strip():
        raise ResolveError("a decision needs a reason (--reason)")
    a, b = _mention_pair(store, left, right)
    now = dt.datetime.now(dt.UTC)
    live = [
        d
        for d in store.find_nodes("MatchDecision", {"left": a, "right": b})
        if d.props["judgement"] != "suggested" and d.props.get("deleted_at") is None
    ]
    with store.writer() as w:
        w.upsert_nodes(
            "MatchDecision",
            [{**d.props, "deleted_at": now} for d in live]
            + [
                {
                    "decision_id": f"{author}:{a}~{b}:{now:%Y%m%dT%H%M%S%fZ}",
                    "left": a,
                    "right": b,
                    "judgement": judgement,
                    "author": author,
                    "reason": reason,
                    "created_at": now,
                }
            ],
        )
    return resolve(store, operator=author)


def review_candidates(store: GraphStore) -> list[tuple[str, int]]:
    """Every undecided link an analyst should decide: V-number conflicts first, then by impact.

    ``(MatchDecision id, impact)`` pairs, ranked over the whole store: an
    internal computation. The latest run stored its queue (``review``, at
    most ``REVIEW_KEPT``; a decision resolves again, so it is current);
    a store resolved before runs stored it is ranked here. What a viewer is
    offered of it is decided in the query layer (``workbench.query.review``),
    which reads each link through the viewer's policy.
    """
    with store.reader():
        last = last_run(store, ["review"])
        if last is not None and last.props.get("review") is not None:
            return [(str(i), int(n)) for i, n in last.props["review"]]
        nodes = store.find_nodes("MatchDecision", fields=DECISION_FIELDS)
        person = dict(store.edge_ends("RESOLVED_TO"))
    suggested = [n.props for n in nodes if n.props["judgement"] == "suggested"]
    weights = {(p["left"], p["right"]): float(p.get("weight") or 0.0) for p in suggested}
    conflicts = {(p["left"], p["right"]) for p in suggested if p.get("v_conflict")}
    decisions = [n.props for n in nodes if n.props["judgement"] != "suggested"]
    return _ranked(_queue(weights, weights, conflicts, decisions, person, Thresholds()))


class _Link(NamedTuple):
    """A model link on the review queue."""

    left: str
    right: str
    weight: float  # as stored


def _conflicts(state: _State, written: _Links, links: Iterable[Pair]) -> set[Pair]:
    """The links between two mentions holding different V-numbers, once the run is written:
    the stored links' flags, and the flags of the links it writes."""
    out = set(state.conflicts)
    out.update(p for p, flag in zip(written.pairs, written.v_conflicts().tolist(), strict=True)
               if flag)  # fmt: skip
    if state.unflagged:  # links stored before the flag: every record was read
        by_id = state.by_id
        out.update((a, b) for a, b in links
                   if a in by_id and b in by_id and _v_conflict(by_id[a], by_id[b]))  # fmt: skip
    return out


def _queue(
    links: Iterable[Pair],
    weights: Mapping[Pair, float],
    conflicts: Container[Pair],
    decisions: Sequence[Mapping[str, Any]],
    person: Mapping[str, str],
    limits: Thresholds,
) -> list[tuple[_Link, int]]:
    """Undecided links for an analyst: conflicting V-numbers first, then by impact
    (links held back before the review band's at equal impact).

    A link between mentions with different V-numbers is never merged by the
    model (unless one typo apart), so however strong it is an analyst must
    see it: across two persons from the bottom of the review band up, and
    inside one person (a typo merge, or two V-numbers joined by a decision)
    until an analyst has decided a pair of it. A link above the review band
    between two persons was held back by clustering (a namesake claims the
    mention as well, the groups' average or a veto): the model cannot
    decide, an analyst can. Other links are listed when their weight lies in
    the review band. ``weights`` are the links' stored weights, ``conflicts``
    the links across two V-numbers, ``decisions`` the analysts' (superseded
    ones too); a mention without a ``person`` is no longer in the store.

    One pass over every link (2.9 million at a million rows): most are strong
    links inside one person, a question only when they join two V-numbers.
    """
    live = [d for d in decisions if d.get("deleted_at") is None]
    decided = {(d["left"], d["right"]) for d in live}
    confirmed = {
        person.get(d["left"]) for d in live if d["judgement"] == "same"
    }  # persons an analyst has looked at
    size = Counter(person.values())
    low, high = limits.review_low, limits.review_high
    out = []
    for ends in links:
        weight = weights[ends]
        pa, pb = person.get(ends[0]), person.get(ends[1])
        if weight < low or pa is None or pb is None:
            continue  # below the band nothing is a question, a conflict neither
        if weight > high and pa == pb:  # merged: a question only across two V-numbers
            if ends not in conflicts or pa in confirmed or ends in decided:
                continue
            kind = 0
        else:
            if ends in decided:
                continue
            conflict = ends in conflicts and not (pa == pb and pa in confirmed)
            kind = 0 if conflict else 1 if weight > high else 2
        na, nb = size[pa], size[pb]
        out.append((_Link(*ends, weight), na if pa == pb else na + nb, kind))
    out.sort(
        key=lambda x: (
            x[2] > 0,
            -x[1],
            x[2],
            abs(x[0].weight - limits.merge),
            x[0].left,
        )
    )
    # Two persons are one question, however many of their mentions pair up:
    # keep the first pair for each two persons (and one per conflicting person).
    seen: set[tuple[str, ...]] = set()
    unique = []
    for p, impact, kind in out:
        conflict = kind == 0
        pa, pb = person.get(p.left, p.left), person.get(p.right, p.right)
        if pa != pb:
            key: tuple[str, ...] = tuple(sorted((pa, pb)))
        else:
            key = ("conflict", pa) if conflict else (p.left, p.right)
        if key not in seen:
            seen.add(key)
            unique.append((p, impact))
    return unique
