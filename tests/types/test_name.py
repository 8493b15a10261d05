"""Names: the three styles of the formats; raw always verbatim."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_schema.types.name import Name, parse_name
from loaders.records import Name as ReExported


@pytest.mark.parametrize(
    ("raw", "style", "given", "surname", "guessed"),
    [
        ("AL-HASSAN, Mohamed", "surname_comma", "Mohamed", "AL-HASSAN", False),
        ("AL-HASSAN,  Fatima ", "surname_comma", "Fatima", "AL-HASSAN", False),
        ("HAILE Yonas", "free", "Yonas", "HAILE", False),
        ("Muhammad ALHASSAN", "free", "Muhammad", "ALHASSAN", False),
        ("TESFAY Selam", "free", "Selam", "TESFAY", False),
        ("Mohammed AL HASSAN", "free", "Mohammed", "AL HASSAN", False),
        ("Selam Tesfay", "free", "Selam", "Tesfay", True),
        ("Mohammed Al Hassan", "free", "Mohammed", "Al Hassan", True),
        ("MOHAMMED ALHASSAN", "free", "MOHAMMED", "ALHASSAN", True),
        ("Dawit", "free", None, None, False),
        ("TESFAY Selam", "surname_comma", "Selam", "TESFAY", False),  # no comma: free
    ],
)
def test_parse(raw: str, style: str, given: str | None, surname: str | None, guessed: bool) -> None:
    name = parse_name(raw, style=style)  # type: ignore[arg-type]
    assert name == Name(raw, given, surname, guessed)


def test_parts() -> None:
    assert parse_name(("Al-Hassan", "Mohammed"), style="parts") == Name(
        "Mohammed Al-Hassan", "Mohammed", "Al-Hassan"
    )
    assert parse_name(("", "  "), style="parts") is None
    assert parse_name(("Haile", None), style="parts") == Name("Haile", None, "Haile")


def test_reexported_from_records() -> None:
    assert ReExported is Name


@settings(max_examples=200)
@given(st.text(max_size=40), st.sampled_from(["surname_comma", "free"]))
def test_never_raises_and_keeps_raw(raw: str, style: str) -> None:
    name = parse_name(raw, style=style)  # type: ignore[arg-type]
    if name is not None:
        assert name.raw == raw
