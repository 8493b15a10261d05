"""Retention dates, the dry run, and a purge that leaves no trace but keeps what others assert."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.security.conftest import Context
from tests.security.scenario import (
    COA_NAME,
    IND_NAME,
    IND_PHONE,
    IND_TEXT,
    IND_VNUMBER,
    Ids,
)
from workbench.config import Settings
from workbench.security import (
    ConfigError,
    InvalidRequest,
    PermissionDenied,
    ReasonRequired,
    operator_session,
    view_subgraph,
)
from workbench.security.manage import release_signal
from workbench.security.retention import RetentionTable, extend_retention, plan_purge, purge
from workbench.store.embedded import EmbeddedStore

DAY = dt.date(2024, 5, 15)  # KMar's 2015 signal (Wpg, 5 y) and IND's of 1 May 2019 (5 y) expired
TRACES = (IND_NAME, IND_TEXT, IND_VNUMBER, IND_PHONE, "1999-03-02", "KM-2015-0100", "IND-2019-0042")


def _everything(store: EmbeddedStore) -> str:
    sub = store.subgraph_for_analysis(
        node_labels=[n for n in store.model.nodes if n != "Annotation"],
        edge_types=list(store.model.edges),
    )
    return json.dumps([repr(x) for x in [*sub.nodes.values(), *sub.edges]], ensure_ascii=False)


def test_retention_dates_follow_regime_theme_and_extension(settings: Settings) -> None:
    table = RetentionTable.load(None)
    base = {"date": dt.date(2020, 2, 29), "kind": "zacht", "source": "coa"}
    assert table.until({**base, "legal_regime": "wpg", "theme": "overig"}) == dt.date(2025, 2, 28)
    assert table.until({**base, "legal_regime": "avg", "theme": "overig"}) == dt.date(2022, 2, 28)
    assert table.until({**base, "legal_regime": None, "theme": "overig"}) == dt.date(2025, 2, 28)
    own = {**base, "legal_regime": "avg", "theme": "overig", "retention_until": dt.date(2030, 1, 1)}
    assert table.until(own) == dt.date(2030, 1, 1)
    (settings.home / "retention.yaml").write_text(
        "default_years: 1\nrules:\n  - {regime: avg, theme: [overig, mensenhandel], years: 10}\n"
    )
    local = RetentionTable.load(settings.home)
    assert local.until({**base, "legal_regime": "avg", "theme": "overig"}) == dt.date(2030, 2, 28)
    assert local.until({**base, "legal_regime": "wpg", "theme": "overig"}) == dt.date(2021, 2, 28)
    for text, message in [
        ("default_years: 1\nrules:\n  - {regime: gdpr, years: 1}\n", "regime"),
        ("default_years: 1\nrules:\n  - {regime: avg, years: -1}\n", "years"),
        ("rules: []\n", "default_years"),
    ]:
        (settings.home / "retention.yaml").write_text(text)
        with pytest.raises(ConfigError, match=message):
            RetentionTable.load(settings.home)


def test_dry_run_lists_what_would_go_and_changes_nothing(embedded: EmbeddedStore, ids: Ids) -> None:
    before = embedded.counts()
    plan = plan_purge(embedded, DAY)
    assert embedded.counts() == before
    assert [i for i, _ in plan.expired] == [ids.kmar, ids.ind]
    assert plan.expired[0][1] == dt.date(2020, 9, 14)
    assert set(plan.retraction.deleted_nodes) >= {ids.ind, ids.ind_pm, ids.ind_fm, ids.ind_phone}
    assert plan.entities_deleted == [ids.facilitator] and plan.clusters_deleted == [ids.cluster]
    assert list(plan.entities_updated) == [ids.person]
    assert plan_purge(embedded, dt.date(2020, 1, 1)).expired == []


def test_purge_leaves_no_trace_and_keeps_what_others_assert(
    embedded: EmbeddedStore, ids: Ids, settings: Settings, as_user: Context
) -> None:
    release_signal(as_user("ind.coordinator"), embedded, ids.ind, to="coa")
    assert any(s in _everything(embedded) for s in TRACES)
    operator = operator_session(settings, store=embedded)
    plan = purge(embedded, DAY, operator)
    # gone: the signals, what only they asserted, and what was derived only from them
    gone = [ids.ind, ids.kmar, ids.ind_pm, ids.kmar_pm, ids.ind_fm, ids.ind_phone, ids.document,
            ids.facilitator, ids.cluster]  # fmt: skip
    assert embedded.get_nodes(gone) == {}
    assert not any(s in _everything(embedded) for s in TRACES)
    for word in ("schuld", "script", IND_VNUMBER, "Tarek"):
        assert [h.label for h in embedded.search(word)] in ([], ["Annotation"]), word
    assert plan.annotations_to_review == [ids.note]
    # kept: COA's signal, its mention, the phone COA also records (minus IND's id)
    phone = embedded.get_nodes([ids.shared_phone])[ids.shared_phone]
    assert phone.props["signals"] == [ids.coa]
    person = embedded.get_nodes([ids.person])[ids.person]
    assert person.props["name"] == COA_NAME and person.props["v_number"] is None
    assert person.props["birth_date"] is None and person.props["sources"] == ["coa"]
    assert [h.id for h in embedded.search("Amira")] == [ids.coa_pm, ids.person]
    # the views of every organisation still work, and show nothing of what went
    for user in ("coa.analyst", "ind.analyst", "kmar.investigator"):
        policy = as_user(user).policy
        seen = view_subgraph(policy, embedded.neighbourhood([ids.person], depth=3))
        assert ids.person in seen.nodes and not any(s in repr(seen) for s in TRACES)
    # audited, chain intact, releases of purged signals forgotten
    assert operator.audit.verify().ok
    event = operator.audit.events(action="purge")[0]
    assert event.details["signals"] == [ids.kmar, ids.ind] and event.actor == "local:tester"
    assert event.details["releases_removed"] == 1 and operator.releases.rows() == []
    again = purge(embedded, DAY, operator)
    assert again.expired == [] and operator.audit.verify().ok


def test_only_admins_purge(embedded: EmbeddedStore, settings: Settings, as_user: Context) -> None:
    with pytest.raises(PermissionDenied):
        purge(embedded, DAY, as_user("ind.coordinator"))
    assert plan_purge(embedded, DAY).expired  # nothing went


def test_extending_retention_keeps_a_signal_and_is_audited(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    ind = as_user("ind.coordinator")
    with pytest.raises(ReasonRequired):
        extend_retention(ind, embedded, ids.ind, dt.date(2030, 1, 1), reason=" ")
    with pytest.raises(InvalidRequest, match="2024-05-01"):
        extend_retention(ind, embedded, ids.ind, dt.date(2023, 1, 1), reason="case 7")
    with pytest.raises(PermissionDenied):
        extend_retention(as_user("coa.coordinator"), embedded, ids.ind, dt.date(2030, 1, 1),
                         reason="case 7")  # fmt: skip
    extend_retention(ind, embedded, ids.ind, dt.date(2030, 1, 1), reason="case 7")
    assert [i for i, _ in plan_purge(embedded, DAY).expired] == [ids.kmar]
    signal = embedded.get_nodes([ids.ind])[ids.ind]
    assert signal.props["retention_until"] == dt.date(2030, 1, 1)
    assert signal.props["text"] == IND_TEXT  # nothing else changed
    event = ind.audit.events(action="retention")[0]
    assert (event.target, event.details["until"], event.details["reason"]) == (
        ids.ind,
        "2030-01-01",
        "case 7",
    )
