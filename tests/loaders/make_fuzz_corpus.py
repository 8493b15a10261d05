"""Write the committed corpus of small malformed exports: ``tests/loaders/fuzz_corpus/``.

Run ``.venv/bin/python -m tests.loaders.make_fuzz_corpus`` from the repository
root after changing a case; the output is byte-for-byte reproducible.
``manifest.json`` states for each file what loading it must give, written
here by hand beside the case: a whole-file reject (``error``) or the number
of data rows, and of those the records (the rest are rejected rows).
``tests/loaders/test_fuzz_corpus.py`` holds the loaders to it, and
``test_fuzz.py`` mutates the ``*_valid`` files.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .conftest import IND_HEADER, POLITIE_HEADER, ind_row, kmar_obj, politie_row
from .workbooks import coa_rows, inline, row, sheet, workbook

OUT = Path(__file__).with_name("fuzz_corpus")
_FIXED = (2016, 7, 1, 0, 0, 0)

Case = tuple[str, bytes, dict[str, Any]]
CASES: list[Callable[[], Case]] = []


def case(function: Callable[[], Case]) -> Callable[[], Case]:
    CASES.append(function)
    return function


def _csv(header: list[str], rows: list[dict[str, str]], sep: str, end: str = "\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator=end)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values[h] for h in header])
    return buffer.getvalue()


def _politie(*rows: dict[str, str]) -> str:
    return _csv(POLITIE_HEADER, list(rows) or [politie_row(i) for i in range(1, 6)], ",")


def _ind(*rows: dict[str, str]) -> str:
    return _csv(IND_HEADER, list(rows) or [ind_row(i) for i in range(1, 6)], ";", "\r\n")


def _jsonl(*objects: Any) -> str:
    return "".join((o if isinstance(o, str) else json.dumps(o, ensure_ascii=False)) + "\n"
                   for o in objects)  # fmt: skip


def _fixed(data: bytes) -> bytes:
    """The workbook re-packed with fixed entry times (reproducible bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED)
            entry.compress_type = info.compress_type
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl writes the time of saving
                content = re.sub(
                    rb"[0-9]{4}-[0-9-]{5}T[0-9:]{8}Z", b"2016-07-01T00:00:00Z", content
                )
            dst.writestr(entry, content)
    return out.getvalue()


def _book(*sheets: str, **options: Any) -> bytes:
    return _fixed(workbook(*sheets, **options))


def ok(rows: int, records: int | None = None) -> dict[str, Any]:
    return {"rows": rows, "records": rows if records is None else records}


ERROR = {"error": True}

# -- valid files, mutated by test_fuzz.py ------------------------------------------------


@case
def politie_valid() -> Case:
    return "politie_valid.csv", _politie().encode(), ok(5)


@case
def ind_valid() -> Case:
    return "ind_valid.csv", _ind().encode("cp1252"), ok(5)


@case
def kmar_valid() -> Case:
    return "kmar_valid.jsonl", _jsonl(*(kmar_obj(i) for i in range(1, 6))).encode(), ok(5)


@case
def coa_valid() -> Case:
    return "coa_valid.xlsx", _book(sheet(coa_rows(1, 2, 3))), ok(3)


# -- CSV ---------------------------------------------------------------------------------


@case
def politie_bom_mixed_endings() -> Case:
    text = _politie(politie_row(1), politie_row(2, omschrijving="a\r\nb"), politie_row(3))
    lines = text.split("\n")
    text = lines[0] + "\r\n" + lines[1] + "\r" + "\n".join(lines[2:])
    return "politie_bom_mixed_endings.csv", b"\xef\xbb\xbf" + text.encode(), ok(3)


@case
def politie_nul() -> Case:
    return "politie_nul.csv", _politie().encode().replace(b"Ter Apel", b"Ter\x00Apel", 1), ERROR


@case
def politie_invalid_utf8() -> Case:
    return (
        "politie_invalid_utf8.csv",
        _politie().encode().replace(b"Syri\xc3\xab", b"Syri\xeb"),
        ERROR,
    )


