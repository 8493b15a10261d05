"""Detection runs on a real store: results, reruns, lineage, alerts, reads through a policy."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest

from tests.conftest import make_store
from tests.detect.world import Fac, World, ring
from tests.views import alerts_json, clusters_json, links_json
from workbench.detect import DetectionError, DetectionParams, RunReport, detect
from workbench.query import Session
from workbench.query.clusters import run_of
from workbench.security.policy import Unrestricted, Viewer
from workbench.store import Edge, Node
from workbench.store.base import CypherStore

PARAMS = DetectionParams(alert_min_score=0.0, hub_size=10)
SMUGGLER_PHONE = "+905321111111"
VISITOR_PHONE = "+31611111111"


def _scenario(store: CypherStore) -> World:
    """A smuggling ring, a trafficking network, a family and a helpdesk everybody calls."""
    w = World(store)
    ring(w, "F1", [f"c{i}" for i in range(5)], phone=SMUGGLER_PHONE, plate="AB12CD")
    for i, number in enumerate(("N0100001", "N0100003")):
        w.record("kmar", f"KM-{i}", f"c{i}", kind="hard", theme="mensensmokkel",
                 documents=[("SYR", number, "vals")])  # fmt: skip
    for i in range(4):
        w.record("coa", f"COA-{i}", f"m{i}", theme="mensenhandel", visitor="v1",
                 visitor_phone=VISITOR_PHONE, indicators=["MINDERJARIG", "SCHULD"])  # fmt: skip
    w.record("politie", "PL-1", "m0", kind="hard", theme="mensenhandel",
             facilitators=[Fac("R1", "Wedi X", VISITOR_PHONE, "ronselaar")])  # fmt: skip
    w.record("kmar", "KM-FAM", "p1", companions=["p2", "p3"])
    for i in range(12):
        w.record("coa", f"COA-H{i}", f"r{i}", visitor="helpdesk", visitor_phone="+31200000000")
    w.write()
    return w


@dataclass
class Detected:
    store: CypherStore
    report: RunReport
    evidence_before: dict[str, int]
    evidence_after: dict[str, int]


@pytest.fixture(scope="module")
def detected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Detected]:
    """One store with the scenario and one run, shared by the read-only tests."""
    store = make_store("embedded", tmp_path_factory.mktemp("detected"))
    _scenario(store)
    before = _evidence_counts(store)
    report = detect(store, PARAMS)
    yield Detected(store, report, before, _evidence_counts(store))
    store.close()


def _evidence_counts(store: CypherStore) -> dict[str, int]:
    layers = store.model
    counts = store.counts()
    return {
        name: n
        for kind in ("nodes", "edges")
        for name, n in counts[kind].items()
        if (layers.nodes[name] if kind == "nodes" else layers.edges[name]).layer
        in ("evidence", "identity")
    }


def _members(store: CypherStore, run_id: str) -> dict[int, set[str]]:
    view = clusters_json(store, Unrestricted(), run=run_id)
    return {c["number"]: {m["id"] for m in c["members"]} for c in view["clusters"]}


def test_a_run_writes_scored_clusters_and_never_touches_evidence(detected: Detected) -> None:
    embedded, report = detected.store, detected.report
    assert detected.evidence_after == detected.evidence_before
    assert report.clusters == 2 and report.alerts == 0  # a first run has nothing to compare with
    assert report.lineage == {"dissolved": 0, "new": 2}
    [run] = embedded.find_nodes("DetectionRun")
    assert run.props["parameters"]["algorithm"] == "leiden"
    assert run.props["parameters"]["resolution"] == PARAMS.resolution
    assert run.props["code_version"].startswith("0.1.0+detect.")
    counts = run.props["input_counts"]
    assert counts["persons"] >= 20 and counts["hub_count"] == 2
    assert {h["key"] for h in counts["hubs"]} == {"Phone:+31200000000", "helpdesk"}
    view = clusters_json(embedded, Unrestricted())
    assert [c["score"] for c in view["clusters"]] == sorted(
        (c["score"] for c in view["clusters"]), reverse=True
    )
    by_type = {c["type"]: c for c in view["clusters"]}
    smuggling, trafficking = by_type["smuggling"], by_type["trafficking"]
    assert {m["id"] for m in smuggling["members"]} == {
        "FacilitatorEntity:F1", *(f"Person:c{i}" for i in range(5))
    }  # fmt: skip
    assert {m["id"] for m in trafficking["members"]} == {
        "Person:v1", "FacilitatorEntity:R1", *(f"Person:m{i}" for i in range(4))
    }  # fmt: skip
    organiser = next(m for m in smuggling["members"] if m["role"] == "organiser")
    assert organiser["id"] == "FacilitatorEntity:F1" and organiser["kind"] == "facilitator"
    c0 = next(m for m in smuggling["members"] if m["id"] == "Person:c0")
    assert {r["record_id"] for r in c0["records"]} == {"F1-0", "KM-0"}
    terms = {t["term"]: t for t in smuggling["explanation"]}
    assert terms["forged_documents"]["value"] > 0 and "batch" in terms["forged_documents"]["reason"]
    assert trafficking["themes"] == ["mensenhandel"] and smuggling["lineage"] == "new"
    assert any("MINDERJARIG" in r for r in trafficking["type_reasons"])


def test_reruns_are_the_same_until_more_signals_make_a_network_grow(
    embedded: CypherStore,
) -> None:
    w = _scenario(embedded)
    first = detect(embedded, PARAMS)
    second = detect(embedded, PARAMS)
    assert second.lineage == {"dissolved": 0, "same": 2} and second.alerts == 0
    assert _members(embedded, first.run_id) == _members(embedded, second.run_id)
    scores = [
        [c["score"] for c in clusters_json(embedded, Unrestricted(), run=r)["clusters"]]
        for r in (first.run_id, second.run_id)
    ]
    assert scores[0] == scores[1]
    lineage = embedded.find_edges("LINEAGE")
    assert len(lineage) == 2 and {e.props["relation"] for e in lineage} == {"same"}
    assert {e.props["jaccard"] for e in lineage} == {1.0}
    # more signals for the smuggling ring: two more clients and a hard signal
    ring(w, "F1", ["c5", "c6"], phone=SMUGGLER_PHONE, start=5)
    w.record("politie", "PL-9", "c5", kind="hard", theme="mensensmokkel", vehicles=["AB12CD"])
    w.write()
    report = detect(embedded, PARAMS)
    assert report.lineage == {"dissolved": 0, "grown": 1, "same": 1}
    alerts = alerts_json(embedded, Unrestricted(), run="latest")
    kinds = {a["kind"] for a in alerts}
    assert {"grew", "hard_signal"} <= kinds
    grew = next(a for a in alerts if a["kind"] == "grew")
    assert "grew by 2 members" in grew["message"] and grew["status"] == "new"
    view = clusters_json(embedded, Unrestricted())
    grown = next(c for c in view["clusters"] if c["lineage"] == "grown")
    assert grown["id"] == grew["cluster"]
    assert next(t for t in grown["explanation"] if t["term"] == "growth")["measure"] == 2


def test_a_consensus_run_finds_the_same_networks_and_records_its_runs(
    embedded: CypherStore,
) -> None:
    _scenario(embedded)
    leiden_run = detect(embedded, PARAMS)
    agreed = detect(embedded, replace(PARAMS, algorithm="consensus", runs=5))
    assert _members(embedded, agreed.run_id) == _members(embedded, leiden_run.run_id)
    run = next(r for r in embedded.find_nodes("DetectionRun") if r.props["run_id"] == agreed.run_id)
    assert run.props["parameters"]["algorithm"] == "consensus"
    assert run.props["parameters"]["runs"] == 5


COA_ANALYST = Viewer("coa-analyst", "coa", "analyst")


@dataclass(frozen=True)
class HidesPoliceAnd:
    """A test policy: police signals and one person are not for this viewer."""

    hidden: str
    viewer: Viewer = COA_ANALYST

    def view_node(self, node: Node) -> Node | None:
        if node.id == self.hidden or node.props.get("source") == "politie":
            return None
        return node

    def view_edge(self, edge: Edge) -> Edge | None:
        return None if self.hidden in (edge.src, edge.dst) else edge


def test_reads_show_only_what_the_policy_lets_through(detected: Detected) -> None:
    embedded = detected.store
    policy = HidesPoliceAnd("Person:m1")
    view = clusters_json(embedded, policy)
    trafficking = next(c for c in view["clusters"] if c["type"] == "trafficking")
    ids = {m["id"] for m in trafficking["members"]}
    assert "Person:m1" not in ids and trafficking["hidden_members"] == 1
    m0 = next(m for m in trafficking["members"] if m["id"] == "Person:m0")
    assert {r["source"] for r in m0["records"]} == {"coa"}  # the police record is hidden
    links = links_json(embedded, trafficking["id"], policy)
    assert links and all("Person:m1" not in (lk["a"], lk["b"]) for lk in links)
    shown = {r["source"] for lk in links for e in lk["evidence"] for r in e["records"]}
    assert shown == {"coa"}


def test_link_evidence_answers_why_two_members_are_connected(detected: Detected) -> None:
    embedded = detected.store
    view = clusters_json(embedded, Unrestricted())
    smuggling = next(c for c in view["clusters"] if c["type"] == "smuggling")
    links = {(lk["a"], lk["b"]): lk for lk in links_json(embedded, smuggling["id"], Unrestricted())}
    star = links[("FacilitatorEntity:F1", "Person:c0")]
    assert {e["kind"] for e in star["evidence"]} == {"facilitator", "phone", "alias"}
    pair = links[("Person:c0", "Person:c1")]
    kinds = {e["kind"]: e for e in pair["evidence"]}
    assert set(kinds) == {"phone", "document_batch", "alias"}
    assert kinds["alias"]["label"] == "Abu F1"
    assert kinds["phone"]["label"] == SMUGGLER_PHONE
    assert {r["record_id"] for r in kinds["document_batch"]["records"]} == {"KM-0", "KM-1"}


def test_unknown_runs_and_bad_parameters_are_refused(embedded: CypherStore) -> None:
    session = Session(embedded, Unrestricted())
    assert run_of(session, "latest") is None and run_of(session, "R-x") is None
    with pytest.raises(DetectionError, match="unknown algorithm"):
        DetectionParams(algorithm="louvain")
    with pytest.raises(DetectionError, match="at least 1"):
        DetectionParams(algorithm="consensus", runs=0)
    with pytest.raises(DetectionError, match="GDS Leiden optimises modularity"):
        DetectionParams(algorithm="gds-leiden")
    with pytest.raises(DetectionError, match="needs the Neo4j store"):
        detect(embedded, DetectionParams(algorithm="gds-leiden", objective="modularity"))
