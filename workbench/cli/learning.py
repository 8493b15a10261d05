"""Learning from analysts: ``verdict`` and ``benign add|list|remove``.

``workbench verdict CLUSTER_ID confirmed|partly|benign|unclear --reason TEXT``
records a verdict on a cluster the acting user may see (``revoke`` withdraws
the live one); ``workbench benign add IDENTIFIER --label TEXT --reason TEXT``
marks a phone, plate, document, device, address, alias, facilitator or
person benign, so later detection runs leave it out. Every change is audited.
What a user may see and change is decided in the query layer
(``workbench.query.verdicts`` and ``workbench.query.benign``).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from workbench.cli.common import JsonOption, cell, query_action
from workbench.cli.governance import AsUser, query_session
from workbench.cli.output import emit, stdout

VERDICTS = "confirmed, partly, benign or unclear (revoke withdraws the live verdict)"
Reason = Annotated[str, typer.Option("--reason", help="Why: what you checked (audited).")]
Kind = Annotated[
    str | None,
    typer.Option(
        "--kind", help="phone, plate, document, device, address or alias (default: from the value)."
    ),
]


benign_app = typer.Typer(
    help="Identifiers that tie people together innocently: add, list, remove.",
    no_args_is_help=True,
)


_write = query_action  # a query-layer write: refusal and store failure exit cleanly


def verdict(
    cluster_id: Annotated[str, typer.Argument(help="Cluster id, e.g. 'Cluster:R-...|3'.")],
    judgement: Annotated[str, typer.Argument(metavar="VERDICT", help=VERDICTS)],
    reason: Reason = "",
    member: Annotated[
        list[str] | None, typer.Option("--member", help="A member who belongs (repeatable).")
    ] = None,
    not_member: Annotated[
        list[str] | None,
        typer.Option("--not-member", help="A member who does not belong (repeatable)."),
    ] = None,
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Record your verdict on a cluster; later runs carry it along the cluster's lineage."""
    from workbench.query.verdicts import judge, revoke

    if not cluster_id.startswith("Cluster:"):
        cluster_id = f"Cluster:{cluster_id}"
    session = query_session(as_user)
    data: dict[str, Any]
    if judgement == "revoke":
        data = {"cluster": cluster_id,
                "revoked": _write(lambda: revoke(session, cluster_id, reason=reason))}  # fmt: skip
    else:
        made = _write(
            lambda: judge(
                session,
                cluster_id,
                judgement,
                reason=reason,
                members=member or (),
                not_members=not_member or (),
            )
        )
        data = made.to_dict()

    def render(d: dict[str, Any]) -> None:
        if "revoked" in d:
            stdout.print(f"revoked the verdict on {d['cluster']}", markup=False)
        else:
            stdout.print(f"recorded: {d['cluster']} {d['verdict']} ({d['id']})", markup=False)

    emit(data, as_json=as_json, render=render)


@benign_app.command("add")
def benign_add(
    identifier: Annotated[
        str,
        typer.Argument(
            help="A node id, or the value as you would type it: +31 6..., 06-..., a "
            "plate, a document number, an alias."
        ),
    ],
    label: Annotated[str, typer.Option("--label", help="What it is: support line, ...")] = "",
    reason: Reason = "",
    kind: Kind = None,
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Mark an identifier benign: later detection runs leave it out and list it as left out."""
    from workbench.query.benign import mark as add

    made = _write(lambda: add(query_session(as_user), identifier, label=label, reason=reason,
                              kind=kind))  # fmt: skip
    emit(
        made.to_dict(),
        as_json=as_json,
        render=lambda d: stdout.print(
            f"marked {d['kind']} {d['value']} benign ({d['label']}); the next detection run "
            "leaves it out",
            markup=False,
        ),
    )


@benign_app.command("remove")
def benign_remove(
    identifier: Annotated[str, typer.Argument(help="As for `benign add`.")],
    reason: Reason = "",
    kind: Kind = None,
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Remove a benign mark (kept in the history); the next run links through it again."""
    from workbench.query.benign import unmark

    gone = _write(lambda: unmark(query_session(as_user), identifier, reason=reason, kind=kind))
    emit(
        [m.to_dict() for m in gone],
        as_json=as_json,
        render=lambda d: stdout.print(f"removed {len(d)} benign mark(s)", markup=False),
    )


@benign_app.command("list")
def benign_list(
    suggest: Annotated[
        bool,
        typer.Option("--suggest", help="Also suggest identifiers recurring in benign clusters."),
    ] = False,
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Live benign marks as you may see them (a partner's identifier may show as a pseudonym)."""
    from workbench.query.benign import marks

    data = marks(query_session(as_user), suggest=suggest)

    def render(d: dict[str, Any]) -> None:
        table = Table("kind", "value", "label", "author", "organisation", "since")
        for r in d["marks"]:
            table.add_row(
                r["kind"], cell(r["value"]), cell(r["label"]), cell(r["author"]),
                r["organisation"], str(r["created_at"])[:10],
            )  # fmt: skip
        stdout.print(table)
        for c in d.get("suggestions", []):
            stdout.print(
                f"suggestion: {c['kind']} {c['identifier']} ({c['label']}) in "
                f"{len(c['clusters'])} clusters judged benign",
                markup=False,
            )

    emit(data, as_json=as_json, render=render)


def register(app: typer.Typer) -> None:
    """Add this feature's commands to ``app``."""
    app.command("verdict")(verdict)
    app.add_typer(benign_app, name="benign")
