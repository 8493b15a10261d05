"""The soft-signal exchange end to end on the command line, and every rule it keeps.

The scenario: IND holds a soft signal about a woman in cluster R1|1 (COA sees
it pseudonymised); COA's analyst asks for it, IND's coordinator decides.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from tests.security.conftest import Context
from tests.security.scenario import IND_NAME, IND_TEXT, Ids
from workbench.cli.main import app
from workbench.config import Settings
from workbench.query import Session
from workbench.query.clusters import cluster
from workbench.query.dossier import collect
from workbench.query.exchange import withheld_behind
from workbench.query.signals import signal_rows
from workbench.security import AuditLog, PermissionDenied, SecurityContext, session_for
from workbench.security import exchange as ex
from workbench.store.embedded import EmbeddedStore

runner = CliRunner()
PURPOSE = '<img src=x onerror=alert(1)> =HYPERLINK("http://x") MATCH (n) DETACH DELETE n'
REFUSED, USAGE = 1, 2


def run(settings: Settings, *args: str) -> Result:
    return runner.invoke(
        app,
        ["--home", str(settings.home), *args],
        env={"WORKBENCH_OPERATOR": "local:tester", "COLUMNS": "200"},
    )


def data(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ask(settings: Settings, ids: Ids, user: str = "coa.analyst", item: str = "") -> Any:
    return data(run(settings, "request", item or ids.cluster, "--purpose", PURPOSE,
                    "--ground", "vw-107", "--as", user, "--json"))  # fmt: skip


def ind_text(ctx: SecurityContext, ids: Ids) -> str:
    """The IND signal's text as this user reads it (through the query layer)."""
    session = Session(ctx.store, ctx.policy, ctx.record)  # type: ignore[arg-type]
    return signal_rows(session, [ids.ind])[0].text


def in_dossier(ctx: SecurityContext, ids: Ids) -> bool:
    """Whether the cluster's dossier, as this user would export it, holds the IND text."""
    session = Session(ctx.store, ctx.policy, ctx.record)  # type: ignore[arg-type]
    found = collect(session, ids.cluster)
    return any(n.props.get("text") == IND_TEXT for n in found.nodes.values())


def reasons(ctx: SecurityContext, ids: Ids) -> list[str]:
    session = Session(ctx.store, ctx.policy, ctx.record)  # type: ignore[arg-type]
    return [t.reason for t in cluster(session, ids.cluster).row.explanation]


