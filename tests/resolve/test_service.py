"""Entity resolution against a real store loaded with a generated corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.views import persons_json as persons
from workbench.ingest import ingest
from workbench.query import ReviewPair, Session, review_queue
from workbench.query.persons import person_history, person_links
from workbench.query.review import review
from workbench.resolve import ResolveError, decide, resolve
from workbench.resolve.api import last_run
from workbench.security.policy import Unrestricted
from workbench.store.base import CypherStore

from ..conftest import make_store
from .conftest import exports, politie_csv


def _groups(store: CypherStore) -> set[frozenset[tuple[str, str, str]]]:
    return {
        frozenset((r["source"], r["record_id"], r["role"]) for r in p["records"])
        for p in persons(store)
    }


def test_every_record_appears_in_exactly_one_person_as_subject(resolved: CypherStore) -> None:
    subjects = Counter(
        (r["source"], r["record_id"])
        for p in persons(resolved)
        for r in p["records"]
        if r["role"] == "subject"
    )
    signals = {(n.props["source"], n.props["record_id"]) for n in resolved.find_nodes("Signal")}
    assert set(subjects) == signals
    assert set(subjects.values()) == {1}


def test_records_group_into_the_true_persons(resolved: CypherStore, corpus: Path) -> None:
    truth = json.loads((corpus / "truth.json").read_text())["records"]
    true_subject = {key: rec["subject"] for key, rec in truth.items()}
    found = [
        {f"{r['source']}:{r['record_id']}" for r in p["records"] if r["role"] == "subject"}
        for p in persons(resolved)
    ]
    pairs = {(a, b) for g in found for a in g for b in g if a < b}
    true_pairs = {
        (a, b)
        for a in true_subject
        for b in true_subject
        if a < b and true_subject[a] == true_subject[b]
    }
    precision = len(pairs & true_pairs) / max(len(pairs), 1)
    recall = len(pairs & true_pairs) / max(len(true_pairs), 1)
    assert precision >= 0.95 and recall >= 0.85, (precision, recall)


def test_resolving_again_changes_nothing_and_full_gives_the_same_persons(
    resolved: CypherStore,
) -> None:
    before = {p["id"]: p["records"] for p in persons(resolved)}
    again = resolve(resolved, operator="test")
    assert (again.persons_created, again.persons_changed, again.persons_removed) == (0, 0, 0)
    full = resolve(resolved, full=True, operator="test")
    assert full.mode == "full"
    assert {p["id"]: p["records"] for p in persons(resolved)} == before


def _links(store: CypherStore) -> dict[tuple[str, str], tuple[object, ...]]:
    return {
        (d.props["left"], d.props["right"]): (
            d.props["weight"], d.props["score"], d.props["levels"], d.props["v_conflict"],
        )
        for d in store.find_nodes("MatchDecision", {"judgement": "suggested"})
    }  # fmt: skip


def test_a_full_run_with_the_same_weights_rewrites_no_link(resolved: CypherStore) -> None:
    """A stored weight is its explanation's total, a thousandth from the rounded weight
    clustering reads in about half the links: compared with that, every full run
    rewrote those links unchanged (ADR 0002, eighth round)."""
    before = _links(resolved)
    resolve(resolved, full=True, operator="test")
    run = last_run(resolved)
    assert run is not None and run.props["counts"]["links_written"] == 0
    assert _links(resolved) == before


def test_incremental_loads_resolve_like_one_full_run(corpus: Path, tmp_path: Path) -> None:
    files = exports(corpus)
    step = make_store("embedded", tmp_path / "step")
    ingest(step, files[:2], operator="test")
    resolve(step, operator="test")
    ingest(step, files[2:], operator="test")
    report = resolve(step, operator="test")
    assert report.mode == "incremental" and report.new_mentions > 0
    run = last_run(step)  # new mentions are blocked against every record: all are read
    assert run is not None and run.props["counts"]["records_read"] == report.mentions
    whole = make_store("embedded", tmp_path / "whole")
    ingest(whole, files, operator="test")
    resolve(whole, operator="test")
    # The same weights make the same persons; learn them once and share them.
    resolve(whole, full=True, operator="test")
    run = max(step.find_nodes("ResolutionRun"), key=lambda n: n.props["started_at"])
    with whole.writer() as w:
        later = run.props["started_at"].replace(year=2100)
        w.upsert_nodes("ResolutionRun", [{**run.props, "run_id": "zz-shared", "started_at": later}])
    resolve(whole, full=True, operator="test")
    assert _groups(step) == _groups(whole)
    assert _facilitators(step) == _facilitators(whole)


def _facilitators(store: CypherStore) -> dict[str, list[str]]:
    owner = dict(store.edge_ends("RESOLVED_TO"))
    out: dict[str, list[str]] = {}
    for m in sorted(n.id for n in store.find_nodes("FacilitatorMention", fields=["id"])):
        out.setdefault(owner[m], []).append(m)
    return out


def _merged_pair(store: CypherStore) -> tuple[str, str, str]:
    for p in persons(store):
        links = person_links(Session(store, Unrestricted()), p["id"])
        if links:
            return p["id"], links[0].left, links[0].right
    raise AssertionError("no merged person in the corpus")


def test_a_different_decision_splits_and_survives_a_full_re_resolve(resolved: CypherStore) -> None:
    _, a, b = _merged_pair(resolved)
    decide(resolved, a, b, "different", author="analyst1", reason="different fathers' names")
    owner = {e.src: e.dst for e in resolved.find_edges("RESOLVED_TO")}
    assert owner[a] != owner[b]
    resolve(resolved, full=True, operator="test")
    owner = {e.src: e.dst for e in resolved.find_edges("RESOLVED_TO")}
    assert owner[a] != owner[b]
    decide(resolved, a, b, "same", author="analyst2", reason="passport photo matches")
    owner = {e.src: e.dst for e in resolved.find_edges("RESOLVED_TO")}
    assert owner[a] == owner[b]
    found = person_history(Session(resolved, Unrestricted()), owner[a])
    events = [e for e in found if e.kind == "decision"]
    assert [(e.judgement, e.author) for e in events] == [
        ("different", "analyst1"),
        ("same", "analyst2"),
    ]
    live = [
        d
        for d in resolved.find_nodes("MatchDecision", {"left": a, "right": b})
        if d.props["judgement"] != "suggested"
    ]
    assert sum(d.props["deleted_at"] is None for d in live) == 1  # the newest decision rules


def test_a_decision_reads_only_what_it_can_change_and_resolves_like_a_full_run(
    resolved: CypherStore,
) -> None:
    """An analyst's decision places no new mention: its run reads the records of the
    persons the decision can reach, not the store's (ADR 0020, *Session 18*), and
    leaves what a full run with the same weights leaves - persons and review queue."""
    _, a, b = _merged_pair(resolved)
    report = decide(resolved, a, b, "different", author="analyst1", reason="two fathers")
    run = last_run(resolved)
    assert run is not None
    counts = run.props["counts"]
    assert 0 < counts["records_read"] < counts["mentions"] == report.mentions
    owner = dict(resolved.edge_ends("RESOLVED_TO"))
    queue = run.props["review"]
    facilitators = _facilitators(resolved)
    assert counts["facilitator_inputs"]["FacilitatorMention"] > 0  # kept, not grouped again
    full = resolve(resolved, full=True, operator="test")
    assert (full.persons, full.mentions, full.review_queue, full.facilitators, full.links) == (
        report.persons, report.mentions, report.review_queue, report.facilitators, report.links,
    )  # fmt: skip
    assert _facilitators(resolved) == facilitators
    assert dict(resolved.edge_ends("RESOLVED_TO")) == owner
    after = last_run(resolved)
    assert after is not None and after.props["review"] == queue


def test_a_decision_reads_every_record_when_a_stored_link_has_no_conflict_flag(
    resolved: CypherStore,
) -> None:
    """A link stored before links carried ``v_conflict`` is a conflict or not by its
    records only: the run reads every one (and the queue is a full run's)."""
    link = resolved.find_nodes("MatchDecision", {"judgement": "suggested"}, limit=1)[0]
    with resolved.writer() as w:
        w.upsert_nodes("MatchDecision", [{**link.props, "v_conflict": None}])
    _, a, b = _merged_pair(resolved)
    decide(resolved, a, b, "different", author="analyst1", reason="two fathers")
    run = last_run(resolved)
    assert run is not None
    assert run.props["counts"]["records_read"] == run.props["counts"]["mentions"]


def test_decisions_need_a_reason_and_two_mentions(resolved: CypherStore) -> None:
    _, a, b = _merged_pair(resolved)
    with pytest.raises(ResolveError, match="reason"):
        decide(resolved, a, b, "same", author="x", reason=" ")
    with pytest.raises(ResolveError, match="two different"):
        decide(resolved, a, a, "same", author="x", reason="r")
    with pytest.raises(ResolveError, match="no such person"):
        decide(resolved, a, "P-NOPE", "same", author="x", reason="r")


def test_every_link_explains_itself(resolved: CypherStore) -> None:
    person, _, _ = _merged_pair(resolved)
    for link in person_links(Session(resolved, Unrestricted()), person):
        features = [c.feature for c in link.contributions]
        assert features[:3] == ["prior", "name", "birth_date"]
        assert sum(c.weight for c in link.contributions) == pytest.approx(link.weight, abs=0.01)


def test_companions_carry_the_route_and_arrival_of_their_border_record(
    resolved: CypherStore,
) -> None:
    from workbench.resolve.service import _props, _read

    state = _read(resolved)  # reads of a mention only what resolution uses: not its role
    role = {n.id: n.props["role"] for n in resolved.find_nodes("PersonMention", fields=["role"])}
    companions = [r for r in state.records if role[r.id] == "companion"]
    source = {r.id: _props(state.mentions[r.id])["source"] for r in state.records}
    kmar = [r for r in state.records if source[r.id] == "kmar" and r.route]
    assert kmar and any(r.arrival is not None for r in kmar)
    travelling = [r for r in companions if r.route or r.arrival is not None]
    assert travelling, "companions on KMar records inherit their record's travel context"
    by_group: dict[str, set[tuple[tuple[str, ...], int | None]]] = {}
    for r in kmar:
        by_group.setdefault(str(r.group), set()).add((r.route, r.arrival))
    assert all(len(v) == 1 for v in by_group.values())  # one context per record


def test_residents_carry_their_centre_and_companions_their_partys_nationality(
    resolved: CypherStore,
) -> None:
    """What a run reads in bulk and what a reader rebuilds by id (``records_of``) agree:
    a COA resident's reception centre, a companion's nationality taken from its party."""
    from workbench.resolve.mentions import records_of
    from workbench.resolve.service import _props, _read

    state = _read(resolved)
    role = {n.id: n.props["role"] for n in resolved.find_nodes("PersonMention", fields=["role"])}
    source = {r.id: _props(state.mentions[r.id])["source"] for r in state.records}
    residents = [r for r in state.records if source[r.id] == "coa" and role[r.id] == "subject"]
    assert residents and all(r.centre and r.centre.startswith("azc ") for r in residents)
    assert all(r.centre is None for r in state.records if r not in residents)
    party = [r for r in state.records if r.party_nationality]
    assert party and all(role[r.id] == "companion" and r.nationality for r in party)
    by_id = records_of(resolved, [r.id for r in residents[:20] + party[:20]])
    for r in residents[:20] + party[:20]:
        again = by_id[r.id]
        assert (again.centre, again.nationality, again.party_nationality) == (
            r.centre, r.nationality, r.party_nationality,
        )  # fmt: skip


def test_a_count_of_the_review_queue_reads_the_same_pairs_without_explanations(
    resolved: CypherStore,
) -> None:
    """The desk counts the queue without rebuilding explanations: same pairs, same order."""
    session = Session(resolved, Unrestricted())
    full, counted = review(session, limit=20), review(session, limit=20, explain=False)
    assert [(p.left, p.right) for p in counted.pairs] == [(p.left, p.right) for p in full.pairs]
    assert len(full.pairs) == 20 and all(p.contributions for p in full.pairs)
    assert not any(p.contributions for p in counted.pairs)


def _v_conflict(item: ReviewPair) -> bool:
    a, b = item.left_props.get("v_number"), item.right_props.get("v_number")
    return bool(a and b and a != b)


def test_the_review_queue_puts_the_biggest_effect_first(resolved: CypherStore) -> None:
    queue = review_queue(Session(resolved, Unrestricted()), limit=500)
    conflicts = [_v_conflict(item) for item in queue]
    assert conflicts == sorted(conflicts, reverse=True), "V-number conflicts come first"
    impacts = [item.impact for item, c in zip(queue, conflicts, strict=True) if not c]
    assert impacts == sorted(impacts, reverse=True)
    assert all(item.contributions for item in queue)
    owner = {e.src: e.dst for e in resolved.find_edges("RESOLVED_TO") if e.src.startswith("Person")}
    across = [
        frozenset((owner[i.left.id], owner[i.right.id]))
        for i in queue
        if owner[i.left.id] != owner[i.right.id]
    ]
    assert across and len(across) == len(set(across)), "two persons are one question"


def test_cli_resolve_persons_review_and_decide(resolved: CypherStore) -> None:
    home = Path(resolved.location).parent

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "workbench", "--home", str(home), *args],
            capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip

    out = cli("resolve", "--json")
    assert out.returncode == 0, out.stderr
    assert {"persons", "mentions", "links", "review_queue"} <= set(json.loads(out.stdout))
    listed = json.loads(cli("persons", "--json").stdout)
    assert {"id", "name", "v_number", "records"} <= set(listed[0])
    assert {"source", "record_id", "role"} == set(listed[0]["records"][0])
    assert cli("review", "--json").returncode == 0
    merged, a, b = _merged_pair(resolved)
    # A link's explanation shows each agreed value's share and the bits it moved the weight.
    lines = [c for link in json.loads(cli("person", merged, "--json").stdout)["links"]
             for c in link["contributions"]]  # fmt: skip
    assert {"frequency", "adjustment", "among"} <= set(lines[0])
    assert any(c["frequency"] is not None for c in lines)
    shown = cli("person", merged)
    assert shown.returncode == 0 and "share" in shown.stdout and "adjustm" in shown.stdout
    bad = cli("decide", a, b, "maybe", "--reason", "x")
    assert bad.returncode == 2 and "judgement" in bad.stderr
    ok = cli("decide", a, b, "different", "--reason", "checked the file", "--json")
    assert ok.returncode == 0, ok.stderr


