"""Entity resolution: ``resolve``, ``persons``, ``person``, ``review``, ``decide``."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from workbench.cli.common import JsonOption, cell, fail, state, store
from workbench.cli.governance import AsUser, query_session, security_context
from workbench.cli.output import PARTIAL, USAGE, emit, emit_list, stderr, stdout
from workbench.deconflict import after_run
from workbench.store import StoreError

JUDGEMENT_HELP = "same, different or unsure"


def register(app: typer.Typer) -> None:
    """Add this feature's commands to ``app``."""
    app.command()(resolve)
    app.command()(persons)
    app.command()(person)
    app.command()(review)
    app.command()(decide)


def resolve(
    full: Annotated[
        bool, typer.Option("--full", help="Re-resolve every mention, not only new ones.")
    ] = False,
    retrain: Annotated[
        bool, typer.Option("--retrain", help="Learn the match weights anew (with decisions).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Group person mentions into persons and facilitator mentions into facilitators."""
    from workbench.cli.watch import raise_after
    from workbench.resolve import resolve as run

    s = store()
    try:
        report = run(s, full=full, retrain=retrain, operator=state.settings.operator)
    except StoreError as exc:
        fail(str(exc), PARTIAL)
    raise_after(s, "resolve")
    after_run(s, state.settings.home)

    def render(d: dict[str, Any]) -> None:
        stdout.print(
            f"{d['mode']} run {d['run_id']}: {d['mentions']:,} mentions -> {d['persons']:,} "
            f"persons ({d['persons_created']} new, {d['persons_changed']} changed, "
            f"{d['persons_removed']} merged away); {d['facilitators']:,} facilitators; "
            f"{d['links']:,} links; {d['review_queue']:,} pairs to review; {d['seconds']} s",
            markup=False,
        )

    emit(report.to_dict(), as_json=as_json, render=render)


def persons(as_user: AsUser = None, as_json: JsonOption = False) -> None:
    """Every resolved person with the records that mention them, and in which role.

    With ``--json`` the list is printed as it is read (one JSON array), so a
    large store starts printing at once and is never held in memory whole.
    """
    from workbench.query.persons import persons as read

    rows = (p.to_dict() for p in read(query_session(as_user)))

    def render(d: list[dict[str, Any]]) -> None:
        table = Table("id", "name", "V-number", "born", "records")
        for p in d:
            records = ", ".join(
                f"{r['source']}:{r['record_id']} ({r['role']})" for r in p["records"]
            )
            table.add_row(
                p["id"], cell(p["name"]), cell(p["v_number"]), cell(p["birth_date"]), cell(records)
            )
        stdout.print(table)

    try:
        emit_list(rows, as_json=as_json, render=render)
    except StoreError as exc:
        fail(str(exc), PARTIAL)


def person(
    person_id: Annotated[str, typer.Argument(help="A person id (P...) from `workbench persons`.")],
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """One person's resolution history and the explained links between their mentions."""
    from workbench.query import NotFound
    from workbench.query.persons import person as read

    try:
        data = read(query_session(as_user), person_id).to_dict()
    except NotFound as exc:
        fail(str(exc), USAGE)

    def render(d: dict[str, Any]) -> None:
        for e in d["history"]:
            stdout.print(
                f"{e['at']:%Y-%m-%d %H:%M} {e['kind']} {e['judgement'] or ''} {e['author']}: "
                f"{e['reason'] or ''}",
                markup=False,
            )
        for link in d["links"]:
            _render_pair(link)

    emit(data, as_json=as_json, render=render)


def _render_pair(pair: dict[str, Any], impact: int | None = None) -> None:
    from workbench.resolve.api import share_text  # the package loads numpy: when needed

    head = (
        f"{pair['left']}  ~  {pair['right']}: p={pair['score']:.3f} (weight {pair['weight']:+.1f})"
    )
    stdout.print(head + (f", impact {impact}" if impact is not None else ""), markup=False)
    table = Table("feature", "level", "weight", "share", "adjustment", "left", "right")
    for c in pair["contributions"]:
        adjustment = c.get("adjustment")
        table.add_row(
            c["feature"], c["level"], f"{c['weight']:+.2f}",
            share_text(c.get("frequency"), c.get("among")),
            "" if adjustment is None else f"{adjustment:+.2f}",
            cell(c["left"]), cell(c["right"]),
        )  # fmt: skip
    stdout.print(table)


def review(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many pairs.")] = 20,
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Near-threshold pairs for an analyst, biggest effect of a decision first."""
    from workbench.query import review

    found = review(query_session(as_user), limit=limit)
    data = [p.to_dict() for p in found.pairs]

    def render(d: list[dict[str, Any]]) -> None:
        if not d:
            stdout.print("nothing to review", markup=False)
        for item in d:
            _render_pair(item, item["impact"])
        floor = "" if found.complete else "at least "
        for owner, n in found.withheld.items():
            stdout.print(
                f"{floor}{n} more pair(s) wait for {owner.upper()} to release a record you "
                "read pseudonymised (ask with `workbench request` on the person)",
                markup=False,
            )

    emit(data, as_json=as_json, render=render)


def decide(
    left: Annotated[str, typer.Argument(help="A PersonMention id, or a person id.")],
    right: Annotated[str, typer.Argument(help="A PersonMention id, or a person id.")],
    judgement: Annotated[str, typer.Argument(help=JUDGEMENT_HELP)],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the history).")] = "",
    as_user: AsUser = None,
    as_json: JsonOption = False,
) -> None:
    """Decide whether two mentions (or persons) are the same person; persons follow."""
    from workbench.resolve import ResolveError
    from workbench.resolve import decide as record

    if judgement not in ("same", "different", "unsure"):
        fail(f"judgement must be {JUDGEMENT_HELP}, not {judgement!r}", USAGE)
    ctx = security_context(as_user, with_store=True)
    try:
        report = record(
            ctx.store or store(),
            left,
            right,
            judgement,  # type: ignore[arg-type]  # checked above
            author=ctx.viewer.username,
            reason=reason,
        )
    except ResolveError as exc:
        fail(str(exc), USAGE)
    ctx.record("decision", {"left": left, "right": right, "judgement": judgement, "reason": reason})
    after_run(ctx.store or store(), state.settings.home)
    stderr.print(f"recorded: {left} {judgement} {right}", markup=False)
    emit(report.to_dict(), as_json=as_json, render=lambda d: None)
