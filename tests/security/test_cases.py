"""Cases and deconfliction on the command line, and every rule they keep.

The scenario (tests/security/scenario.py): one woman (Person:P1) known to
IND, COA and KMar, in cluster R1|1 with a facilitator. KMar's investigator
and COA's analyst each open a case on her; both are told of the other, and
nothing more. IND's coordinator shares its soft signal to a case.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from tests.security.conftest import Context
from tests.security.scenario import IDS, IND_TEXT, Ids, _mention, _signal
from tests.security.test_exchange import REFUSED, USAGE, ask, data, in_dossier, ind_text, run
from workbench.config import Settings
from workbench.deconflict import after_run, check
from workbench.query import Session, search
from workbench.security import AuditLog
from workbench.store.embedded import EmbeddedStore

KMAR, COA = "kmar.investigator", "coa.analyst"
PURPOSE = "<script>alert(1)</script> ring around P1"


def new_case(settings: Settings, user: str, *extra: str, name: str = "Operatie Noord") -> str:
    made = data(run(settings, "case", "new", name, "--regime", "wpg", "--purpose", PURPOSE,
                    *extra, "--as", user, "--json"))  # fmt: skip
    return str(made["id"])


def add(settings: Settings, user: str, case_id: str, *items: str) -> Any:
    return data(run(settings, "case", "add", case_id, *items, "--as", user, "--json"))


def notices(settings: Settings, user: str) -> list[dict[str, Any]]:
    return list(data(run(settings, "deconflict", "--as", user, "--json"))["notices"])


def test_two_teams_on_one_person_are_told_of_each_other_and_of_nothing_else(
    settings: Settings, ids: Ids
) -> None:
    kmar_case = new_case(settings, KMAR, "--contact", "+31 70 000 0000")
    assert add(settings, KMAR, kmar_case, ids.cluster)["notices"] == []
    coa_case = new_case(settings, COA, name="COA zorg")
    assert len(add(settings, COA, coa_case, ids.person)["notices"]) == 1

    (to_kmar,) = notices(settings, KMAR)
    (to_coa,) = notices(settings, COA)
    assert to_kmar["case"] == kmar_case and to_coa["case"] == coa_case
    assert (to_kmar["other_case_org"], to_kmar["other_case_lead"]) == ("coa", COA)
    assert (to_coa["other_case_org"], to_coa["other_case_lead"]) == ("kmar", KMAR)
    assert to_coa["contact"] == "+31 70 000 0000"
    assert to_kmar["item"] == to_coa["item"] == ids.person  # the person, not also her cluster
    assert set(to_coa) == {"id", "case", "other_case_org", "other_case_lead", "contact", "item",
                           "item_caption", "raised_at", "status"}  # fmt: skip
    assert coa_case not in str(to_kmar) and kmar_case not in str(to_coa)

    # neither can open the other's case, and to them it is as if it did not exist
    for user, other in ((KMAR, coa_case), (COA, kmar_case)):
        shown = run(settings, "case", "show", other, "--as", user, "--json")
        unknown = run(settings, "case", "show", "C-00000000", "--as", user, "--json")
        assert shown.exit_code == REFUSED and unknown.exit_code == REFUSED
        assert shown.output.replace(other, "X") == unknown.output.replace("C-00000000", "X")
        assert run(settings, "case", "add", other, ids.person, "--as", user).exit_code == REFUSED
        listed = data(run(settings, "case", "list", "--as", user, "--json"))["cases"]
        assert [c["id"] for c in listed] == [kmar_case if user == KMAR else coa_case]
    assert notices(settings, "joint.analyst") == []

    page = data(run(settings, "case", "show", kmar_case, "--as", KMAR, "--json"))
    assert page["purpose"] == PURPOSE and page["items"][0]["id"] == ids.cluster
    assert [c["id"] for c in page["clusters"]] == [ids.cluster]
    assert [n["id"] for n in page["notices"]] == [to_kmar["id"]]
    assert {t["action"] for t in page["timeline"]} >= {"case", "deconfliction"}

    # adding again raises nothing new; every change and notice is audited
    assert add(settings, COA, coa_case, ids.person)["notices"] == []
    log = AuditLog(settings.home)
    changes = [(e.actor, e.details["change"]) for e in log.events(action="case")]
    assert sorted(changes) == sorted([(KMAR, "open"), (KMAR, "add"), (COA, "open"),
                                      (COA, "add"), (COA, "add")])  # fmt: skip
    raised = log.events(action="deconfliction")
    assert sorted((e.organisation, e.target) for e in raised) == sorted(
        [("kmar", kmar_case), ("coa", coa_case)]
    )

    # closing ends the notices on both sides
    assert run(settings, "case", "close", coa_case, "--reason", "x", "--as", KMAR).exit_code == 1
    data(run(settings, "case", "close", coa_case, "--reason", "done", "--as", COA, "--json"))
    assert [n["status"] for n in notices(settings, KMAR)] == ["closed"]
    assert run(settings, "case", "add", coa_case, ids.person, "--as", COA).exit_code == USAGE


def test_a_sensitive_case_names_no_one_to_the_other_side(settings: Settings, ids: Ids) -> None:
    secret = new_case(settings, COA, "--sensitive")
    add(settings, COA, secret, ids.person)
    other = new_case(settings, KMAR)
    add(settings, KMAR, other, ids.person)
    (to_kmar,) = notices(settings, KMAR)
    assert to_kmar["other_case_lead"] is None and to_kmar["item"] is None
    assert to_kmar["contact"] == "a coordinator of COA will contact you"
    (to_coa,) = notices(settings, COA)  # the sensitive case's own lead is told in full
    assert (to_coa["other_case_lead"], to_coa["item"]) == (KMAR, ids.person)
    event = next(e for e in AuditLog(settings.home).events(action="deconfliction")
                 if e.organisation == "kmar")  # fmt: skip
    assert event.details["other_case_lead"] is None and event.details["item"] is None


def test_case_rules(settings: Settings, ids: Ids) -> None:
    def code(*args: str) -> int:
        return run(settings, *args).exit_code

    assert code("case", "new", "x", "--regime", "wpg", "--purpose", "p", "--as",
                "coa.admin") == REFUSED  # admins manage accounts, not cases  # fmt: skip
    assert code("case", "new", "x", "--regime", "wpg", "--as", COA) == USAGE  # no purpose
    assert code("case", "new", "x", "--regime", "nl", "--purpose", "p", "--as", COA) == USAGE
    assert code("case", "new", "x", "--regime", "avg", "--purpose", "p", "--member", "nobody",
                "--as", COA) == USAGE  # fmt: skip
    case = new_case(settings, COA, "--member", "ind.analyst")
    assert code("case", "add", case, "Signal:ind|NO-SUCH", "--as", COA) == REFUSED
    assert code("case", "add", case, "Annotation:N1", "--as", COA) == USAGE  # not a case item
    # IND's phone is pseudonymised for COA: its real number must not be confirmed by adding
    assert code("case", "add", case, ids.ind_phone, "--as", COA) == REFUSED
    assert add(settings, "ind.analyst", case, ids.ind)["added"] == [ids.ind]  # a member adds
    assert code("case", "close", case, "--reason", "r", "--as", "ind.analyst") == REFUSED
    assert code("case", "close", case, "--as", COA) == USAGE  # no reason
    # one lead's two cases are one team: no notice between them
    again = new_case(settings, COA)
    add(settings, COA, again, ids.ind)
    assert notices(settings, COA) == []


def _search_hit(ctx: Any) -> bool:
    session = Session(ctx.store, ctx.policy, ctx.record)
    return any(h.id == IDS.ind for h in search(session, "TAREK"))


def test_a_signal_shared_to_a_case_is_read_by_its_members_only_while_it_lasts(
    settings: Settings, ids: Ids, as_user: Context
) -> None:
    case = new_case(settings, COA, "--member", "ind.coordinator")
    before = ind_text(as_user(COA), ids)
    # only the owner's coordinator shares, and only to a case they are a member of
    outsider = new_case(settings, KMAR)
    assert run(settings, "share", ids.ind, "--to", f"case:{outsider}", "--reason", "r",
               "--as", "ind.coordinator").exit_code == REFUSED  # fmt: skip
    assert run(settings, "share", ids.coa, "--to", f"case:{case}", "--reason", "r",
               "--as", "ind.coordinator").exit_code == USAGE  # no IND signal  # fmt: skip
    assert run(settings, "share", ids.ind, "--to", f"case:{case}", "--reason", "r",
               "--as", "ind.analyst").exit_code == REFUSED  # not a coordinator  # fmt: skip
    shared = data(run(settings, "share", ids.ind, "--to", f"case:{case}", "--days", "30",
                      "--reason", "joint case", "--as", "ind.coordinator", "--json"))  # fmt: skip
    assert shared["to"] == f"case:{case}"
    member = as_user(COA)
    assert ind_text(member, ids) == IND_TEXT and in_dossier(member, ids) and _search_hit(member)
    for outsider_user in ("coa.coordinator", KMAR, "joint.analyst"):  # same org, or others
        them = as_user(outsider_user)
        assert ind_text(them, ids) != IND_TEXT and not in_dossier(them, ids)
        assert not _search_hit(them)
    data(run(settings, "case", "close", case, "--reason", "done", "--as", COA, "--json"))
    after = as_user(COA)
    assert ind_text(after, ids) == before and not in_dossier(after, ids)
    assert not _search_hit(after)


def test_a_run_that_joins_two_cases_persons_raises_a_notice(
    settings: Settings, ids: Ids, embedded: EmbeddedStore
) -> None:
    """A later detection run puts a new person (of KMar's case) with P1 (of COA's case) in
    one cluster: the hook at the end of the run tells both, without anyone adding."""
    other, mention = "Signal:kmar|KM-2016-0200", "PersonMention:kmar|KM-2016-0200|subject|0"
    with embedded.writer() as w:  # a KMar record of another person, P2
        w.upsert_nodes("Signal", [_signal("kmar", "KM-2016-0200", dt.date(2016, 1, 2), "hard")])
        w.upsert_nodes("PersonMention", [_mention("kmar", "KM-2016-0200", name="Yonas Haile")])
        w.upsert_edges("SUBJECT", [{"src": other, "dst": mention, "signals": [other]}])
        w.upsert_nodes("Person", [{"person_id": "P2", "name": "Yonas Haile", "mentions": 1,
                                   "sources": ["kmar"]}])  # fmt: skip
        w.upsert_edges("RESOLVED_TO", [{"src": mention, "dst": "Person:P2", "score": 1.0}])
    coa_case, kmar_case = new_case(settings, COA), new_case(settings, KMAR)
    add(settings, COA, coa_case, ids.person)
    add(settings, KMAR, kmar_case, "Person:P2")
    assert notices(settings, COA) == []
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    with embedded.writer() as w:
        w.upsert_nodes("DetectionRun", [{"run_id": "R2", "started_at": later,
                                         "algorithm": "leiden", "parameters": {}}])  # fmt: skip
        w.upsert_nodes("Cluster", [{"run_id": "R2", "number": 1, "score": 1.0}])
        w.upsert_edges("MEMBER_OF", [
            {"src": ids.person, "dst": "Cluster:R2|1", "run": "R2", "role": "member"},
            {"src": "Person:P2", "dst": "Cluster:R2|1", "run": "R2", "role": "member"},
        ])  # fmt: skip
        w.upsert_edges("LINEAGE", [{"src": "Cluster:R2|1", "dst": ids.cluster,
                                    "relation": "grown", "jaccard": 0.5}])  # fmt: skip
    after_run(embedded, settings.home)
    (to_coa,) = notices(settings, COA)
    (to_kmar,) = notices(settings, KMAR)
    assert to_coa["item"] == to_kmar["item"] == "Cluster:R2|1"
    assert check(embedded, settings.home) == []  # once


def test_dossiers_carry_their_case(settings: Settings, ids: Ids, tmp_path: Path) -> None:
    case = new_case(settings, KMAR)
    add(settings, KMAR, case, ids.person)
    one = data(run(settings, "dossier", ids.cluster, "--case", case, "--format", "json", "-o",
                   str(tmp_path / "one.json"), "--reason", "for the case", "--as", KMAR,
                   "--json"))  # fmt: skip
    assert json.loads((tmp_path / "one.json").read_text())["dossier"]["case"] == case
    whole = data(run(settings, "dossier", "--case", case, "--format", "json", "-o",
                     str(tmp_path / "all"), "--reason", "whole case", "--as", KMAR,
                     "--json"))  # fmt: skip
    assert [d["cluster"] for d in whole["dossiers"]] == [ids.cluster]
    exports = AuditLog(settings.home).events(action="export")
    assert [e.details.get("case") for e in exports] == [case, case]
    page = data(run(settings, "case", "show", case, "--as", KMAR, "--json"))
    assert [d["sha256"] for d in page["dossiers"]] == [whole["dossiers"][0]["sha256"],
                                                      one["sha256"]]  # fmt: skip
    # a non-member cannot export under the case, nor learn that it exists
    other = new_case(settings, "coa.coordinator")
    assert run(settings, "dossier", ids.cluster, "--case", other, "--format", "json", "-o",
               str(tmp_path / "x.json"), "--reason", "r",
               "--as", KMAR).exit_code == REFUSED  # fmt: skip
    assert not (tmp_path / "x.json").exists()


def test_a_request_from_a_member_can_be_approved_to_the_case(
    settings: Settings, ids: Ids, as_user: Context
) -> None:
    mine, not_mine = new_case(settings, COA), new_case(settings, KMAR)
    ask(settings, ids)  # coa.analyst asks IND for the soft signal behind the cluster
    for case, both in ((not_mine, "--to-all"), (not_mine, None), ("C-00000000", None)):
        extra = [both] if both else []
        refused = run(settings, "requests", "approve", "1", "--to-case", case, *extra,
                      "--reason", "r", "--as", "ind.coordinator")  # fmt: skip
        assert refused.exit_code == (USAGE if both else REFUSED), refused.output
    data(run(settings, "requests", "approve", "1", "--to-case", mine, "--reason", "for the case",
             "--as", "ind.coordinator", "--json"))  # fmt: skip
    assert ind_text(as_user(COA), ids) == IND_TEXT
    assert ind_text(as_user("coa.coordinator"), ids) != IND_TEXT  # same organisation, no member
