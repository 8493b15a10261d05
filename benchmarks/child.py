"""A command in a child process, measured from outside: wall, CPU and peak memory.

Shared by the benchmarks that time ``workbench`` commands as a user runs them
(``scale_bench``, ``detect_bench --only delivery``): ``wait4`` gives the
child's own CPU time and peak RSS, which an in-process timing cannot. The peak
is at least the parent's resident size when it forked the child (Linux keeps
the high-water mark across exec): a benchmark keeps itself small while it
times commands, and does its own big reads after the last one.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Child:
    """What a finished command printed (if captured) and what it cost."""

    output: str
    wall: float  # seconds
    cpu: float  # user + system seconds
    rss_mb: float  # peak resident memory


def run_child(
    command: Sequence[str], *, env: Mapping[str, str] | None = None, capture: bool = False
) -> Child:
    """Run ``command`` to its end; a non-zero exit stops the benchmark with its name."""
    start = time.perf_counter()
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    with subprocess.Popen(list(command), env=env, stdout=out, text=True) as proc:
        output = proc.stdout.read() if proc.stdout else ""
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(command[:4])} ... failed (exit {proc.returncode})")
    return Child(output, time.perf_counter() - start, usage.ru_utime + usage.ru_stime,
                 usage.ru_maxrss / 1024)  # fmt: skip
