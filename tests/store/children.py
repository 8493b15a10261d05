"""Child processes running a Python script against a store (the multi-process tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def spawn(
    script: str, *args: object, env: Mapping[str, str] | None = None
) -> subprocess.Popen[str]:
    """Run ``script`` with ``args`` in a child Python that imports this checkout."""
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        env={**os.environ, **(env or {}), "PYTHONPATH": str(Path(__file__).parents[2])},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
