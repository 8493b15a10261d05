"""Benign marks: typed as analysts type them, left out in every role, reversible."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import make_store
from tests.detect.world import Fac, World, ring
from workbench.detect import DetectionParams, detect
from workbench.detect.benign import (
    BenignError,
    Marks,
    add_mark,
    identifier,
    live_marks,
    remove_mark,
    suggest,
    suggestions,
)
from workbench.detect.projection import Incidence, group_things
from workbench.detect.results import latest_run, term
from workbench.detect.verdicts import record_verdict
from workbench.store.base import CypherStore

LINE = "+31205551234"  # a support line, shared by fewer people than the hub line
TYPED = "020 - 555 12 34"  # the same number as an analyst types it
PARAMS = DetectionParams(alert_min_score=0.0)


@pytest.mark.parametrize(
    ("typed", "kind", "expected"),
    [
        ("020-5551234", None, ("phone", f"Phone:{LINE}", LINE)),
        ("+31 (0)20 555 1234", None, ("phone", f"Phone:{LINE}", LINE)),
        ("0031205551234", "phone", ("phone", f"Phone:{LINE}", LINE)),
        ("xr-123-k", None, ("plate", "Vehicle:XR123K", "XR123K")),
        ("n 0100001", "document", ("document", "document:N0100001", "N0100001")),
        ("Abou Omar", "alias", ("alias", "alias:abuumr", "abuumr")),
        ("Phone:+31205551234", None, ("phone", f"Phone:{LINE}", LINE)),
        ("FacilitatorEntity:F7", None, ("facilitator", "FacilitatorEntity:F7", "F7")),
        ("Document:SYR|N0100001", None, ("document", "Document:SYR|N0100001", "N0100001")),
    ],
)
def test_identifiers_are_normalised_as_the_loaders_do(
    typed: str, kind: str | None, expected: tuple[str, str, str]
) -> None:
    found = identifier(typed, kind)
    assert (found.kind, found.id, found.value) == expected


@pytest.mark.parametrize(
    ("typed", "kind", "message"),
    [
        ("hello", None, "not a valid phone number or plate"),
        ("12", "document", "not a valid document"),
        ("Phone:+31205551234", "plate", "is a phone, not a plate"),
        ("+31205551234", "vehicle", "kind must be one of"),
        ("Ali", "person", "by its node id"),
    ],
)
def test_bad_identifiers_say_what_to_type(typed: str, kind: str | None, message: str) -> None:
    with pytest.raises(BenignError, match=message):
        identifier(typed, kind)


def _world(store: CypherStore) -> World:
    """A smuggling ring, and a support line met in every role by people with nothing else."""
    w = World(store)
    ring(w, "F1", [f"c{i}" for i in range(5)], phone="+905321111111", plate="AB12CD")
    for i in range(5):  # the line as a visitor's number: a star around the "visitor"
        w.record("coa", f"COA-{i}", f"r{i}", visitor="support", visitor_phone=LINE)
    for i in range(3):  # as residents' own number
        w.record("ind", f"IND-{i}", f"o{i}", phones=[LINE])
    for i in range(3):  # as a "facilitator's" number (no alias: known only through the line)
        w.record("politie", f"PL-{i}", f"t{i}", facilitators=[Fac("T1", "", LINE, None)])
    for i in range(3):  # in free text (as ingest writes what it read from the text)
        sid = w.record("ind", f"IND-T{i}", f"x{i}", text="Belt vaak met 020-5551234.")
        w.graph.edge("MENTIONS_PHONE", sid, f"Phone:{LINE}", span="020-5551234", start=14,
                     confidence=0.8, signals=[sid])  # fmt: skip
    w.write()
    return w


@pytest.fixture
def world(tmp_path: object) -> Iterator[CypherStore]:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    store = make_store("embedded", tmp_path / "home")
    _world(store)
    yield store
    store.close()


def _around_line(store: CypherStore) -> list[int]:
    """Numbers of the latest run's clusters linked through the line or whoever stands for it."""
    run = latest_run(store)
    assert run is not None
    out = []
    for c in store.find_nodes("Cluster", {"run_id": run.props["run_id"]}):
        for t in term(c.props["explanation"], "specific_links").get("evidence", []):
            if t["key"] in (f"Phone:{LINE}", "support", "T1") and len(t["members"]) >= 2:
                out.append(int(c.props["number"]))
                break
    return sorted(out)


