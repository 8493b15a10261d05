"""The dossier never shows more than the viewer's policy lets through."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tests.conftest import make_store
from tests.dossier.checks import check_html, check_json
from tests.dossier.conftest import INVESTIGATOR, REASON
from tests.dossier.planted import Planted
from tests.security.scenario import FACILITATOR, IDS, IND_NAME, IND_PHONE, IND_TEXT, IND_VNUMBER
from tests.security.scenario import build as build_scenario
from workbench.config import Settings
from workbench.dossier.export import export_dossier
from workbench.dossier.gather import gather
from workbench.resolve.api import Contribution, PairExplanation
from workbench.security import AuditLog, Viewer, operator_session, session_for
from workbench.security.manage import add_user, release_signal
from workbench.store.base import CypherStore, Edge, Node


def _dossier_as(settings: Settings, store: CypherStore, user: str) -> tuple[dict[str, Any], str]:
    ctx = session_for(settings, user, store=store, via="cli")
    json_out = export_dossier(
        store, IDS.cluster, fmt="json", reason=REASON, policy=ctx.policy, audit=ctx.record
    )
    html_out = export_dossier(
        store, IDS.cluster, fmt="html", reason=REASON, policy=ctx.policy, audit=ctx.record
    )
    return check_json(json_out.content), check_html(html_out.content.decode("utf-8"))


def test_ind_soft_signal_stays_pseudonymised_for_coa_until_released(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store = make_store("embedded", home)
    build_scenario(store)
    settings = Settings(home=home, operator="local:tester")
    operator = operator_session(settings)
    add_user(operator, "coa.inv", organisation="coa", role="investigator", password=None)
    add_user(operator, "ind.coord", organisation="ind", role="coordinator", password=None)

    doc, text = _dossier_as(settings, store, "coa.inv")
    shown = json.dumps(doc, ensure_ascii=False) + text
    for secret in (IND_NAME, IND_VNUMBER, IND_PHONE, FACILITATOR, "ABU TAREK", "1999-03-02"):
        assert secret not in shown, secret
    ind = next(s for s in doc["signals"] if s["source"] == "ind")
    assert ind["text"] is None  # withheld, while COA's own signal is in full
    assert next(s for s in doc["signals"] if s["source"] == "coa")["text"] == "bezoek"

    release_signal(session_for(settings, "ind.coord", store=store), store, IDS.ind)
    doc, text = _dossier_as(settings, store, "coa.inv")
    assert next(s for s in doc["signals"] if s["source"] == "ind")["text"] == IND_TEXT
    assert IND_NAME in {m["name"] for m in doc["members"]} and IND_NAME in text
    actions = [(e.action, e.details.get("outcome")) for e in AuditLog(home).events()]
    assert ("release", None) in actions and actions.count(("export", "ok")) == 4
    store.close()


@dataclass(frozen=True)
class _Hiding:
    """A hand-written policy: one signal and everything only it asserts is hidden."""

    hidden: str
    viewer: Viewer = INVESTIGATOR.viewer

    def view_node(self, node: Node) -> Node | None:
        signals = node.props.get("signals")
        if node.id == self.hidden or (signals is not None and signals == [self.hidden]):
            return None
        return node

    def view_edge(self, edge: Edge) -> Edge | None:
        return None if edge.props.get("signals") == [self.hidden] else edge


def test_a_hidden_signal_leaves_no_trace(planted_store: CypherStore, planted: Planted) -> None:
    hidden = "Signal:coa|COA-2015-00003"
    doc = gather(planted_store, planted.cluster_id, policy=_Hiding(hidden), reason=REASON)
    text = json.dumps(doc)
    assert "COA-2015-00003" not in text and "Signal:kmar|KM-2015-000003" in text
    assert len(doc["members"]) == len(planted.names)


@dataclass(frozen=True)
class _Pseudonymising:
    """A hand-written policy: one mention's name is replaced by a pseudonym."""

    mention: str
    viewer: Viewer = INVESTIGATOR.viewer

    def view_node(self, node: Node) -> Node | None:
        if node.id == self.mention:
            return replace(node, props={**node.props, "name": "NAME-X1", "v_number": None})
        return node

    def view_edge(self, edge: Edge) -> Edge | None:
        return edge


def test_resolution_values_are_withheld_where_a_record_is_seen_in_part(
    planted_store: CypherStore, planted: Planted
) -> None:
    left = "PersonMention:kmar|KM-2015-000000|subject|0"
    right = "PersonMention:coa|COA-2015-00000|subject|0"
    pair = PairExplanation(
        left, right, 0.99, 9.5,
        [Contribution("name", "exact", 7.0, "Amir HADDAD", "HADDAD Amir", 0.001, -2.0, "SYR")],
    )  # fmt: skip

    def explainer(store: object, person: str) -> list[PairExplanation]:
        return [pair] if person == "Person:P0000" else []

    for policy, withheld in ((INVESTIGATOR, False), (_Pseudonymising(right), True)):
        doc = gather(
            planted_store, planted.cluster_id, policy=policy, reason=REASON, explainer=explainer
        )
        [person] = [p for p in doc["resolution"]["persons"] if p["person"] == "Person:P0000"]
        [shown] = person["pairs"]
        assert shown["values_withheld"] is withheld
        values = (shown["contributions"][0]["left"], shown["contributions"][0]["right"])
        # The side seen in part loses its value; the side seen in full keeps it, as on
        # the person page (one rule: the policy's term_seen, applied in the read path).
        assert values == (("Amir HADDAD", None) if withheld else ("Amir HADDAD", "HADDAD Amir"))
        # The group a share was counted in is the hidden record's nationality.
        assert shown["contributions"][0]["among"] == (None if withheld else "SYR")
        # Its share within that group goes with it: without the group it would read as
        # a share of all records.
        assert shown["contributions"][0]["frequency"] == (None if withheld else 0.001)
