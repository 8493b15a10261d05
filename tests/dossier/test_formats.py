"""Each format of the planted cluster's dossier: valid, complete, and hostile strings inert."""

from __future__ import annotations

import json

from tests.dossier.checks import check_html, check_json, csv_rows, html_page, pdf_text
from tests.dossier.planted import FORMULA, IMG, RTL, SCRIPT, Planted
from workbench.dossier.csv_safe import TRIGGERS
from workbench.dossier.export import Export
from workbench.dossier.render import reveal


def _all_records(planted: Planted) -> set[str]:
    return {r.split(":", 1)[1] for records in planted.records.values() for r in records}


def test_pdf_is_valid_paged_and_names_every_member_and_record(
    exports: dict[str, Export], planted: Planted
) -> None:
    pages, text = pdf_text(exports["pdf"].content)
    assert pages >= 5
    assert exports["pdf"].content.startswith(b"%PDF-")
    for name in planted.names.values():
        assert name in text, name
    for record in _all_records(planted):
        assert record in text, record
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert text.count("DEPARTEMENTAAL VERTROUWELIJK") == pages  # the running header
    assert "Contents" in text and "Appendix: provenance" in text


def test_pdf_shows_hostile_strings_as_text(exports: dict[str, Export]) -> None:
    _, text = pdf_text(exports["pdf"].content)
    for hostile in (SCRIPT, IMG, FORMULA, reveal(RTL)):
        assert hostile in text, hostile
    assert "\u202e" not in text


def test_html_is_self_contained_inert_and_complete(
    exports: dict[str, Export], planted: Planted
) -> None:
    html = exports["html"].content.decode("utf-8")
    text = check_html(html)
    for name in planted.names.values():
        assert name in text, name
    for record in _all_records(planted):
        assert record in text, record
    for hostile in (SCRIPT, IMG, FORMULA):
        assert hostile in text
    assert reveal(RTL) in text and "\u202e" not in html  # the override is shown, not obeyed
    assert "img" not in html_page(html).tags


def test_json_validates_and_keeps_every_string_verbatim(
    exports: dict[str, Export], planted: Planted
) -> None:
    doc = check_json(exports["json"].content)
    members = {m["id"]: m for m in doc["members"]}
    assert set(members) == set(planted.names)
    for member_id, records in planted.records.items():
        listed = {f"{r['source']}:{r['record_id']}" for r in members[member_id]["records"]}
        assert listed == set(records), member_id
        assert members[member_id]["name"] == planted.names[member_id]
    texts = {s["text"] for s in doc["signals"]}
    assert {f"{SCRIPT} en {FORMULA}", FORMULA, RTL} <= texts
    assert doc["dossier"]["reason"].startswith("request of the expertise centre")
    assert doc["resolution"]["available"] in (True, False)
    assert doc["annotations"][0]["note"].startswith(SCRIPT)
    assert doc["lineage"][0]["relation"] == "grown"
    assert {f["name"] for f in doc["provenance"]["files"]} == {
        "kmar_export.jsonl",
        "coa_export.xlsx",
    }


def test_json_orders_members_by_centrality_and_signals_by_date(
    exports: dict[str, Export],
) -> None:
    doc = json.loads(exports["json"].content)
    assert [m["ref"] for m in doc["members"]] == [
        f"M{i}" for i in range(1, len(doc["members"]) + 1)
    ]
    assert doc["members"][0]["name"] == "Abu Karim"  # the most central: the broker
    dates = [s["date"] for s in doc["signals"]]
    assert dates == sorted(dates)


def test_csv_defuses_formulas_and_lists_every_record(
    exports: dict[str, Export], planted: Planted
) -> None:
    rows = csv_rows(exports["csv"].content)
    assert {r["record_id"] for r in rows} == _all_records(planted)
    for row in rows:
        for cell in row.values():
            assert not cell.lstrip(" ").startswith(TRIGGERS), cell
    texts = {r["text"] for r in rows}
    assert "'" + FORMULA in texts and f"{SCRIPT} en {FORMULA}" in texts and RTL in texts
    names = " ".join(r["members"] for r in rows)
    assert all(name in names for name in planted.names.values())
