"""Pure entity-resolution parts: names, comparisons, weights, clustering."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.resolve.blocking import PERSON_RULES, candidate_pairs
from workbench.resolve.clustering import Constraints, Lines, _Agglomeration, agglomerate, pair
from workbench.resolve.compare import BIRTH, NAME, PERSON
from workbench.resolve.fellegi_sunter import FSModel, estimate, level_frequencies
from workbench.resolve.names import name_key, tokens
from workbench.resolve.pipeline import frequency_table, reach
from workbench.resolve.records import Birth, Record, v_number_typo
from workbench.resolve.scoring import Scorer


@pytest.mark.parametrize(
    "spellings",
    [
        ("Mohammed Al-Hassan", "Muhammad Alhassan", "Mohamad El Hassan", "AL-HASSAN, Mohamed"),
        ("Youssef Haddad", "Yusuf HADDAD", "HADDAD, Yousef"),
        ("Abd al-Rahman Khalil", "Abdul Rahman KHALIL", "KHALIL, Abdulrahman"),
        ("Hussein Ali", "Husein ALI", "ALI Hussain"),
        ("Ibrahim Omar", "Ebrahim Umar"),
        # compounds written as one word, two, or hyphenated
        ("Tesfay Gebremedhin", "Tesfay Gebre Medhin", "GEBRE-MEDHIN, Tesfay"),
        ("Hafizullah Karimi", "Hafiz Ullah KARIMI", "KARIMI, Hafizulla"),
        ("Sa'ad Haddad", "Saad HADDAD"),
    ],
)
def test_transliterations_order_swaps_and_comma_names_share_a_key(
    spellings: tuple[str, ...],
) -> None:
    assert len({name_key(s) for s in spellings}) == 1


def test_a_compound_is_glued_within_one_part_of_a_name_only() -> None:
    """``GHEBRE Kidan`` (IND: family name first, in capitals) and ``HAILE, Mariam``
    (KMar) are a family and a given name: the person COA writes ``Kidan Ghebre``."""
    assert name_key("GHEBRE Kidan") == name_key("Kidan Ghebre") == name_key("GHEBRE, Kidan")
    assert tokens("HAILE, Mariam") == ("haile", "mariam")
    assert tokens("Tesfay Gebre Medhin") == tokens("GEBRE MEDHIN, Tesfay")[::-1]
    assert name_key("Ghebre Kidan Tesfay") == name_key("Ghebrekidan TESFAY")


def test_different_names_keep_different_keys() -> None:
    assert name_key("Mahmoud Haddad") != name_key("Mohammed Haddad")
    assert name_key("Hassan Ali") != name_key("Hussein Ali")
    assert name_key("Selam Haile") != name_key("Haileselam")  # Haile alone is a name


@given(st.text(max_size=60))
def test_tokens_never_fail_and_are_ascii_lowercase(text: str) -> None:
    for token in tokens(text):
        assert token.isascii() and token.isalpha() and token == token.lower()


def _r(rid: str, name: str, birth: Birth | None = None, **kw: object) -> Record:
    return Record(rid, name, birth, **kw)  # type: ignore[arg-type]


def test_name_levels() -> None:
    a = _r("a", "Mohammed AL-HASSAN")
    assert NAME.label(a, _r("b", "AL-HASSAN, Mohammed")) == "exact"
    assert NAME.label(a, _r("b", "Muhammad Alhassan")) == "transliteration"
    assert NAME.label(a, _r("b", "Mohammed")) == "words missing"
    assert NAME.label(a, _r("b", "Selam Tesfay")) == "different"
    assert NAME.label(a, _r("b", "")) is None


@pytest.mark.parametrize(
    ("x", "y", "level"),
    [
        (Birth(1990, 5, 17), Birth(1990, 5, 17), "exact day"),
        (Birth(1990, 1, 1, True), Birth(1990, 1, 1, True), "same 1 January"),
        (Birth(1990, 5, 17), Birth(1990), "same year, one imprecise"),
        (Birth(1990, 5, 17), Birth(1990, 1, 1, True), "same year, one imprecise"),
        (Birth(1990, 5, 17), Birth(1990, 5, 71), "one typo"),
        (Birth(1990, 5, 17), Birth(1990, 17, 5), "one typo"),
        (Birth(1990), Birth(1991, 3, 2), "within a year, one imprecise"),
        (Birth(1990, 5, 17), Birth(1990, 11, 2), "different"),
        (Birth(1990, 1, 1, True), Birth(1975, 1, 1, True), "different"),
    ],
)
def test_partial_dates_and_administrative_first_of_january(x: Birth, y: Birth, level: str) -> None:
    assert BIRTH.label(_r("a", "x", x), _r("b", "x", y)) == level
    assert BIRTH.label(_r("b", "x", y), _r("a", "x", x)) == level  # symmetric


def test_v_number_levels_tell_a_typo_from_another_person() -> None:
    v = next(c for c in PERSON if c.name == "v_number")
    a = _r("a", "x", v_number="2803456781")
    assert v.label(a, _r("b", "x", v_number="2803456781")) == "same"
    assert v.label(a, _r("b", "x", v_number="2803456718")) == "one typo"
    assert v.label(a, _r("b", "x", v_number="1234567890")) == "different"


def test_blocking_pairs_variants_but_not_records_of_one_group() -> None:
    rs = [
        _r("a", "Yonas HAILE", Birth(1990)),
        _r("b", "HAILE, Jonas", Birth(1990)),
        _r("c", "Haile Yonas", Birth(1990), group="b"),
    ]
    rs[1] = Record("b", "HAILE, Jonas", Birth(1990), group="b")
    assert candidate_pairs(rs, PERSON_RULES) == {("a", "b"), ("a", "c")}
    assert candidate_pairs(rs, PERSON_RULES, new={"c"}) == {("a", "c")}


def test_em_recovers_the_parameters_of_simulated_pairs() -> None:
    """Two binary features, known m and u and prior: EM with u fixed finds m and the prior."""
    rng = np.random.default_rng(7)
    n, prior = 20_000, 0.3
    match = rng.random(n) < prior
    m, u = [0.9, 0.8], [0.05, 0.1]
    cols = [
        np.where(match, rng.random(n) < m[j], rng.random(n) < u[j]).astype(np.int8) for j in (0, 1)
    ]
    gamma = 1 - np.stack(cols, axis=1)  # level 0 = agree
    u_cols = [np.array([u[j], 1 - u[j]]) for j in (0, 1)]
    fit = estimate((("agree", "disagree"),) * 2, gamma.astype(np.int8), u=u_cols)
    assert fit.prior == pytest.approx(prior, abs=0.03)
    assert [round(x[0], 1) for x in fit.m] == [0.9, 0.8]
    assert level_frequencies(gamma.astype(np.int8), [2, 2])[0][0] == pytest.approx(
        (match * m[0] + ~match * u[0]).mean(), abs=0.02
    )


def test_em_without_pairs_keeps_its_starting_values() -> None:
    """A store too small to block any pair (a first load of a few records) trains on
    nothing: the prior and m stay as given, not NaN from dividing by no pairs."""
    u_cols = [np.array([0.1, 0.9])]
    fit = estimate((("agree", "disagree"),), np.empty((0, 1), dtype=np.int8), u=u_cols,
                   m=[np.array([0.9, 0.1])], prior=0.2)  # fmt: skip
    assert (fit.prior, fit.m, fit.iterations) == (0.2, [[0.9, 0.1]], 0)


def _weights(table: dict[tuple[str, str], float]) -> dict[tuple[str, str], float]:
    return {pair(*k): v for k, v in table.items()}


def test_a_chain_does_not_merge_its_ends() -> None:
    """A~B and B~C are strong, A and C plainly differ: A and C never share a cluster."""
    w = _weights({("a", "b"): 12.0, ("b", "c"): 11.0, ("a", "c"): -14.0})
    no_rivals = Lines(8.0, alternatives=-math.inf)  # the veto alone (rivals: below)
    clusters = agglomerate(["a", "b", "c"], w, weight=lambda x, y: w[(x, y)], lines=no_rivals)
    assert sorted(clusters) == [["a", "b"], ["c"]]


def test_two_valid_v_numbers_never_merge_without_a_decision() -> None:
    w = _weights({("a", "b"): 20.0})
    exclusive = {"a": "1111111111", "b": "2222222222"}
    alone = agglomerate(["a", "b"], w, weight=lambda x, y: w[(x, y)],
                        constraints=Constraints(exclusive=exclusive))  # fmt: skip
    assert sorted(alone) == [["a"], ["b"]]
    told = Constraints(exclusive=exclusive, same=[("a", "b")])
    decided = agglomerate(["a", "b"], w, weight=lambda x, y: w[(x, y)], constraints=told)
    assert decided == [["a", "b"]]


def test_a_different_decision_splits_and_a_same_decision_joins() -> None:
    w = _weights({("a", "b"): 20.0, ("b", "c"): 20.0, ("a", "c"): 20.0, ("c", "d"): -3.0})
    cons = Constraints(different=[("a", "c")], same=[("c", "d")])
    clusters = agglomerate(list("abcd"), w, weight=lambda x, y: w.get(pair(x, y), -20.0),
                           constraints=cons, lines=Lines(8.0))  # fmt: skip
    assert sorted(clusters) == [["a", "b"], ["c", "d"]]


def test_self_pairs_are_an_error() -> None:
    with pytest.raises(ValueError, match="itself"):
        pair("a", "a")


def test_a_v_number_one_typo_away_is_a_typo_unless_only_the_last_digits_differ() -> None:
    """Numbers issued together (a family registered on one day) differ at the end."""
    v = next(c for c in PERSON if c.name == "v_number")
    a = _r("a", "x", v_number="2553242908")
    assert v.label(a, _r("b", "x", v_number="2552342908")) == "one typo"  # swapped
    assert v.label(a, _r("b", "x", v_number="2553249908")) == "one typo"  # one wrong
    assert v.label(a, _r("b", "x", v_number="2553242909")) == "different"


def test_an_undated_mention_is_paired_even_under_a_common_name() -> None:
    """Blocks too big to compare in full still pair the mentions with no birth date."""
    many = [Record(f"r{i:03d}", "Mohammed AL-HASSAN", Birth(1950 + i % 60)) for i in range(80)]
    undated = Record("u", "ALHASSAN, Muhammad")
    pairs = candidate_pairs([*many, undated], PERSON_RULES)
    assert {("r000", "u"), ("r079", "u")} <= pairs
    assert ("r000", "r001") not in pairs  # dated namesakes of different years stay apart


def test_a_route_shared_within_a_nationality_counts_what_that_nationality_shares() -> None:
    """Two Syrians on the Syrian route: no coincidence, though half of all records
    took another route; a Syrian and a record of unknown nationality on it: the
    route's share among everyone (ADR 0002, fourteenth round)."""
    syrian, eritrean = ("SYR", "TUR", "GRC", "NLD"), ("ERI", "LBY", "ITA", "NLD")
    records = [
        *(Record(f"s{n}", "x", nationality="SYR", route=syrian) for n in range(40)),
        *(Record(f"e{n}", "x", nationality="ERI", route=eritrean) for n in range(40)),
        Record("u1", "x", route=syrian),
        Record("u2", "x", route=syrian),
    ]
    route = next(c for c in PERSON if c.name == "route")
    shares = frequency_table(route, records)
    assert shares["SYR|SYR>TUR>GRC>NLD"] == 1.0  # every Syrian with a route took it
    assert shares["SYR>TUR>GRC>NLD"] == pytest.approx(42 / 82)
    model = FSModel(("route",), (route.levels,), [[0.9, 0.05, 0.05]], [[0.2, 0.1, 0.7]], 0.01,
                    tf={"route": shares}, within={"route": "nationality"})  # fmt: skip
    scorer = Scorer(model, (route,))
    two_syrians = scorer.explain(records[0], records[1]).contributions[1]
    one_unknown = scorer.explain(records[0], records[-1]).contributions[1]
    assert two_syrians.frequency == 1.0 and one_unknown.frequency == pytest.approx(42 / 82)
    assert two_syrians.weight < one_unknown.weight
    # An older run counted over everyone only: its scorer looks the plain route up.
    older = Scorer.of_run({**model.to_json(), "within": {}}, (route,))
    assert older is not None and older.comparisons[0].within is None


