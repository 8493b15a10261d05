"""Key players on a real store: a leader tying three rings, his role, the wider network, and
what removing him does - through the query layer and the CLI, under the viewer's policy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import make_store
from tests.detect.world import Fac, World, ring
from tests.views import clusters_json
from workbench.cli.main import app
from workbench.config import Settings
from workbench.detect import DetectionParams, detect
from workbench.query import Session, disruption
from workbench.query.errors import InvalidInput, NotFound
from workbench.security import cli_session, operator_session
from workbench.security.manage import add_user
from workbench.security.policy import Unrestricted
from workbench.store.base import CypherStore

PHONES = {"Omar": "+905321111111", "Tekle": "+905322222222", "Karim": "+905323333333"}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("key-players")


@pytest.fixture(scope="module")
def store(home: Path) -> Iterator[CypherStore]:
    s = make_store("embedded", home)
    w = World(s)
    for name, phone in PHONES.items():
        ring(w, name, [f"{name.lower()}c{i}" for i in range(5)], phone=phone)
    for name, phone in PHONES.items():  # the leader deals with every ring's smuggler
        w.record("politie", f"PL-L-{name}", "leader", theme="mensensmokkel",
                 facilitators=[Fac(name, "Abu " + name, phone, "smokkelaar")])  # fmt: skip
    w.write()
    detect(s, DetectionParams(alert_min_score=0.0, resolution=0.3))  # one cluster per ring
    yield s
    s.close()


def _clusters(store: CypherStore) -> list[dict[str, object]]:
    return list(clusters_json(store, Unrestricted())["clusters"])


def test_the_leader_who_ties_three_rings_is_their_broker(store: CypherStore) -> None:
    members = {m["id"]: m for c in _clusters(store) for m in c["members"]}  # type: ignore[attr-defined]
    leader = members["Person:leader"]
    assert leader["role"] == "broker"
    assert leader["role_reason"].startswith("links 3 clusters; ")
    for name in PHONES:
        assert members[f"FacilitatorEntity:{name}"]["role"] == "organiser"
    assert {members[f"Person:omarc{i}"]["role"] for i in range(5)} <= {"peripheral", "member"}


def test_the_three_rings_are_one_wider_network(store: CypherStore) -> None:
    clusters = _clusters(store)
    assert len(clusters) == 3
    for c in clusters:
        network = c["network"]
        assert isinstance(network, dict)
        assert sorted(network["clusters"]) == sorted(str(x["id"]) for x in clusters)
        assert network["members"] == 19
        assert network["summary"].endswith("3 clusters, 19 members")


def test_removing_the_leader_breaks_the_wider_network_apart(store: CypherStore) -> None:
    first = str(_clusters(store)[0]["id"])
    found = disruption(Session(store, Unrestricted()), first, k=1, wider=True).to_dict()
    assert found["scope"] == "network" and found["members"] == 19
    assert [t["id"] for t in found["targets"]] == ["Person:leader"]
    assert found["targets"][0]["role"] == "broker"
    [step] = found["steps"]
    assert (step["removed"], step["components"], step["largest_component"]) == (
        "Person:leader", 3, 6)  # fmt: skip
    assert step["cut_off_from_organisers"] == 0  # every ring keeps its smuggler
    own = disruption(Session(store, Unrestricted()), first, k=2).to_dict()
    assert own["scope"] == "cluster" and own["members"] < 19


def test_disruption_refuses_what_it_cannot_answer(store: CypherStore) -> None:
    session = Session(store, Unrestricted())
    with pytest.raises(NotFound):
        disruption(session, "Cluster:R-nothing|1")
    with pytest.raises(InvalidInput):
        disruption(session, str(_clusters(store)[0]["id"]), k=0)


def test_the_cli_shows_a_partner_the_same_targets_as_the_query_layer(
    store: CypherStore, home: Path
) -> None:
    """A police analyst sees the IND's soft signals pseudonymised: the targets are named by
    the pseudonyms the policy gives, the structure (roles, steps) is the same."""
    add_user(operator_session(Settings(home=home, operator="local:tester")), "pia",
             organisation="politie", role="analyst", password=None)  # fmt: skip
    first = str(_clusters(store)[0]["id"])
    env = {"WORKBENCH_OPERATOR": "local:tester", "WORKBENCH_USER": None, "WORKBENCH_HOME": None}
    bare = first.removeprefix("Cluster:")  # the prefix may be left off, as for dossiers
    args = ["--home", str(home), "disrupt", bare, "--k", "2", "--network", "--json", "--as", "pia"]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["targets"][0]) == {"id", "label", "role"}
    assert set(data["steps"][0]) >= {"removed", "largest_component", "components"}
    ctx = cli_session(Settings(home=home), "pia", store=store)
    mine = disruption(Session(store, ctx.policy, ctx.record), first, k=2, wider=True).to_dict()
    assert data == json.loads(json.dumps(mine))
    full = disruption(Session(store, Unrestricted()), first, k=2, wider=True).to_dict()
    assert [s["components"] for s in data["steps"]] == [s["components"] for s in full["steps"]]
    assert [t["label"] for t in data["targets"]] != [t["label"] for t in full["targets"]]
