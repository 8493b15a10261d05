"""Learning from analysts: ``verdict`` and ``benign add|list|remove``.

``workbench verdict CLUSTER_ID confirmed|partly|benign|unclear --reason TEXT``
records a verdict on a cluster the acting user may see (``revoke`` withdraws
the live one); ``workbench benign add IDENTIFIER --label TEXT --reason TEXT``
marks a phone, plate, document, device, address, alias, facilitator or
person benign, so later detection runs leave it out. Every change is audited.
What a user may see is checked through the query layer (``visibility``).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from workbench.cli.common import JsonOption, cell, fail, store
from workbench.cli.governance import AsUser, security_context, session_of
from workbench.cli.output import PARTIAL, USAGE, emit, stdout
from workbench.store import StoreError

VERDICTS = "confirmed, partly, benign or unclear (revoke withdraws the live verdict)"
Reason = Annotated[str, typer.Option("--reason", help="Why: what you checked (audited).")]
Kind = Annotated[
    str | None,
    typer.Option(
        "--kind", help="phone, plate, document, device, address or alias (default: from the value)."
    ),
]
MARK_FIELDS = ("identifier", "kind", "value", "label", "reason", "author", "organisation",
               "created_at")  # fmt: skip

benign_app = typer.Typer(
    help="Identifiers that tie people together innocently: add, list, remove.",
    no_args_is_help=True,
)


def _visible_as_is(session: Any, node_id: str) -> bool:
    """Whether the viewer sees the node under its own id (not hidden, not pseudonymised)."""
    from workbench.query import visibility

    return node_id.startswith("alias:") or node_id in visibility.nodes(session, [node_id])


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
    from workbench.query.errors import QueryError
    from workbench.query.verdicts import judge, revoke

    if not cluster_id.startswith("Cluster:"):
        cluster_id = f"Cluster:{cluster_id}"
    session = session_of(security_context(as_user, with_store=True))
    data: dict[str, Any]
    try:
        if judgement == "revoke":
            data = {"cluster": cluster_id, "revoked": revoke(session, cluster_id, reason=reason)}
        else:
            made = judge(
                session, cluster_id, judgement, reason=reason, members=member or (),
                not_members=not_member or (),
            )  # fmt: skip
            data = made.to_dict()
    except QueryError as exc:
        fail(str(exc), USAGE)
        raise
    except StoreError as exc:
        fail(str(exc), PARTIAL)
        raise

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
    from workbench.detect.benign import BenignError, add_mark

    ctx = security_context(as_user, with_store=True)
    session = session_of(ctx)
    try:
        mark = add_mark(
            ctx.store or store(),
            identifier,
            label=label,
            reason=reason,
            kind=kind,
            author=ctx.viewer.username,
            organisation=ctx.viewer.organisation,
            visible=lambda node_id: _visible_as_is(session, node_id),
            audit=ctx.record,
        )
    except BenignError as exc:
        fail(str(exc), USAGE)
        raise
    except StoreError as exc:
        fail(str(exc), PARTIAL)
        raise
    emit(
        mark.to_dict(),
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
    from workbench.detect.benign import BenignError, live_marks, remove_mark
    from workbench.detect.benign import identifier as parse

    ctx = security_context(as_user, with_store=True)
    s = ctx.store or store()
    session = session_of(ctx)
    try:
        wanted = parse(identifier, kind)
        live = [m for m in live_marks(s) if (m.kind, m.value) == (wanted.kind, wanted.value)]
        if not all(_visible_as_is(session, m.identifier) for m in live):
            raise BenignError(f"{wanted.value} is not marked benign (see `workbench benign list`)")
        gone = remove_mark(
            s, identifier, reason=reason, kind=kind, author=ctx.viewer.username, audit=ctx.record
        )
    except BenignError as exc:
        fail(str(exc), USAGE)
        raise
    except StoreError as exc:
        fail(str(exc), PARTIAL)
        raise
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
    from workbench.detect.benign import suggestions
    from workbench.query import visibility

    ctx = security_context(as_user, with_store=True)
    session = session_of(ctx)
    marks = [n for n in visibility.find(session, "BenignMark") if n.props.get("deleted_at") is None]
    rows = [
        {"id": n.id, **{k: n.props.get(k) for k in MARK_FIELDS}}
        for n in sorted(marks, key=lambda n: n.props["created_at"])
    ]
    data: dict[str, Any] = {"marks": rows}
    if suggest:
        found = suggestions(ctx.store or store())
        shown = [
            c.to_dict()
            for c in found
            if _visible_as_is(session, c.identifier)
            and len(visibility.nodes(session, list(c.clusters))) == len(c.clusters)
        ]
        data["suggestions"] = shown
    ctx.record("view", {"target": "benign marks", "count": len(rows)})

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
