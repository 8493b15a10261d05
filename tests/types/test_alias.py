"""Aliases in free text: only where the text marks them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_schema.types.alias import find_in_text


@pytest.mark.parametrize(
    ("text", "aliases"),
    [
        ('Reisde met alias "Abu Omar" naar Izmir.', ["Abu Omar"]),
        ("Smokkelaar met bijnaam Abu Omar regelde de boot.", ["Abu Omar"]),
        ("Een man genaamd 'Kaptan' bracht hen.", ["Kaptan"]),
        ("Zegt dat hij via Abu Omar (+90 532) is gereisd.", ["Abu Omar"]),
        ("Slachtoffer noemt schuld aan 'Madam Joy'.", ["Madam Joy"]),
        ("Noemt 'Wedi Issak' als organisator.", ["Wedi Issak"]),
        ("Vloog via Abu Dhabi naar Istanbul.", []),
        ("Noemt 'de baas' als organisator.", []),
        ("Een man, alias onbekend.", []),
        ("Geen bijzonderheden.", []),
    ],
)
def test_find(text: str, aliases: list[str]) -> None:
    found = find_in_text(text)
    assert [a for a, _, _ in found] == aliases
    for _, span, start in found:
        assert text[start : start + len(span)] == span


@settings(max_examples=200)
@given(st.text(max_size=60))
def test_never_raises(text: str) -> None:
    for alias, span, start in find_in_text(text):
        assert alias and text[start : start + len(span)] == span