def test_travel_context_compares_route_and_arrival_day() -> None:
    route = ("SYR", "TUR", "GRC", "NLD")
    a = Record("a", "x", route=route, arrival=738_000)
    by_name = {c.name: c for c in PERSON}
    assert by_name["route"].label(a, Record("b", "x", route=route)) == "same"
    assert by_name["route"].label(a, Record("b", "x", route=("ERI", "LBY", "ITA", "NLD"))) == (
        "different"
    )
    assert by_name["route"].label(a, Record("b", "x", route=("SYR", "TUR", "NLD"))) == (
        "one country more or less"
    )
    assert by_name["arrival"].label(a, Record("b", "x", arrival=738_002)) == "within 3 days"
    assert by_name["arrival"].label(a, Record("b", "x", arrival=738_000)) == "same day"
    assert by_name["arrival"].label(a, Record("b", "x")) is None


def test_an_alias_shared_by_two_smugglers_is_decided_by_the_record_or_left_alone() -> None:
    from workbench.resolve.facilitators import FacilitatorRecord, group_facilitators

    def fm(i: str, phone: str | None, *markers: str) -> FacilitatorRecord:
        return FacilitatorRecord(i, "Abu Omar", phone, context=frozenset(markers))

    one, two = "+905321111111", "+905322222222"
    way = ("route:SYR>TUR>GRC", "amount:3500")
    ms = [
        *(fm(f"a{i}", one, *way) for i in range(3)),
        fm("b", two, *way),
        fm("text-phone", None, f"phone:{two}"),  # the number is written in the same record
        fm("same-way", None, *way),  # the same route and price: not enough to accuse one
        fm("nothing", None),
    ]
    groups, how = group_facilitators(ms)
    assert groups == [["a0", "a1", "a2"], ["b", "text-phone"], ["nothing"], ["same-way"]]
    assert how["text-phone"] == "alias+context"
    assert how["same-way"] == how["nothing"] == "alone"


