"""``workbench``: one entry point for every task on the command line.

Global options choose the data directory (``--home``, else
``WORKBENCH_HOME``) and verbosity. Every reporting command takes ``--json``.
Exit codes: 0 ok, 1 partial failure (some input could not be used, or the
store failed), 2 usage error or unreadable input.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any, cast

import typer
from rich.logging import RichHandler
from rich.progress import Progress
from rich.table import Table

from loaders.records import Source
from workbench.cli import (
    cases,
    detection,
    dossier,
    exchange,
    governance,
    identity,
    learning,
    maintenance,
    ui,
    watch,
)
from workbench.cli.common import JsonOption, cell, fail, state, store
from workbench.cli.governance import AsUser, query_session
from workbench.cli.output import OK, PARTIAL, USAGE, emit, stderr, stdout
from workbench.config import ConfigError, Settings
from workbench.store import StoreError

app = typer.Typer(
    name="workbench",
    help="Signal workbench: join the chain partners' signals into one graph and find networks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    home: Annotated[
        Path | None,
        typer.Option(
            "--home", help="Data directory (default: $WORKBENCH_HOME or ./workbench-data)."
        ),
    ] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More logging.")] = 0,
) -> None:
    """Signal workbench command line."""
    logging.basicConfig(
        level=logging.WARNING - 10 * min(verbose, 2),
        format="%(message)s",
        handlers=[RichHandler(console=stderr, show_path=False)],
    )
    try:
        state.settings = Settings.from_env(home)
    except ConfigError as exc:
        fail(str(exc), USAGE)


@app.command()
def status(as_json: JsonOption = False) -> None:
    """Which store is in use, where, and how many nodes and edges of each type it holds."""
    s = store()
    try:
        counts = s.counts()
    except StoreError as exc:
        fail(str(exc), PARTIAL)
    data = {"store": s.kind, "location": s.location, **counts}

    def render(d: dict[str, Any]) -> None:
        stdout.print(f"store: {d['store']} at {d['location']}", markup=False)
        for kind in ("nodes", "edges"):
            table = Table(kind, "count")
            for name, n in d[kind].items():
                table.add_row(name, str(n))
            stdout.print(table)

    emit(data, as_json=as_json, render=render)


@app.command()
def generate(
    out: Annotated[
        Path, typer.Option("--out", help="Directory to write the four files and truth.json.")
    ],
    persons: Annotated[int, typer.Option("--persons", min=1, help="How many persons.")] = 5000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 1,
    bad_rows: Annotated[
        bool, typer.Option("--bad-rows", help="Add rows loaders must reject.")
    ] = False,
    delivery: Annotated[
        float,
        typer.Option(
            "--delivery",
            help="Hold back FRACTION of the records (e.g. 0.01: all records of some "
            "persons, single records of others) as a daily delivery in OUT/delivery/, "
            "to load after the rest.",
            metavar="FRACTION",
        ),
    ] = 0.0,
    as_json: JsonOption = False,
) -> None:
    """Write a synthetic corpus in all four export formats, with planted networks."""
    from workbench.generate import generate as write_corpus

    try:
        summary = write_corpus(
            out, persons=persons, seed=seed, bad_rows=bad_rows, delivery=delivery
        )
    except ValueError as exc:
        fail(str(exc), USAGE)
    data = {
        "out": str(summary.out_dir),
        "persons": summary.persons,
        "seed": summary.seed,
        "files": summary.files,
        "networks": summary.networks,
        "truth": str(summary.truth),
        "delivery": summary.delivery,
        "delivery_mix": summary.mix.to_dict() if summary.mix else None,
    }

    def render(d: dict[str, Any]) -> None:
        stdout.print(
            f"wrote {sum(d['files'].values()):,} rows for {d['persons']:,} persons "
            f"({d['networks']} planted networks) to {d['out']}",
            markup=False,
        )
        if d["delivery_mix"]:
            mix = d["delivery_mix"]
            stdout.print(
                f"held back {sum(d['delivery'].values()):,} rows ({mix['records']:,} records: "
                f"{mix['new_persons']:,} new persons, {mix['known_persons']:,} known persons, "
                f"{mix['network_records']:,} network records) in {d['out']}/delivery",
                markup=False,
            )

    emit(data, as_json=as_json, render=render)


@app.command()
def load(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Export files to load.", exists=True, dir_okay=False, readable=True),
    ],
    source: Annotated[
        str | None, typer.Option("--source", help="politie, kmar, ind or coa (default: detect).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Load export files; each row is loaded, a duplicate, a conflict or a quarantined reject.

    Exit 0 when every file could be read, 1 when a file was rejected whole (the
    other files still load), 2 on usage errors.
    """
    from workbench.ingest import ingest

    if source is not None and source not in ("politie", "kmar", "ind", "coa"):
        fail(f"--source must be politie, kmar, ind or coa, not {source!r}", USAGE)
    s = store()
    with Progress(console=stderr, transient=True) as bar:
        task = bar.add_task("loading", total=len(paths))
        try:
            report = ingest(
                s,
                paths,
                source=cast(Source | None, source),
                operator=state.settings.operator,
                progress=lambda p: bar.update(task, advance=1, description=Path(p).name),
                limits=state.settings.load_limits(),
            )
        except StoreError as exc:
            fail(str(exc), PARTIAL)
    watch.raise_after(s, "load")

    def render(d: dict[str, Any]) -> None:
        table = Table("file", "source", "rows", "loaded", "duplicates", "conflicts", "rejected")
        for f in d["files"]:
            table.add_row(
                cell(Path(f["path"]).name),
                f["source"] or "?",
                *(str(f[k]) for k in ("rows", "loaded", "duplicates", "conflicts", "rejected")),
            )
        stdout.print(f"batch {d['batch_id']}", markup=False)
        stdout.print(table)
        for f in d["files"]:
            if f["error"]:
                stderr.print(f"file rejected: {f['error']}", markup=False)
            for r in f["rejects"][:20]:
                stderr.print(
                    f"{Path(f['path']).name} row {r['row']} field {r['field']}: {r['reason']}",
                    markup=False,
                )

    emit(report.to_dict(), as_json=as_json, render=render)
    raise typer.Exit(OK if report.ok else PARTIAL)