@case
def politie_quotes_and_counts() -> Case:
    text = _politie(politie_row(1), politie_row(2))
    text += "PL-2015-000003,2015-09-15,zacht,overig\n"  # too few fields
    text += _politie(politie_row(4)).split("\n", 1)[1].replace("Ter Apel", 'Ter "Apel"')
    text += 'PL-2015-000005,2015-09-15,zacht,overig,,,,,,,,,,,,,"open\n'
    return "politie_quotes_and_counts.csv", text.encode(), ok(5, 3)


@case
def politie_values() -> Case:
    rows = [
        politie_row(1, omschrijving='=HYPERLINK("http://evil.example")', achternaam="<b>x</b>"),
        politie_row(2, achternaam="A" * 300),  # over the name limit
        politie_row(3, datum="15-09-2015", geslacht="X"),
        politie_row(4, v_nummer="12345"),
        politie_row(5, omschrijving="\u202eabc \u2028 \x85 tab\there"),
    ]
    return "politie_values.csv", _politie(*rows).encode(), ok(5, 2)


@case
def ind_undefined_cp1252() -> Case:
    data = _ind().encode("cp1252").replace(b"Syri\xeb", b"Syri\x81", 1)
    return "ind_undefined_cp1252.csv", data, ERROR


@case
def ind_utf8() -> Case:
    return "ind_utf8.csv", _ind().encode("utf-8"), ok(5)


@case
def ind_commas() -> Case:
    text = _csv(IND_HEADER, [ind_row(1)], ",", "\r\n")
    return "ind_commas.csv", text.encode("cp1252"), ERROR


@case
def ind_binary() -> Case:
    return "ind_binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), ERROR


# -- JSON Lines ----------------------------------------------------------------------------


@case
def kmar_bom_crlf() -> Case:
    text = _jsonl(kmar_obj(1), kmar_obj(2)).replace("\n", "\r\n")
    return "kmar_bom_crlf.jsonl", b"\xef\xbb\xbf" + text.encode(), ok(2)


@case
def kmar_shapes() -> Case:
    deep: Any = "x"
    for _ in range(40):
        deep = {"a": [deep]}
    lines = [
        kmar_obj(1),
        "[1, 2]",
        '"tekst"',
        "{broken",
        "[" * 5000 + "]" * 5000,
        kmar_obj(6, extra=deep),
        json.dumps(kmar_obj(7))[:-1] + ', "ref": "KM-2015-000077"}',  # duplicate key: last wins
        kmar_obj(8, ref=42, persoon={"naam": 12345, "v_nummer": 1234567890}, reisroute=[1, True]),
        kmar_obj(9, signaal={"soort": "hard", "thema": "overig", "toelichting": {"a": 1}}),
        "",
        "   ",
        kmar_obj(12, persoon="AL-HASSAN"),
    ]
    return "kmar_shapes.jsonl", _jsonl(*lines).encode(), ok(10, 4)


@case
def kmar_invalid_utf8() -> Case:
    return "kmar_invalid_utf8.jsonl", _jsonl(kmar_obj(1)).encode() + b'{"ref": "\xff"}\n', ERROR


@case
def kmar_empty() -> Case:
    return "kmar_empty.jsonl", b"", ok(0)


# -- workbooks -----------------------------------------------------------------------------


@case
def coa_wrong_dimension() -> Case:
    xml = sheet(coa_rows(1, 2, 3, 4), before='<dimension ref="A1:N4"/>')
    return "coa_wrong_dimension.xlsx", _book(xml), ok(4)


@case
def coa_out_of_order_with_gaps() -> Case:
    rows = coa_rows(3, start=9, header=False) + coa_rows(1) + coa_rows(2, start=5, header=False)
    return "coa_out_of_order_with_gaps.xlsx", _book(sheet(rows)), ok(3)


