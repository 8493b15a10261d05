"""Issue 9's floor, end to end through the pages' query layer, the dossier and the CLI.

A COA analyst cannot see an IND soft signal's text or the name in it through
search, the entity page, the network, the cluster list and view, or a
dossier, until IND releases it; then they can, and both the release and the
views are audited.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.security.conftest import Context
from tests.security.scenario import FACILITATOR, IND_NAME, IND_TEXT, IND_VNUMBER, Ids
from workbench.store.embedded import EmbeddedStore

query = pytest.importorskip("workbench.query", reason="the query layer (issue 7) is not there")
SECRETS = (IND_NAME, "<script>", IND_TEXT, "schuld", IND_VNUMBER, FACILITATOR, "Tarek")


def _text(value: Any) -> str:
    return json.dumps(repr(value), ensure_ascii=False)


SEARCHED = ("Amira", "Tesfay", "Tarek", "schuld", "script", IND_VNUMBER, "IND-2019-0042")


def _pages(session: Any, ids: Ids) -> str:
    """Everything the entity, network and cluster pages show about the scenario, as text."""
    shown: list[Any] = []
    for node_id in (ids.person, ids.ind, ids.ind_pm, ids.facilitator, ids.shared_phone):
        try:
            shown.append(query.entity(session, node_id))
        except query.NotFound:
            shown.append(None)
    shown.append(query.ego(session, [ids.person], depth=3, limit=200))
    shown.append(query.list_clusters(session))
    shown.append(query.cluster(session, ids.cluster))
    return _text(shown)


def _session(as_user: Context, store: EmbeddedStore, name: str) -> Any:
    ctx = as_user(name)
    return query.Session(store, ctx.policy, ctx.record)


def test_a_partner_sees_no_soft_signal_content_on_any_page_until_released(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    before = _pages(_session(as_user, embedded, "coa.analyst"), ids)
    leaked = [s for s in SECRETS if s in before]
    assert not leaked, f"COA saw {leaked} before IND released the signal"
    ind = as_user("ind.coordinator")
    from workbench.security.manage import release_signal

    release_signal(ind, embedded, ids.ind, to="coa")
    after = _pages(_session(as_user, embedded, "coa.analyst"), ids)
    assert IND_NAME in after and IND_TEXT.split(";")[0] in after
    audit = ind.audit
    assert audit.events(action="release")[0].target == ids.ind
    viewed = {e.target for e in audit.events(actor="coa.analyst")}
    assert {ids.person, ids.cluster} <= viewed
    assert audit.verify().ok


def test_search_page_reveals_nothing_of_a_soft_signal_until_released(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    session = _session(as_user, embedded, "coa.analyst")
    shown = _text([query.search(session, word) for word in SEARCHED])
    leaked = [s for s in SECRETS if s in shown]
    assert not leaked, f"COA's searches showed {leaked}"


def test_a_dossier_shows_no_more_than_its_exporter_may_see(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    export = pytest.importorskip("workbench.dossier.export")
    kmar = as_user("kmar.investigator")
    doc = export.export_dossier(
        embedded, ids.cluster, fmt="json", reason="case 12", policy=kmar.policy, audit=kmar.record
    )
    text = doc.content.decode("utf-8")
    assert not [s for s in SECRETS if s in text]
    from workbench.security.manage import release_signal

    release_signal(as_user("ind.coordinator"), embedded, ids.ind)  # to every partner
    kmar = as_user("kmar.investigator")
    released = export.export_dossier(
        embedded, ids.cluster, fmt="json", reason="case 12", policy=kmar.policy, audit=kmar.record
    )
    texts = [s.get("text") for s in json.loads(released.content)["signals"]]
    assert IND_TEXT in texts
    exports = kmar.audit.events(action="export")
    assert [e.details["reason"] for e in exports] == ["case 12", "case 12"]
    analyst = as_user("coa.analyst")
    with pytest.raises(Exception, match="may not export"):
        export.export_dossier(embedded, ids.cluster, fmt="json", reason="x",
                              policy=analyst.policy, audit=analyst.record)  # fmt: skip
    assert analyst.audit.events(action="export")[0].details["outcome"] == "refused"


def _cli(settings: Any, *args: str) -> Any:
    from typer.testing import CliRunner

    from workbench.cli.main import app

    return CliRunner().invoke(
        app, ["--home", str(settings.home), *args], env={"WORKBENCH_OPERATOR": "local:tester"}
    )


def test_the_dossier_command_writes_only_what_the_user_may_see(
    embedded: EmbeddedStore, ids: Ids, settings: Any, tmp_path: Any
) -> None:
    out = tmp_path / "dossier.json"
    result = _cli(settings, "dossier", ids.cluster, "--format", "json", "-o", str(out),
                  "--reason", "case 12", "--as", "kmar.investigator")  # fmt: skip
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert ids.cluster.partition(":")[2] in text
    assert not [s for s in SECRETS if s in text]


def test_the_persons_command_shows_only_what_the_operator_may_see(
    embedded: EmbeddedStore, ids: Ids, settings: Any
) -> None:
    result = _cli(settings, "persons", "--json")
    assert result.exit_code == 0, result.output
    assert not [s for s in SECRETS if s in result.stdout]
