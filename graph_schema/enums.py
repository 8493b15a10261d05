"""Enumerations of the export formats, read from ``enums.yaml``.

>>> canonical("theme", "  MensenSmokkel ")
'mensensmokkel'
>>> canonical("signal_kind", "soft") is None
True
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

_PATH = Path(__file__).with_name("enums.yaml")


@cache
def enums() -> dict[str, dict[str, Any]]:
    """All enumerations: name -> {description, values: {canonical: label}}."""
    with _PATH.open(encoding="utf-8") as fh:
        data: dict[str, dict[str, Any]] = yaml.safe_load(fh)
    return data


@cache
def _lookup(name: str) -> dict[str, str]:
    return {str(v).casefold(): str(v) for v in enums()[name]["values"]}


def canonical(name: str, raw: str | None) -> str | None:
    """The canonical value of enumeration ``name`` for ``raw``, or None.

    Compares trimmed and case-insensitively, as section 5 of the formats
    contract requires. Raises ``KeyError`` for an unknown enumeration name
    (a programming error, not bad input).
    """
    if raw is None:
        return None
    return _lookup(name).get(raw.strip().casefold())


def values(name: str) -> list[str]:
    """The canonical values of enumeration ``name``, in declared order."""
    return [str(v) for v in enums()[name]["values"]]