@case
def coa_formulas_merged_hidden() -> Case:
    rows = coa_rows(1, 2, 3).replace(
        inline("A2", "COA-1"), '<c r="A2" t="str"><f>"COA-"&amp;1</f><v>COA-1</v></c>'
    )
    rows = rows.replace('<row r="3">', '<row r="3" hidden="1">')
    rows = rows.replace(inline("N4", "Tekst 3."), '<c r="N4"><f>1/0</f><v>#DIV/0!</v></c>')
    after = '<mergeCells count="1"><mergeCell ref="K2:M2"/></mergeCells>'
    before = '<cols><col min="5" max="5" hidden="1"/></cols>'
    return "coa_formulas_merged_hidden.xlsx", _book(sheet(rows, before, after)), ok(3)


@case
def coa_cover_sheet() -> Case:
    data = _book(sheet(row(1, "Export COA")), sheet(coa_rows(1, 2)), names=["Voorblad", "Data"])
    return "coa_cover_sheet.xlsx", data, ok(2)


@case
def coa_two_exports() -> Case:
    return "coa_two_exports.xlsx", _book(sheet(coa_rows(1)), sheet(coa_rows(2))), ERROR


@case
def coa_shared_strings_missing() -> Case:
    rows = coa_rows(1, 2).replace(inline("A2", "COA-1"), '<c r="A2" t="s"><v>0</v></c>')
    return "coa_shared_strings_missing.xlsx", _book(sheet(rows)), ERROR


@case
def coa_numbers_for_text() -> Case:
    rows = coa_rows(1, 2).replace(inline("A2", "COA-1"), '<c r="A2"><v>1</v></c>')
    rows = rows.replace(inline("E3", "TESFAY Selam"), '<c r="E3"><v>3.5</v></c>')
    rows = rows.replace(inline("H3", "zacht"), '<c r="H3" t="b"><v>1</v></c>')
    return "coa_numbers_for_text.xlsx", _book(sheet(rows)), ok(2, 1)


@case
def coa_wrong_content_types() -> Case:
    data = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_book(sheet(coa_rows(1))))) as src,
        zipfile.ZipFile(data, "w") as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = b"<Types>kapot"
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=_FIXED), content)
    return "coa_wrong_content_types.xlsx", data.getvalue(), ok(1)  # calamine reads the sheet


@case
def coa_truncated() -> Case:
    data = _book(sheet(coa_rows(1, 2)))
    return "coa_truncated.xlsx", data[: len(data) // 2], ERROR


@case
def coa_not_a_zip() -> Case:
    return "coa_not_a_zip.xlsx", b"Dit is geen werkmap.\n", ERROR


@case
def coa_billion_laughs() -> Case:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    xml = f"<!DOCTYPE w [{entities}]>" + sheet(coa_rows(1).replace("Tekst 1.", "&l9;"))
    return "coa_billion_laughs.xlsx", _book(xml), ERROR


@case
def coa_external_entity() -> Case:
    xml = '<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + sheet(
        coa_rows(1).replace("Tekst 1.", "&x;")
    )
    return "coa_external_entity.xlsx", _book(xml), ERROR


@case
def coa_zip_bomb() -> Case:
    xml = sheet(coa_rows(1).replace("Tekst 1.", "a" * (8 << 20)))
    return "coa_zip_bomb.xlsx", _book(xml), ERROR


@case
def coa_lying_size() -> Case:
    data = bytearray(_book(sheet(coa_rows(1, 2))))
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = data.find(signature)
        while at >= 0:
            if data[at + name_at : at + name_at + len(name)] == name:
                data[at + size_at : at + size_at + 4] = (100).to_bytes(4, "little")
            at = data.find(signature, at + 4)
    return "coa_lying_size.xlsx", bytes(data), ERROR


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    manifest = {}
    for make in CASES:
        name, data, expected = make()
        (OUT / name).write_bytes(data)
        manifest[name] = expected
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    (OUT / "manifest.json").write_text(text, encoding="utf-8")
    sys.stdout.write(f"{len(manifest)} files in {OUT}\n")


if __name__ == "__main__":
    main()
