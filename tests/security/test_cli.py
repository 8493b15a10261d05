"""The governance commands: users, audit, audit verify, release, retain, purge."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from typer.testing import CliRunner, Result

from tests.security.conftest import PASSWORD
from tests.security.scenario import Ids
from workbench.cli.main import app
from workbench.config import Settings
from workbench.security import AuditLog, Viewer

runner = CliRunner()


def run(settings: Settings, *args: str, stdin: str | None = None, **env: str) -> Result:
    return runner.invoke(
        app,
        ["--home", str(settings.home), *args],
        input=stdin,
        env={"WORKBENCH_OPERATOR": "local:tester", "COLUMNS": "200", **env},
    )


def data(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_users_add_list_disable_enable(settings: Settings) -> None:
    added = data(run(settings, "users", "add", "politie.analyst", "--org", "politie", "--role",
                     "analyst", "--password-stdin", "--json", stdin=PASSWORD + "\n"))  # fmt: skip
    assert added["organisation"] == "politie" and added["created_by"] == "local:tester"
    names = [u["username"] for u in data(run(settings, "users", "list", "--json"))]
    assert "politie.analyst" in names and "coa.analyst" in names
    assert data(run(settings, "users", "disable", "politie.analyst", "--json"))["disabled"]
    assert not data(run(settings, "users", "enable", "politie.analyst", "--json"))["disabled"]
    own = [
        u["username"] for u in data(run(settings, "users", "list", "--json", "--as", "coa.admin"))
    ]
    assert own and all(n.startswith("coa.") for n in own)
    bad = run(settings, "users", "add", "x.y", "--org", "police", "--role", "analyst", "--oidc")
    assert bad.exit_code == 2 and "organisation must be one of" in bad.output
    refused = run(settings, "users", "list", "--as", "coa.analyst")
    assert refused.exit_code == 2 and "needs the role admin" in refused.output


def test_audit_lists_with_filters_and_limits_admins_to_their_organisation(
    settings: Settings,
) -> None:
    log = AuditLog(settings.home)
    log.record("search", actor=Viewer("ind.analyst", "ind", "analyst"), details={"text": "x"})
    log.record("view", actor=Viewer("coa.analyst", "coa", "analyst"), target="Person:P1")
    everything = data(run(settings, "audit", "--json"))
    assert [e["action"] for e in everything] == ["view", "search"]
    assert [e["seq"] for e in data(run(settings, "audit", "--json", "--action", "search"))] == [1]
    assert (
        data(run(settings, "audit", "--json", "--target", "Person:P1"))[0]["actor"] == "coa.analyst"
    )
    coa = data(run(settings, "audit", "--json", "--as", "coa.admin"))
    assert {e["organisation"] for e in coa} == {"coa"}
    assert run(settings, "audit", "--as", "coa.analyst").exit_code == 2
    assert run(settings, "audit", "--since", "yesterday").exit_code == 2


def test_audit_verify_names_the_first_broken_event(settings: Settings) -> None:
    log = AuditLog(settings.home)
    for n in range(4):
        log.record("search", actor=Viewer("coa.analyst", "coa", "analyst"), details={"n": n})
    ok = run(settings, "audit", "verify", "--json")
    assert data(ok)["ok"] and data(ok)["head"].startswith("4:")
    db = sqlite3.connect(log.path)
    db.execute("DROP TRIGGER events_no_update")
    db.execute("UPDATE events SET details = '{\"n\": 99}' WHERE seq = 2")
    db.commit()
    db.close()
    broken = run(settings, "audit", "verify")
    assert broken.exit_code == 1 and "BROKEN at event 2" in broken.stdout


def test_release_needs_the_owners_coordinator(settings: Settings, ids: Ids) -> None:
    assert "--as USER" in run(settings, "release", ids.ind).output
    refused = run(settings, "release", ids.ind, "--as", "coa.coordinator")
    assert refused.exit_code == 2 and "only ind releases" in refused.output
    rows = data(
        run(settings, "release", ids.ind, "--to", "coa", "--as", "ind.coordinator", "--json")
    )
    assert rows[0]["to"] == "coa" and rows[0]["released_by"] == "ind.coordinator"
    revoke = run(
        settings, "release", ids.ind, "--revoke", "--json", WORKBENCH_USER="ind.coordinator"
    )
    revoked = data(revoke)
    assert revoked[0]["revoked_by"] == "ind.coordinator"
    events = AuditLog(settings.home).events(action="release")
    assert [(e.details["change"], e.details["operator"]) for e in events] == [
        ("revoke", "local:tester"),
        ("release", "local:tester"),
    ]


def test_purge_dry_run_then_purge_then_verify(settings: Settings, ids: Ids) -> None:
    plan = data(run(settings, "purge", "--dry-run", "--today", "2024-05-15", "--json"))
    assert plan["dry_run"] and [s["id"] for s in plan["signals"]] == [ids.kmar, ids.ind]
    assert plan["nodes_deleted"]["Signal"] == 2
    again = data(run(settings, "purge", "--dry-run", "--today", "2024-05-15", "--json"))
    assert again["signals"] == plan["signals"]  # a dry run changed nothing
    done = data(run(settings, "purge", "--today", "2024-05-15", "--json"))
    assert not done["dry_run"] and done["nodes_deleted"] == plan["nodes_deleted"]
    assert (
        data(run(settings, "purge", "--dry-run", "--today", "2024-05-15", "--json"))["signals"]
        == []
    )
    assert data(run(settings, "audit", "verify", "--json"))["ok"]
    refused = run(settings, "purge", "--as", "coa.analyst")
    assert refused.exit_code == 2 and "may not purge" in refused.output
    assert run(settings, "purge", "--today", "soon").exit_code == 2


def test_retain(settings: Settings, ids: Ids) -> None:
    kept = data(run(settings, "retain", ids.ind, "--until", "2031-01-01", "--reason", "case 9",
                    "--as", "ind.coordinator", "--json"))  # fmt: skip
    assert kept["retention_until"] == "2031-01-01"
    no_reason = run(settings, "retain", ids.ind, "--until", "2032-01-01", "--reason", "",
                    "--as", "ind.coordinator")  # fmt: skip
    assert no_reason.exit_code == 2 and "reason" in no_reason.output


def test_hostile_text_in_the_audit_listing_is_inert(settings: Settings) -> None:
    hostile = "\x1b]0;pwned\x07\x1b[31m<script>\u202egnp.exe [bold]x[/]"
    AuditLog(settings.home).record(
        "search", actor=Viewer("coa.analyst", "coa", "analyst"), details={"text": hostile}
    )
    shown = run(settings, "audit")
    assert shown.exit_code == 0
    assert "\x1b" not in shown.stdout and "\u202e" not in shown.stdout
    assert "<U+202E>" in shown.stdout and "[bold]x[/]" in shown.stdout
    assert data(run(settings, "audit", "--json"))[0]["details"]["text"] == hostile
