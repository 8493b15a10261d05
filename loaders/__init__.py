"""Loaders: one export file of a chain partner to normalised records.

``load(path)`` detects the source from the file's content (see
``loaders.detect``) unless it is given, and returns a ``LoadResult``: the
records, the rejected rows and the warnings, or a whole-file ``error``.
All four loaders share one pipeline (``loaders.pipeline``).
"""

from __future__ import annotations

from pathlib import Path

from graph_schema.limits import Limits
from loaders import coa, ind, kmar, politie
from loaders.detect import detect_source
from loaders.pipeline import LoaderSpec
from loaders.records import LoadResult, Source

__all__ = ["LOADERS", "detect_source", "load"]

LOADERS: dict[Source, LoaderSpec] = {
    "politie": politie.load,
    "kmar": kmar.load,
    "ind": ind.load,
    "coa": coa.load,
}


def load(
    path: str | Path, *, source: Source | None = None, limits: Limits | None = None
) -> LoadResult:
    """Load one export file; an undetectable file gives a LoadResult with ``error``.

    ``limits`` (``graph_schema.limits``) bound what the file may hold.

    >>> result = load("/work/shared/formats/politie_example.csv")
    >>> result.source, len(result.records), result.rejects
    ('politie', 3, [])
    """
    found = source or detect_source(path, limits=limits)
    if found is None:
        return LoadResult(
            path=str(path), source=None,
            error=f"{path}: cannot tell which partner exported this file "
            "(not a police, KMar, IND or COA export by content or name)",
        )  # fmt: skip
    return LOADERS[found](path, limits=limits)
