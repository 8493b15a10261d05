"""The example files of the formats contract load with zero rejects."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders import LOADERS, load
from loaders.records import PartialDate, Signal

from .conftest import EXAMPLES


@pytest.mark.parametrize(
    ("name", "source", "count"),
    [
        ("politie_example.csv", "politie", 3),
        ("kmar_example.jsonl", "kmar", 2),
        ("ind_example.csv", "ind", 2),
        ("coa_example.xlsx", "coa", 3),
    ],
)
def test_example_loads_clean(name: str, source: str, count: int) -> None:
    result = load(EXAMPLES / name)
    assert result.error is None
    assert result.source == source
    assert result.rows == count == len(result.records)
    assert result.rejects == []
    assert result.warnings == []


def test_registry_covers_every_source() -> None:
    assert set(LOADERS) == {"politie", "kmar", "ind", "coa"}


def _by_id(path: Path) -> dict[str, Signal]:
    return {s.record_id: s for s in load(path).records}


def test_politie_values() -> None:
    signals = _by_id(EXAMPLES / "politie_example.csv")
    first = signals["PL-2015-000101"]
    assert (first.date, first.kind, first.theme, first.location) == (
        "2015-09-15", "zacht", "mensensmokkel", "Ter Apel",
    )  # fmt: skip
    person = first.persons[0]
    assert person.name is not None and person.name.surname == "Al-Hassan"
    assert person.birth_date == PartialDate("1991-01-01", "day", administrative=True)
    assert (person.nationality, person.nationality_raw) == ("SYR", "Syrië")
    assert [p.e164 for p in person.phones] == ["+963944123456", "+31612345678"]
    assert person.documents[0].number == "N0123456"
    assert first.facilitators[0].alias == "Abu Omar"
    assert [(e.kind, e.value, e.span) for e in first.extracted] == [
        ("alias", "Abu Omar", "Abu Omar"),
        ("phone", "+905321234567", "+90 532 123 4567"),
    ]
    assert first.raw["telefoon"] == "+963 944 123 456|06-12345678"
    second = signals["PL-2015-000102"]
    assert [(e.kind, e.value) for e in second.extracted] == [("plate", "53VKT8")]
    assert second.persons[0].birth_date == PartialDate("1996", "year")
    third = signals["PL-2015-000103"]
    assert third.persons[0].documents[0].country == "NGA"
    assert ("amount", "35000.00") in [(e.kind, e.value) for e in third.extracted]


def test_kmar_values() -> None:
    signal = _by_id(EXAMPLES / "kmar_example.jsonl")["KM-2015-004512"]
    assert signal.date == "2015-09-14T10:32:00+02:00"
    assert signal.route == ("SYR", "TUR", "GRC", "MKD", "SRB", "HUN", "AUT", "DEU", "NLD")
    assert signal.arrival_date == "2015-09-12"
    subject, companion = signal.persons
    assert subject.phones[0].e164 == "+963944123456"
    assert subject.phones[0].imei == "356938035643809"
    assert subject.documents[0].assessment == "vals"
    assert companion.role == "companion" and companion.birth_date == PartialDate("2009", "year")
    facilitator = signal.facilitators[0]
    assert facilitator.phone is not None and facilitator.phone.e164 == "+905321234567"
    assert (facilitator.role, facilitator.amount_eur, facilitator.payment_method) == (
        "smokkelaar", 3000.0, "hawala",
    )  # fmt: skip
    assert signal.raw["persoon"]["naam"] == "AL-HASSAN, Mohamed"


def test_ind_values() -> None:
    signals = _by_id(EXAMPLES / "ind_example.csv")
    first = signals["IND-77120"]
    assert first.date == "2015-09-21" and first.origin == "gehoor"
    assert first.route == ("SYR", "TUR", "GRC", "MKD", "SRB", "HUN", "AUT", "DEU", "NLD")
    name = first.persons[0].name
    assert name is not None and (name.given, name.surname) == ("Muhammad", "ALHASSAN")
    smuggler = first.facilitators[0]
    assert smuggler.phone is not None and smuggler.phone.e164 == "+905321234567"
    assert smuggler.amount_eur == 3000.0
    second = signals["IND-77121"]
    assert second.text is not None and "Libië–Italië; café" in second.text
    assert second.persons[0].birth_date == PartialDate("1996", "year")
    assert second.facilitators[0].amount_eur == 4500.0


def test_coa_values() -> None:
    signals = _by_id(EXAMPLES / "coa_example.xlsx")
    first = signals["COA-55001"]
    assert first.date == "2015-10-20"
    assert first.raw["datum"] == "2015-10-20"
    assert first.vehicles == ("XR123K",)
    assert first.indicators == ("MINDERJARIG", "BEZOEK_ONBEKENDE", "OPGEHAALD_AUTO")
    visitor = first.persons[1]
    assert visitor.role == "visitor" and visitor.phones[0].e164 == "+31687654321"
    second = signals["COA-55002"]
    assert second.date == "2015-11-03"
    assert second.persons[0].birth_date == PartialDate("2001-01-01", "day", administrative=True)
    assert second.persons[0].birth_date_raw == "2001-01-01"
