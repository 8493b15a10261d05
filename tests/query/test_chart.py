"""The entity chart: folded from what the viewer may see, in a real embedded store."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import make_store
from tests.dossier.conftest import INVESTIGATOR
from tests.dossier.planted import Planted
from tests.security.scenario import FACILITATOR, IDS, IND_NAME, IND_PHONE, IND_TEXT, IND_VNUMBER
from tests.security.scenario import build as build_scenario
from workbench.config import Settings
from workbench.query import Session
from workbench.query.chart import Chart, cluster_chart, entity_chart
from workbench.security import operator_session, session_for
from workbench.security.manage import add_user
from workbench.store.base import CypherStore


def _by_kind(chart: Chart) -> dict[str, int]:
    out: dict[str, int] = {}
    for x in chart.links:
        out[x.kind] = out.get(x.kind, 0) + 1
    return out


def test_cluster_chart_draws_exactly_its_members_and_what_ties_them(
    planted_store: CypherStore, planted: Planted
) -> None:
    events: list[str] = []
    session = Session(planted_store, INVESTIGATOR, lambda action, _: events.append(action))
    chart = cluster_chart(session, planted.cluster_id)
    entities = {n.id for n in chart.nodes if n.kind in ("person", "facilitator")}
    assert entities == set(planted.names)
    assert all(n.label for n in chart.nodes)
    kinds = _by_kind(chart)
    assert kinds["smuggler"] == len(planted.names) - 1  # every client to Abu Karim
    assert kinds["travelled together"] >= len(planted.names) - 1
    assert {"document batch", "vehicle", "reception centre"} <= kinds.keys()
    identifiers = [n for n in chart.nodes if n.kind not in ("person", "facilitator")]
    drawn = {n.id for n in chart.nodes}
    for n in identifiers:  # an identifier is drawn only where it ties two or more
        assert sum(1 for x in chart.links if n.id in (x.a, x.b)) >= 2
    for x in chart.links:
        assert {x.a, x.b} <= drawn and x.count == len(x.signals) > 0
        assert x.first <= x.last and x.strength in ("hard", "soft")
        assert all(s in chart.signals for s in x.signals)
    roles = {n.id: n.role for n in chart.nodes}
    assert roles["FacilitatorEntity:F1"] == "broker"
    assert events == ["view_chart"]


def test_folded_identifiers_become_labelled_links(
    planted_store: CypherStore, planted: Planted
) -> None:
    chart = cluster_chart(Session(planted_store, INVESTIGATOR), planted.cluster_id,
                          identifiers=False)  # fmt: skip
    assert {n.kind for n in chart.nodes} == {"person", "facilitator"}
    vehicle = next(x for x in chart.links if x.kind == "vehicle")
    assert vehicle.via == ("AB12CD",) and vehicle.a.startswith("Person:")


def test_entity_chart_grows_from_a_person(planted_store: CypherStore, planted: Planted) -> None:
    session = Session(planted_store, INVESTIGATOR)
    chart = entity_chart(session, ["Person:P0000"])
    ids = {n.id for n in chart.nodes}
    assert {"Person:P0000", "FacilitatorEntity:F1", "Person:P0001", "Person:P0005"} <= ids
    assert next(n for n in chart.nodes if n.id == "Person:P0000").seed
    few = entity_chart(session, ["Person:P0000"], neighbours=1)
    assert len([n for n in few.nodes if n.kind in ("person", "facilitator")]) == 2
    assert few.more > 0


def test_a_partner_sees_pseudonyms_and_no_withheld_value(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store = make_store("embedded", home)
    build_scenario(store)
    settings = Settings(home=home, operator="local:tester")
    add_user(operator_session(settings), "coa.inv", organisation="coa", role="investigator",
             password=None)  # fmt: skip
    ctx = session_for(settings, "coa.inv", store=store, via="cli")
    session = Session(store, ctx.policy)
    for chart in (cluster_chart(session, IDS.cluster), entity_chart(session, [IDS.person])):
        shown = json.dumps(chart.to_dict(), ensure_ascii=False, default=str)
        for secret in (IND_NAME, IND_VNUMBER, IND_PHONE, FACILITATOR, IND_TEXT, "ABU TAREK"):
            assert secret not in shown, secret
        ind = chart.signals.get(IDS.ind)
        if ind is not None:  # listed as a pseudonymised hit: that it exists, not what it says
            assert ind.pseudonymised and IND_TEXT not in ind.text
        for x in chart.links:
            if all(s == IDS.ind for s in x.signals):
                assert x.pseudonymised
    store.close()


def test_the_dossier_picture_is_the_chart_the_screen_shows(
    planted_store: CypherStore, planted: Planted
) -> None:
    from tests.dossier.conftest import REASON, Audit
    from workbench.dossier.export import export_dossier

    out = export_dossier(planted_store, planted.cluster_id, fmt="json", reason=REASON,
                         policy=INVESTIGATOR, audit=Audit())  # fmt: skip
    doc = json.loads(out.content)
    screen = cluster_chart(Session(planted_store, INVESTIGATOR), planted.cluster_id)
    ref = {m["id"]: m["ref"] for m in doc["members"]}
    others = [n for n in screen.nodes if n.id not in ref]
    ref.update({n.id: i["ref"] for n, i in zip(others, doc["chart"]["identifiers"], strict=True)})
    assert {(ref[x.a], ref[x.b], x.kind, x.count) for x in screen.links} == {
        (x["a"], x["b"], x["kind"], len(x["records"])) for x in doc["chart"]["links"]
    }
    html = export_dossier(planted_store, planted.cluster_id, fmt="html", reason=REASON,
                          policy=INVESTIGATOR, audit=Audit()).content.decode()  # fmt: skip
    assert html.count("<polygon") >= len(doc["chart"]["identifiers"])
