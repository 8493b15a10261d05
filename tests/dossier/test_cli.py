"""``workbench dossier``: writes the file, needs a reason and a role, exits 2 on misuse."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from tests.conftest import copy_home
from tests.dossier.checks import check_json
from tests.dossier.planted import Planted
from workbench.cli.main import app
from workbench.config import Settings
from workbench.security import AuditEvent, AuditLog, operator_session
from workbench.security.manage import add_user


def _run(home: Path, *args: str) -> Result:
    """The command in process (the CLI's own tests cover start-up as a subprocess)."""
    env = {"WORKBENCH_OPERATOR": "local:tester", "WORKBENCH_USER": None, "WORKBENCH_HOME": None}
    return CliRunner().invoke(app, ["--home", str(home), "dossier", *args], env=env)


def _seq(event: AuditEvent) -> int:
    return event.seq


def test_dossier_command(
    planted_home: tuple[Path, Planted], planted: Planted, tmp_path: Path
) -> None:
    home = copy_home(planted_home[0], tmp_path / "home")
    add_user(
        operator_session(Settings(home=home, operator="local:tester")),
        "ines",
        organisation="kmar",
        role="investigator",
        password=None,
    )
    out = tmp_path / "d.json"
    cluster = planted.cluster_id.removeprefix("Cluster:")

    done = _run(home, cluster, "-f", "json", "-o", str(out), "--reason", "case 17", "--as",
                "ines", "--json")  # fmt: skip
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    assert report["file"] == str(out) and report["user"] == "ines"
    doc = check_json(out.read_bytes())
    assert doc["dossier"]["exported_by"]["organisation"] == "kmar"
    assert report["members"] == len(doc["members"]) == len(planted.names)

    no_reason = _run(home, cluster, "-f", "json", "-o", str(tmp_path / "x"), "--as", "ines")
    operator = _run(home, cluster, "-f", "json", "-o", str(tmp_path / "y"), "--reason", "x")
    unknown = _run(home, "R-0|9", "--reason", "case 17", "--as", "ines")
    assert (no_reason.exit_code, operator.exit_code, unknown.exit_code) == (2, 2, 2)
    assert "reason" in no_reason.stderr and "--as" in operator.stderr
    assert "no cluster" in unknown.stderr
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()

    events = sorted((e for e in AuditLog(home).events() if e.action == "export"), key=_seq)
    assert [(e.actor, e.details["outcome"]) for e in events] == [
        ("ines", "ok"),
        ("ines", "refused"),
        ("local:tester", "refused"),
    ]
    assert (
        events[0].details["operator"] == "local:tester" and events[0].details["reason"] == "case 17"
    )
    assert AuditLog(home).verify().ok
