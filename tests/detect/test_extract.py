"""From a real store to incidences: each kind of shared thing, and what is left out."""

from __future__ import annotations

from collections import defaultdict

from tests.detect.world import Fac, World, ring
from workbench.detect import extract
from workbench.detect.projection import project
from workbench.store.base import CypherStore

HELPDESK = "+31200000000"


def _things(store: CypherStore) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for inc in extract.incidences(extract.read_facts(store)):
        out[(inc.kind, inc.key)].add(inc.member)
    return out


def test_every_kind_of_shared_thing_becomes_incidences(embedded: CypherStore) -> None:
    w = World(embedded)
    ring(w, "F1", ["c1", "c2", "c3"], phone="+905321111111", plate="AB12CD")
    w.record("coa", "COA-1", "m1", visitor="v1", visitor_phone="+31611111111",
             indicators=["MINDERJARIG"], vehicles=["XY99ZZ"])  # fmt: skip
    w.record("coa", "COA-2", "m2", visitor="v1", vehicles=["XY99ZZ"])
    w.record("kmar", "KM-1", "p1", companions=["p2", "p3"], route=["SYR", "TUR", "NLD"],
             arrival="2015-09-14", documents=[("SYR", "N0100001", "vals")])  # fmt: skip
    w.record("kmar", "KM-2", "p4", route=["SYR", "TUR", "NLD"], arrival="2015-09-15",
             documents=[("SYR", "N0100003", "vervalst")], phones=["+963944000001"])  # fmt: skip
    w.record("politie", "PL-1", "p5", phones=["+963944000001"])
    w.write()
    things = _things(embedded)
    assert things[("facilitator", "F1")] == {
        "FacilitatorEntity:F1", "Person:c1", "Person:c2", "Person:c3"
    }  # fmt: skip
    # the facilitator's phone: the facilitator uses it, and each client gave it
    assert things[("phone", "Phone:+905321111111")] >= {"Person:c1", "Person:c2", "Person:c3"}
    assert things[("vehicle", "Vehicle:AB12CD")] == {"Person:c1", "Person:c3"}
    assert things[("visitor", "v1")] == {"Person:v1", "Person:m1", "Person:m2"}
    assert things[("vehicle", "Vehicle:XY99ZZ")] == {"Person:m1", "Person:m2", "Person:v1"}
    assert things[("phone", "Phone:+31611111111")] == {"Person:v1", "Person:m1"}
    assert things[("cotravel", "Signal:kmar|KM-1")] == {"Person:p1", "Person:p2", "Person:p3"}
    assert things[("phone", "Phone:+963944000001")] == {"Person:p4", "Person:p5"}
    batch = next(k for k in things if k[0] == "document_batch")
    assert batch == ("document_batch", "SYR|N0100001-0100003")
    assert things[batch] == {"Person:p1", "Person:p4"}
    routes = {k: v for k, v in things.items() if k[0] == "route"}
    assert any(v == {"Person:p1", "Person:p2", "Person:p3", "Person:p4"} for v in routes.values())


def test_a_helpdesk_number_shared_by_many_is_a_hub_not_a_link(embedded: CypherStore) -> None:
    w = World(embedded)
    for i in range(12):
        w.record("coa", f"COA-{i}", f"r{i}", visitor="helpdesk", visitor_phone=HELPDESK)
    ring(w, "F1", ["c1", "c2"], phone="+905321111111")
    w.write()
    p = project(extract.incidences(extract.read_facts(embedded)), hub_size=10)
    assert {(h.kind, h.key) for h in p.hubs} == {
        ("phone", f"Phone:{HELPDESK}"),
        ("visitor", "helpdesk"),
    }
    assert not any("Person:helpdesk" in pair or "Person:r0" in pair for pair in p.links)
    assert ("FacilitatorEntity:F1", "Person:c1") in p.links


def test_an_alias_links_clients_even_where_resolution_kept_its_mentions_apart(
    embedded: CypherStore,
) -> None:
    w = World(embedded)
    w.record("ind", "IND-1", "c1", facilitators=[Fac("F-a", "Abu Omar")])
    w.record("kmar", "KM-1", "c2", facilitators=[Fac("F-b", "ABOU OMAR")])
    w.record("coa", "COA-1", "c3", facilitators=[Fac("F-c", "Abu Umar")])
    w.write()
    things = _things(embedded)
    [members] = [v for k, v in things.items() if k[0] == "alias"]
    assert members == {
        "Person:c1", "Person:c2", "Person:c3",
        "FacilitatorEntity:F-a", "FacilitatorEntity:F-b", "FacilitatorEntity:F-c",
    }  # fmt: skip


def test_unresolved_mentions_are_counted_and_skipped(embedded: CypherStore) -> None:
    w = World(embedded)
    ring(w, "F1", ["c1", "c2"], phone="+905321111111")
    del w.resolved["PersonMention:ind|F1-0|subject|0"]
    w.write()
    facts = extract.read_facts(embedded)
    assert facts.counts()["unresolved_mentions"] == 1
    members = {i.member for i in extract.incidences(facts)}
    assert "Person:c1" not in members and "Person:c2" in members


def test_facts_give_payments_forged_documents_and_roles(embedded: CypherStore) -> None:
    w = World(embedded)
    w.record("kmar", "KM-1", "c1", documents=[("ERI", "P1234567", "look-alike")],
             facilitators=[Fac("F1", "Abu X", None, "geldkoerier", 3000.0)])  # fmt: skip
    w.write()
    facts = extract.read_facts(embedded)
    [payment] = facts.payments()
    assert (payment.payer, payment.payee, payment.amount_eur) == (
        "Person:c1", "FacilitatorEntity:F1", 3000.0
    )  # fmt: skip
    assert facts.forged_documents() == {"Person:c1": {"Document:ERI|P1234567"}}
    assert facts.facilitator_roles() == {"FacilitatorEntity:F1": {"geldkoerier"}}
    assert facts.records()["Person:c1"] == {"Signal:kmar|KM-1"}
