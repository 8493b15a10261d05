"""Scores: every term listed with its value and reason; the type label and its reasons."""

from __future__ import annotations

import pytest

from workbench.detect.extract import Payment
from workbench.detect.projection import Thing
from workbench.detect.scoring import ClusterFacts, Score, SignalFacts, Term, score_cluster


def _star(centre: str, leaves: list[str], kind: str = "facilitator") -> Thing:
    members = {m: (f"S-{m}",) for m in [centre, *leaves]}
    return Thing(kind, centre, centre, centre, members, dict.fromkeys(members, 1.0), len(members))


def _facts(
    signals: list[SignalFacts],
    things: list[Thing],
    *,
    roles: dict[str, tuple[str, ...]] | None = None,
    payments: list[Payment] | None = None,
    forged: int = 0,
    gained: int | None = None,
) -> ClusterFacts:
    members = sorted({m for t in things for m in t.members})
    return ClusterFacts(
        members=tuple(members),
        records={m: (f"S-{m}",) for m in members},
        signals={s.id: s for s in signals},
        things=things,
        link_strength=float(len(members)),
        facilitator_roles=roles or {},
        payments=payments or [],
        forged_documents=forged,
        gained=gained,
    )


def _term(score: Score, name: str) -> Term:
    found = score.term(name)
    assert found is not None, name
    return found


def _sig(member: str, source: str = "ind", kind: str = "zacht", theme: str = "overig",
         indicators: tuple[str, ...] = ()) -> SignalFacts:  # fmt: skip
    return SignalFacts(f"S-{member}", source, kind, theme, indicators)


def test_the_score_is_the_sum_of_its_listed_terms() -> None:
    f = "FacilitatorEntity:f"
    clients = [f"Person:{c}" for c in "abcd"]
    facts = _facts(
        [_sig(f, "politie", "hard", "mensensmokkel"), *(_sig(c, "kmar", theme="mensensmokkel")
                                                        for c in clients)],
        [_star(f, clients)],
        roles={f: ("smokkelaar",)},
        payments=[Payment(c, f, 2500.0, "hawala", f"S-{c}") for c in clients],
        forged=2,
    )  # fmt: skip
    score = score_cluster(facts)
    names = [t.term for t in score.terms]
    assert names == ["members", "specific_links", "shared_markers", "themes", "hard_signals",
                     "coa_indicators", "facilitator_roles", "money", "forged_documents",
                     "organisations", "growth"]  # fmt: skip
    assert score.total == pytest.approx(sum(t.value for t in score.terms), abs=0.01)
    assert all(t.reason for t in score.terms)
    assert _term(score, "money").measure == 10_000
    assert _term(score, "organisations").measure == 2  # kmar and politie signals assert the links
    assert _term(score, "hard_signals").signals == ("S-FacilitatorEntity:f",)
    assert score.type == "smuggling"
    assert any("smuggler (smokkelaar)" in r for r in score.type_reasons)


def test_coa_indicators_point_to_trafficking() -> None:
    v = "Person:v"
    victims = [f"Person:m{i}" for i in range(3)]
    signals = [_sig(m, "coa", theme="mensenhandel",
                    indicators=("MINDERJARIG", "SEKSUELE_UITBUITING", "VERMIST"))
               for m in victims]  # fmt: skip
    score = score_cluster(_facts([*signals, _sig(v)], [_star(v, victims, "visitor")]))
    assert score.type == "trafficking"
    assert score.themes == ["mensenhandel"]
    assert _term(score, "coa_indicators").value == 6.0  # capped
    assert any("MINDERJARIG on 3 members" in r for r in score.type_reasons)


def test_both_kinds_of_evidence_make_a_mixed_cluster() -> None:
    f = "FacilitatorEntity:f"
    clients = [f"Person:{c}" for c in "abc"]
    signals = [_sig(c, "coa", theme="mensenhandel", indicators=("MINDERJARIG", "SCHULD"))
               for c in clients]  # fmt: skip
    score = score_cluster(
        _facts(
            [*signals, _sig(f)],
            [_star(f, clients)],
            roles={f: ("smokkelaar",)},
            payments=[Payment(c, f, 4000.0, None, f"S-{c}") for c in clients],
            forged=1,
        )
    )
    assert score.type == "mixed"


def test_without_evidence_the_type_is_unknown() -> None:
    members = [f"Person:{c}" for c in "abc"]
    family = Thing("cotravel", "K", "K", None, {m: ("S",) for m in members},
                   dict.fromkeys(members, 1.0), 3)  # fmt: skip
    score = score_cluster(_facts([_sig(m, "kmar") for m in members], [family]))
    assert score.type == "unknown"
    assert _term(score, "shared_markers").value == 0  # co-travel is context, not a marker


def test_growth_counts_only_against_a_previous_cluster() -> None:
    things = [_star("Person:v", ["Person:a", "Person:b"], "visitor")]
    signals = [_sig(m) for m in ("Person:v", "Person:a", "Person:b")]
    assert _term(score_cluster(_facts(signals, things)), "growth").value == 0
    assert _term(score_cluster(_facts(signals, things, gained=3)), "growth").value == 4.0
    assert "new in this run" in _term(score_cluster(_facts(signals, things)), "growth").reason


def test_a_facilitator_named_by_one_client_earns_no_facilitator_or_money_points() -> None:
    f = "FacilitatorEntity:f"
    facts = _facts(
        [_sig(f), _sig("Person:a")],
        [_star(f, ["Person:a"])],
        roles={f: ("smokkelaar",)},
        payments=[Payment("Person:a", f, 3000.0, "cash", "S-Person:a")],
    )
    score = score_cluster(facts)
    assert _term(score, "facilitator_roles").value == 0
    assert _term(score, "money").value == 0
