"""Limits: a value, line, record or file over its limit is a clear reject (issue 23).

Every case also checks that each data row is accounted for exactly once.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_schema.limits import limits, load_limits
from graph_schema.model import SchemaError
from loaders import load
from loaders.ind import load as load_ind
from loaders.kmar import load as load_kmar
from loaders.politie import load as load_politie
from loaders.records import LoadResult

from .conftest import (
    IND_HEADER,
    POLITIE_HEADER,
    assert_file_error,
    ind_row,
    kmar_obj,
    politie_row,
    rejects,
    write_csv,
    write_jsonl,
    write_politie,
)

FREE_TEXT = "65,536"


def accounted(result: LoadResult) -> LoadResult:
    """Each data row is exactly one record or one rejected row."""
    assert result.error is None, result.error
    assert result.rows == len(result.records) + result.rejected_rows
    assert not {s.row for s in result.records} & {r.row for r in result.rejects}
    return result


# -- CSV --------------------------------------------------------------------------


def test_a_field_over_the_line_limit_is_measured_not_held(tmp_path: Path) -> None:
    rows = [politie_row(1), politie_row(2, omschrijving="x" * 1_200_000), politie_row(3)]
    result = accounted(load_politie(write_politie(tmp_path, rows)))
    assert rejects(result) == [(2, "omschrijving")]
    (reject,) = result.rejects
    assert reject.reason == f"1,200,000 characters, over the limit of {FREE_TEXT} for this field"
    assert reject.value is None and reject.record_id is None
    assert [s.row for s in result.records] == [1, 3]


def test_a_quoted_field_of_many_lines_over_the_field_limit(tmp_path: Path) -> None:
    text = 'regel, met "aanhalingstekens"\r\n' * 40_000  # 1.3 M characters in 40,001 lines
    rows = [politie_row(1, omschrijving=text, achternaam="B" * 300), politie_row(2)]
    result = accounted(load_politie(write_politie(tmp_path, rows)))
    assert rejects(result) == [(1, "achternaam"), (1, "omschrijving")]
    assert result.rejects[1].reason.startswith(f"{len(text):,} characters")
    assert [s.row for s in result.records] == [2]


def test_a_record_over_the_record_limit(tmp_path: Path) -> None:
    small = limits().with_files(max_line_chars=200)
    cells = [politie_row(1)[h] for h in POLITIE_HEADER]
    cells[-1] = "a\n" * 150  # 300 characters over 151 short lines: no field over its limit
    path = write_csv(tmp_path / "politie_t.csv", [cells, politie_row(2)], header=POLITIE_HEADER)
    result = accounted(load_politie(path, limits=small))
    assert rejects(result) == [(1, "*row*")]
    assert "over the line limit of 200" in result.rejects[0].reason
    assert [s.row for s in result.records] == [2]


def test_a_header_over_the_line_limit(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "politie_t.csv", [], header=[*POLITIE_HEADER, "x" * 300])
    result = load_politie(path, limits=limits().with_files(max_line_chars=200))
    assert_file_error(result, path, "header line longer than 200 characters")


def test_ind_fields_over_their_limits(tmp_path: Path) -> None:
    rows = [ind_row(1, reisroute="Syrië - " * 300, extra=""), ind_row(2, extra="o" * 2000)]
    path = write_csv(
        tmp_path / "ind_t.csv", rows, header=[*IND_HEADER, "extra"], delimiter=";",
        encoding="cp1252",
    )  # fmt: skip
    result = accounted(load_ind(path))
    assert rejects(result) == [(1, "reisroute"), (2, "extra")]
    assert "over the limit of 2,048" in result.rejects[0].reason
    assert "2,000 characters, over the limit of 1,024" in result.rejects[1].reason


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_line_endings(tmp_path: Path, ending: str) -> None:
    path = write_politie(tmp_path, [politie_row(1, omschrijving="a\nb"), politie_row(2)])
    path.write_bytes(path.read_bytes().replace(b"\n", ending.encode()))
    result = accounted(load_politie(path))
    assert [s.row for s in result.records] == [1, 2]


def test_a_file_over_the_size_limit(tmp_path: Path) -> None:
    path = write_politie(tmp_path, [politie_row(1)])
    result = load(path, limits=limits().with_files(max_file_bytes=100))
    assert_file_error(result, path, "over the limit of", "WORKBENCH_MAX_FILE_MB")


@pytest.mark.parametrize(
    ("byte", "words"), [(b"\x00", ("binary", "NUL byte")), (b"\xff", ("not valid UTF-8", "0xff"))]
)
def test_a_bad_byte_far_into_the_file(tmp_path: Path, byte: bytes, words: tuple[str, ...]) -> None:
    path = write_politie(tmp_path, [politie_row(i) for i in range(1, 400)])  # 120 KB
    data = path.read_bytes()
    offset = len(data) - 10
    path.write_bytes(data[:offset] + byte + data[offset + 1 :])
    assert_file_error(load_politie(path), path, *words, f"at offset {offset}")


def test_ind_in_utf8_found_far_into_the_file(tmp_path: Path) -> None:
    rows = [ind_row(i, nationaliteit="Syria") for i in range(1, 400)] + [ind_row(400)]
    path = write_csv(tmp_path / "ind_t.csv", rows, header=IND_HEADER, delimiter=";")
    result = accounted(load_ind(path))
    assert result.rejects == [] and result.records[-1].persons[0].nationality_raw == "Syrië"
    assert [w.field for w in result.warnings] == ["*file*"]


# -- JSON Lines -----------------------------------------------------------------------


def test_a_json_line_over_the_line_limit(tmp_path: Path) -> None:
    huge = kmar_obj(2, signaal={"soort": "hard", "thema": "overig", "toelichting": "x" * 1_100_000})
    result = accounted(load_kmar(write_jsonl(tmp_path, [kmar_obj(1), huge, kmar_obj(3)])))
    assert rejects(result) == [(2, "*line*")]
    assert result.rejects[0].reason.startswith("line of 1,100,")
    assert result.rejects[0].reason.endswith("over the limit of 1,048,576")
    assert [s.row for s in result.records] == [1, 3]


def test_json_values_over_their_limits(tmp_path: Path) -> None:
    lines = [
        kmar_obj(1, signaal={"soort": "hard", "thema": "overig", "toelichting": "t" * 70_000}),
        kmar_obj(2, reisgenoten=[{"naam": "A, B"}, {"naam": "N" * 257}]),
        kmar_obj(3, onbekend="o" * 1025, reisroute=["SYR", "T" * 300]),
        kmar_obj(4, **{"k" * 2000: 1}),
        kmar_obj(5, persoon={"naam": 'AL-"HASSAN", ' + "M" * 300}),  # escaped quotes in the line
        kmar_obj(6),
    ]
    result = accounted(load_kmar(write_jsonl(tmp_path, lines)))
    assert rejects(result) == [
        (1, "signaal.toelichting"),
        (2, "reisgenoten[1].naam"),
        (3, "onbekend"),
        (3, "reisroute[1]"),
        (4, "k" * 80 + "… (2,000 characters)"),
        (5, "persoon.naam"),
    ]
    assert "70,000 characters, over the limit of 65,536" in result.rejects[0].reason
    assert result.rejects[4].reason.startswith("field name: 2,000 characters")
    assert [s.row for s in result.records] == [6]


def test_deeply_nested_json(tmp_path: Path) -> None:
    deep: object = "x"
    for _ in range(20):
        deep = {"a": [deep]}
    lines = [kmar_obj(1, extra=deep), "[" * 100_000 + "]" * 100_000, kmar_obj(3)]
    result = accounted(load_kmar(write_jsonl(tmp_path, lines)))
    assert rejects(result) == [(1, "extra" + ".a[0]" * 7 + ".a"), (2, "*line*")]
    assert result.rejects[0].reason == "nested deeper than 16 levels"
    assert [s.row for s in result.records] == [3]


def test_duplicate_keys_keep_the_last(tmp_path: Path) -> None:
    line = json.dumps(kmar_obj(1))[:-1] + ', "ref": "KM-2015-000009"}'
    (signal,) = accounted(load_kmar(write_jsonl(tmp_path, [line]))).records
    assert signal.record_id == "KM-2015-000009"


# -- the limits file ------------------------------------------------------------------


def test_limits_file_errors_name_the_entry(tmp_path: Path) -> None:
    good = (Path(__file__).parents[2] / "graph_schema" / "limits.yaml").read_text("utf-8")
    bad = tmp_path / "limits.yaml"
    bad.write_text(good.replace("omschrijving: free_text", "omschrijving: huge"), "utf-8")
    with pytest.raises(SchemaError, match=r"fields\.politie\.omschrijving: unknown kind 'huge'"):
        load_limits(bad)
    bad.write_text(good.replace("max_length: 256", "max_length: -1"), "utf-8")
    with pytest.raises(SchemaError, match=r"kinds\.name\.max_length must be a positive"):
        load_limits(bad)


def test_every_contract_column_has_a_kind() -> None:
    from loaders import coa, ind, politie

    for source, spec in (("politie", politie.COLUMNS), ("ind", ind.COLUMNS), ("coa", coa.COLUMNS)):
        assert set(limits().fields[source]) == {*spec.required, *spec.expected}, source
