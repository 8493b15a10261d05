"""Cluster dossiers: ``dossier``.

With ``--case CASE_ID`` the dossier records the case it was made for (in the
document and its audit event, so it is listed on the case's page); without a
cluster it exports every latest cluster of the case the user may see.

``workbench dossier CLUSTER_ID --format pdf|html|json|csv -o FILE --reason TEXT``
writes the dossier of one cluster as the acting user may see it (``--as USER``,
else the local operator), and records the export in the audit log. Exports
need a reason and a role allowed to export (investigator or coordinator).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from workbench.cli.common import JsonOption, fail, state, store
from workbench.cli.governance import AsUser, security_context
from workbench.cli.output import PARTIAL, USAGE, emit, stdout
from workbench.security import SecurityContext

DEFAULT_CLASSIFICATION = "Departementaal vertrouwelijk"


def dossier(
    cluster_id: Annotated[
        str | None,
        typer.Argument(help="Cluster id, e.g. 'Cluster:R-2026-02|1' (or 'R-2026-02|1')."),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Why the dossier leaves the workbench (required, audited)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="pdf, html, json or csv (signals, spreadsheet).")
    ] = "pdf",
    out: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (default: dossier-RUN-N.EXT here)."),
    ] = None,
    classification: Annotated[
        str, typer.Option("--classification", help="Banner on every page.")
    ] = DEFAULT_CLASSIFICATION,
    case: Annotated[
        str | None,
        typer.Option(
            "--case",
            help="The case it is for (you are a member); without a "
            "CLUSTER_ID: one dossier per latest cluster of the case, into -o DIR.",
        ),
    ] = None,
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Export a cluster's dossier: members, signals, network, timeline, score, provenance."""
    ctx = security_context(as_user, with_store=True)
    clusters: list[str] = []
    if case is not None:
        from workbench.cli.exchange import governed
        from workbench.cli.governance import session_of
        from workbench.query.cases import case_clusters

        clusters = governed(lambda: case_clusters(session_of(ctx), ctx.cases, case))
    if cluster_id is None:
        if case is None:
            fail("name a CLUSTER_ID, or a --case to export the whole case", USAGE)
        if out is not None and out.suffix:
            fail("for a whole case, -o names a directory (one file per cluster)", USAGE)
        folder = out or Path(".")
        folder.mkdir(parents=True, exist_ok=True)
        done = [_export(ctx, c, fmt, reason, None, classification, case, folder)
                for c in clusters]  # fmt: skip
        emit({"case": case, "dossiers": done}, as_json=as_json,
             render=lambda d: stdout.print(f"wrote {len(d['dossiers'])} dossier(s) of case "
                                           f"{d['case']} into {folder}", markup=False))  # fmt: skip
        return
    data = _export(ctx, cluster_id, fmt, reason, out, classification, case, None)

    def render(d: dict[str, Any]) -> None:
        stdout.print(
            f"wrote {d['file']} ({d['bytes']:,} bytes, {d['members']} members, "
            f"{d['signals']} signals; dossier {d['dossier']}); the export is in the audit log",
            markup=False,
        )

    emit(data, as_json=as_json, render=render)


def _export(
    ctx: SecurityContext,
    cluster_id: str,
    fmt: str,
    reason: str | None,
    out: Path | None,
    classification: str,
    case: str | None,
    folder: Path | None,
) -> dict[str, Any]:
    """Export one cluster's dossier to ``out`` (or its own name, in ``folder``)."""
    from workbench.dossier.errors import DossierError, RenderError
    from workbench.dossier.export import export_dossier
    from workbench.store import StoreError

    if not cluster_id.startswith("Cluster:"):
        cluster_id = f"Cluster:{cluster_id}"
    try:
        result = export_dossier(
            ctx.store or store(),
            cluster_id,
            fmt=fmt,
            reason=reason,
            policy=ctx.policy,
            audit=ctx.record,
            classification=classification,
            case=case,
        )
    except (StoreError, RenderError) as exc:
        fail(str(exc), PARTIAL)
        raise
    except DossierError as exc:  # no reason, role, format or cluster: the request is wrong
        fail(str(exc), USAGE)
        raise
    path = out or (folder or Path(".")) / result.filename
    try:
        path.write_bytes(result.content)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror}", USAGE)
    return {
        "cluster": cluster_id,
        "format": fmt,
        "file": str(path),
        "bytes": len(result.content),
        "sha256": result.sha256,
        "dossier": result.dossier_id,
        "members": result.members,
        "signals": result.signals,
        "user": ctx.viewer.username,
        "home": str(state.settings.home),
        "case": case,
    }


def register(app: typer.Typer) -> None:
    """Add this feature's commands to ``app``."""
    app.command("dossier")(dossier)