def test_a_record_made_before_the_other_mention_arrived_is_about_someone_else() -> None:
    timing = next(c for c in PERSON if c.name == "timing")
    arrived = Record("a", "x", arrival=738_000)
    assert timing.label(arrived, Record("b", "x", seen=738_030)) == "within 60 days after arrival"
    assert timing.label(Record("b", "x", seen=738_200), arrived) == "later"
    assert timing.label(arrived, Record("b", "x", seen=737_900)) == "before arrival"
    # Both travelled (the arrival days compare), or neither did: nothing to tell.
    assert timing.label(arrived, Record("b", "x", arrival=738_000, seen=738_030)) is None
    assert timing.label(Record("a", "x", seen=1), Record("b", "x", seen=2)) is None


def test_a_group_as_like_a_rival_namesake_joins_neither() -> None:
    """x fits a and b alike; a and b hold different V-numbers, so x stays a question."""
    w = _weights({("a", "x"): 3.0, ("b", "x"): 2.5, ("a", "b"): -20.0})
    cons = Constraints(exclusive={"a": "1111111111", "b": "2222222222"})
    clusters = agglomerate(["a", "b", "x"], w, weight=lambda p, q: w[pair(p, q)],
                           constraints=cons, lines=Lines(-1.0))  # fmt: skip
    assert sorted(clusters) == [["a"], ["b"], ["x"]]
    clear = _weights({("a", "x"): 6.0, ("b", "x"): 2.5, ("a", "b"): -20.0})
    clusters = agglomerate(["a", "b", "x"], clear, weight=lambda p, q: clear[pair(p, q)],
                           constraints=cons, lines=Lines(-1.0))  # fmt: skip
    assert sorted(clusters) == [["a", "x"], ["b"]]