def test_request_approve_read_then_lapse(settings: Settings, ids: Ids, as_user: Context,
                                         embedded: EmbeddedStore) -> None:  # fmt: skip
    coa = as_user("coa.analyst")
    before = ind_text(coa, ids)
    assert before != IND_TEXT and reasons(coa, ids) == ["[withheld by IND: ask for release]"]
    assert not in_dossier(coa, ids)

    made = ask(settings, ids)
    assert made == {"request_ids": [1], "signals": 1, "owners": ["ind"]}
    assert ind_text(as_user("coa.analyst"), ids) == before  # asking reveals nothing

    queue = data(run(settings, "requests", "--status", "open", "--as", "ind.coordinator",
                     "--json"))["requests"]  # fmt: skip
    assert [(r["id"], r["requester"], r["purpose"], r["ground"]) for r in queue] == [
        (1, "coa.analyst", PURPOSE, "vw-107")
    ]
    assert queue[0]["items"] == [{"signal_id": ids.ind, "status": "open"}]
    assert set(queue[0]) >= {"id", "status", "requester", "requester_org", "owner_org",
                             "purpose", "ground", "created_at", "decided_at", "expires_at",
                             "items"}  # fmt: skip

    done = data(run(settings, "requests", "approve", "1", "--days", "10", "--reason",
                    "vital: a minor at risk", "--as", "ind.coordinator", "--json"))  # fmt: skip
    assert done["requests"][0]["status"] == "approved"
    coa = as_user("coa.analyst")
    assert ind_text(coa, ids) == IND_TEXT
    assert reasons(coa, ids) == ["owes Abu Tarek money"]
    assert in_dossier(coa, ids)
    assert as_user("kmar.investigator").policy.signal_access(ids.ind).name == "PSEUDONYMISED"

    # eleven days later the release has lapsed, at the next read, without any command
    later = SecurityContext(coa.viewer, settings, embedded, clock=lambda: _now() + dt.timedelta(11))
    assert ind_text(later, ids) == before
    mine = data(run(settings, "requests", "--as", "coa.analyst", "--json"))["requests"]
    assert mine[0]["status"] == "lapsed" and mine[0]["items"][0]["status"] == "lapsed"
    assert ind_text(as_user("coa.analyst"), ids) == before
    changes = [e.details["change"] for e in AuditLog(settings.home).events(action="exchange")]
    assert sorted(changes) == ["approve", "lapse", "request"]
    stats = data(run(settings, "exchange", "stats", "--as", "ind.coordinator", "--json"))
    assert stats["pairs"] == [{"from": "coa", "to": "ind", "requested": 1, "open": 0,
                               "approved": 1, "partial": 0, "denied": 0, "lapsed": 1,
                               "revoked": 0, "median_hours_to_decision": 0.0}]  # fmt: skip


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_denial_and_revocation_leave_the_requester_where_they_were(
    settings: Settings, ids: Ids, as_user: Context
) -> None:
    before = ind_text(as_user("coa.analyst"), ids)
    ask(settings, ids)
    denied = data(run(settings, "requests", "deny", "1", "--reason", "ongoing case",
                      "--as", "ind.coordinator", "--json"))  # fmt: skip
    assert denied["requests"][0]["status"] == "denied"
    assert ind_text(as_user("coa.analyst"), ids) == before

    ask(settings, ids)  # a denied signal may be asked for again, with a new purpose
    data(run(settings, "requests", "approve", "2", "--to-all", "--reason", "ok",
             "--as", "ind.coordinator", "--json"))  # fmt: skip
    assert ind_text(as_user("coa.analyst"), ids) == IND_TEXT
    assert ind_text(as_user("kmar.investigator"), ids) == IND_TEXT  # --to-all
    revoked = data(run(settings, "requests", "revoke", "2", "--reason", "case closed",
                       "--as", "ind.coordinator", "--json"))  # fmt: skip
    assert revoked["requests"][0]["status"] == "revoked"
    assert ind_text(as_user("coa.analyst"), ids) == before
    stats = data(run(settings, "exchange", "stats", "--as", "coa.coordinator", "--json"))
    pair = stats["pairs"][0]
    assert (pair["requested"], pair["approved"], pair["denied"], pair["revoked"]) == (2, 1, 1, 1)


@pytest.mark.parametrize(
    ("user", "code", "says"),
    [
        ("coa.analyst", REFUSED, "may not release"),  # an analyst cannot approve
        ("ind.analyst", REFUSED, "may not release"),  # not even of the owning organisation
        ("ind.admin", REFUSED, "may not release"),  # an admin cannot
        ("coa.coordinator", REFUSED, "only its coordinators decide"),  # another organisation
    ],
)
def test_only_the_owners_coordinator_decides(
    settings: Settings, ids: Ids, user: str, code: int, says: str
) -> None:
    ask(settings, ids)
    for verb in ("approve", "deny"):
        refused = run(settings, "requests", verb, "1", "--reason", "x", "--as", user)
        assert refused.exit_code == code and says in refused.output, refused.output
    listed = data(run(settings, "requests", "--as", "ind.coordinator", "--json"))
    assert listed["requests"][0]["status"] == "open"


def test_nobody_decides_on_their_own_request(settings: Settings, embedded: EmbeddedStore) -> None:
    ctx = session_for(settings, "ind.coordinator", store=embedded)
    own = ctx.requests.add(requester="ind.coordinator", requester_org="ind", owner_org="ind",
                           item_id="Signal:ind|IND-2019-0042", purpose="p", ground="vw-107",
                           signals=["Signal:ind|IND-2019-0042"])  # fmt: skip
    with pytest.raises(PermissionDenied, match="own request"):
        ex.approve(ctx, own.id, reason="mine")
    colleague = session_for(settings, "ind.coordinator2", store=embedded)
    assert ex.approve(colleague, own.id, reason="four eyes").status == "approved"


