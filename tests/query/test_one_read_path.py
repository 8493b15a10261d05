"""One read path: only the query layer reads on a viewer's behalf, and every reader agrees.

The boundary is checked in the code itself (who calls the policy's view
functions, who reads the store for a user), and the agreement on a real,
generated, resolved and detected store: for random viewers and clusters the
CLI's JSON, the query layer's objects and the dossier show the same members,
names, pseudonyms and withheld reasons.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import make_store
from workbench.cli.main import app
from workbench.config import Settings
from workbench.dossier.errors import ClusterNotFound
from workbench.dossier.gather import gather
from workbench.generate import generate
from workbench.ingest import ingest
from workbench.query import Session, list_clusters, visibility
from workbench.query.clusters import STORED_ONLY
from workbench.query.persons import persons
from workbench.security import cli_session, operator_session
from workbench.security.manage import add_user
from workbench.security.roles import ORGANISATIONS, ROLES
from workbench.store.base import CypherStore

ROOT = Path(__file__).resolve().parents[2]
VIEW_FUNCTIONS = {"view_node", "view_edge", "view_nodes", "view_subgraph", "view_hits", "prefetch",
                  "sees", "forget_nodes", "know_resolved"}  # fmt: skip
STORE_READS = {"get_nodes", "find_nodes", "find_edges", "neighbourhood", "search",
               "shortest_path", "subgraph_for_analysis"}  # fmt: skip
POLICY_HOMES = ("workbench/query/", "workbench/security/")
# Code that shows users what it reads: it may reach the store only through the query layer.
VIEWER_FACING = ("workbench/ui/", "workbench/cli/", "workbench/dossier/")


def _modules(under: str = "workbench") -> Iterator[tuple[str, ast.Module]]:
    for path in sorted((ROOT / under).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        yield rel, ast.parse(path.read_text(encoding="utf-8"), rel)


def _calls(tree: ast.Module, names: set[str], *, methods: bool = False) -> list[tuple[int, str]]:
    """Where ``tree`` calls, imports or refers to one of ``names`` (only as a method of
    something, ``x.name``, with ``methods``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in names:
            found.append((node.lineno, node.attr))
        elif methods:
            continue
        elif isinstance(node, ast.Name) and node.id in names:
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.ImportFrom):
            found += [(node.lineno, a.name) for a in node.names if a.name in names]
    return found


def test_only_the_query_layer_and_security_apply_the_policy() -> None:
    leaks = {
        rel: hits
        for rel, tree in _modules()
        if not rel.startswith(POLICY_HOMES) and (hits := _calls(tree, VIEW_FUNCTIONS))
    }
    assert not leaks, f"policy applied outside workbench/query and workbench/security: {leaks}"


def test_viewer_facing_code_reads_the_store_only_through_the_query_layer() -> None:
    leaks = {
        rel: hits
        for rel, tree in _modules()
        if rel.startswith(VIEWER_FACING) and (hits := _calls(tree, STORE_READS, methods=True))
    }
    assert not leaks, f"read the store without the query layer: {leaks}"


def test_viewer_facing_code_does_not_judge_visibility_itself() -> None:
    """The UI, CLI and dossier call query functions; ``visibility`` is the query layer's own."""
    leaks = {
        rel: [n.lineno for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
              and (n.module == "workbench.query.visibility"
                   or (n.module == "workbench.query"
                       and any(a.name == "visibility" for a in n.names)))]
        for rel, tree in _modules()
        if rel.startswith(VIEWER_FACING)
    }  # fmt: skip
    assert not {rel: lines for rel, lines in leaks.items() if lines}, leaks


def test_nothing_outside_security_sees_everything_on_a_users_behalf() -> None:
    """``Unrestricted`` is for internal computation; no viewer-facing module holds one."""
    leaks = {
        rel: hits
        for rel, tree in _modules()
        if rel.startswith(VIEWER_FACING) and (hits := _calls(tree, {"Unrestricted"}))
    }
    assert not leaks, leaks


