"""Hostile exports: time and peak memory of loading each, in a fresh process (issue 23).

Run: ``.venv/bin/python benchmarks/hostile_bench.py [--mb 200]``. Writes, in a
temporary folder, the poisoned files of issue 23 and a few more - a police
CSV with one 200 MB description (on one line, and as a quoted field of many
lines), a KMar line of 200 MB, a COA workbook whose cell inflates to 600 MB
from 0.6 MB - loads each with ``loaders.load`` in a process of its own and
prints what came out, the CPU and wall seconds and the peak RSS, beside the
peak RSS of loading a one-row file (the interpreter and its imports).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

_WORKER = """
import json, resource, sys, time
import loaders
cpu, wall = time.process_time(), time.perf_counter()
result = loaders.load(sys.argv[1])
print(json.dumps({
    "cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "rows": result.rows, "records": len(result.records), "error": result.error,
    "rejects": [f"row {r.row} {r.field}: {r.reason}" for r in result.rejects[:3]],
}))
"""

HEADER = (
    "registratie_id,datum,signaalsoort,thema,v_nummer,achternaam,voornaam,geboortedatum,"
    "nationaliteit,geslacht,telefoon,document_type,document_nummer,document_land,locatie,"
    "facilitator,omschrijving\n"
)
ROW = "PL-2015-{:06d},2015-09-15,zacht,overig,,Al-Hassan,Mohammed,,Syrië,M,,,,,Ter Apel,,{}\n"
KMAR = (
    '{{"ref": "KM-2015-{:06d}", "tijdstip": "2015-09-14T10:32:00+02:00", '
    '"signaal": {{"soort": "hard", "thema": "overig", "toelichting": "{}"}}}}\n'
)


def _stream(path: Path, head: str, body: Callable[[Callable[[str], object]], None]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(head)
        body(fh.write)


def politie_one_line(path: Path, size: int) -> None:
    def body(write: Callable[[str], object]) -> None:
        write(ROW.format(1, "ok"))
        write(ROW.format(2, "")[:-1])
        for _ in range(size // (1 << 20)):
            write("x" * (1 << 20))
        write("\n" + ROW.format(3, "ok"))

    _stream(path, HEADER, body)


def politie_many_lines(path: Path, size: int) -> None:
    def body(write: Callable[[str], object]) -> None:
        write(ROW.format(1, "ok"))
        write(ROW.format(2, '"')[:-1])
        line = "regel van een lange tekst, met komma's en ;-tekens" + " " * 49 + "\n"
        for _ in range(size // len(line)):
            write(line)
        write('"\n' + ROW.format(3, "ok"))

    _stream(path, HEADER, body)


def kmar_line(path: Path, size: int) -> None:
    def body(write: Callable[[str], object]) -> None:
        write(KMAR.format(1, "ok"))
        write(KMAR.format(2, "")[: -len('"}}\n')])
        for _ in range(size // (1 << 20)):
            write("y" * (1 << 20))
        write('"}}\n' + KMAR.format(3, "ok"))

    _stream(path, "", body)


def coa_bomb(path: Path, size: int) -> None:
    """A workbook whose one cell inflates to ``3 * size`` bytes (written in chunks)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["melding_nr", "datum", "soort", "thema", "toelichting"])
    book.active.append(["COA-1", "20-10-2015", "zacht", "overig", "MARK"])
    source = Path(path.parent / "base.xlsx")
    book.save(source)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, data)
                continue
            before, after = data.split(b"MARK")
            with dst.open(info.filename, "w", force_zip64=True) as out:
                out.write(before)
                for _ in range(3 * size // (1 << 20)):
                    out.write(b"a" * (1 << 20))
                out.write(after)


CASES: list[tuple[str, str, Callable[[Path, int], None]]] = [
    ("politie_one_line.csv", "police CSV, one description of SIZE on one line", politie_one_line),
    ("politie_many_lines.csv", "police CSV, a quoted description of SIZE in 2M lines",
     politie_many_lines),
    ("kmar_line.jsonl", "KMar line of SIZE", kmar_line),
    ("coa_bomb.xlsx", "COA cell inflating to 3x SIZE", coa_bomb),
]  # fmt: skip


def run(path: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", _WORKER, str(path)], check=True, capture_output=True, text=True,
        cwd=Path(__file__).parents[1],
    ).stdout  # fmt: skip
    result: dict[str, object] = json.loads(out)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=200, help="size of the oversized value (MB)")
    args = parser.parse_args()
    size = args.mb << 20
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = folder / "politie_small.csv"
        small.write_text(HEADER + ROW.format(1, "ok"), encoding="utf-8")
        base = run(small)
        print(f"baseline (one-row file): peak RSS {base['rss_mb']:.0f} MB")
        for name, what, make in CASES:
            path = folder / name
            make(path, size)
            found = run(path)
            outcome = found["error"] or f"{found['records']} of {found['rows']} rows loaded; " + (
                "; ".join(found["rejects"])  # type: ignore[arg-type]
            )
            print(
                f"{what.replace('SIZE', f'{args.mb} MB')} ({path.stat().st_size / 1e6:,.1f} MB "
                f"file): {found['cpu']:.1f} s CPU, {found['wall']:.1f} s wall, peak RSS "
                f"{found['rss_mb']:.0f} MB\n    {outcome}"
            )
            path.unlink()


if __name__ == "__main__":
    main()
