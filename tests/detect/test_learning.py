"""The learned ranking: never used below the threshold, used (and explained) once earned."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import make_store
from tests.detect.world import World, ring
from workbench.detect import DetectionParams, detect
from workbench.detect.learning import (
    FEATURES,
    MIN_CONFIRMED,
    MIN_OTHER,
    Example,
    train,
)
from workbench.detect.results import latest_run
from workbench.detect.verdicts import record_verdict
from workbench.store.base import CypherStore

PARAMS = DetectionParams(alert_min_score=0.0)


def _examples(confirmed: int, other: int, *, seed: int = 1) -> list[Example]:
    """Separable examples: confirmed clusters have hard signals, the others have none."""
    rng = random.Random(seed)
    out = []
    for i in range(confirmed + other):
        y = 1 if i < confirmed else 0
        x = [rng.uniform(0, 3) for _ in FEATURES]
        x[FEATURES.index("hard_signals")] = 6.0 + rng.random() if y else rng.random()
        out.append(Example(f"Cluster:R1|{i}", x, y, score=rng.uniform(20, 40)))
    return out


@pytest.mark.parametrize(
    ("confirmed", "other"), [(MIN_CONFIRMED - 1, 30), (30, MIN_OTHER - 1), (0, 0)]
)
def test_a_model_on_too_few_verdicts_is_never_trained(confirmed: int, other: int) -> None:
    ranker = train(_examples(confirmed, other))
    assert ranker.method == "score" and not ranker.weights and ranker.version is None
    assert f"needs at least {MIN_CONFIRMED} and {MIN_OTHER}" in ranker.why


def test_a_model_that_ranks_better_than_the_score_is_used_and_explains_itself() -> None:
    ranker = train(_examples(MIN_CONFIRMED, MIN_OTHER + 3))
    assert ranker.method == "learned", ranker.why
    assert ranker.quality["auc"] > ranker.quality["score_auc"]
    assert 0 <= ranker.quality["brier"] < 0.25 and ranker.version
    x = _examples(1, 0, seed=7)[0].x
    explained = ranker.explain(x)
    assert [e["term"] for e in explained] == list(FEATURES)
    hard = explained[FEATURES.index("hard_signals")]
    assert hard["weight"] > 0
    assert hard["log_odds"] == pytest.approx(hard["weight"] * hard["value"], abs=1e-3)
    assert ranker.probability(x) > 0.5


def test_a_model_no_better_than_the_score_leaves_the_score_in_force() -> None:
    examples = _examples(MIN_CONFIRMED, MIN_OTHER + 3)
    perfect = [Example(e.cluster_id, e.x, e.y, score=100.0 * e.y + i) for i, e in
               enumerate(examples)]  # fmt: skip
    noise = [Example(e.cluster_id, [0.0] * len(FEATURES), e.y, e.score) for e in perfect]
    ranker = train(noise)
    assert ranker.method == "score" and "the hand-set score ranks them better" in ranker.why


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CypherStore]:
    """Rings that look alike, except that the smuggling ones carry the theme."""
    s = make_store("embedded", tmp_path / "home")
    w = World(s)
    names = ["Omar", "Tesfay", "Haile", "Yusuf", "Ahmad", "Kidane", "Bashir", "Samir",
             "Tarek", "Nabil", "Habib", "Rami", "Zaid", "Faris", "Karim", "Walid"]  # fmt: skip
    for k, name in enumerate(names):
        theme = "mensensmokkel" if k < 11 else "overig"
        ring(w, name, [f"{name}{i}" for i in range(3 + k % 3)], phone=f"+9053200000{k:02d}",
             theme=theme)  # fmt: skip
    w.write()
    yield s
    s.close()


def _clusters(store: CypherStore) -> list[dict[str, object]]:
    run = latest_run(store)
    assert run is not None
    found = store.find_nodes("Cluster", {"run_id": run.props["run_id"]})
    return [c.props | {"id": c.id} for c in sorted(found, key=lambda c: int(c.props["number"]))]


def test_runs_store_the_ranking_in_force_and_learn_once_enough_is_judged(
    store: CypherStore,
) -> None:
    report = detect(store, PARAMS)
    assert report.model["method"] == "score" and report.model["verdicts"] == 0
    first = _clusters(store)
    assert len(first) == 16 and {c["ranking"] for c in first} == {"score"}
    assert all(c["probability"] is None for c in first)
    for c in first[:3]:  # too few: the next run still ranks by score
        verdict = "confirmed" if "mensensmokkel" in c["themes"] else "benign"  # type: ignore[operator]
        record_verdict(store, str(c["id"]), verdict, reason="r", author="a", organisation="coa")
    assert detect(store, PARAMS).model["method"] == "score"
    for c in _clusters(store):
        verdict = "confirmed" if "mensensmokkel" in c["themes"] else "benign"  # type: ignore[operator]
        record_verdict(store, str(c["id"]), verdict, reason="r", author="a", organisation="coa")
    report = detect(store, PARAMS)
    model = report.model
    assert model["confirmed"] >= MIN_CONFIRMED and model["benign_or_partly"] >= MIN_OTHER
    assert model["method"] == "learned", model["why"]
    run = latest_run(store)
    assert run is not None and run.props["model"]["version"] == model["version"]
    ranked = _clusters(store)
    assert {c["ranking"] for c in ranked} == {"learned"}
    probabilities = [float(c["probability"]) for c in ranked]  # type: ignore[arg-type]
    assert probabilities == sorted(probabilities, reverse=True)  # numbered by probability
    terms = ranked[0]["learned_terms"]
    assert isinstance(terms, list) and [t["term"] for t in terms] == list(FEATURES)
