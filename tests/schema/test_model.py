"""The graph model: consistent, and everything derived from it stays in sync."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph_schema import docs
from graph_schema.ddl import embedded_ddl, neo4j_ddl
from graph_schema.legend import legend
from graph_schema.model import HERE, SchemaError, load_model, model

ROOT = Path(__file__).parents[2]


def test_schema_doc_is_in_sync_with_the_model() -> None:
    expected = docs.render(model())
    actual = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/schema.md is stale: run `make schema-docs`"


def test_every_layer_of_the_design_is_modelled() -> None:
    m = model()
    assert {n.layer for n in m.nodes.values()} == {"evidence", "identity", "analysis", "work"}
    for label in [
        "Signal",
        "PersonMention",
        "Phone",
        "Device",
        "Document",
        "Vehicle",
        "FacilitatorMention",
        "Route",
        "Location",
        "Person",
        "FacilitatorEntity",
        "MatchDecision",
        "DetectionRun",
        "Cluster",
        "Annotation",
        "User",
    ]:
        assert label in m.nodes


def test_evidence_carries_provenance_and_other_layers_do_not() -> None:
    for node in model().nodes.values():
        assert ("signals" in node.properties) == (node.layer == "evidence"), node.label
    for edge in model().edges.values():
        assert ("signals" in edge.properties) == (edge.layer == "evidence"), edge.type


def test_derived_ddl_covers_every_type() -> None:
    m = model()
    assert set(embedded_ddl(m)) == set(m.nodes) | set(m.edges)
    constraints = [s for s in neo4j_ddl(m) if s.startswith("CREATE CONSTRAINT")]
    assert len(constraints) == len(m.nodes)
    assert set(legend(m)) == set(m.nodes)


def _copy_model(tmp_path: Path) -> Path:
    root = tmp_path / "schema"
    shutil.copytree(HERE, root, ignore=shutil.ignore_patterns("*.py", "__pycache__", "types"))
    return root


@pytest.mark.parametrize(
    ("path", "old", "new", "message"),
    [
        ("nodes/Phone.yaml", "key: [e164]", "key: [number]", "Phone.yaml: key 'number'"),
        (
            "nodes/Phone.yaml",
            "type: string",
            "type: text",
            "Phone.yaml: property 'e164' has unknown type",
        ),
        ("nodes/Phone.yaml", "label: Phone", "label: Telefoon", "Phone.yaml: label 'Telefoon'"),
        (
            "edges/HAS_PHONE.yaml",
            "[PersonMention, Phone]",
            "[PersonMention, Telefoon]",
            "HAS_PHONE.yaml: endpoint label 'Telefoon'",
        ),
        (
            "nodes/Signal.yaml",
            "enum: theme",
            "enum: thema",
            "Signal.yaml: property 'theme' names unknown enum",
        ),
        ("nodes/Phone.yaml", "layer: evidence", "layer: gossip", "Phone.yaml: unknown layer"),
    ],
)
def test_a_bad_model_fails_at_load_naming_file_and_key(
    tmp_path: Path, path: str, old: str, new: str, message: str
) -> None:
    root = _copy_model(tmp_path)
    target = root / path
    target.write_text(target.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SchemaError, match=message):
        load_model(root)


def test_table_names_may_not_clash_ignoring_case(tmp_path: Path) -> None:
    root = _copy_model(tmp_path)
    (root / "edges" / "PHONE.yaml").write_text(
        "type: PHONE\nlayer: evidence\nendpoints: [[Signal, Phone]]\n", encoding="utf-8"
    )
    with pytest.raises(SchemaError, match="clashes with Phone"):
        load_model(root)
