"""The projection: specificity weights, hubs, evidence per link (pure)."""

from __future__ import annotations

import pytest

from workbench.detect.projection import Incidence, Thing, group_things, project, thing_links


def _phone(members: str, number: str = "+31612345678", confidence: float = 1.0) -> list[Incidence]:
    return [
        Incidence(f"Person:{m}", "phone", f"Phone:{number}", f"S-{m}", number, confidence)
        for m in members
    ]


def test_a_thing_shared_by_k_gives_each_pair_one_over_k_minus_one() -> None:
    p = project(_phone("abcd"))
    assert len(p.links) == 6
    assert all(link.weight == pytest.approx(1 / 3) for link in p.links.values())
    # every member draws the same total weight from the thing, however many share it
    total_a = sum(lk.weight for (a, b), lk in p.links.items() if "Person:a" in (a, b))
    assert total_a == pytest.approx(1.0)


def test_a_hub_is_not_a_link_but_is_reported() -> None:
    helpdesk = _phone("abcdefghij", "+31200000000")
    p = project([*helpdesk, *_phone("ab", "+905321111111")], hub_size=5)
    assert list(p.links) == [("Person:a", "Person:b")]
    link = p.links[("Person:a", "Person:b")]
    assert [e.key for e in link.evidence] == ["Phone:+905321111111"]
    assert [(h.kind, h.key, h.size) for h in p.hubs] == [("phone", "Phone:+31200000000", 10)]


def test_rarer_things_weigh_more() -> None:
    p = project([*_phone("ab", "+1"), *_phone("cdefg", "+2")])
    assert p.links[("Person:a", "Person:b")].weight > p.links[("Person:c", "Person:d")].weight


def test_a_facilitator_links_its_clients_to_itself_not_to_each_other() -> None:
    inc = [Incidence("FacilitatorEntity:f", "facilitator", "f", "S0", "Abu F", centre=True)]
    inc += [Incidence(f"Person:{c}", "facilitator", "f", f"S{c}", "Abu F") for c in "abc"]
    p = project(inc)
    assert sorted(p.links) == [("FacilitatorEntity:f", f"Person:{c}") for c in "abc"]
    assert {lk.weight for lk in p.links.values()} == {1.0}


def test_text_facts_weigh_by_their_confidence_and_links_keep_every_signal() -> None:
    inc = _phone("ab") + _phone("b", confidence=0.5)
    inc += [Incidence("Person:a", "vehicle", "Vehicle:AB12CD", "S-v1", "AB12CD", 0.5),
            Incidence("Person:b", "vehicle", "Vehicle:AB12CD", "S-v2", "AB12CD", 1.0)]  # fmt: skip
    p = project(inc)
    link = p.links[("Person:a", "Person:b")]
    assert link.weight == pytest.approx(1.0 + 0.5)  # phone (best confidence 1.0) + vehicle (0.5)
    assert {e.kind: e.signals for e in link.evidence} == {
        "phone": ("S-a", "S-b"),
        "vehicle": ("S-v1", "S-v2"),
    }


def test_kind_weights_can_be_overridden() -> None:
    p = project(_phone("ab"), weights={"phone": 0.25})
    assert p.links[("Person:a", "Person:b")].weight == pytest.approx(0.25)


def test_a_thing_cut_down_to_a_cluster_keeps_its_global_size_and_weights() -> None:
    thing = group_things(_phone("abcde"))[0]
    part = Thing.from_dict(thing.restricted({"Person:a", "Person:b"}).to_dict())
    assert part.size == 5 and set(part.members) == {"Person:a", "Person:b"}
    [(a, b, w)] = thing_links(part)
    assert (a, b) == ("Person:a", "Person:b") and w == pytest.approx(0.25)


def test_projection_is_deterministic_whatever_the_input_order() -> None:
    inc = _phone("abc") + _phone("cd", "+2")
    assert project(inc).links == project(list(reversed(inc))).links
