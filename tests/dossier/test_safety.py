"""Hostile strings: CSV cells defused, invisible controls shown, JSON left verbatim."""

from __future__ import annotations

import pytest

from workbench.dossier.csv_safe import neutralise, write_csv
from workbench.dossier.render import display_copy, render_json, reveal


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+31612345678", "'+31612345678"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("   =1+1", "'   =1+1"),
        ("Amir HADDAD", "Amir HADDAD"),
        ("a=b", "a=b"),
        ("", ""),
        (None, None),
        (-5, -5),
        (3.5, 3.5),
    ],
)
def test_neutralise(cell: str | int | float | None, expected: str | int | float | None) -> None:
    assert neutralise(cell) == expected


def test_csv_quotes_every_cell_and_defuses_the_header_too() -> None:
    text = write_csv(["=evil", "ok"], [["@x", 'a "quoted"\nline']])
    assert text == '"\'=evil","ok"\n"\'@x","a ""quoted""\nline"\n'


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("paid \u202eexcuse", "paid [U+202E]excuse"),
        ("a\u2066b\u2069c", "a[U+2066]b[U+2069]c"),
        ("bell\x07", "bell[U+0007]"),
        ("line\r\nnext", "line\nnext"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("Zoë al-Ḥasan", "Zoë al-Ḥasan"),
        ("\u200cZWNJ in Persian names stays", "\u200cZWNJ in Persian names stays"),
    ],
)
def test_reveal(raw: str, shown: str) -> None:
    assert reveal(raw) == shown


def test_display_copy_is_for_display_only() -> None:
    doc = {"signals": [{"text": "x\u202ey", "row": 3, "tags": ["\u202e"]}]}
    assert display_copy(doc) == {
        "signals": [{"text": "x[U+202E]y", "row": 3, "tags": ["[U+202E]"]}]
    }
    assert "\u202e" in render_json(doc).decode("utf-8")  # partners get the record as stored