def test_two_groups_holding_one_v_number_merge_on_the_link_between_its_holders() -> None:
    """v (IND: name and V-number, no birth date) matches b1, which holds the same
    V-number, well; b's undated, unnumbered border records match v by name only.
    Their average stays below the line; the shared V-number carries the merge -
    unless a pair across is a clear non-match."""
    links = {("b1", "b2"): 9.0, ("b1", "b3"): 9.0, ("b2", "b3"): 9.0, ("b1", "v"): 5.0,
             ("b2", "v"): -8.0, ("b3", "v"): -8.0}  # fmt: skip
    w = _weights(links)
    cons = Constraints(exclusive={"b1": "1111111111", "v": "1111111111"})
    ids = ["b1", "b2", "b3", "v"]
    merged = agglomerate(ids, w, weight=lambda p, q: w[pair(p, q)], constraints=cons,
                         lines=Lines(-0.75))  # fmt: skip
    assert merged == [["b1", "b2", "b3", "v"]]
    unnumbered = agglomerate(ids, w, weight=lambda p, q: w[pair(p, q)], lines=Lines(-0.75))
    assert sorted(unnumbered) == [["b1", "b2", "b3"], ["v"]]
    vetoed = _weights({**links, ("b3", "v"): -15.0})
    apart = agglomerate(ids, vetoed, weight=lambda p, q: vetoed[pair(p, q)], constraints=cons,
                        lines=Lines(-0.75, veto=-12.0))  # fmt: skip
    assert sorted(apart) == [["b1", "b2", "b3"], ["v"]]