@app.command()
def rejects(as_user: AsUser = None, as_json: JsonOption = False) -> None:
    """Quarantined rows: file, row, field and reason, to correct and load again.

    The local operator (who loads the files) sees every one; ``--as`` a user,
    those of their own organisation.
    """
    from workbench.query.rejects import rejects as read

    rows = [r.to_dict() for r in read(query_session(as_user))]

    def render(d: list[dict[str, Any]]) -> None:
        table = Table("file", "row", "record", "field", "reason")
        for r in d:
            table.add_row(
                cell(r["file"]),
                str(r["row"]),
                cell(r["record_id"]),
                cell(r["field"]),
                cell(r["reason"], 160),
            )
        stdout.print(table)

    emit(rows, as_json=as_json, render=render)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Where to write the synthetic exports.")],
    persons: Annotated[int, typer.Option("--persons", min=1)] = 5000,
    seed: Annotated[int, typer.Option("--seed")] = 1,
) -> None:
    """The whole job on the embedded default: generate, load, resolve, detect, UI login, report."""
    from workbench.generate import generate as write_corpus
    from workbench.ingest import ingest
    from workbench.resolve import resolve as resolve_persons

    summary = write_corpus(out, persons=persons, seed=seed)
    files = sorted(p for p in out.iterdir() if p.suffix in (".csv", ".jsonl", ".xlsx"))
    stderr.print(
        f"generated {sum(summary.files.values()):,} rows in {len(files)} files", markup=False
    )
    s = store()
    report = ingest(s, files, operator=state.settings.operator)
    for f in report.files:
        stderr.print(
            f"{Path(f.path).name}: {f.loaded} loaded, {f.duplicates} duplicates, "
            f"{f.conflicts} conflicts, {f.rejected} rejected",
            markup=False,
        )
    watch.raise_after(s, "load")
    resolved = resolve_persons(s, operator=state.settings.operator)
    watch.raise_after(s, "resolve")
    stderr.print(
        f"resolved {resolved.mentions:,} mentions into {resolved.persons:,} persons and "
        f"{resolved.facilitators:,} facilitators ({resolved.review_queue:,} pairs to review)",
        markup=False,
    )
    from workbench.detect import detect as detect_clusters

    run = detect_clusters(s).to_dict()
    watch.raise_after(s, "detect")
    stderr.print(
        f"detection run {run['run_id']}: {run['clusters']} clusters in {run['seconds']} s",
        markup=False,
    )
    ui.demo_account(state.settings)  # the UI needs a sign-in: `demo`, made once
    status(as_json=False)


for _feature in (
    identity,
    detection,
    governance,
    exchange,
    cases,
    dossier,
    learning,
    maintenance,
    ui,
    watch,
):
    _feature.register(app)
