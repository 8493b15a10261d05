"""Detection runs: ``detect``, ``clusters``, ``disrupt``, ``alerts``, ``schedule``."""

from __future__ import annotations

import logging
from typing import Annotated, Any

import typer
from rich.table import Table

from workbench.cli.common import JsonOption, cell, fail, state, store
from workbench.cli.governance import AsUser, query_session
from workbench.cli.output import PARTIAL, USAGE, emit, stdout
from workbench.deconflict import after_run
from workbench.query import RunInfo, Session
from workbench.store import GraphStore, StoreError

log = logging.getLogger(__name__)

AlgorithmOption = Annotated[
    str,
    typer.Option(
        "--algorithm",
        help="leiden (default), infomap, consensus (of 20 Leiden runs), leidenalg, "
        "or gds-leiden (Neo4j with GDS).",
    ),
]
SeedOption = Annotated[int, typer.Option("--seed", help="Same seed, same data: same clusters.")]
ResolutionOption = Annotated[
    float | None,
    typer.Option(
        "--resolution",
        help="Leiden resolution: the average link weight a cluster must exceed (default 0.02).",
    ),
]


def _params(algorithm: str, seed: int, resolution: float | None) -> Any:
    from workbench.detect import DetectionError, DetectionParams

    try:
        kwargs: dict[str, Any] = {"algorithm": algorithm, "seed": seed}
        if resolution is not None:
            kwargs["resolution"] = resolution
        if algorithm == "gds-leiden":
            kwargs.update(objective="modularity", resolution=resolution or 1.0)
        return DetectionParams(**kwargs)
    except DetectionError as exc:
        fail(str(exc), USAGE)


def _run(s: GraphStore, algorithm: str, seed: int, resolution: float | None) -> dict[str, Any]:
    """One locked detection run; its report as a dict."""
    from workbench.cli.watch import raise_after
    from workbench.detect import DetectionError, detect, memo
    from workbench.detect.schedule import detection_lock

    params = _params(algorithm, seed, resolution)
    with detection_lock(state.settings.home):
        try:
            report = detect(s, params, memo_path=state.settings.home / memo.FILE)
        except DetectionError as exc:
            fail(str(exc), USAGE)
        raise_after(s, "detect")
        after_run(s, state.settings.home)
    return report.to_dict()


def _run_of(session: Session, run: str | None) -> RunInfo:
    """The run a read command names (an id or ``latest``), or a usage exit saying what to do."""
    from workbench.query.clusters import run_of

    found = run_of(session, run)
    if found is None:
        fail(
            "no detection run yet: run `workbench detect` first"
            if run in (None, "latest")
            else f"no detection run {run!r}; `workbench clusters --run latest` shows one",
            USAGE,
        )
        raise AssertionError("unreachable: fail() exits")
    return found