def test_v_numbers_one_typo_apart_merge_only_on_strong_evidence() -> None:
    cons = Constraints(exclusive={"a": "2803456781", "b": "2803466781"}, related=v_number_typo)
    for weight, merged in ((4.0, False), (9.0, True)):
        w = _weights({("a", "b"): weight})
        clusters = agglomerate(["a", "b"], w, weight=lambda p, q, w=w: w[pair(p, q)],
                               constraints=cons, lines=Lines(-1.0))  # fmt: skip
        assert (len(clusters) == 1) is merged, weight


def test_a_namesake_linked_below_the_merge_line_still_counts_as_a_rival() -> None:
    """x is barely like a (0 bits) and almost as like b (-1.5): it is a question, not a merge."""
    w = _weights({("a", "x"): 0.0, ("b", "x"): -1.5, ("a", "b"): -20.0})
    cons = Constraints(exclusive={"a": "1111111111", "b": "2222222222"})
    clusters = agglomerate(["a", "b", "x"], w, weight=lambda p, q: w[pair(p, q)],
                           constraints=cons, lines=Lines(-1.0, rival=-3.0))  # fmt: skip
    assert sorted(clusters) == [["a"], ["b"], ["x"]]


def test_a_mention_a_namesake_claims_as_well_stands_alone_once_its_group_has_a_v_number() -> None:
    """x joined a2 first (no V-number on either; b, unlike a2 but not vetoed, was no
    rival then); a1 brought V-number 1 next. b, with V-number 2, claims x almost as
    strongly: once the clusters are final x leaves, a question for an analyst."""
    links = {("a2", "x"): 8.0, ("a1", "a2"): 7.8, ("b", "x"): 7.5, ("a1", "x"): 2.0,
             ("a2", "b"): -7.0}  # fmt: skip
    cons = Constraints(exclusive={"a1": "1111111111", "b": "2222222222"})

    def clusters(table: dict[tuple[str, str], float], told: Constraints = cons) -> list[list[str]]:
        w = _weights(table)
        found = agglomerate(["a1", "a2", "b", "x"], w, weight=lambda p, q: w.get(pair(p, q), -20.0),
                            constraints=told, lines=Lines(-1.0))  # fmt: skip
        return sorted(found)

    assert clusters(links) == [["a1", "a2"], ["b"], ["x"]]
    # b's claim clearly weaker (by more than the 2-bit alternatives line): x stays
    assert clusters({**links, ("b", "x"): 4.0}) == [["a1", "a2", "x"], ["b"]]
    # an analyst said x is a2: that stays
    told = Constraints(exclusive=cons.exclusive, same=[("a2", "x")])
    assert clusters(links, told) == [["a1", "a2", "x"], ["b"]]