def test_a_facilitator_edge_always_says_how_its_mention_was_placed(
    resolved: CypherStore,
) -> None:
    """An edge left by an older rule is rewritten even when the mention did not move."""
    from workbench.resolve.service import JOIN_SCORE

    edge = next(
        e for e in resolved.find_edges("RESOLVED_TO") if e.src.startswith("FacilitatorMention:")
    )
    with resolved.writer() as w:
        w.upsert_edges(
            "RESOLVED_TO",
            [
                {
                    "src": edge.src,
                    "dst": edge.dst,
                    "score": 1.0,
                    "method": "phone/alias",
                    "run": "old",
                }
            ],
        )
        run = last_run(resolved)
        assert run is not None  # ... by an older run, whose code grouped them another way
        w.upsert_nodes("ResolutionRun", [{**run.props, "counts": {}}])
    resolve(resolved, operator="test")
    placed = {
        e.src: e for e in resolved.find_edges("RESOLVED_TO") if e.src.startswith("Facilitator")
    }
    assert placed[edge.src].dst == edge.dst
    assert placed[edge.src].props["method"] in JOIN_SCORE
    assert all(e.props["score"] == JOIN_SCORE[e.props["method"]] for e in placed.values())


def test_two_unrelated_v_numbers_go_first_in_the_queue_and_a_joined_person_is_flagged(
    resolved: CypherStore, tmp_path: Path
) -> None:
    """Everything alike but the V-number: never one person without an analyst (issue 25)."""
    alike = {"datum": "2016-03-01", "signaalsoort": "zacht", "thema": "overig",
             "achternaam": "GEBREMESKEL", "voornaam": "Tesfalidet", "geboortedatum": "1987-04-19",
             "nationaliteit": "ERI", "geslacht": "M", "locatie": "Assen"}  # fmt: skip
    path = politie_csv(
        tmp_path / "politie_conflict.csv",
        [
            {**alike, "registratie_id": "PL-2016-990101", "v_nummer": "3314159265"},
            {**alike, "registratie_id": "PL-2016-990102", "v_nummer": "1271828182"},
        ],
    )
    ingest(resolved, [path], operator="test")
    resolve(resolved, operator="test")
    left, right = (f"PersonMention:politie|PL-2016-99010{i}|subject|0" for i in (1, 2))
    owner = {e.src: e.dst for e in resolved.find_edges("RESOLVED_TO")}
    assert left in owner and owner[left] != owner[right]
    queue = review_queue(Session(resolved, Unrestricted()), limit=500)
    ours = next(i for i in queue if {i.left.id, i.right.id} == {left, right})
    assert all(_v_conflict(i) for i in queue[: queue.index(ours) + 1]), "conflicts come first"
    decide(resolved, left, right, "same", author="analyst1", reason="one man, registered twice")
    owner = {e.src: e.dst for e in resolved.find_edges("RESOLVED_TO")}
    assert owner[left] == owner[right]
    person = resolved.get_nodes([owner[left]])[owner[left]]
    assert person.props["v_number_conflict"] is True
    assert person.props["v_numbers"] == ["1271828182", "3314159265"]
    queue = review_queue(Session(resolved, Unrestricted()), limit=500)
    assert not any({i.left.id, i.right.id} == {left, right} for i in queue)


