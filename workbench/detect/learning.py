"""A ranking learned from analysts' verdicts: explainable, calibrated, used only when earned.

Each run trains a logistic regression (fitted with SciPy, cross-validated
with scikit-learn) on the clusters of
earlier runs that analysts judged: ``confirmed`` is a positive, ``benign``
and ``partly`` are negatives (the probability is that an analyst confirms the
cluster as a network; a cluster that is only part of one is not that), and
``unclear`` teaches nothing. The features are the hand-set score itself, its
terms (each term's points) and two facts about what analysts already decided:
how many of the cluster's markers (facilitator, phone, vehicle, document,
visitor) they saw in clusters they confirmed, and in clusters they judged
benign or partly. Only these numbers leave a verdict, never its content, so
verdicts of one organisation teach the model for all.

The model is used only when it has earned it:

- at least :data:`MIN_CONFIRMED` confirmed and :data:`MIN_OTHER` benign or
  partly verdicts (below that, a model is never trained, let alone used);
- its cross-validated ranking of the judged clusters (ROC AUC, stratified
  folds) is at least as good as the hand-set score's on the same clusters.

Otherwise the run ranks by the hand-set score, and says why.

Judged clusters come from the top of the ranking, so the model must not
extrapolate wildly to the clusters below them. Two guards: it is monotone
(it may weigh each piece of evidence more or less than the hand-set score
does, never count it against a network: :func:`_fit`), and it starts from
the hand-set score, departing from it only as far as the verdicts justify:
the score is a feature whose weight is penalised far less than the terms'
own (:data:`ANCHOR`; a ridge towards the score, as prior knowledge enters a
regularised regression, cf. Hastie, Tibshirani & Friedman, *The Elements of
Statistical Learning*, 2nd ed., 3.4.1).

Logistic regression fits log loss, so its probabilities are calibrated on
the data it saw; the run stores the cross-validated Brier score to show how
well they hold on clusters it did not see. Each term's learned weight is per
point of the term, beside its hand-set contribution (always 1 per point).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.detect.projection import KINDS
from workbench.detect.results import term
from workbench.detect.verdicts import Verdict, live_verdicts
from workbench.store import GraphStore

__all__ = [
    "FEATURES",
    "MIN_CONFIRMED",
    "MIN_OTHER",
    "TERMS",
    "Example",
    "Judged",
    "Ranker",
    "features",
    "judged_clusters",
    "known_counts",
    "known_for_run",
    "markers",
    "train",
]

log = logging.getLogger(__name__)

TERMS = (
    "members",
    "specific_links",
    "shared_markers",
    "themes",
    "hard_signals",
    "coa_indicators",
    "facilitator_roles",
    "money",
    "forged_documents",
    "organisations",
    "growth",
)
KNOWN = ("markers_in_confirmed", "markers_in_dismissed")
FEATURES = ("score", *TERMS, *KNOWN)
MIN_CONFIRMED = 10
MIN_OTHER = 5
# The score's column is multiplied by this after standardising: its weight then
# costs ANCHOR**2 times less to the L2 penalty than a term's own.
ANCHOR = 4.0
VERSION = "logreg-2"
POSITIVE = frozenset({"confirmed"})
NEGATIVE = frozenset({"benign", "partly"})


def markers(explanation: Any) -> frozenset[tuple[str, str]]:
    """The marker things (kind, key) that link members of a cluster, from its explanation."""
    evidence = term(explanation, "specific_links").get("evidence", [])
    return frozenset(
        (str(t["kind"]), str(t["key"]))
        for t in evidence
        if isinstance(t, dict) and KINDS[str(t["kind"])].marker
    )


@dataclass(frozen=True)
class Judged:
    """A cluster an analyst judged: its verdict and its markers, to compare others with."""

    verdict: Verdict
    markers: frozenset[tuple[str, str]]


def known_counts(
    own: frozenset[tuple[str, str]],
    judged: Iterable[Judged],
    *,
    before: dt.datetime | None = None,
    exclude: Collection[str] = (),
) -> dict[str, float]:
    """How many of a cluster's markers analysts saw in confirmed and in dismissed clusters.

    Only verdicts made ``before`` count (a training example sees what was
    known when it was judged), and never the cluster's own verdict
    (``exclude``: the clusters its own, inherited or ancestors' verdicts were given on).

    >>> v = Verdict("v", "Cluster:R1|1", "R1", "confirmed", "", "a", "coa",
    ...             dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    >>> known_counts(frozenset({("phone", "P1")}), [Judged(v, frozenset({("phone", "P1")}))])
    {'markers_in_confirmed': 1.0, 'markers_in_dismissed': 0.0}
    """
    confirmed: set[tuple[str, str]] = set()
    dismissed: set[tuple[str, str]] = set()
    for j in judged:
        v = j.verdict
        if v.cluster_id in exclude or (before is not None and v.created_at >= before):
            continue
        shared = own & j.markers
        if v.verdict in POSITIVE:
            confirmed |= shared
        elif v.verdict in NEGATIVE:
            dismissed |= shared
    return {
        "markers_in_confirmed": float(len(confirmed)),
        "markers_in_dismissed": float(len(dismissed)),
    }


def features(explanation: Any, known: Mapping[str, float]) -> list[float]:
    """The feature vector of a cluster: its hand-set score (the sum of its terms),
    each term's points, then the ``known`` counts.

    >>> features([{"term": "members", "value": 3.0}, {"term": "themes", "value": 1.5}], {})[:4]
    [4.5, 3.0, 0.0, 0.0]
    """
    values = {t["term"]: float(t.get("value") or 0.0) for t in explanation if isinstance(t, dict)}
    terms = [values.get(name, 0.0) for name in TERMS]
    return [sum(terms), *terms, *(float(known.get(k, 0.0)) for k in KNOWN)]


@dataclass(frozen=True)
class Example:
    """One judged cluster as training data."""

    cluster_id: str
    x: list[float]
    y: int
    score: float


def judged_clusters(store: GraphStore) -> tuple[list[Judged], list[Example]]:
    """Every live verdict with its cluster's markers, and the training examples among them."""
    with store.reader():
        verdicts = live_verdicts(store)
        nodes = store.get_nodes(sorted(verdicts))
    judged = [
        Judged(v, markers(nodes[c].props.get("explanation")))
        for c, v in verdicts.items()
        if c in nodes
    ]
    examples = []
    for j in judged:
        v = j.verdict
        label = 1 if v.verdict in POSITIVE else 0 if v.verdict in NEGATIVE else None
        if label is None:
            continue
        explanation = nodes[v.cluster_id].props.get("explanation") or []
        known = known_counts(j.markers, judged, before=v.created_at, exclude={v.cluster_id})
        examples.append(
            Example(
                v.cluster_id,
                features(explanation, known),
                label,
                float(nodes[v.cluster_id].props["score"]),
            )
        )
    return judged, examples


@dataclass
class Ranker:
    """The ranking in force for a run: ``score`` (hand-set) or ``learned`` (a fitted model)."""

    method: str
    why: str
    confirmed: int = 0
    other: int = 0
    quality: dict[str, float] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    intercept: float = 0.0
    version: str | None = None

    @property
    def learned(self) -> bool:
        return self.method == "learned"

    def probability(self, x: Sequence[float]) -> float:
        """The calibrated probability that an analyst confirms a cluster with features ``x``."""
        z = self.intercept + sum(self.weights[f] * v for f, v in zip(FEATURES, x, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def explain(self, x: Sequence[float]) -> list[dict[str, Any]]:
        """Per feature: the hand-set points, the learned weight per point, the log-odds added."""
        return [
            {
                "term": f,
                "value": v,
                "weight": round(self.weights[f], 4),
                "log_odds": round(self.weights[f] * v, 4),
            }
            for f, v in zip(FEATURES, x, strict=True)
        ]

    def to_dict(self) -> dict[str, Any]:
        """What the run stores as ``model`` (and ``detect --json`` prints)."""
        return {
            "method": self.method,
            "why": self.why,
            "version": self.version,
            "verdicts": self.confirmed + self.other,
            "confirmed": self.confirmed,
            "benign_or_partly": self.other,
            "thresholds": {"confirmed": MIN_CONFIRMED, "benign_or_partly": MIN_OTHER},
            "cross_validated": self.quality,
            "weights": {k: round(v, 4) for k, v in self.weights.items()},
            "intercept": round(self.intercept, 4),
        }


def train(examples: Sequence[Example], *, seed: int = 1) -> Ranker:
    """Fit the ranking model on judged clusters, or explain why the hand-set score stays.

    Examples
    --------
    Too few verdicts: no model is trained.

    >>> train([Example("Cluster:R1|1", [1.0] * len(FEATURES), 1, 40.0)]).method
    'score'
    """
    y = [e.y for e in examples]
    confirmed, other = sum(y), len(y) - sum(y)
    if confirmed < MIN_CONFIRMED or other < MIN_OTHER:
        return Ranker(
            "score",
            f"{confirmed} confirmed and {other} benign or partly verdicts; a learned ranking "
            f"needs at least {MIN_CONFIRMED} and {MIN_OTHER}",
            confirmed,
            other,
        )
    import numpy as np  # scikit-learn loads in a second: only when a model is trained
    from sklearn.metrics import brier_score_loss, roc_auc_score  # type: ignore[import-untyped]
    from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

    x = np.array([e.x for e in examples], dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    scale[FEATURES.index("score")] /= ANCHOR  # the anchor: see the module's docstring
    z = (x - mean) / scale
    target = np.array(y, dtype=float)
    folds = StratifiedKFold(n_splits=min(5, other, confirmed), shuffle=True, random_state=seed)
    predicted = np.zeros(len(y))
    for fit, held in folds.split(z, y):
        b, w = _fit(z[fit], target[fit])
        predicted[held] = 1.0 / (1.0 + np.exp(-(b + z[held] @ w)))
    quality = {
        "folds": float(folds.get_n_splits()),
        "auc": round(float(roc_auc_score(y, predicted)), 4),
        "brier": round(float(brier_score_loss(y, predicted)), 4),
        "score_auc": round(float(roc_auc_score(y, [e.score for e in examples])), 4),
    }
    b, w = _fit(z, target)
    coef = w / scale  # per point of each feature, in the original units
    intercept = float(b - float(np.dot(w, mean / scale)))
    weights = {f: float(c) for f, c in zip(FEATURES, coef, strict=True)}
    digest = hashlib.sha256(
        json.dumps([sorted(e.cluster_id for e in examples), weights], sort_keys=True).encode()
    ).hexdigest()[:10]
    earned = quality["auc"] >= quality["score_auc"]
    why = (
        f"cross-validated AUC {quality['auc']:.3f} on {len(y)} judged clusters, "
        f"hand-set score {quality['score_auc']:.3f}"
    )
    return Ranker(
        "learned" if earned else "score",
        why if earned else why + ": the hand-set score ranks them better, so it stays",
        confirmed,
        other,
        quality,
        weights,
        intercept,
        f"{VERSION}+{digest}",
    )


def _fit(z: Any, y: Any, c: float = 1.0) -> tuple[float, Any]:
    """L2-penalised logistic regression whose evidence weights cannot go below zero.

    Minimises ``sum(log loss) + |w|^2 / (2c)`` (scikit-learn's ``C``) with
    L-BFGS-B bounds: the hand-set score and its terms are evidence of a
    network, so the model may weigh each more or less, never against (a
    monotone model, as credit scoring requires of its scorecards); the
    ``known`` counts may take either sign. Without the bounds, a model that
    had only seen judged clusters from the top of the ranking gave
    ``themes`` a negative weight (pieces of networks carry themes too) and so
    ranked the themeless clusters below them, which it had never seen, first.
    Returns the intercept and the weights, in ``z``'s (standardised) units.
    """
    import numpy as np
    from scipy.optimize import minimize  # type: ignore[import-untyped]
    from scipy.special import expit  # type: ignore[import-untyped]

    sign = 2.0 * y - 1.0

    def loss(v: Any) -> tuple[float, Any]:
        t = v[0] + z @ v[1:]
        margin = sign * t
        g = -sign * expit(-margin)  # d loss / d t
        value = float(np.logaddexp(0.0, -margin).sum() + v[1:] @ v[1:] / (2 * c))
        return value, np.concatenate(([g.sum()], z.T @ g + v[1:] / c))

    bounds = [(None, None)] + [(None, None) if f in KNOWN else (0.0, None) for f in FEATURES]
    fitted = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds)
    return float(fitted.x[0]), fitted.x[1:]


def known_for_run(
    clusters: Mapping[str, frozenset[tuple[str, str]]],
    judged: Sequence[Judged],
    exclude: Mapping[str, Collection[str]],
) -> dict[str, dict[str, float]]:
    """The ``known`` counts of a run's clusters against every verdict so far.

    ``exclude`` names, per cluster, the judged clusters it continues (their
    verdicts are its own, not knowledge about another cluster).
    """
    index: dict[tuple[str, str], list[Judged]] = defaultdict(list)
    for j in judged:
        for m in j.markers:
            index[m].append(j)
    out = {}
    for c, own in clusters.items():
        near = {j.verdict.cluster_id: j for m in own for j in index.get(m, ())}
        out[c] = known_counts(own, near.values(), exclude=exclude.get(c, ()))
    return out