def test_a_mention_taken_by_a_namesake_moves_to_the_group_it_links_to_far_more() -> None:
    """x sits with a1 and a2 (taken early, as merges go strongest first on averages) but
    links far more strongly into b1 and b2: once the groups are final it moves - unless
    it carries a V-number, an analyst placed it, or the pull is under the move line."""
    links = {("a1", "a2"): 9.0, ("a2", "x"): 2.0, ("a1", "x"): -1.0, ("b1", "b2"): 9.0,
             ("b1", "x"): 6.0, ("b2", "x"): 5.0}  # fmt: skip
    w = _weights(links)
    ids = ["a1", "a2", "b1", "b2", "x"]

    def after(
        cons: Constraints, lines: Lines, decided: set[str], apart: dict[str, set[str]] | None = None
    ) -> list[list[str]]:
        one = _Agglomeration(list(enumerate(ids)), w, lambda p, q: w.get(pair(p, q), -20.0),
                             cons, lines, apart or {})  # fmt: skip
        for p, q in (("a1", "a2"), ("a2", "x"), ("b1", "b2")):
            one.join(one.owner[p], one.owner[q])
        one.reassign(decided)
        return sorted(sorted(c.members) for c in one.clusters.values())

    moved = [["a1", "a2"], ["b1", "b2", "x"]]
    stays = [["a1", "a2", "x"], ["b1", "b2"]]
    assert after(Constraints(), Lines(-1.0), set()) == moved
    assert after(Constraints(exclusive={"x": "1111111111"}), Lines(-1.0), set()) == stays
    assert after(Constraints(), Lines(-1.0), {"x"}) == stays
    assert after(Constraints(), Lines(-1.0, move=5.0), set()) == stays
    # an analyst said x is not b1: it may not join b1's group
    assert after(Constraints(), Lines(-1.0), set(), {"x": {"b1"}, "b1": {"x"}}) == stays


def test_an_oversized_block_still_pairs_the_mentions_that_sort_together() -> None:
    """Hundreds of namesakes born in one year: a person's two mentions known by the year
    alone are still compared, without comparing every namesake with every other."""
    many = [
        Record(f"r{i:03d}", "Ahmad HASSAN", Birth(1976, 1 + i % 12, 1 + i % 28), "SYR")
        for i in range(300)
    ]
    one = [Record("p1", "Ahmad HASSAN", Birth(1976), "SYR"),
           Record("p2", "HASAN, Ahmed", Birth(1976), "SYR")]  # fmt: skip
    pairs = candidate_pairs([*many, *one], PERSON_RULES)
    assert ("p1", "p2") in pairs
    assert len(pairs) < 302 * 40  # linear in the block, not 45,000 pairs


def test_a_shared_1_january_is_weighed_among_the_dates_that_can_share_one() -> None:
    """A fifth of the dates are administrative: agreeing on one of their 1 Januaries is
    log2(5) bits stronger than its share among all dates says (``FSModel.tf_u``)."""
    days = [_r(f"d{i}", "x", Birth(1980 + i % 20, 2 + i % 11, 1 + i % 28)) for i in range(80)]
    firsts = [_r(f"a{i}", "x", Birth(1980 + i % 10, 1, 1, administrative=True)) for i in range(20)]
    records = days + firsts
    assert reach(BIRTH, records) == {0: 0.8, 1: 0.2}
    plain = FSModel(("birth_date",), (BIRTH.levels,), [[0.5, 0.3, 0.1, 0.04, 0.03, 0.03]],
                    [[0.002, 0.004, 0.05, 0.01, 0.03, 0.904]], 0.01,
                    tf={"birth_date": frequency_table(BIRTH, records)})  # fmt: skip
    counted = FSModel.from_json({**plain.to_json(), "reach": {"birth_date": {"0": 0.8, "1": 0.2}}})
    assert counted.to_json()["reach"] == {"birth_date": {"0": 0.8, "1": 0.2}}
    a0, a10 = firsts[0], firsts[10]  # both 1 January 1980
    gain = Scorer(counted, (BIRTH,)).weight(a0, a10) - Scorer(plain, (BIRTH,)).weight(a0, a10)
    assert gain == pytest.approx(math.log2(5))


def test_a_run_learned_before_a_comparison_was_added_still_explains_its_links() -> None:
    """Its stored levels name the comparisons it had; the newer ones are left out."""
    older = PERSON[:-1]  # before the companions comparison (ADR 0002, fifteenth round)
    model = FSModel(tuple(c.name for c in older), tuple(c.levels for c in older),
                    [[0.9] + [0.1 / (len(c.levels) - 1)] * (len(c.levels) - 1) for c in older],
                    [[1 / len(c.levels)] * len(c.levels) for c in older], 0.001)  # fmt: skip
    scorer = Scorer.of_run(model.to_json(), PERSON)
    assert scorer is not None and [c.name for c in scorer.comparisons] == list(model.features)
    unknown = {**model.to_json(), "features": ["shoe size", *model.features[1:]]}
    assert Scorer.of_run(unknown, PERSON) is None