def test_an_incremental_scope_reaches_the_rivals_that_decide_a_merge() -> None:
    """A new mention links at merge strength to ``a``; ``a``'s namesake ``r`` (a link
    between the rival and the merge line) decides with its person whether ``a`` may
    merge, so ``r`` and its person's other mention belong in the scope too; a link
    below the rival line does not pull its end in."""
    from workbench.resolve.pipeline import Thresholds
    from workbench.resolve.service import _closure, _State

    limits = Thresholds()
    state = _State([], {}, {"a": "P1", "r": "P2", "r2": "P2", "far": "P3"}, {}, [], None)
    links = {
        ("a", "new"): limits.merge + 1,
        ("a", "r"): (limits.rival + limits.merge) / 2,
        ("far", "r2"): limits.rival - 1,
    }
    assert _closure({"new"}, state, links, [], limits) == {"new", "a", "r", "r2"}


def test_a_link_held_back_by_clustering_is_a_question_after_the_conflicts() -> None:
    """Above the review band, between two persons: the model would merge the pair but
    clustering held it back (a namesake claims the mention too) - an analyst decides."""
    from workbench.resolve.pipeline import Thresholds
    from workbench.resolve.service import _queue

    person = {"a": "P1", "b": "P2", "c": "P3", "d": "P4", "e": "P5", "f": "P5"}
    links = {("e", "f"): 9.0, ("c", "d"): -1.0, ("a", "b"): 6.0, ("b", "c"): 5.0, ("a", "d"): -9.0}
    conflicts = {("b", "c")}
    queue = [
        (p.left, p.right) for p, _ in _queue(links, links, conflicts, [], person, Thresholds())
    ]
    assert queue == [("b", "c"), ("a", "b"), ("c", "d")]  # conflict, held back, band
