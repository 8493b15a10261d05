"""Mention records of a generated corpus, straight from the loaders (no store)."""

from __future__ import annotations

from pathlib import Path

from workbench.generate import generate
from workbench.resolve.records import Record, from_directory


def generated_records(out: Path, *, persons: int, seed: int) -> list[Record]:
    """Generate ``persons`` into ``out`` and return every mention once, in loader order."""
    generate(out, persons=persons, seed=seed)
    return from_directory(out)
