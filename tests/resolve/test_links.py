"""A stored link keeps its comparison levels; its explanation is rebuilt when read (ADR 0002,
sixth round), equal field by field to the one a run stored before, and a link stored with its
explanation (an older store) still reads as it was stored."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pytest

from workbench.query import Session
from workbench.query.persons import person_links
from workbench.resolve.api import explained, last_run
from workbench.resolve.compare import PERSON
from workbench.resolve.links import levels, vectors
from workbench.resolve.scoring import Scorer, rounded
from workbench.resolve.service import _read
from workbench.resolve.spellings import respell
from workbench.security.policy import Unrestricted
from workbench.store.base import CypherStore


def _links(store: CypherStore) -> list:  # type: ignore[type-arg]
    return store.find_nodes("MatchDecision", {"judgement": "suggested"})


def test_a_link_stores_its_levels_and_reads_with_the_explanation_its_run_summed(
    resolved: CypherStore,
) -> None:
    run = last_run(resolved)
    assert run is not None
    scorer = Scorer.of_run(run.props["parameters"], PERSON)
    assert scorer is not None
    by_id = _read(resolved).by_id
    respell(by_id.values(), scorer.model.spellings)  # as the run wrote the names
    assert scorer.model.spellings  # the corpus teaches some (Osman, Othman)
    links = _links(resolved)
    assert links
    assert all(d.props.get("explanation") is None for d in links)
    assert {d.props["run"] for d in links} == {run.props["run_id"]}
    read = explained(resolved, links)
    # Border records' companions are read with the mentions, as the run read them.
    travelled = [line for d in read for line in d.props["explanation"]
                 if line["feature"] == "companions" and line["left"] and line["right"]]  # fmt: skip
    assert travelled
    for d in read:
        a, b = by_id[d.props["left"]], by_id[d.props["right"]]
        one = scorer.explain(a, b)  # what the run would have stored as the explanation
        assert d.props["explanation"] == [asdict(c) for c in one.contributions]
        assert (d.props["score"], d.props["weight"]) == (round(one.score, 6), one.weight)
        shown = "".join("-" if lv is None else str(lv) for lv in scorer.vector(a, b))
        assert d.props["levels"] == shown
        v_line = next(c for c in one.contributions if c.feature == "v_number")
        assert d.props["v_conflict"] == (v_line.level not in ("same", "missing"))


def test_a_link_stored_with_its_explanation_reads_as_stored(
    resolved: CypherStore,
) -> None:
    person = next(
        p for p in {e.dst for e in resolved.find_edges("RESOLVED_TO")}
        if person_links(Session(resolved, Unrestricted()), p)
    )  # fmt: skip
    link = person_links(Session(resolved, Unrestricted()), person)[0]
    old = [{"feature": "prior", "level": "candidate pair", "weight": link.weight, "left": None,
            "right": None, "frequency": None, "adjustment": None}]  # fmt: skip
    key = f"MatchDecision:model:{link.left}~{link.right}"
    stored = resolved.get_nodes([key])[key].props
    with resolved.writer() as w:  # as a run before the sixth round wrote it
        w.upsert_nodes(
            "MatchDecision", [{**stored, "explanation": old, "levels": None, "run": None}]
        )
    again = {(x.left, x.right): x for x in person_links(Session(resolved, Unrestricted()), person)}
    read = [asdict(c) for c in again[(link.left, link.right)].contributions]
    assert read == [{**line, "among": None} for line in old]  # fields added since: defaults


def test_levels_round_trip() -> None:
    gamma = np.array([[0, -1, 5, 9], [-1, -1, -1, -1], [2, 1, 0, 3]], dtype=np.int8)
    assert levels(gamma) == ["0-59", "----", "2103"]
    assert vectors(levels(gamma)).tolist() == gamma.tolist()
    with pytest.raises(ValueError, match="10 levels"):
        levels(np.array([[10]], dtype=np.int8))


def test_vectorised_rounding_equals_pythons_round() -> None:
    rng = np.random.default_rng(7)
    near = (rng.integers(-20000, 20000, 20000) + 0.5) / 1000  # ties and near-ties
    x = np.concatenate(
        [rng.normal(0, 8, 100000), near, np.nextafter(near, 0), np.nextafter(near, 99)]
    )
    assert rounded(x, 3).tolist() == [round(v, 3) for v in x.tolist()]
