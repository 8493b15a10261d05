"""The query layer on a real embedded store: search, entity, network, clusters, work."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.ui.conftest import Audit
from tests.ui.corpus import HOSTILE_PERSON, HOSTILE_SIGNAL, RUN, XSS_NAME, XSS_WORD, Corpus
from workbench.query import (
    InvalidInput,
    NotFound,
    Session,
    SignalFilter,
    alerts,
    annotate,
    annotations_for,
    cluster,
    decide,
    ego,
    entity,
    list_clusters,
    readiness,
    search,
    suggestions,
    triage,
)
from workbench.security.policy import Viewer
from workbench.store import Edge, Node


@dataclass(frozen=True)
class NoCoa:
    """A tiny need-to-know policy: nothing from COA, and one person hidden."""

    viewer: Viewer = field(default_factory=lambda: Viewer("kmar-analyst", "kmar", "analyst"))
    hidden: frozenset[str] = field(default_factory=lambda: frozenset({HOSTILE_PERSON}))

    def view_node(self, node: Node) -> Node | None:
        if node.id in self.hidden or node.props.get("source") == "coa":
            return None
        if any(s.startswith("Signal:coa|") for s in node.props.get("signals") or ()):
            kept = [s for s in node.props["signals"] if not s.startswith("Signal:coa|")]
            return Node(node.id, node.label, {**node.props, "signals": kept}) if kept else None
        return node

    def view_edge(self, edge: Edge) -> Edge | None:
        signals = edge.props.get("signals")
        if signals and all(s.startswith("Signal:coa|") for s in signals):
            return None
        return edge


def member(corpus: Corpus, n: int = 0) -> str:
    return corpus.members[corpus.clusters[0]][n]


def test_search_finds_names_and_audits(session: Session, audit: Audit, corpus: Corpus) -> None:
    name = corpus.truth["population"][member(corpus).partition(":")[2]]["name"]
    hits = search(session, name.split()[-1], kinds=["persons"])
    assert hits and all(h.label in ("Person", "PersonMention") for h in hits)
    assert any(h.id == member(corpus) for h in hits)
    assert all(h.organisations for h in hits if h.label == "PersonMention")
    assert audit.actions() == ["search"]
    assert audit.events[0][1]["user"] == session.viewer.username


def test_search_normalises_identifiers(session: Session) -> None:
    hits = search(session, "06 87654321", kinds=["phones"])  # written the Dutch way
    assert hits[0].id == "Phone:+31687654321" and hits[0].exact
    assert search(session, "   ") == []


def test_entity_of_a_person_reads_through_its_mentions(session: Session, corpus: Corpus) -> None:
    view = entity(session, member(corpus))
    assert view.ref.label == "Person" and view.mentions
    dates = [s.date for s in view.signals if s.date]
    assert dates == sorted(dates) and len(view.signals) >= len(view.mentions) // 2
    assert {s.organisation for s in view.signals} and all(s.kind for s in view.signals)
    assert view.clusters and view.clusters[0].latest and view.clusters[0].run_id == RUN


def test_entity_of_a_signal_and_an_identifier(session: Session) -> None:
    sig = entity(session, HOSTILE_SIGNAL)
    assert [s.id for s in sig.signals] == [HOSTILE_SIGNAL]
    assert sig.raw["achternaam"] == XSS_NAME  # kept verbatim; escaping is the UI's job
    phone = entity(session, "Phone:+31687654321")
    assert [m.ref.id for m in phone.mentions] and phone.signals[0].id == HOSTILE_SIGNAL
    with pytest.raises(NotFound):
        entity(session, "Person:nobody")


def test_network_caps_labels_and_filters(session: Session, corpus: Corpus) -> None:
    seed = corpus.clusters[0]
    small = ego(session, [seed], depth=1, limit=5)
    assert len(small.nodes) == 5 and small.more.get(seed, 0) > 0
    wide = ego(session, [member(corpus)], depth=2, limit=200)
    evidence = [e for e in wide.edges if e.type == "SUBJECT"]
    assert evidence and all(" · " in e.label for e in evidence)  # "subject · kmar KM-..."
    only_ind = ego(
        session,
        [member(corpus)],
        depth=2,
        limit=200,
        flt=SignalFilter(organisations=frozenset({"ind"})),
    )
    shown = [n for n in only_ind.nodes if n.label == "Signal"]
    assert all(n.id.startswith("Signal:ind|") for n in shown)
    assert only_ind.filtered_out > 0 or len(shown) == len(
        [n for n in wide.nodes if n.id.startswith("Signal:ind|")]
    )


def test_network_does_not_walk_bookkeeping_edges(session: Session, corpus: Corpus) -> None:
    """A run holds every cluster: walking IN_RUN would make all clusters neighbours."""
    net = ego(session, [corpus.clusters[0]], depth=2, limit=500)
    assert net.nodes and not [n for n in net.nodes if n.label == "DetectionRun"]


def test_large_views_are_aggregated(session: Session, corpus: Corpus) -> None:
    seed = corpus.clusters[0]  # its members are leaves around it at one hop
    big = ego(session, [seed], depth=1, limit=400, aggregate_above=5)
    folded = [n for n in big.nodes if n.aggregate]
    assert folded and folded[0].caption.endswith("× Person") and big.aggregated >= 3
    assert {e.src for e in big.edges if e.dst == folded[0].id} == {seed}


def test_cluster_list_and_view(session: Session, audit: Audit, corpus: Corpus) -> None:
    run, rows = list_clusters(session)
    assert run is not None and run.run_id == RUN
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)
    first = rows[0]
    assert first.size == len(corpus.members[first.id]) and first.organisations
    assert first.lineage == "grown"
    view = cluster(session, first.id)
    assert {m.ref.id for m in view.members} == set(corpus.members[first.id])
    assert view.members[0].role == "broker"
    assert view.explanation[0].term == "hard signals"
    assert view.lineage and view.lineage[0].direction == "previous"
    assert view.signals and "view_cluster" in audit.actions()
    with pytest.raises(NotFound):
        cluster(session, member(corpus))
    leads = suggestions(session, first.id)
    assert all(s.person.id not in corpus.members[first.id] for s in leads)
    assert all(
        s.members and s.via.label in ("Phone", "Document", "Device", "Vehicle", "Route", "Location")
        for s in leads
    )


def test_readiness_of_a_new_store(embedded: object) -> None:
    from workbench.security.policy import Unrestricted

    empty = readiness(Session(embedded, Unrestricted()))  # type: ignore[arg-type]
    assert not (empty.signals or empty.persons or empty.runs)


def test_annotations_round_trip(session: Session, audit: Audit, corpus: Corpus) -> None:
    target = corpus.clusters[1]
    note = annotate(
        session,
        target,
        note="check the shared phone",
        tags=["phone", " ", "phone"],
        status="relevant",
    )
    assert note.tags == ("phone",) and note.author == session.viewer.username
    assert [a.note for a in annotations_for(session, target)][-1] == "check the shared phone"
    assert "annotate" in audit.actions()
    with pytest.raises(InvalidInput):
        annotate(session, target, note="  ")
    with pytest.raises(InvalidInput):
        annotate(session, target, note="x", status="done")
    with pytest.raises(InvalidInput):  # the model allows no annotation on a run
        annotate(session, f"DetectionRun:{RUN}", note="x")


def test_alerts_triage(session: Session, corpus: Corpus) -> None:
    new = alerts(session, statuses=["new"])
    assert new and new[0].about is not None
    triage(session, new[0].id, "seen")
    assert new[0].id not in {a.id for a in alerts(session, statuses=["new"])}
    assert new[0].id in {a.id for a in alerts(session, statuses=["seen"])}
    with pytest.raises(InvalidInput):
        triage(session, new[0].id, "closed")


def test_alerts_about_clusters_and_the_desks_capped_count(
    session: Session, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A desk or a case reads the alerts of its clusters by their edges, and the desk counts
    the latest run's new alerts only up to a cap ("100 or more")."""
    from workbench.query import desk as desk_module

    every = alerts(session, limit=None)
    target = next(a.about.id for a in every if a.about is not None)
    about = alerts(session, limit=None, about=[target])
    assert about and [a.id for a in about] == [
        a.id for a in every if a.about is not None and a.about.id == target
    ]
    assert alerts(session, about=[]) == []
    run = every[0].run_id
    new = [a for a in every if a.run_id == run and a.status == "new"]
    assert desk_module.desk(session, home).run_alerts == len(new) >= 2
    monkeypatch.setattr(desk_module, "RUN_ALERTS_CAP", 2)
    view = desk_module.desk(session, home)
    assert view.run_alerts == 2 and view.run_alerts_more


