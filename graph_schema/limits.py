"""What one export file may hold, read from ``limits.yaml`` (decision 0009).

Field limits are data, beside the graph model they protect: a value over its
limit would be stored verbatim in the graph and the search index, and every
page showing its signal would carry it. File limits bound what a loader
holds in memory (a line, a record) and what a workbook may inflate to.

>>> lim = limits()
>>> lim.field_limit("politie", "omschrijving"), lim.field_limit("kmar", "persoon.naam")
(65536, 256)
>>> lim.field_limit("coa", "an unknown column")
1024
>>> lim.files.max_line_chars
1048576
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from graph_schema.model import SchemaError

__all__ = [
    "DEFAULT_KIND",
    "RATIO_FROM_BYTES",
    "FieldKind",
    "FileLimits",
    "Limits",
    "limits",
    "load_limits",
]

_PATH = Path(__file__).with_name("limits.yaml")
DEFAULT_KIND = "other"  # the kind of a field the formats contract does not name


@dataclass(frozen=True)
class FileLimits:
    """Bounds on a whole file (sizes in bytes, lengths in characters)."""

    max_file_bytes: int
    max_line_chars: int
    max_json_depth: int
    xlsx_max_inflated_bytes: int
    xlsx_max_ratio: int
    xlsx_max_parts: int

    @property
    def max_record_chars(self) -> int:
        """Characters in one CSV record (several lines when a quoted field holds line ends)."""
        return 2 * self.max_line_chars


# Parts of a workbook smaller than this may compress better than the ratio
# limit (an empty sheet, shared styles): below it the ratio is not judged.
RATIO_FROM_BYTES = 1 << 20


@dataclass(frozen=True)
class FieldKind:
    """A kind of field and the longest value it may hold."""

    name: str
    max_length: int
    description: str


@dataclass(frozen=True, eq=False)
class Limits:
    """All limits: per kind of field, the kind of each format's fields, per file.

    Compared and hashed by identity (readers cache what they derive from it).
    """

    files: FileLimits
    kinds: Mapping[str, FieldKind]
    fields: Mapping[str, Mapping[str, str]]
    descriptions: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def field_kind(self, source: str, field: str) -> FieldKind:
        """The kind of ``field`` (a column key, or a KMar path without indexes)."""
        return self.kinds[self.fields.get(source, {}).get(field, DEFAULT_KIND)]

    def field_limit(self, source: str, field: str) -> int:
        """The longest value ``field`` of ``source`` may hold, in characters."""
        return self.field_kind(source, field).max_length

    def with_files(self, **changes: int) -> Limits:
        """These limits with some file limits changed (configuration)."""
        return dataclasses.replace(self, files=dataclasses.replace(self.files, **changes))


def _positive(value: Any, where: str) -> int:
    if type(value) is not int or value <= 0:
        raise SchemaError(f"limits.yaml: {where} must be a positive whole number, not {value!r}")
    return value


def load_limits(path: Path = _PATH) -> Limits:
    """Read and check ``limits.yaml``; :class:`SchemaError` names what is wrong."""
    with path.open(encoding="utf-8") as fh:  # libyaml when present: read at every first load
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    try:
        kinds = {
            name: FieldKind(
                name,
                _positive(spec["max_length"], f"kinds.{name}.max_length"),
                str(spec.get("description", "")).strip(),
            )
            for name, spec in data["kinds"].items()
        }
        fields = {str(s): dict(f) for s, f in data["fields"].items()}
        file_specs = data["files"]
        names = [f.name for f in dataclasses.fields(FileLimits)]
        files = FileLimits(**{n: _positive(file_specs[n]["value"], f"files.{n}") for n in names})
    except (KeyError, TypeError, AttributeError) as exc:
        raise SchemaError(f"limits.yaml: missing or malformed entry {exc}") from None
    if DEFAULT_KIND not in kinds:
        raise SchemaError(f"limits.yaml: kinds must include {DEFAULT_KIND!r}")
    for source, table in fields.items():
        for field, kind in table.items():
            if kind not in kinds:
                raise SchemaError(f"limits.yaml: fields.{source}.{field}: unknown kind {kind!r}")
    unknown = sorted(set(file_specs) - set(names))
    if unknown:
        raise SchemaError(f"limits.yaml: unknown file limits {unknown}")
    descriptions = {n: str(file_specs[n].get("description", "")).strip() for n in names}
    return Limits(files=files, kinds=kinds, fields=fields, descriptions=descriptions)


@cache
def limits() -> Limits:
    """The project's limits, loaded once."""
    return load_limits()
