"""Each file follows its format contract (/work/shared/formats/README.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import openpyxl
import phonenumbers

from tests.generate.corpus import Corpus, cell_text
from workbench.generate.forms import COUNTRIES, PHONE_PREFIXES, new_phone, phone_form
from workbench.generate.records import COLUMNS

KINDS = {"hard", "zacht"}
THEMES = {"mensensmokkel", "mensenhandel", "terrorisme", "overig"}
INDICATORS = {
    "VERMIST",
    "MINDERJARIG",
    "BEZOEK_ONBEKENDE",
    "OPGEHAALD_AUTO",
    "SCHULD",
    "GEEN_EIGEN_TELEFOON",
    "ANGST",
    "WERK_ZWART",
    "SEKSUELE_UITBUITING",
    "RADICALISERING",
    "GELD_OVERMAKEN",
}
ROLES = {"smokkelaar", "ronselaar", "chauffeur", "geldkoerier", "onderdak", "onbekend"}
VERDICTS = {"echt", "vals", "vervalst", "look-alike", "onbekend"}
DOC_TYPES = {"paspoort", "id-kaart", "rijbewijs", "verblijfsdocument", "overig", ""}
DUTCH_NAMES = {c.dutch for c in COUNTRIES.values()}
V_NUMBER = re.compile(r"\d{10}")
DOB_YMD = re.compile(r"\d{4}(-\d{2}-\d{2})?")
DOB_DMY = re.compile(r"(\d{2}-\d{2}-\d{4}|\d{4})")
AMOUNT_NL = re.compile(r"\d{1,3}(\.\d{3})*,\d{2}")


def _file(corpus: Corpus, prefix: str) -> Path:
    return next(p for p in corpus.path.iterdir() if p.name.startswith(prefix))


def _dmy(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d-%m-%Y").date()


def test_politie_is_utf8_comma_csv_with_contract_header(corpus: Corpus) -> None:
    for path in corpus.path.glob("politie_*.csv"):
        text = path.read_bytes().decode("utf-8")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert tuple(rows[0]) == COLUMNS["politie"]
        assert all(len(r) == len(rows[0]) for r in rows)
    for placed in (r for r in corpus.rows if r.source == "politie"):
        d = placed.data
        dt.date.fromisoformat(d["datum"])
        assert d["signaalsoort"] in KINDS and d["thema"] in THEMES
        assert d["v_nummer"] == "" or V_NUMBER.fullmatch(d["v_nummer"])
        assert d["geboortedatum"] == "" or DOB_YMD.fullmatch(d["geboortedatum"])
        assert d["geslacht"] in {"M", "V", "O"} and d["document_type"] in DOC_TYPES


def test_ind_is_cp1252_semicolon_crlf(corpus: Corpus) -> None:
    raw = _file(corpus, "ind_").read_bytes()
    text = raw.decode("cp1252")
    with_quotes_removed = re.sub(r'"(?:[^"]|"")*"', "", text)
    assert with_quotes_removed.count("\n") == with_quotes_removed.count("\r\n") > 1
    assert text.splitlines()[0] == ";".join(COLUMNS["ind"])
    assert any(ch in text for ch in "ëé€–"), "non-ASCII cp1252 text is exercised"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert all(len(r) == len(COLUMNS["ind"]) for r in rows)
    for placed in (r for r in corpus.rows if r.source == "ind"):
        d = placed.data
        _dmy(d["signaaldatum"])
        assert d["soort"] in KINDS and d["thema"] in THEMES
        assert d["bron"] in {"gehoor", "documentonderzoek", "identiteitsonderzoek", "overig"}
        assert d["nationaliteit"] in DUTCH_NAMES
        assert d["v_nummer"] == "" or V_NUMBER.fullmatch(d["v_nummer"])
        assert d["geboortedatum"] == "" or DOB_DMY.fullmatch(d["geboortedatum"])
        assert d["bedrag"] == "" or AMOUNT_NL.fullmatch(d["bedrag"])
        assert d["reisroute"] == "" or all(c in DUTCH_NAMES for c in d["reisroute"].split(" - "))


def test_kmar_is_one_json_object_per_line(corpus: Corpus) -> None:
    lines = _file(corpus, "kmar_").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    keys = {
        "ref",
        "tijdstip",
        "post",
        "signaal",
        "persoon",
        "documenten",
        "reisroute",
        "aankomstdatum",
        "reisgenoten",
        "telefoons",
        "facilitator",
    }
    for line in lines[:-1]:
        obj = json.loads(line)
        assert isinstance(obj, dict) and set(obj) == keys
        assert dt.datetime.fromisoformat(obj["tijdstip"]).utcoffset() in {
            dt.timedelta(hours=1),
            dt.timedelta(hours=2),
        }
        assert obj["signaal"]["soort"] in KINDS and obj["signaal"]["thema"] in THEMES
        person = obj["persoon"]
        assert ", " in person["naam"] or "<" in person["naam"] or len(person["naam"]) < 60
        assert person["v_nummer"] is None or V_NUMBER.fullmatch(person["v_nummer"])
        assert person["geslacht"] in {"M", "V", "O"}
        assert all(d["beoordeling"] in VERDICTS for d in obj["documenten"])
        assert obj["facilitator"] is None or obj["facilitator"]["rol"] in ROLES
        for mate in obj["reisgenoten"]:
            assert set(mate) == {"naam", "geboortedatum"}


def test_coa_is_xlsx_with_date_cells_and_date_text(corpus: Corpus) -> None:
    wb = openpyxl.load_workbook(_file(corpus, "coa_"), read_only=True)
    header = next(wb.worksheets[0].iter_rows(values_only=True))
    assert tuple(header) == COLUMNS["coa"]
    coa = [r.data for r in corpus.rows if r.source == "coa"]
    kinds = {type(d["datum"]) for d in coa}
    assert kinds == {dt.datetime, str}
    for d in coa:
        if isinstance(d["datum"], str):
            _dmy(d["datum"])
        assert d["locatie"].startswith("azc ")
        assert d["v_nummer"] is None or V_NUMBER.fullmatch(cell_text(d["v_nummer"]))
        assert d["soort"] in KINDS and d["thema"] in THEMES
        assert not d["indicatoren"] or set(d["indicatoren"].split(";")) <= INDICATORS


def test_generated_phones_are_valid_in_every_written_form() -> None:
    import random

    rng = random.Random(0)
    for country in PHONE_PREFIXES:
        for _ in range(300):
            phone = new_phone(country, rng)
            parsed = phonenumbers.parse(phone_form(phone, rng), "NL")
            assert phonenumbers.is_valid_number(parsed), phone
            assert phonenumbers.format_number(parsed, 0) == phone.e164


def test_every_country_form_resolves_to_its_code() -> None:
    from graph_schema.types.country import clean

    for code, forms in COUNTRIES.items():
        for written in (code, forms.alpha2, forms.dutch, forms.english, forms.official):
            assert not written or clean(written) == code, written