def test_judgements_are_resolutions() -> None:
    from typing import get_args

    from workbench.query import JUDGEMENTS
    from workbench.resolve.api import Judgement

    assert get_args(Judgement) == JUDGEMENTS


def test_decisions_need_a_valid_judgement_and_a_reason(session: Session, corpus: Corpus) -> None:
    with pytest.raises(InvalidInput):
        decide(session, "PersonMention:a", "PersonMention:b", "maybe", reason="x")
    with pytest.raises(InvalidInput):
        decide(session, "PersonMention:a", "PersonMention:b", "same", reason=" ")


def test_policy_hides_nodes_everywhere(loaded: tuple[object, Corpus], audit: Audit) -> None:
    store, corpus = loaded
    session = Session(store=store, policy=NoCoa(), audit=audit)  # type: ignore[arg-type]
    assert not [h for h in search(session, XSS_WORD) if h.id == HOSTILE_PERSON]
    assert all("COA" not in h.organisations for h in search(session, "azc"))
    with pytest.raises(NotFound):
        entity(session, HOSTILE_PERSON)
    with pytest.raises(NotFound):
        annotate(session, HOSTILE_PERSON, note="I should not reach this")
    assert annotations_for(session, HOSTILE_PERSON) == []
    view = cluster(session, corpus.clusters[0])
    assert HOSTILE_PERSON not in {m.ref.id for m in view.members}
    assert view.row.size == len(corpus.members[corpus.clusters[0]]) - 1
    assert "COA" not in view.row.organisations
    assert all(s.source != "coa" for s in view.signals)
    net = ego(session, [member(corpus)], depth=2, limit=300)
    assert HOSTILE_PERSON not in {n.id for n in net.nodes}
    assert not [n for n in net.nodes if n.id.startswith("Signal:coa|")]


@pytest.mark.parametrize(
    "flt",
    [
        SignalFilter(),
        SignalFilter(organisations=frozenset({"ind"})),
        SignalFilter(kinds=frozenset({"hard"})),
    ],
)
def test_network_reads_a_nodes_own_signals_only_as_far_as_the_filter_needs(
    session: Session, corpus: Corpus, flt: SignalFilter
) -> None:
    """Issue 21: a hub lists every signal naming it; the view is the one all of them give."""
    from graph_schema.model import model
    from workbench.query import visibility
    from workbench.query.network import _asserting, apply_filter

    seeds = [member(corpus)]
    sub = visibility.around(session, seeds, depth=3, limit=300, edge_types=model().walked_edges())
    props = [n.props for n in sub.nodes.values()] + [e.props for e in sub.edges]
    every = {s for p in props for s in p.get("signals") or ()}
    every |= {i for i, n in sub.nodes.items() if n.label == "Signal"}
    want = apply_filter(sub, visibility.nodes(session, sorted(every)), flt, seeds)
    got = apply_filter(sub, _asserting(session, sub, flt, seeds), flt, seeds)
    assert got[0].nodes.keys() == want[0].nodes.keys()
    assert got[1] == want[1] and got[2] == want[2]
