"""Dossier benchmark: a 200-member cluster rendered to PDF (target < 20 s), and sample pages.

Run: ``.venv/bin/python benchmarks/dossier_bench.py [--members 200] [--sample DIR]``.
Plants a cluster of ``--members`` members (persons, two records each, and one
facilitator in every KMar record) in a fresh embedded store, then times
reading it through the policy (gather) and rendering each format, wall clock
and CPU. ``--sample DIR`` also generates a small corpus, resolves and detects
it for real, renders the top cluster's dossier and writes its first two PDF
pages as ``DIR/dossier-page-1.png`` and ``-2.png`` (``pdftoppm -png -r 80``).
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

from pypdf import PdfReader

from tests.conftest import make_store
from tests.dossier.planted import build
from workbench.dossier.gather import gather
from workbench.dossier.render import FORMATS
from workbench.security.policy import Unrestricted, Viewer

VIEWER = Unrestricted(Viewer("bench", "joint", "investigator"))
TARGET_PDF_SECONDS = 20.0


def timed(label: str, work: Callable[[], Any]) -> tuple[Any, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"  {label:28} {wall:6.1f} s wall  {cpu:6.1f} s CPU", flush=True)
    return result, wall


def bench(members: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = make_store("embedded", Path(tmp) / "home")
        planted, _ = timed("plant the cluster", lambda: build(store, persons=members - 1))
        print(f"{members} members, {sum(map(len, planted.records.values()))} member records:")
        doc, gathered = timed(
            "gather (store -> dict)",
            lambda: gather(store, planted.cluster_id, policy=VIEWER, reason="benchmark"),
        )
        print(f"  {len(doc['signals'])} signals, {len(doc['network']['links'])} links")
        times = {}
        for fmt in ("json", "csv", "html", "pdf"):
            content, times[fmt] = timed(f"render {fmt}", lambda f=fmt: FORMATS[f].render(doc))
            if fmt == "pdf":
                pages = len(PdfReader(io.BytesIO(content)).pages)
                print(f"  {pages} PDF pages, {len(content):,} bytes")
        total = gathered + times["pdf"]
        verdict = "ok" if total < TARGET_PDF_SECONDS else "MISSED"
        print(f"gather + PDF: {total:.1f} s (target < {TARGET_PDF_SECONDS:.0f} s): {verdict}")
        store.close()


def _save(tmp: str, content: bytes) -> Path:
    path = Path(tmp) / "d.pdf"
    path.write_bytes(content)
    return path


def sample(out: Path) -> None:
    """The top cluster of a generated, resolved and detected corpus: its first two pages."""
    from workbench.detect.results import clusters_view
    from workbench.detect.run import detect
    from workbench.generate import generate
    from workbench.ingest import ingest
    from workbench.resolve import resolve

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        sys.exit("pdftoppm not found: install poppler-utils (Debian) to write sample pages")
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp) / "in", persons=400, seed=3)
        files = sorted(
            p for p in Path(tmp, "in").iterdir() if p.suffix in (".csv", ".jsonl", ".xlsx")
        )
        store = make_store("embedded", Path(tmp) / "home")
        ingest(store, files, operator="bench")
        resolve(store)
        detect(store)
        top = clusters_view(store, VIEWER, limit=1)["clusters"][0]
        doc = gather(store, top["id"], policy=VIEWER, reason="sample pages for the documentation")
        pdf = _save(tmp, FORMATS["pdf"].render(doc))
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "2",
                str(pdf),
                str(out / "dossier-page"),
            ],
            check=True,
        )
        for number in (1, 2):  # pdftoppm pads page numbers to the page count's width
            found = sorted(out.glob(f"dossier-page-*{number}.png"))
            if found and found[0].name != f"dossier-page-{number}.png":
                found[0].rename(out / f"dossier-page-{number}.png")
        print(f"sample: {top['id']} ({top['size']} members) -> {out}/dossier-page-1.png, -2.png")
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--sample", type=Path, help="Write sample PDF pages (PNG) here.")
    args = parser.parse_args()
    bench(args.members)
    if args.sample:
        sample(args.sample)


if __name__ == "__main__":
    main()
