"""Ingest into a real embedded store: nothing lost, nothing twice, nothing altered."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from workbench.generate import generate
from workbench.ingest import ingest
from workbench.ingest.mapping import GraphRows, signal_id
from workbench.store.base import CypherStore

HOSTILE = (
    '<script>alert(1)</script> =HYPERLINK("http://x","y") \' OR 1=1 -- MATCH (n) DETACH DELETE n'
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, persons=5000, seed=11)
    return out


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in (".csv", ".jsonl", ".xlsx"))


def test_the_example_files_load_with_zero_rejects(embedded: CypherStore) -> None:
    report = ingest(embedded, _files(EXAMPLES))
    assert report.ok
    for f in report.files:
        assert f.rejected == 0 and f.error is None, f
        assert f.loaded == f.rows > 0
    kmar = embedded.get_nodes([signal_id("kmar", "KM-2015-004512")])
    if kmar:  # the example's first KMar record: provenance and raw kept
        node = next(iter(kmar.values()))
        assert node.props["raw"]["ref"] == "KM-2015-004512"
        assert node.props["file"] == "kmar_example.jsonl" and node.props["row"] == 1


def test_a_generated_corpus_accounts_for_every_row_and_reloads_as_a_no_op(
    embedded: CypherStore, corpus: Path
) -> None:
    first = ingest(embedded, _files(corpus))
    assert first.ok
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    for f in first.files:
        assert f.loaded + f.duplicates + f.conflicts + f.rejected == f.rows, f
        assert f.rejected == 0, f.rejects[:3]
    assert sum(f.duplicates for f in first.files) > 0  # the generator plants duplicates
    assert sum(f.conflicts for f in first.files) == len(truth["conflicts"])
    counts = embedded.counts()
    assert counts["nodes"]["Signal"] == sum(f.loaded for f in first.files)

    second = ingest(embedded, _files(corpus))
    assert second.batch_id == first.batch_id
    for f in second.files:
        assert f.loaded == 0
        assert f.duplicates + f.conflicts == f.rows
    assert embedded.counts() == counts  # every count unchanged


def test_a_big_load_written_in_parts_gives_the_same_store_and_report(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ADR 0019: files split into units of RECORDS_PER_UNIT records, the load into several."""
    from graph_schema.model import model
    from workbench.store.embedded import EmbeddedStore

    def load(home: Path) -> tuple[list[tuple[int, ...]], dict[str, dict[str, int]]]:
        store = EmbeddedStore(home, model(), direct_rows=0)
        store.ensure_schema()
        report = ingest(store, _files(corpus))
        counts = [(f.rows, f.loaded, f.duplicates, f.conflicts, f.rejected) for f in report.files]
        return counts, store.counts()

    whole = load(tmp_path / "whole")
    monkeypatch.setattr("workbench.ingest.RECORDS_PER_UNIT", 700)
    monkeypatch.setattr("workbench.ingest.ONE_UNIT_ROWS", 0)
    assert load(tmp_path / "parts") == whole


def test_every_node_and_edge_of_the_evidence_layer_says_who(
    embedded: CypherStore, corpus: Path
) -> None:
    ingest(embedded, [p for p in _files(corpus) if p.suffix == ".jsonl"])
    signals = {n.id for n in embedded.find_nodes("Signal")}
    for label in ("PersonMention", "Phone", "Document", "Route"):
        for node in embedded.find_nodes(label, limit=200):
            assert node.props["signals"] and set(node.props["signals"]) <= signals
    for edge in embedded.find_edges("HAS_PHONE")[:200]:
        assert set(edge.props["signals"]) <= signals


