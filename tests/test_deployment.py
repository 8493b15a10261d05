"""docker-compose.yml and the set-up files hang together (no Docker needed)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).parents[1]


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_services_reference_each_other_consistently() -> None:
    c = _compose()
    assert set(c["services"]) == {"neo4j", "ui", "scheduler"}
    neo4j = c["services"]["neo4j"]
    assert "healthcheck" in neo4j and "graph-data-science" in neo4j["environment"]["NEO4J_PLUGINS"]
    for name in ("ui", "scheduler"):
        svc = c["services"][name]
        assert svc["depends_on"]["neo4j"]["condition"] == "service_healthy"
        assert svc["environment"]["WORKBENCH_STORE"] == "neo4j"
        assert svc["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
        assert svc["env_file"] == ".env"
        for volume in svc["volumes"]:
            assert volume.split(":")[0] in c["volumes"]
    assert c["services"]["scheduler"]["command"][:2] == ["workbench", "schedule"]


def test_only_the_ui_port_is_published_beyond_loopback() -> None:
    for name, svc in _compose()["services"].items():
        for port in svc.get("ports", []):
            if name != "ui":
                assert port.startswith("127.0.0.1:"), f"{name} publishes {port} publicly"


def test_secrets_come_from_env_and_are_not_committed() -> None:
    assert (ROOT / ".env.example").exists()
    assert ".env" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "NEO4J_PASSWORD:?" in text  # compose refuses to start without a password


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:40]
    assert any("make demo" in line for line in readme)
    assert any("make test" in line for line in readme)
