"""Bad input: each with its precise reject, and nothing valid lost (contract section 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders import load
from loaders.coa import load as load_coa
from loaders.ind import load as load_ind
from loaders.kmar import load as load_kmar
from loaders.politie import load as load_politie

from .conftest import (
    COA_HEADER,
    HOSTILE,
    IND_HEADER,
    POLITIE_HEADER,
    assert_file_error,
    coa_row,
    ind_row,
    kmar_obj,
    politie_row,
    rejects,
    write_csv,
    write_ind,
    write_jsonl,
    write_politie,
    write_xlsx,
)

# -- whole-file rejects -----------------------------------------------------


def test_missing_required_column(tmp_path: Path) -> None:
    header = [h for h in POLITIE_HEADER if h != "thema"]
    rows = [{k: v for k, v in politie_row().items() if k != "thema"}]
    path = write_csv(tmp_path / "politie_t.csv", rows, header=header)
    assert_file_error(load_politie(path), path, "lacks required column", "thema")


def test_missing_optional_column_is_a_file_warning(tmp_path: Path) -> None:
    header = [h for h in POLITIE_HEADER if h != "facilitator"]
    rows = [{k: v for k, v in politie_row().items() if k != "facilitator"}]
    result = load_politie(write_csv(tmp_path / "politie_t.csv", rows, header=header))
    assert len(result.records) == 1
    assert [(w.row, w.field) for w in result.warnings] == [(0, "facilitator")]


def test_wrong_delimiter(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "politie_t.csv", [politie_row()], header=POLITIE_HEADER, delimiter=";"
    )
    assert_file_error(load_politie(path), path, "registratie_id", "wrong delimiter", "';'")


def test_ind_with_commas(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ind_t.csv", [ind_row()], header=IND_HEADER, delimiter=",")
    assert_file_error(load(path), path, "zaaknummer", "wrong delimiter", "','")


def test_ind_rejects_bytes_outside_cp1252(tmp_path: Path) -> None:
    path = write_ind(tmp_path, [ind_row()])
    path.write_bytes(path.read_bytes().replace(b"Syri\xeb", b"Syri\x81", 1))
    assert_file_error(load_ind(path), path, "Windows-1252", "0x81")


def test_ind_reads_utf8_with_a_warning(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ind_t.csv", [ind_row()], header=IND_HEADER, delimiter=";")
    result = load_ind(path)
    assert result.rejects == [] and result.error is None
    assert result.records[0].persons[0].nationality_raw == "Syrië"
    assert [w.field for w in result.warnings] == ["*file*"]


def test_politie_rejects_cp1252(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "politie_t.csv", [politie_row()], header=POLITIE_HEADER, encoding="cp1252"
    )
    assert_file_error(load_politie(path), path, "not valid UTF-8", "0xeb")


def test_utf16_rejected(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ind_t.csv", [ind_row()], header=IND_HEADER, encoding="utf-16")
    assert_file_error(load(path), path, "UTF-16")


@pytest.mark.parametrize("name", ["politie_t.csv", "ind_t.csv", "coa_t.xlsx"])
def test_zero_byte_file_rejected(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    assert_file_error(load(path), path, "empty file")


def test_zero_byte_jsonl_is_zero_signals(tmp_path: Path) -> None:
    path = tmp_path / "kmar_t.jsonl"
    path.write_bytes(b"")
    result = load(path)
    assert (result.error, result.rows, result.records, result.rejects) == (None, 0, [], [])


def test_header_only_csv_is_zero_signals(tmp_path: Path) -> None:
    result = load(write_politie(tmp_path, []))
    assert (result.error, result.rows, result.records) == (None, 0, [])


@pytest.mark.parametrize("name", ["politie_t.csv", "kmar_t.jsonl"])
def test_binary_file_rejected(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert_file_error(load(path), path, "binary")


def test_corrupt_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, [coa_row()])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert_file_error(load(path), path, "corrupt workbook")


def test_not_a_zip_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "coa_t.xlsx"
    path.write_text("melding_nr,datum\n", encoding="utf-8")
    assert_file_error(load(path), path, "corrupt workbook")


def test_empty_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, [], header=None)
    assert_file_error(load_coa(path), path, "no header row")


def test_header_only_xlsx_is_zero_signals(tmp_path: Path) -> None:
    result = load_coa(write_xlsx(tmp_path, []))
    assert (result.error, result.rows, result.records) == (None, 0, [])


def test_undetectable_file(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = load(path)
    assert result.source is None and result.error is not None and str(path) in result.error


# -- row rejects --------------------------------------------------------------


def test_impossible_dates(tmp_path: Path) -> None:
    rows = [
        politie_row(1),
        politie_row(2, datum="2015-02-30"),
        politie_row(3, geboortedatum="1990-13-00"),
        politie_row(4),
    ]
    result = load_politie(write_politie(tmp_path, rows))
    assert rejects(result) == [(2, "datum"), (3, "geboortedatum")]
    reject = result.rejects[0]
    assert (reject.file, reject.record_id, reject.value) == (
        str(tmp_path / "politie_t.csv"),
        "PL-2015-000002",
        "2015-02-30",
    )
    assert "impossible" in reject.reason
    assert [s.record_id for s in result.records] == ["PL-2015-000001", "PL-2015-000004"]


def test_ind_impossible_dmy_date(tmp_path: Path) -> None:
    result = load_ind(write_ind(tmp_path, [ind_row(1, signaaldatum="45-13-2015"), ind_row(2)]))
    assert rejects(result) == [(1, "signaaldatum")]
    assert len(result.records) == 1


def test_unknown_enum_values(tmp_path: Path) -> None:
    rows = [
        politie_row(1, signaalsoort="soft"),
        politie_row(2, thema="smokkel"),
        politie_row(3, geslacht="X"),
        politie_row(4, document_type="visum"),
        politie_row(5, signaalsoort=" HARD ", thema="Mensenhandel", geslacht="v"),
    ]
    result = load_politie(write_politie(tmp_path, rows))
    assert rejects(result) == [
        (1, "signaalsoort"),
        (2, "thema"),
        (3, "geslacht"),
        (4, "document_type"),
    ]
    assert "expected one of: hard, zacht" in result.rejects[0].reason
    (ok,) = result.records
    assert (ok.kind, ok.theme, ok.persons[0].sex) == ("hard", "mensenhandel", "V")


def test_missing_required_values(tmp_path: Path) -> None:
    rows = [politie_row(1, registratie_id=" "), politie_row(2, datum=""), politie_row(3)]
    result = load_politie(write_politie(tmp_path, rows))
    assert rejects(result) == [(1, "registratie_id"), (2, "datum")]
    assert all(r.reason == "required value missing" for r in result.rejects)


def test_nine_digit_v_number(tmp_path: Path) -> None:
    result = load_politie(write_politie(tmp_path, [politie_row(1, v_nummer="280345678")]))
    assert rejects(result) == [(1, "v_nummer")]
    assert result.rejects[0].reason == "V-number must be exactly ten digits"
    assert result.rejects[0].value == "280345678"


def test_rows_with_too_many_or_few_fields(tmp_path: Path) -> None:
    good = [politie_row(1)[h] for h in POLITIE_HEADER]
    rows = [good, [*good, "extra"], good[:-2], [politie_row(4)[h] for h in POLITIE_HEADER]]
    result = load_politie(write_csv(tmp_path / "politie_t.csv", rows, header=POLITIE_HEADER))
    assert rejects(result) == [(2, "*row*"), (3, "*row*")]
    assert result.rejects[0].reason == "expected 17 fields, got 18"
    assert result.rejects[1].reason == "expected 17 fields, got 15"
    assert result.rows == 4 and len(result.records) == 2


def test_unknown_coa_indicator(tmp_path: Path) -> None:
    rows = [coa_row(1, indicatoren="VERMIST;ONTSNAPT"), coa_row(2, indicatoren=" vermist ; ")]
    result = load_coa(write_xlsx(tmp_path, rows))
    assert rejects(result) == [(1, "indicatoren")]
    assert result.rejects[0].value == "ONTSNAPT"
    assert result.records[0].indicators == ("VERMIST",)


def test_unknown_ind_bron(tmp_path: Path) -> None:
    result = load_ind(write_ind(tmp_path, [ind_row(1, bron="telefoon")]))
    assert rejects(result) == [(1, "bron")]


# -- JSON Lines ---------------------------------------------------------------


def test_broken_json_and_arrays(tmp_path: Path) -> None:
    lines = [kmar_obj(1), '{"ref": "KM-2015-000002", ', "", "[1, 2]", kmar_obj(5), "42"]
    result = load_kmar(write_jsonl(tmp_path, lines))
    assert rejects(result) == [(2, "*line*"), (4, "*line*"), (6, "*line*")]
    assert result.rejects[0].reason.startswith("not valid JSON")
    assert result.rejects[1].reason == "not a JSON object (got array)"
    assert result.rejects[2].reason == "not a JSON object (got int)"
    assert [s.row for s in result.records] == [1, 5]
    assert result.rows == 5  # the blank line 3 is not a row


def test_kmar_wrong_shapes_and_enums(tmp_path: Path) -> None:
    lines = [
        kmar_obj(1, persoon="AL-HASSAN"),
        kmar_obj(2, documenten=[{"type": "paspoort", "beoordeling": "nep"}]),
        kmar_obj(3, facilitator={"alias": "X", "rol": "baas"}),
        kmar_obj(4, tijdstip="2015-09-14 25:00"),
        kmar_obj(5, signaal=None),
        kmar_obj(6, reisroute="SYR - TUR"),
    ]
    result = load_kmar(write_jsonl(tmp_path, lines))
    assert rejects(result) == [
        (1, "persoon"),
        (2, "documenten[0].beoordeling"),
        (3, "facilitator.rol"),
        (4, "tijdstip"),
        (5, "signaal.soort"),
        (5, "signaal.thema"),
        (6, "reisroute"),
    ]
    assert result.rejected_rows == 6


def test_kmar_optional_values_warn(tmp_path: Path) -> None:
    obj = kmar_obj(
        1,
        telefoons=[{"nummer": "geen", "imei": "123"}],
        reisroute=["SYR", "Koerdistan", "NLD"],
        persoon={"naam": "X, Y", "nationaliteit": "Atlantis", "v_nummer": 1234567890},
    )
    result = load_kmar(write_jsonl(tmp_path, [obj]))
    assert result.rejects == []
    assert sorted(w.field for w in result.warnings) == [
        "persoon.nationaliteit",
        "reisroute[1]",
        "telefoons[0].imei",
        "telefoons[0].nummer",
    ]
    (signal,) = result.records
    assert signal.route == ("SYR", "Koerdistan", "NLD")
    person = signal.persons[0]
    assert (person.nationality, person.nationality_raw, person.v_number) == (
        None,
        "Atlantis",
        "1234567890",
    )
    assert person.phones[0].raw == "geen" and person.phones[0].e164 is None


# -- optional values, long and hostile text -------------------------------------


def test_optional_values_warn_and_keep_raw(tmp_path: Path) -> None:
    row = politie_row(
        1, telefoon="06-12345678|bel mij", nationaliteit="Atlantis", facilitator="12345678"
    )
    result = load_politie(write_politie(tmp_path, [row]))
    assert result.rejects == []
    assert [(w.field, w.value) for w in result.warnings] == [
        ("telefoon", "bel mij"),
        ("nationaliteit", "Atlantis"),
        ("facilitator", "12345678"),
    ]
    (signal,) = result.records
    assert [p.e164 for p in signal.persons[0].phones] == ["+31612345678", None]
    assert signal.warnings == tuple(result.warnings)


def test_free_text_up_to_its_limit_is_kept_verbatim(tmp_path: Path) -> None:
    text = ('Lange tekst met regels,\n"aanhalingstekens" en; tekens. ' * 2000)[:65_536]
    result = load_politie(
        write_politie(tmp_path, [politie_row(1, omschrijving=text), politie_row(2)])
    )
    assert result.rejects == [] and len(result.records) == 2
    assert result.records[0].text == text
    assert result.records[0].raw["omschrijving"] == text


def test_free_text_over_its_limit_rejects_the_row(tmp_path: Path) -> None:
    text = "x" * 1_000_000
    rows = [politie_row(1, omschrijving=text), politie_row(2, achternaam="A" * 300)]
    result = load_politie(write_politie(tmp_path, [*rows, politie_row(3)]))
    assert rejects(result) == [(1, "omschrijving"), (2, "achternaam")]
    first, second = result.rejects
    assert first.reason == "1,000,000 characters, over the limit of 65,536 for this field"
    assert first.value is not None and first.value.endswith("… (1,000,000 characters)")
    assert second.reason == "300 characters, over the limit of 256 for this field"
    assert [s.row for s in result.records] == [3]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_strings_kept_verbatim_csv(tmp_path: Path, hostile: str) -> None:
    row = politie_row(1, omschrijving=hostile, achternaam=hostile, locatie=hostile)
    result = load_politie(write_politie(tmp_path, [row]))
    (signal,) = result.records
    assert signal.text == hostile and signal.location == hostile
    assert signal.raw["omschrijving"] == hostile and signal.raw["achternaam"] == hostile
    name = signal.persons[0].name
    assert name is not None and name.surname == hostile.strip()


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_strings_kept_verbatim_jsonl_and_xlsx(tmp_path: Path, hostile: str) -> None:
    obj = kmar_obj(1, signaal={"soort": "hard", "thema": "overig", "toelichting": hostile})
    (signal,) = load_kmar(write_jsonl(tmp_path, [obj])).records
    assert signal.text == hostile and signal.raw["signaal"]["toelichting"] == hostile
    (coa,) = load_coa(write_xlsx(tmp_path, [coa_row(1, toelichting=hostile)])).records
    assert coa.text == hostile and coa.raw["toelichting"] == hostile


def test_multiline_quoted_field_and_bom(tmp_path: Path) -> None:
    path = write_politie(
        tmp_path, [politie_row(1, omschrijving="regel 1\nregel 2, met komma"), politie_row(2)]
    )
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = load_politie(path)
    assert [s.row for s in result.records] == [1, 2]
    assert result.records[0].text == "regel 1\nregel 2, met komma"
    assert "registratie_id" in result.records[0].raw  # BOM stripped from the first column


def test_unterminated_quote_rejects_rest(tmp_path: Path) -> None:
    path = write_politie(tmp_path, [politie_row(1)])
    with path.open("a", encoding="utf-8") as fh:
        fh.write('PL-2015-000002,2015-09-15,zacht,overig,,,,,,,,,,,,,"open\n')
    result = load_politie(path)
    assert rejects(result) == [(2, "*row*")]
    assert "unexpected end of data" in result.rejects[0].reason
    assert len(result.records) == 1


# -- COA typed cells -----------------------------------------------------------


def test_coa_typed_cells(tmp_path: Path) -> None:
    import datetime as dt

    rows = [
        coa_row(1, datum=dt.datetime(2015, 10, 20), v_nummer=2901122334, geboortedatum=1996),
        coa_row(2, v_nummer=290112233),  # numeric cell lost a leading zero (or a typo)
        coa_row(3, datum=42297, kenteken="??", bezoeker_telefoon="onbekend"),
        coa_row(4, datum="2015-10-20"),  # ISO text where DD-MM-YYYY is the format
    ]
    result = load_coa(write_xlsx(tmp_path, rows))
    assert rejects(result) == [(2, "v_nummer"), (4, "datum")]
    assert "leading zeros" in result.rejects[0].reason
    first, third = result.records
    assert first.date == "2015-10-20" and first.persons[0].v_number == "2901122334"
    assert first.raw["v_nummer"] == "2901122334" and first.raw["datum"] == "2015-10-20"
    assert first.persons[0].birth_date_raw == "1996"
    assert third.date == "2015-10-20" and third.vehicles == ("??",)
    assert [w.field for w in third.warnings] == ["bezoeker_telefoon", "kenteken"]
    json.dumps([s.raw for s in result.records])  # raw is JSON-able


def test_coa_columns_in_other_order_and_case(tmp_path: Path) -> None:
    header = [h.upper() for h in reversed(COA_HEADER)]
    row = {h.upper(): v for h, v in coa_row(1).items()}
    result = load_coa(write_xlsx(tmp_path, [row], header=header))
    assert result.rejects == [] and result.records[0].record_id == "COA-1"
    assert "MELDING_NR" in result.records[0].raw
