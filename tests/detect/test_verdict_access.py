"""Need-to-know for verdicts and benign marks, and the CLI refusing what a user may not see.

Runs on the security scenario (``tests/security/scenario.py``): IND's soft
signal is pseudonymised for partners, and a stricter sharing file hides it,
and with it the cluster that rests on it.
"""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner, Result

from tests.security import conftest as security
from tests.security.scenario import IDS, IND_PHONE
from workbench.cli.main import app
from workbench.config import Settings
from workbench.detect.benign import add_mark
from workbench.detect.verdicts import record_verdict
from workbench.security import AuditLog
from workbench.security.policy import PARTIAL
from workbench.store import Node
from workbench.store.embedded import EmbeddedStore

runner = CliRunner()
Context = security.Context
# The security tests' fixtures: the scenario in a real store, accounts, contexts per user.
_environment = security._environment
template, embedded, settings, as_user = (
    security.template,
    security.embedded,
    security.settings,
    security.as_user,
)
REASON = "Abu Tarek is the smuggler named in IND's interview"


def run(settings: Settings, *args: str) -> Result:
    return runner.invoke(
        app,
        ["--home", str(settings.home), *args],
        env={"WORKBENCH_OPERATOR": "local:tester", "COLUMNS": "200"},
    )


def _seen(ctx: Any, store: EmbeddedStore, node_id: str) -> Node | None:
    return ctx.policy.view_node(store.get_nodes([node_id])[node_id])  # type: ignore[no-any-return]


def _stricter(settings: Settings) -> None:
    (settings.home / "sharing.yaml").write_text("rules:\n  - {kind: hard, level: full}\n")


def test_a_verdict_follows_its_cluster(
    embedded: EmbeddedStore, as_user: Context, settings: Settings
) -> None:
    made = record_verdict(embedded, IDS.cluster, "confirmed", reason=REASON,
                          author="ind.analyst", organisation="ind")  # fmt: skip
    node_id = f"Verdict:{made.verdict_id}"
    colleague = _seen(as_user("ind.coordinator"), embedded, node_id)
    partner = _seen(as_user("coa.analyst"), embedded, node_id)
    assert colleague is not None and colleague.props["reason"] == REASON
    assert partner is not None and partner.props["reason"] == PARTIAL  # cluster partly visible
    assert partner.props["verdict"] == "confirmed"
    _stricter(settings)
    assert _seen(as_user("coa.analyst"), embedded, node_id) is None  # the cluster is hidden


def test_a_benign_mark_is_shown_as_far_as_its_identifier(
    embedded: EmbeddedStore, as_user: Context, settings: Settings
) -> None:
    mark = add_mark(embedded, IND_PHONE, label="lawyer's office", reason="known office",
                    author="ind.analyst", organisation="ind")  # fmt: skip
    alias = add_mark(embedded, "Abu Tarek", kind="alias", label="common kunya",
                     reason="many use it", author="ind.analyst", organisation="ind")  # fmt: skip
    own = _seen(as_user("ind.coordinator"), embedded, f"BenignMark:{mark.mark_id}")
    partner = _seen(as_user("coa.analyst"), embedded, f"BenignMark:{mark.mark_id}")
    assert own is not None and own.props["value"] == IND_PHONE
    assert partner is not None and IND_PHONE not in json.dumps(partner.props, default=str)
    assert partner.props["label"] == "lawyer's office" and partner.props["reason"] == PARTIAL
    assert _seen(as_user("coa.analyst"), embedded, f"BenignMark:{alias.mark_id}") is None
    assert _seen(as_user("ind.coordinator"), embedded, f"BenignMark:{alias.mark_id}") is not None
    _stricter(settings)
    assert _seen(as_user("coa.analyst"), embedded, f"BenignMark:{mark.mark_id}") is None


def test_the_verdict_command_refuses_a_cluster_the_user_may_not_see(
    embedded: EmbeddedStore, settings: Settings
) -> None:
    embedded.close()
    cluster = IDS.cluster
    _stricter(settings)
    refused = run(settings, "verdict", cluster, "benign", "--reason", "x", "--as", "coa.analyst")
    assert refused.exit_code == 2 and "that you may see" in refused.output
    (settings.home / "sharing.yaml").unlink()
    done = run(settings, "verdict", cluster, "partly", "--reason", "one is a cousin",
               "--not-member", IDS.facilitator, "--as", "coa.analyst", "--json")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["not_members"] == [IDS.facilitator]
    events = [e for e in AuditLog(settings.home).events() if e.action == "verdict"]
    assert len(events) == 1 and events[0].actor == "coa.analyst" and events[0].target == cluster


def test_benign_commands_add_list_remove_through_the_viewers_policy(
    embedded: EmbeddedStore, settings: Settings
) -> None:
    embedded.close()
    hidden = run(settings, "benign", "add", "0090 532 123 45 67", "--label", "office",
                 "--reason", "r", "--as", "coa.analyst")  # fmt: skip
    assert hidden.exit_code == 2 and "that you may see" in hidden.output  # pseudonymised for COA
    added = run(settings, "benign", "add", "0090 532 123 45 67", "--label", "office",
                "--reason", "r", "--as", "ind.analyst", "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["identifier"] == f"Phone:{IND_PHONE}"
    listed = run(settings, "benign", "list", "--as", "coa.analyst", "--json")
    assert listed.exit_code == 0 and IND_PHONE not in listed.stdout
    assert [m["label"] for m in json.loads(listed.stdout)["marks"]] == ["office"]
    removed = run(settings, "benign", "remove", IND_PHONE, "--reason", "moved", "--as",
                  "ind.analyst")  # fmt: skip
    assert removed.exit_code == 0, removed.output
    changes = [
        e.details["change"] for e in AuditLog(settings.home).events() if e.action == "benign"
    ]
    assert sorted(changes) == ["add", "remove"]  # newest first