def register(app: typer.Typer) -> None:
    """Add this feature's commands to ``app``."""

    @app.command()
    def detect(
        algorithm: AlgorithmOption = "leiden",
        seed: SeedOption = 1,
        resolution: ResolutionOption = None,
        as_json: JsonOption = False,
    ) -> None:
        """Find clusters now: project, detect communities, score, compare with the last run.

        One run at a time (``detect.lock`` in the data directory). Prints the
        run id, the number of clusters and the seconds it took.
        """
        from workbench.detect.schedule import RunBusy

        s = store()
        try:
            report = _run(s, algorithm, seed, resolution)
        except RunBusy as exc:
            fail(str(exc), PARTIAL)
        except StoreError as exc:
            fail(str(exc), PARTIAL)
        data = {"run_id": report["run_id"], "clusters": report["clusters"],
                "seconds": report["seconds"], "alerts": report["alerts"],
                "lineage": report["lineage"], "hubs": report["hubs"],
                "benign_left_out": report["benign_left_out"], "model": report["model"],
                "components": report["components"],
                "reused_components": report["reused_components"]}  # fmt: skip

        def render(d: dict[str, Any]) -> None:
            lineage = ", ".join(f"{n} {rel}" for rel, n in d["lineage"].items())
            stdout.print(
                f"run {d['run_id']}: {d['clusters']} clusters, {d['alerts']} alerts, "
                f"{d['hubs']} hubs left out, in {d['seconds']:.1f} s ({lineage})",
                markup=False,
            )

        emit(data, as_json=as_json, render=render)

    @app.command()
    def clusters(
        run: Annotated[str, typer.Option("--run", help="A run id, or latest.")] = "latest",
        limit: Annotated[
            int, typer.Option("--limit", min=0, help="At most this many (0: all).")
        ] = 100,
        as_user: AsUser = None,
        as_json: JsonOption = False,
    ) -> None:
        """Clusters of a run, highest score first, with members, roles and explanation."""
        from workbench.query import list_clusters

        session = query_session(as_user)
        try:
            found = _run_of(session, run)
            _, rows = list_clusters(session, run_id=found.run_id, limit=limit or None)
        except StoreError as exc:
            fail(str(exc), PARTIAL)
        data = {"run_id": found.run_id, "clusters": [r.to_dict() for r in rows]}

        def render(d: dict[str, Any]) -> None:
            table = Table("#", "score", "type", "size", "lineage", "themes", "top members")
            for c in d["clusters"]:
                top = ", ".join(f"{m['label']} ({m['role']})" for m in c["members"][:3])
                cells = (c["number"], f"{c['score']:.1f}", c["type"], c["size"], c["lineage"])
                themes = ", ".join(c["themes"])
                table.add_row(*(str(x or "") for x in cells), themes, cell(top, 120))
            stdout.print(f"run {d['run_id']}", markup=False)
            stdout.print(table)

        emit(data, as_json=as_json, render=render)

    @app.command()
    def disrupt(
        cluster_id: Annotated[
            str, typer.Argument(help="Cluster id, e.g. 'Cluster:R-...|3' or 'R-...|3'.")
        ],
        k: Annotated[int, typer.Option("--k", min=1, max=20, help="How many removals.")] = 3,
        network: Annotated[
            bool, typer.Option("--network", help="The cluster's wider network, not only it.")
        ] = False,
        as_user: AsUser = None,
        as_json: JsonOption = False,
    ) -> None:
        """What if k members were removed: the key-player set and its effect step by step.

        Targets are the members whose removal fragments the cluster most
        (Borgatti's key players); each step gives the largest remaining piece,
        the number of pieces and the members cut off from every organiser.
        Removal by betweenness (Cavallaro et al.) is listed for comparison.
        """
        from workbench.query.disrupt import disruption
        from workbench.query.errors import QueryError

        session = query_session(as_user)
        try:
            wanted = cluster_id if cluster_id.startswith("Cluster:") else f"Cluster:{cluster_id}"
            data = disruption(session, wanted, k=k, wider=network).to_dict()
        except QueryError as exc:
            fail(str(exc), USAGE)
        except StoreError as exc:
            fail(str(exc), PARTIAL)

        def render(d: dict[str, Any]) -> None:
            stdout.print(
                f"{d['cluster']} ({d['scope']}, {d['members']} members, {d['components']} "
                "piece(s)): remove",
                markup=False,
            )
            table = Table("removed", "role", "largest piece", "pieces", "cut off from organisers")
            for t, step in zip(d["targets"], d["steps"], strict=True):
                effect = (step["largest_component"], step["components"],
                          step["cut_off_from_organisers"])  # fmt: skip
                table.add_row(cell(t["label"]), t["role"] or "-", *map(str, effect))
            stdout.print(table)

        emit(data, as_json=as_json, render=render)

    @app.command()
    def alerts(
        run: Annotated[
            str | None, typer.Option("--run", help="Only this run's (a run id or latest).")
        ] = None,
        as_user: AsUser = None,
        as_json: JsonOption = False,
    ) -> None:
        """Alerts from detection runs, newest first: new, grown and corroborated clusters."""
        from workbench.query import alerts as read

        session = query_session(as_user)
        try:
            run_id = _run_of(session, run).run_id if run else None
            data = [a.to_dict() for a in read(session, run_id=run_id, limit=None)]
        except StoreError as exc:
            fail(str(exc), PARTIAL)

        def render(d: list[dict[str, Any]]) -> None:
            table = Table("when", "kind", "status", "message")
            for a in d:
                table.add_row(
                    str(a["created_at"])[:19], a["kind"], a["status"], cell(a["message"], 160)
                )
            stdout.print(table)

        emit(data, as_json=as_json, render=render)

    @app.command()
    def schedule(
        every: Annotated[
            str, typer.Option("--every", help="Interval: 6h, 30m, 1h30m, 1d ...")
        ] = "6h",
        algorithm: AlgorithmOption = "leiden",
        seed: SeedOption = 1,
        resolution: ResolutionOption = None,
        runs: Annotated[
            int | None, typer.Option("--runs", min=1, help="Stop after this many runs.")
        ] = None,
    ) -> None:
        """Run detection now and then every interval, one run at a time, until stopped.

        Each run is logged; a failed run is logged and the next one still runs.
        For cron or a systemd timer, call ``workbench detect`` instead.
        """
        from workbench.detect.schedule import parse_every
        from workbench.detect.schedule import schedule as run_schedule

        try:
            interval = parse_every(every)
        except ValueError as exc:
            fail(str(exc), USAGE)
        logging.getLogger("workbench").setLevel(logging.INFO)

        params = _params(algorithm, seed, resolution)

        def job() -> str:
            """One scheduled run; any failure propagates to the scheduler, which logs it."""
            from workbench.cli.watch import raise_after
            from workbench.detect import detect, memo
            from workbench.store import open_store

            s = open_store(state.settings)
            try:
                report = detect(s, params, memo_path=state.settings.home / memo.FILE)
                raise_after(s, "schedule")
                after_run(s, state.settings.home)
            finally:
                s.close()
            return (f"run {report.run_id}: {report.clusters} clusters, {report.alerts} alerts "
                    f"in {report.seconds:.1f} s")  # fmt: skip

        outcomes = run_schedule(job, every=interval, home=state.settings.home, max_runs=runs)
        if outcomes and not outcomes[-1]:
            raise typer.Exit(PARTIAL)