def test_requests_are_asked_properly_and_only_for_what_is_withheld(
    settings: Settings, ids: Ids, as_user: Context
) -> None:
    no_purpose = run(settings, "request", ids.cluster, "--ground", "vw-107", "--as", "coa.analyst")
    assert no_purpose.exit_code == USAGE and "purpose is required" in no_purpose.output
    bad_ground = run(settings, "request", ids.cluster, "--purpose", "p", "--ground", "nope",
                     "--as", "coa.analyst")  # fmt: skip
    assert bad_ground.exit_code == USAGE and "vw-107" in bad_ground.output
    own = run(settings, "request", ids.ind, "--purpose", "p", "--ground", "vw-107",
              "--as", "ind.analyst")  # fmt: skip
    assert own.exit_code == USAGE and "nothing behind" in own.output
    unknown = run(settings, "request", "Cluster:R9|9", "--purpose", "p", "--ground", "vw-107",
                  "--as", "coa.analyst")  # fmt: skip
    assert unknown.exit_code == REFUSED
    admin = run(settings, "request", ids.cluster, "--purpose", "p", "--ground", "vw-107",
                "--as", "coa.admin")  # fmt: skip
    assert admin.exit_code == REFUSED and "may not request" in admin.output
    # what a request covers: the signals the viewer sees pseudonymised, split per owner
    coa = as_user("coa.analyst")
    session = Session(coa.store, coa.policy, coa.record)  # type: ignore[arg-type]
    assert withheld_behind(session, ids.cluster) == {"ind": [ids.ind]}
    assert withheld_behind(session, ids.person) == {"ind": [ids.ind]}
    ask(settings, ids)
    again = ask(settings, ids)  # already asked, undecided: nothing new is asked
    assert again == {"request_ids": [], "signals": 0, "owners": []}


def test_who_sees_which_requests(settings: Settings, ids: Ids) -> None:
    ask(settings, ids)

    def listed(user: str) -> list[int]:
        found = data(run(settings, "requests", "--as", user, "--json"))["requests"]
        return [r["id"] for r in found]

    assert listed("coa.analyst") == [1]  # their own
    assert listed("ind.coordinator") == [1]  # incoming
    assert listed("coa.coordinator") == [1]  # outgoing from their organisation
    assert listed("ind.analyst") == []
    assert listed("kmar.investigator") == []
    refused = run(settings, "exchange", "stats", "--as", "coa.analyst")
    assert refused.exit_code == REFUSED


def test_share_without_being_asked(settings: Settings, ids: Ids, as_user: Context) -> None:
    analyst = run(settings, "share", ids.person, "--to", "coa", "--days", "5", "--reason", "r",
                  "--as", "ind.analyst")  # fmt: skip
    assert analyst.exit_code == REFUSED
    shared = data(run(settings, "share", "--theme", "mensenhandel", "--since", "2019-01-01",
                      "--to", "coa", "--days", "5", "--reason", "joint action",
                      "--as", "ind.coordinator", "--json"))  # fmt: skip
    assert shared["shared"] == [ids.ind] and shared["to"] == "coa"
    assert ind_text(as_user("coa.analyst"), ids) == IND_TEXT
    assert ind_text(as_user("kmar.investigator"), ids) != IND_TEXT
    item = data(run(settings, "share", ids.person, "--to", "all", "--days", "5", "--reason", "r",
                    "--as", "ind.coordinator", "--json"))  # fmt: skip
    assert item["shared"] == [ids.ind] and item["to"] == "*"
    assert ind_text(as_user("kmar.investigator"), ids) == IND_TEXT
    assert IND_NAME  # the person's name follows the signal (checked in test_policy)


def test_grounds_are_data(settings: Settings) -> None:
    found = data(run(settings, "exchange", "grounds", "--json"))["grounds"]
    assert {"key": "vw-107", "label": found[[g["key"] for g in found].index("vw-107")]["label"],
            "regime": "avg", "days": 90} in found  # fmt: skip
    (settings.home / "grounds.yaml").write_text(
        "grounds:\n  - {key: only, label: The only ground, regime: avg, days: 7}\n"
    )
    assert data(run(settings, "exchange", "grounds", "--json"))["grounds"] == [
        {"key": "only", "label": "The only ground", "regime": "avg", "days": 7}
    ]