def test_hostile_strings_come_back_byte_identical(embedded: CypherStore, tmp_path: Path) -> None:
    path = tmp_path / "politie_hostile.csv"
    header = (
        "registratie_id,datum,signaalsoort,thema,v_nummer,achternaam,voornaam,"
        "geboortedatum,nationaliteit,geslacht,telefoon,document_type,document_nummer,"
        "document_land,locatie,facilitator,omschrijving"
    )
    text = HOSTILE + "\u202e\nsecond line"
    quoted = '"' + text.replace('"', '""') + '"'
    name = '"' + HOSTILE.replace('"', '""') + '"'
    path.write_text(
        f"{header}\nPL-2015-000001,2015-09-14,zacht,overig,,{name},Ali,,SYR,M,,,,,Ter Apel,,"
        f"{quoted}\n",
        encoding="utf-8",
    )
    report = ingest(embedded, [path])
    assert report.files[0].loaded == 1, report.files[0]
    node = embedded.get_nodes([signal_id("politie", "PL-2015-000001")])[
        signal_id("politie", "PL-2015-000001")
    ]
    assert node.props["text"] == text
    assert node.props["raw"]["omschrijving"] == text
    [person] = embedded.find_nodes("PersonMention", {"record_id": "PL-2015-000001"})
    assert person.props["surname"] == HOSTILE or HOSTILE in (person.props["name"] or "")


def test_rejected_rows_are_quarantined_with_file_row_field_and_reason(
    embedded: CypherStore, tmp_path: Path
) -> None:
    src = (EXAMPLES / "politie_example.csv").read_text(encoding="utf-8").splitlines()
    header, first = src[0], src[1]
    bad = first.replace(first.split(",")[0], "PL-2099-999999", 1).replace(
        first.split(",")[1], "2015-02-30", 1
    )
    path = tmp_path / "politie_bad.csv"
    path.write_text("\n".join([header, first, bad]) + "\n", encoding="utf-8")
    report = ingest(embedded, [path])
    f = report.files[0]
    assert (f.rows, f.loaded, f.rejected) == (2, 1, 1)
    [q] = [n.props for n in embedded.find_nodes("Reject")]
    assert (q["file"], q["row"], q["field"]) == ("politie_bad.csv", 2, "datum")
    assert "2015-02-30" in q["reason"] or q["value"] == "2015-02-30"


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
    )


def test_cli_load_json_and_exit_codes(tmp_path: Path) -> None:
    broken = tmp_path / "kmar_broken.jsonl"
    broken.write_bytes(b"\x00\x01\x02binary\xff")
    good = EXAMPLES / "ind_example.csv"
    result = _cli(tmp_path / "home", "load", "--json", str(good), str(broken))
    assert result.returncode == 1, result.stderr  # one file rejected whole
    data = json.loads(result.stdout)
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    assert by_name["ind_example.csv"]["loaded"] == 2 and by_name["ind_example.csv"]["error"] is None
    assert by_name["kmar_broken.jsonl"]["error"]
    assert _cli(tmp_path / "home", "load", str(tmp_path / "missing.csv")).returncode == 2
    listed = _cli(tmp_path / "home", "rejects", "--json")
    assert listed.returncode == 0 and json.loads(listed.stdout) == []


def test_graph_rows_merge_provenance_of_shared_nodes_without_aliasing() -> None:
    """A hub node gains every record's signal once; the records' own lists stay theirs."""
    merged = GraphRows()
    parts = []
    for i in range(3):
        part = GraphRows()
        prov = [f"Signal:politie|PL-{i}"]
        part.node("Location", {"key": "ter apel", "name": "Ter Apel", "signals": prov})
        part.node("Phone", {"e164": f"+3161234567{i}", "signals": prov})
        parts.append((part, prov))
        merged.extend(part)
        merged.extend(part)  # the same record twice adds nothing
    [hub] = merged.nodes["Location"].values()
    assert hub["signals"] == [f"Signal:politie|PL-{i}" for i in range(3)]
    assert [prov for _, prov in parts] == [[f"Signal:politie|PL-{i}"] for i in range(3)]
    assert len(merged.nodes["Phone"]) == 3
