"""``python -m workbench.generate --out DIR --persons N --seed S [--bad-rows]``."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from workbench.generate import generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbench.generate", description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--persons", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bad-rows", action="store_true", help="add rows loaders must reject")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    started = time.perf_counter()
    summary = generate(args.out, persons=args.persons, seed=args.seed, bad_rows=args.bad_rows)
    report = {
        "out": str(summary.out_dir),
        "persons": summary.persons,
        "seed": summary.seed,
        "files": summary.files,
        "networks": summary.networks,
        "seconds": round(time.perf_counter() - started, 2),
    }
    sys.stdout.write(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
