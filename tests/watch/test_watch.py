"""Watchlists end to end through the command line, on a real embedded store.

The acceptance of issue 24: a phone watched as ``06-12345678`` is hit by a
partner's record writing ``+31 6 1234 5678``; a signal the watcher may not
read is a pseudonymised hit without content; a rerun raises nothing again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from workbench.cli.main import app
from workbench.config import Settings
from workbench.query.watch import HIT_FIELDS
from workbench.security import operator_session
from workbench.security.manage import add_user

PASSWORD = "correct horse battery staple"
runner = CliRunner()
SECRET = "Noemt smokkelaar die minderjarigen ophaalt bij azc"  # the soft signal's text
KMAR = {
    "ref": "KM-2026-000001", "tijdstip": "2026-05-11T10:00:00+02:00", "post": "Schiphol",
    "signaal": {"soort": "hard", "thema": "mensensmokkel", "toelichting": "Vals paspoort."},
    "persoon": {"naam": "AL-HASSAN, Mohamed", "geboortedatum": "1991-01-01",
                "nationaliteit": "SYR", "geslacht": "M", "v_nummer": None},
    "telefoons": [{"nummer": "+31 6 1234 5678"}],
}  # fmt: skip
IND = (
    "zaaknummer;v_nummer;naam;geboortedatum;nationaliteit;signaaldatum;soort;thema;bron;"
    "reisroute;smokkelaar_naam;smokkelaar_telefoon;bedrag;toelichting\r\n"
    f"IND-90001;;Yonas HAILE;1996;Eritrea;12-05-2026;zacht;mensensmokkel;gehoor;;Wedi;"
    f"+31 6 1234 5678;;{SECRET}\r\n"
)


def run(home: Path, *args: str) -> Result:
    return runner.invoke(app, ["--home", str(home), *args],
                         env={"WORKBENCH_OPERATOR": "local:tester", "COLUMNS": "200"})  # fmt: skip


def data(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("WORKBENCH_PSEUDONYM_KEY", "WORKBENCH_USER", "WORKBENCH_HOME"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    ctx = operator_session(Settings(home=home, operator="local:tester"))
    add_user(ctx, "coa.analyst", organisation="coa", role="analyst", password=PASSWORD)
    add_user(ctx, "ind.analyst", organisation="ind", role="analyst", password=PASSWORD)
    return home


def delivery(tmp_path: Path) -> list[str]:
    kmar = tmp_path / "kmar_1.jsonl"
    kmar.write_text(json.dumps(KMAR) + "\n", encoding="utf-8")
    ind = tmp_path / "ind_1.csv"
    ind.write_bytes(IND.encode("cp1252"))
    return [str(kmar), str(ind)]


def hits(home: Path, user: str, *extra: str) -> list[dict[str, Any]]:
    return list(data(run(home, "watch", "hits", "--as", user, "--json", *extra))["hits"])


def test_a_phone_in_any_notation_raises_a_hit_and_a_pseudonymised_one(
    home: Path, tmp_path: Path
) -> None:
    added = data(run(home, "watch", "add", "06-12345678", "--as", "coa.analyst", "--json"))
    assert added["kind"] == "phone" and added["item"] == "Phone:+31612345678"
    assert added["created"] is True
    assert hits(home, "coa.analyst") == []

    files = delivery(tmp_path)
    assert run(home, "load", *files).exit_code == 0
    found = hits(home, "coa.analyst")
    assert [set(h) for h in found] == [set(HIT_FIELDS)] * 2
    by_org = {h["organisation"]: h for h in found}
    assert by_org["kmar"]["readable"] is True and by_org["kmar"]["signal"].startswith("Signal:kmar")
    hidden = by_org["ind"]
    assert hidden["readable"] is False and hidden["status"] == "new"
    assert hidden["kind"] == "phone" and hidden["item"] == "Phone:+31612345678"
    assert SECRET not in json.dumps(found)
    text = run(home, "watch", "hits", "--as", "coa.analyst").stdout
    assert "IND signal of 12 May 2026 mentions this phone" in " ".join(text.split())
    assert SECRET not in text

    # the owner reads its own signal in full; it watched nothing, so it has no hits
    assert hits(home, "ind.analyst") == []

    # once per new fact: reloading, resolving and detecting again raise nothing
    assert run(home, "load", *files).exit_code == 0
    assert run(home, "resolve").exit_code == 0
    assert run(home, "resolve").exit_code == 0
    assert hits(home, "coa.analyst") == found


def test_watch_list_remove_dismiss_and_usage_errors(home: Path, tmp_path: Path) -> None:
    assert (
        run(home, "watch", "add", "Abu Omar", "--kind", "alias", "--as", "coa.analyst").exit_code
        == 0
    )
    again = data(run(home, "watch", "add", "abou omar", "--kind", "alias", "--as", "coa.analyst",
                     "--json"))  # fmt: skip
    assert again["created"] is False
    assert run(home, "watch", "add", "+31 6 1234 5678", "--as", "coa.analyst").exit_code == 0
    listed = data(run(home, "watch", "list", "--as", "coa.analyst", "--json"))["watches"]
    assert [w["kind"] for w in listed] == ["alias", "phone"]
    assert data(run(home, "watch", "list", "--as", "ind.analyst", "--json")) == {"watches": []}

    run(home, "load", *delivery(tmp_path))
    [first, *_] = hits(home, "coa.analyst")
    assert run(home, "watch", "dismiss", str(first["id"]), "--as", "ind.analyst").exit_code == 2
    assert run(home, "watch", "dismiss", str(first["id"]), "--as", "coa.analyst").exit_code == 0
    assert first["id"] not in [h["id"] for h in hits(home, "coa.analyst")]
    assert [h["status"] for h in hits(home, "coa.analyst", "--all") if h["id"] == first["id"]] == [
        "dismissed"
    ]
    assert hits(home, "coa.analyst", "--since", "2999-01-01") == []

    assert run(home, "watch", "remove", "0031612345678", "--as", "coa.analyst").exit_code == 0
    assert run(home, "watch", "remove", "0031612345678", "--as", "coa.analyst").exit_code == 2
    assert run(home, "watch", "add", "not a phone", "--as", "coa.analyst").exit_code == 2
    assert run(home, "watch", "add", "Person:nobody", "--as", "coa.analyst").exit_code == 2
    assert run(home, "watch", "add", "x", "--kind", "planet", "--as", "coa.analyst").exit_code == 2
    assert run(home, "watch", "hits", "--since", "May", "--as", "coa.analyst").exit_code == 2
