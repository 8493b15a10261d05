"""truth.json agrees with the files, and the mess it records is there."""

from __future__ import annotations

import json
from pathlib import Path

from tests.generate.corpus import Corpus, Placed, cell_text, make_corpus


def _get(data: dict[str, object], path: str) -> object:
    value: object = data
    for part in path.split("."):
        if isinstance(value, list):  # telefoons.nummer: the first phone
            value = value[0]
        assert isinstance(value, dict)
        value = value[part]
    return value


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    first = make_corpus(tmp_path / "a", persons=300, seed=3)
    make_corpus(tmp_path / "b", persons=300, seed=3)
    make_corpus(tmp_path / "c", persons=300, seed=4)
    names = sorted(p.name for p in first.path.iterdir())
    assert len(names) == 6
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    other = {p.name.replace("_4", "_3"): p.read_bytes() for p in (tmp_path / "c").iterdir()}
    main = [n for n in names if "aanvulling" not in n]  # tiny at 300 persons
    assert all(other[n] != (tmp_path / "a" / n).read_bytes() for n in main)


def test_every_record_in_files_is_in_truth_and_back(corpus: Corpus) -> None:
    truth = corpus.truth
    in_files = {placed.key for placed in corpus.rows}
    assert in_files == set(truth["records"])
    people, facilitators = truth["population"], truth["facilitators"]
    for record in truth["records"].values():
        assert record["subject"] in people or record["subject"] in facilitators
        assert all(c in people for c in record["companions"])
        visitor = record["visitor"]
        assert visitor is None or visitor in people or visitor in facilitators
    assert truth["persons"] == len(people) == 1000
    rows_per_file = {p.name: 0 for p in corpus.path.iterdir() if p.name != "truth.json"}
    for placed in corpus.rows:
        rows_per_file[placed.file] += 1
    assert truth["generated"]["rows_per_file"] == rows_per_file


def test_kmar_companions_are_the_travel_companions_in_order(corpus: Corpus) -> None:
    people = corpus.truth["population"]
    seen = 0
    for placed in corpus.rows:
        if placed.source != "kmar" or not placed.data["reisgenoten"]:
            continue
        companions = corpus.truth["records"][placed.key]["companions"]
        assert len(companions) == len(placed.data["reisgenoten"])
        for pid, mate in zip(companions, placed.data["reisgenoten"], strict=True):
            assert people[pid]["dob"][:4] == mate["geboortedatum"][:4]
        seen += 1
    assert seen > 50


def test_duplicates_are_identical_and_conflicts_differ(corpus: Corpus) -> None:
    by_key = corpus.by_key()
    duplicates, conflicts = corpus.truth["duplicates"], corpus.truth["conflicts"]
    assert len(duplicates) >= 8 and len(conflicts) >= 4
    files_with_dups = set()
    for dup in duplicates:
        copies = by_key[dup["record"]]
        assert [{"file": c.file, "row": c.row} for c in copies] == dup["copies"]
        assert all(c.data == copies[0].data for c in copies)
        files_with_dups.add(tuple(sorted({c.file for c in copies})))
    assert any(len(files) == 2 for files in files_with_dups), "a cross-file duplicate"
    assert any(len(files) == 1 for files in files_with_dups), "a within-file duplicate"
    for conflict in conflicts:
        copies = by_key[conflict["record"]]
        assert len(copies) == 2 and copies[0].data != copies[1].data
    recorded = {d["record"] for d in duplicates} | {c["record"] for c in conflicts}
    assert recorded == {key for key, copies in by_key.items() if len(copies) > 1}


def _text(value: object) -> str:
    return cell_text(value)


def test_hostile_strings_are_stored_as_recorded(corpus: Corpus) -> None:
    by_key = corpus.by_key()
    hostile = corpus.truth["hostile"]
    for item in hostile:
        placed: Placed = by_key[item["record"]][0]
        assert _text(_get(placed.data, item["field"])) == item["value"]
    values = {item["value"] for item in hostile}
    assert {"<script>alert(1)</script>", '=HYPERLINK("http://x","y")', "@cmd"} <= values
    assert any("\u202e" in v for v in values) and any(len(v) > 10_000 for v in values)
    assert any("\n" in v for v in values)
    ind = [i for i in hostile if i["record"].startswith("ind:")]
    assert ind and not any("\u202e" in i["value"] for i in ind)


def test_unparseable_values_and_mistyped_v_numbers_are_where_recorded(corpus: Corpus) -> None:
    by_key = corpus.by_key()
    assert len(corpus.truth["unparseable"]) >= 8
    for item in corpus.truth["unparseable"]:
        assert _text(_get(by_key[item["record"]][0].data, item["field"])) == item["value"]
    mistyped = corpus.truth["mistyped_v_numbers"]
    assert mistyped
    valid = {p["v_number"] for p in corpus.truth["population"].values()}
    for item in mistyped:
        data = by_key[item["record"]][0].data
        written = data["persoon"]["v_nummer"] if "persoon" in data else data["v_nummer"]
        assert cell_text(written) == item["written"] and len(item["written"]) == 10
        true = item["v_number"]
        assert corpus.truth["population"][item["subject"]]["v_number"] == true
        assert item["written"] not in valid
        diff = [i for i in range(10) if true[i] != item["written"][i]]
        transposed = (
            len(diff) == 2 and diff[1] == diff[0] + 1 and sorted(true) == sorted(item["written"])
        )
        assert len(diff) == 1 or transposed


def test_default_corpus_has_no_bad_rows_and_bad_rows_are_recorded(
    corpus: Corpus, bad_corpus: Corpus
) -> None:
    assert corpus.truth["bad_rows"] == []
    bad = bad_corpus.truth["bad_rows"]
    assert {b["reason"] for b in bad} == {
        "impossible date",
        "unknown theme",
        "V-number not ten digits",
    }
    placed = {(p.file, p.row): p for p in bad_corpus.rows}
    for item in bad:
        row = placed[(item["file"], item["row"])]
        assert row.key == item["record"] and item["record"] not in bad_corpus.truth["records"]
        assert cell_text(_get(row.data, item["field"])) == item["value"]


def test_truth_is_plain_json_one_entry_per_line(corpus: Corpus) -> None:
    text = (corpus.path / "truth.json").read_text(encoding="utf-8")
    assert json.loads(text) == corpus.truth
    assert '\n"P000042": {' in text
