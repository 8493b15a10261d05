"""Verdicts on clusters: recorded, superseded, revoked, inherited along lineage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import make_store
from tests.detect.world import World, ring
from workbench.detect import DetectionParams, detect
from workbench.detect.results import latest_run
from workbench.detect.verdicts import (
    Verdict,
    VerdictError,
    live_verdicts,
    record_verdict,
    revoke_verdict,
    verdict_for,
    verdicts_for,
)
from workbench.store.base import CypherStore

PARAMS = DetectionParams(alert_min_score=0.0)
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CypherStore]:
    s = make_store("embedded", tmp_path / "home")
    w = World(s)
    ring(w, "Omar", [f"a{i}" for i in range(5)], phone="+905321111111", plate="AB12CD")
    ring(w, "Tesfay", [f"b{i}" for i in range(4)], phone="+905322222222")
    ring(w, "Haile", [f"c{i}" for i in range(6)], phone="+905323333333", source="kmar")
    w.write()
    yield s
    s.close()


def _clusters(store: CypherStore) -> list[str]:
    run = latest_run(store)
    assert run is not None
    found = store.find_nodes("Cluster", {"run_id": run.props["run_id"]})
    return [c.id for c in sorted(found, key=lambda c: int(c.props["number"]))]


def _members(store: CypherStore, cluster: str) -> list[str]:
    return sorted(e.src for e in store.find_edges("MEMBER_OF", dst=[cluster]))


def test_a_verdict_survives_a_rerun_on_unchanged_data(store: CypherStore) -> None:
    detect(store, PARAMS)
    first = _clusters(store)
    assert len(first) == 3
    for c, judgement in zip(first, ("confirmed", "benign", "partly"), strict=True):
        record_verdict(store, c, judgement, reason="checked the signals", author="ann",
                       organisation="coa")  # fmt: skip
    for _ in range(2):  # two reruns: inherited through a chain of `same`
        report = detect(store, PARAMS)
        assert report.lineage == {"same": 3, "dissolved": 0}
    views = verdicts_for(store, _clusters(store))
    assert all(v.inherited and v.verdict is not None for v in views.values())
    assert sorted(v.verdict.verdict for v in views.values() if v.verdict) == [
        "benign", "confirmed", "partly"
    ]  # fmt: skip
    assert {v.verdict.cluster_id for v in views.values() if v.verdict} == set(first)
    shown = next(iter(views.values())).to_dict()
    assert shown is not None and shown["inherited"] and shown["author"] == "ann"


def test_a_new_verdict_supersedes_and_a_revocation_keeps_the_history(
    store: CypherStore,
) -> None:
    detect(store, PARAMS)
    c = _clusters(store)[0]
    members = _members(store, c)
    record_verdict(store, c, "confirmed", reason="first look", author="ann", organisation="coa")
    audit: list[tuple[str, dict[str, object]]] = []
    record_verdict(store, c, "partly", reason="one does not belong", author="bob",
                   organisation="ind", not_members=[members[0]],
                   audit=lambda a, d: audit.append((a, d)))  # fmt: skip
    live = live_verdicts(store)
    assert live[c].verdict == "partly" and live[c].not_members == (members[0],)
    assert audit[0][0] == "verdict" and audit[0][1]["supersedes"]
    revoke_verdict(store, c, reason="wrong cluster", author="bob")
    assert live_verdicts(store) == {}
    history = store.find_nodes("Verdict")
    assert len(history) == 2 and all(n.props["deleted_at"] is not None for n in history)
    with pytest.raises(VerdictError, match="no verdict of its own"):
        revoke_verdict(store, c, reason="again", author="bob")


@pytest.mark.parametrize(
    ("judgement", "kwargs", "message"),
    [
        ("guilty", {}, "verdict must be one of"),
        ("confirmed", {"reason": " "}, "needs a reason"),
        ("partly", {"members": ["Person:nobody"]}, "not members of"),
    ],
)
def test_bad_verdicts_are_refused_with_what_to_change(
    store: CypherStore, judgement: str, kwargs: dict[str, object], message: str
) -> None:
    detect(store, PARAMS)
    c = _clusters(store)[0]
    args: dict[str, object] = {"reason": "r", "author": "ann", "organisation": "coa", **kwargs}
    with pytest.raises(VerdictError, match=message):
        record_verdict(store, c, judgement, **args)  # type: ignore[arg-type]
    with pytest.raises(VerdictError, match="no cluster"):
        record_verdict(store, "Cluster:R-x|1", "confirmed", reason="r", author="a",
                       organisation="coa")  # fmt: skip


def _v(cluster: str, verdict: str = "confirmed") -> Verdict:
    return Verdict(f"v-{cluster}", cluster, cluster.split("|")[0], verdict, "r", "ann", "coa", T0)


def test_split_merged_and_shrunk_clusters_list_ancestors_verdicts_to_confirm() -> None:
    own = {"Cluster:R1|1": _v("Cluster:R1|1"), "Cluster:R1|2": _v("Cluster:R1|2", "benign")}
    lineage = {
        "Cluster:R2|1": [("Cluster:R1|1", "merged"), ("Cluster:R1|2", "merged")],
        "Cluster:R2|2": [("Cluster:R1|1", "split")],
        "Cluster:R2|3": [("Cluster:R1|2", "shrunk")],
        "Cluster:R2|4": [("Cluster:R1|2", "grown")],
    }
    merged = verdict_for("Cluster:R2|1", own=own, lineage=lineage)
    assert merged.verdict is None and [v.verdict for v in merged.to_confirm] == [
        "confirmed",
        "benign",
    ]
    assert verdict_for("Cluster:R2|2", own=own, lineage=lineage).to_confirm == (
        own["Cluster:R1|1"],
    )
    assert verdict_for("Cluster:R2|3", own=own, lineage=lineage).verdict is None
    grown = verdict_for("Cluster:R2|4", own=own, lineage=lineage)
    assert grown.inherited and grown.verdict == own["Cluster:R1|2"]
    assert verdict_for("Cluster:R2|9", own=own, lineage=lineage).to_dict() is None
