"""The CLI skeleton: status on a new store, exit codes, --home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_status_json_on_a_new_store_has_zero_counts(tmp_path: Path) -> None:
    result = run("status", "--json", env={"WORKBENCH_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["store"] == "embedded"
    assert data["location"].startswith(str(tmp_path))
    assert data["nodes"]["Signal"] == 0 and sum(data["nodes"].values()) == 0
    assert sum(data["edges"].values()) == 0


def test_home_option_wins_over_environment(tmp_path: Path) -> None:
    result = run(
        "--home",
        str(tmp_path / "a"),
        "status",
        "--json",
        env={"WORKBENCH_HOME": str(tmp_path / "b")},
    )
    assert json.loads(result.stdout)["location"].startswith(str(tmp_path / "a"))


def test_usage_errors_exit_2() -> None:
    assert run("no-such-command").returncode == 2
    bad = run("status", env={"WORKBENCH_STORE": "bogus"})
    assert bad.returncode == 2 and "WORKBENCH_STORE" in bad.stderr


def test_stored_text_in_a_table_is_never_read_as_markup() -> None:
    """Names and notes may hold rich markup; tables show it as typed."""
    from rich.console import Console
    from rich.table import Table

    from workbench.cli.common import cell

    hostile = "[bold]Abu[/bold] [link=https://evil.invalid]Omar[/link]\n=HYPERLINK()"
    console = Console(record=True, width=200, color_system=None)
    table = Table("name")
    table.add_row(cell(hostile))
    console.print(table)
    shown = console.export_text()
    assert "[bold]Abu[/bold] [link=https://evil.invalid]Omar[/link]" in shown
    assert cell(None).plain == ""
