"""How commands report: JSON on stdout with ``--json``, rich tables otherwise.

Progress and logs go to stderr, so ``--json`` output can always be piped.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

from rich.console import Console

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False)

# Exit codes shared by every command.
OK, PARTIAL, USAGE = 0, 1, 2
FLUSH = 1000  # items between flushes of a streamed list


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")


def emit_list(items: Iterable[Any], *, as_json: bool, render: Callable[[list[Any]], None]) -> None:
    """Like :func:`emit` for a long list: as JSON, each item is written as it comes.

    The output is one valid JSON array, but never held in memory whole; it
    is flushed after the first item and every ``FLUSH`` items, so a reader
    piping it sees the first results at once.
    """
    if not as_json:
        render(list(items))
        return
    out = sys.stdout
    out.write("[")
    for n, item in enumerate(items):
        text = json.dumps(item, ensure_ascii=False, indent=2, default=_default)
        out.write(("\n  " if n == 0 else ",\n  ") + text.replace("\n", "\n  "))
        if n % FLUSH == 0:
            out.flush()
    out.write("\n]\n")
    out.flush()


def emit(data: Any, *, as_json: bool, render: Callable[[Any], None]) -> None:
    """Print ``data`` as JSON, or hand it to ``render`` for people."""
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n")
    else:
        render(data)