def test_the_store_does_not_import_the_loaders() -> None:
    for rel, tree in _modules("workbench/store"):
        imported = [
            n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
        ] + [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [m for m in imported if m.split(".")[0] == "loaders"], rel


# -- one viewer, three readers, one picture -----------------------------------------------

PASSWORD = "correct horse battery staple"  # synthetic test password
USERS = [f"{org}.{role}" for org in ORGANISATIONS for role in ROLES]


@dataclass
class World:
    store: CypherStore
    home: Path
    clusters: list[str]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A generated corpus of four organisations, loaded, resolved, detected; one user per
    organisation and role."""
    from workbench.detect import detect
    from workbench.resolve import resolve

    root = tmp_path_factory.mktemp("one-read-path")
    generate(root / "in", persons=300, seed=7)
    files = sorted(p for p in (root / "in").iterdir() if p.suffix in (".csv", ".jsonl", ".xlsx"))
    home = root / "home"
    store = make_store("embedded", home)
    ingest(store, files, operator="test")
    resolve(store, operator="test")
    detect(store)
    ctx = operator_session(Settings(home=home))
    for user in USERS:
        org, role = user.split(".")
        add_user(ctx, user, organisation=org, role=role, password=PASSWORD)
    clusters = [n.id for n in store.find_nodes("Cluster")]
    assert len(clusters) >= 5
    yield World(store, home, clusters)
    store.close()


def _name(member: dict[str, str]) -> str:
    """A member's name as shown; the dossier spells out what the list shows as the bare key."""
    prefix = f"unnamed {member['kind']} "
    shown = member.get("name", member.get("label", ""))
    return shown.removeprefix(prefix)


def _terms(items: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(t["term"], t["reason"]) for t in items if t["term"] not in STORED_ONLY]


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same examples in every CI run
    phases=(Phase.explicit, Phase.generate),  # a failure names its viewer and cluster as is
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(user=st.sampled_from(USERS), pick=st.integers(min_value=0, max_value=10**6))
def test_cli_query_layer_and_dossier_show_a_viewer_the_same_cluster(
    world: World, user: str, pick: int
) -> None:
    cluster_id = world.clusters[pick % len(world.clusters)]
    ctx = cli_session(Settings(home=world.home), user, store=world.store)
    session = Session(world.store, ctx.policy, ctx.record)

    out = CliRunner().invoke(
        app, ["--home", str(world.home), "clusters", "--json", "--limit", "0", "--as", user]
    )
    assert out.exit_code == 0, out.output
    cli = {c["id"]: c for c in json.loads(out.stdout)["clusters"]}
    _, rows = list_clusters(session)
    query = {r.id: r.to_dict() for r in rows}
    assert cli == json.loads(json.dumps(query, default=str))  # the CLI is the objects, serialised

    try:
        dossier = gather(world.store, cluster_id, policy=ctx.policy, reason="property test")
    except ClusterNotFound:
        assert cluster_id not in cli  # hidden from all three
        return
    shown = cli[cluster_id]
    assert {m["id"]: _name(m) for m in shown["members"]} == {
        m["id"]: _name(m) for m in dossier["members"]
    }
    assert _terms(shown["explanation"]) == _terms(dossier["score"]["terms"])


@pytest.mark.parametrize("user", ["joint.analyst", "ind.coordinator", "coa.investigator"])
def test_the_streamed_person_list_judges_as_one_person_at_a_time(world: World, user: str) -> None:
    """Pages read in bulk (edges by id range, the policy told the links) show each person
    exactly as a page of one would."""
    settings = Settings(home=world.home)
    policy = cli_session(settings, user, store=world.store).policy
    listed = {p.id: p for p in persons(Session(world.store, policy), page=97)}
    every = [n.id for n in world.store.find_nodes("Person", fields=[])]
    for person_id in every[:: max(1, len(every) // 40)]:
        fresh = Session(world.store, cli_session(settings, user, store=world.store).policy)
        seen = visibility.by_stored_id(fresh, [person_id])
        if person_id not in seen:
            assert person_id not in listed
            continue
        assert listed[person_id].name == seen[person_id].props.get("name")
        assert listed[person_id].v_number == seen[person_id].props.get("v_number")


def test_a_verdict_is_carried_to_the_same_cluster_and_shown_only_with_it(world: World) -> None:
    """Runs last in this module: it adds a verdict and a detection run to the shared world."""
    from workbench.detect import detect
    from workbench.detect.verdicts import record_verdict

    settings = Settings(home=world.home)

    def rows_of(user: str | None) -> list[Any]:
        policy = cli_session(settings, user, store=world.store).policy
        return list_clusters(Session(world.store, policy))[1]

    top = rows_of(None)[0]
    record_verdict(world.store, top.id, "confirmed", reason="checked the phones",
                   author="joint.analyst", organisation="joint")  # fmt: skip
    [judged] = [r for r in rows_of(None) if r.id == top.id]
    assert judged.verdict is not None and judged.verdict["verdict"] == "confirmed"
    assert judged.verdict["inherited"] is False
    detect(world.store)  # unchanged data: every cluster comes back "same"
    carried = [r for r in rows_of(None) if r.verdict and r.verdict["inherited"]]
    assert [r.verdict["cluster"] for r in carried if r.verdict] == [top.id]
    assert carried[0].ranking == "score" and carried[0].to_dict()["ranking"]["method"] == "score"
    for user in USERS:
        for row in rows_of(user):
            if row.verdict and row.verdict.get("cluster") == top.id:
                assert row.lineage == "same"  # only on the successor the viewer sees
