"""Concurrent access from several processes, and crash safety (kill -9).

These run real child processes against a real store in a temporary
directory: one writer at a time (the file lock), readers wait for writers,
and a writer killed mid-batch loses only its uncommitted batch.
"""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from graph_schema.model import model
from tests.conftest import BACKENDS, make_store
from tests.store.children import spawn
from workbench.store import StoreBusy
from workbench.store.embedded import EmbeddedStore

CHILD = """
import os, sys, time
from pathlib import Path
from workbench.config import Settings
from workbench.store import open_store
mode, prefix, batches, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
store = open_store(Settings.from_env(Path(os.environ["WORKBENCH_HOME"])))
for b in range(batches):
    with store.writer() as w:
        w.upsert_nodes("Phone", [
            {"e164": f"+{prefix}{b:04d}{i:06d}", "signals": [f"Signal:{prefix}|{b}"]}
            for i in range(size)
        ])
        if mode == "hold":
            print("holding", flush=True)
            time.sleep(3)
    print(b, flush=True)
"""


def _spawn(home: Path, kind: str, *args: object) -> subprocess.Popen[str]:
    return spawn(CHILD, *args, env={"WORKBENCH_HOME": str(home), "WORKBENCH_STORE": kind})


@pytest.mark.parametrize("kind", BACKENDS)
def test_two_processes_write_concurrently_without_loss(kind: str, tmp_path: Path) -> None:
    store = make_store(kind, tmp_path / "home")
    procs = [_spawn(tmp_path / "home", kind, "write", p, 10, 300) for p in ("3161", "3162")]
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
    assert store.counts()["nodes"]["Phone"] == 2 * 10 * 300


def test_a_reader_waits_for_the_writer_or_reports_busy(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store = make_store("embedded", home)
    child = _spawn(home, "embedded", "hold", "3163", 1, 10)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "holding"
    impatient = EmbeddedStore(home, model(), lock_timeout=0.3)
    with pytest.raises(StoreBusy, match="busy"):
        impatient.counts()
    assert store.counts()["nodes"]["Phone"] == 10  # waited for the commit
    child.communicate(timeout=60)


def test_kill_minus_nine_mid_batch_keeps_every_committed_batch(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store = make_store("embedded", home)
    size = 20_000
    child = _spawn(home, "embedded", "write", "3164", 1000, size)
    assert child.stdout is not None
    committed = -1
    while committed < 4:
        line = child.stdout.readline()
        assert line, child.stderr.read() if child.stderr else "child died"
        committed = int(line)
    time.sleep(0.15)  # well inside the next batch
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    phones = store.find_nodes("Phone")
    per_batch: dict[str, int] = {}
    for node in phones:
        per_batch[node.props["signals"][0]] = per_batch.get(node.props["signals"][0], 0) + 1
    for b in range(committed + 1):
        assert per_batch.pop(f"Signal:3164|{b}") == size  # committed: intact
    assert all(n == size for n in per_batch.values())  # anything else: whole or absent
    with store.writer() as w:  # and the store still takes writes
        assert w.upsert_nodes("Phone", [{"e164": "+31600000001", "signals": ["s"]}]).created == 1