def test_a_mark_leaves_the_line_out_in_every_role_and_removing_it_brings_it_back(
    world: CypherStore,
) -> None:
    detect(world, PARAMS)
    assert _around_line(world), "the support line should form clusters before it is marked"
    mark = add_mark(world, TYPED, label="support line", reason="helpdesk of a charity",
                    author="ann", organisation="coa")  # fmt: skip
    assert (mark.kind, mark.value, mark.identifier) == ("phone", LINE, f"Phone:{LINE}")
    report = detect(world, PARAMS)
    assert _around_line(world) == []
    left = {(x["kind"], x["key"]): x for x in report.benign_left_out}
    assert left[("phone", f"Phone:{LINE}")]["mark"] == "support line"
    assert left[("phone", f"Phone:{LINE}")]["members"] == 16  # own, contact, visitor, text
    assert left[("visitor", "support")]["via"] == f"known only through {LINE}"
    assert ("facilitator", "T1") in left
    assert report.clusters >= 1  # the ring is still found
    run = latest_run(world)
    assert run is not None and run.props["input_counts"]["benign_left_out"]
    remove_mark(world, "Phone:+31205551234", reason="it was not a helpdesk", author="ann")
    assert live_marks(world) == []
    detect(world, PARAMS)
    assert _around_line(world)
    history = world.find_nodes("BenignMark")
    assert len(history) == 1 and history[0].props["deleted_by"] == "ann"


def test_one_live_mark_per_identifier_and_only_what_exists(world: CypherStore) -> None:
    add_mark(world, LINE, label="support line", reason="r", author="ann", organisation="coa")
    with pytest.raises(BenignError, match="already marked benign"):
        add_mark(world, "020 5551234", label="x", reason="r", author="bob", organisation="ind")
    with pytest.raises(BenignError, match="that you may see"):
        add_mark(world, "+31612345670", label="x", reason="r", author="ann", organisation="coa")
    with pytest.raises(BenignError, match="that you may see"):
        add_mark(world, "Phone:+905321111111", label="x", reason="r", author="ann",
                 organisation="coa", visible=lambda node_id: False)  # fmt: skip
    with pytest.raises(BenignError, match="needs a --label"):
        add_mark(world, LINE, label=" ", reason="r", author="ann", organisation="coa")
    with pytest.raises(BenignError, match="not marked benign"):
        remove_mark(world, "+905321111111", reason="r", author="ann")


def test_candidates_are_identifiers_recurring_in_benign_clusters() -> None:
    line = group_things([Incidence(f"Person:{c}", "phone", f"Phone:{LINE}", "S") for c in "abc"])
    pair = group_things([Incidence(f"Person:{c}", "vehicle", "Vehicle:AB12CD", "S") for c in "ab"])
    judged = {"Cluster:R1|4": [*line, *pair], "Cluster:R1|9": [*line, *pair]}
    found = suggest(judged, Marks.of([]))
    assert [(c.kind, c.identifier, c.clusters) for c in found] == [
        ("phone", f"Phone:{LINE}", ("Cluster:R1|4", "Cluster:R1|9"))
    ]
    assert suggest({"Cluster:R1|4": line}, Marks.of([])) == []  # one cluster is no pattern


def test_the_line_is_suggested_once_clusters_around_it_are_judged_benign(
    world: CypherStore,
) -> None:
    detect(world, PARAMS)
    run = latest_run(world)
    assert run is not None
    around = [f"Cluster:{run.props['run_id']}|{n}" for n in _around_line(world)]
    for c in around:
        record_verdict(world, c, "benign", reason="they all called the helpdesk", author="ann",
                       organisation="coa")  # fmt: skip
    found = {c.identifier: c for c in suggestions(world, min_clusters=1)}
    assert f"Phone:{LINE}" in found and set(found[f"Phone:{LINE}"].clusters) <= set(around)
    add_mark(world, LINE, label="support line", reason="r", author="ann", organisation="coa")
    assert f"Phone:{LINE}" not in {c.identifier for c in suggestions(world, min_clusters=1)}
