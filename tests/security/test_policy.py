"""Need-to-know: what each organisation sees of the scenario, item by item and in bulk."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Sequence

import pytest

from tests.security.conftest import Context
from tests.security.scenario import (
    COA_NAME,
    FACILITATOR,
    IND_NAME,
    IND_PHONE,
    IND_TEXT,
    IND_VNUMBER,
    SHARED_PHONE,
    Ids,
)
from workbench.config import Settings
from workbench.security import ConfigError, Unrestricted, view_hits, view_subgraph
from workbench.security.manage import release_signal, revoke_release
from workbench.security.policy import Access, NeedToKnow
from workbench.store import Node, Subgraph
from workbench.store.embedded import EmbeddedStore

# Anything of IND's soft signal a COA user must not learn before IND releases it.
IND_SECRETS = (
    IND_NAME,
    "<script>",
    IND_VNUMBER,
    IND_PHONE,
    "Tarek",
    "TAREK",
    "schuld",
    "1999-03-02",
)


def _dump(sub: Subgraph | list[Node]) -> str:
    items = list(sub.nodes.values()) + sub.edges if isinstance(sub, Subgraph) else sub
    return json.dumps([repr(i) for i in items], ensure_ascii=False)


def _one(policy: NeedToKnow, store: EmbeddedStore, node_id: str) -> Node | None:
    return policy.view_node(store.get_nodes([node_id])[node_id])


def test_own_organisation_sees_its_soft_signal_in_full(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    ind = as_user("ind.analyst").policy
    signal = _one(ind, embedded, ids.ind)
    mention = _one(ind, embedded, ids.ind_pm)
    assert signal is not None and signal.props["text"] == IND_TEXT
    assert mention is not None and mention.props["name"] == IND_NAME


def test_partner_sees_a_soft_signal_pseudonymised(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    coa = as_user("coa.analyst").policy
    signal = _one(coa, embedded, ids.ind)
    mention = _one(coa, embedded, ids.ind_pm)
    assert signal is not None and mention is not None
    assert signal.props["text"] is None and "withheld" in signal.props["raw"]
    assert (signal.props["kind"], signal.props["theme"], signal.props["source"]) == (
        "zacht",
        "mensenhandel",
        "ind",
    )
    assert mention.props["name"].startswith("NAME-") and mention.props["v_number"].startswith(
        "VNR-"
    )
    assert mention.props["birth_date"] is None and mention.props["given"] is None
    assert mention.props["nationality"] == "ERI"  # categorical facts are shared
    assert not any(s in _dump([signal, mention]) for s in IND_SECRETS)


def test_hard_signals_are_shared_in_full(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    coa = as_user("coa.analyst").policy
    kmar = _one(coa, embedded, ids.kmar)
    document = _one(coa, embedded, ids.document)
    assert kmar is not None and kmar.props["text"] == "vals pas"
    assert document is not None and document.id == ids.document


def test_pseudonyms_are_stable_per_organisation_and_differ_between_them(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    first = _one(as_user("coa.analyst").policy, embedded, ids.ind_pm)
    again = _one(as_user("coa.admin").policy, embedded, ids.ind_pm)
    kmar = _one(as_user("kmar.investigator").policy, embedded, ids.ind_pm)
    assert first is not None and again is not None and kmar is not None
    assert first.props["name"] == again.props["name"] != kmar.props["name"]


def test_admin_role_does_not_bypass_need_to_know(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    admin = _one(as_user("coa.admin").policy, embedded, ids.ind)
    assert admin is not None and admin.props["text"] is None


def test_person_shows_only_values_a_visible_mention_supports(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    coa = _one(as_user("coa.analyst").policy, embedded, ids.person)
    ind = _one(as_user("ind.analyst").policy, embedded, ids.person)
    assert coa is not None and ind is not None
    assert coa.props["name"] in ("Amira Tesfay", COA_NAME)  # a spelling COA may see
    assert coa.props["v_number"].startswith("VNR-") and coa.props["birth_date"] is None
    assert ind.props["name"] == IND_NAME and ind.props["v_number"] == IND_VNUMBER


def test_a_member_judged_with_its_cluster_is_viewed_from_its_mentions_in_full(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    """Judging a cluster reads its members' mentions thin (signals and source); a member
    viewed after that is derived from its mentions' values, read again in full."""
    for user in ("coa.analyst", "ind.analyst"):
        policy = as_user(user).policy
        assert policy.view_node(embedded.get_nodes([ids.cluster])[ids.cluster]) is not None
        assert ids.ind_pm in policy._partial  # judged, not read whole
        assert _one(policy, embedded, ids.person) == _one(
            as_user(user).policy, embedded, ids.person
        )
        assert ids.ind_pm not in policy._partial


def test_facilitator_known_only_from_a_soft_signal_is_pseudonymised(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    seen = _one(as_user("coa.analyst").policy, embedded, ids.facilitator)
    assert seen is not None
    assert seen.props["alias"].startswith("NAME-") and seen.props["aliases"] == [
        seen.props["alias"]
    ]
    assert seen.props["phones"][0].startswith("PHONE-") and seen.props["roles"] == ["smokkelaar"]


def test_cluster_withholds_reasons_until_every_input_is_visible(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    coa = _one(as_user("coa.analyst").policy, embedded, ids.cluster)
    assert coa is not None and coa.props["score"] == 7.5 and coa.props["type"] == "trafficking"
    assert FACILITATOR not in json.dumps(coa.props["explanation"])
    release_signal(as_user("ind.coordinator"), embedded, ids.ind)
    partial = _one(as_user("kmar.investigator").policy, embedded, ids.cluster)
    assert partial is not None and FACILITATOR not in json.dumps(partial.props["explanation"])
    release_signal(as_user("coa.coordinator"), embedded, ids.coa)  # now every input is shared
    cluster = embedded.get_nodes([ids.cluster])[ids.cluster]
    assert as_user("kmar.investigator").policy.view_node(cluster) == cluster


def test_annotation_is_shared_with_the_authors_colleagues_only(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    colleague = _one(as_user("ind.coordinator").policy, embedded, ids.note)
    partner = _one(as_user("coa.analyst").policy, embedded, ids.note)
    assert colleague is not None and FACILITATOR in colleague.props["note"]
    assert partner is not None and FACILITATOR not in partner.props["note"]


def test_edges_lose_raw_values_and_point_at_pseudonymous_ids(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    coa = as_user("coa.analyst").policy
    edges = {
        (e.src, e.dst): e
        for e in embedded.find_edges("HAS_PHONE", src=[ids.ind_pm, ids.coa_pm, ids.ind_fm])
    }
    shared = coa.view_edge(edges[(ids.ind_pm, ids.shared_phone)])
    own = coa.view_edge(edges[(ids.coa_pm, ids.shared_phone)])
    ind_only = coa.view_edge(edges[(ids.ind_fm, ids.ind_phone)])
    assert shared is not None and shared.dst == ids.shared_phone and shared.props["raw"] is None
    assert own is not None and own.props["raw"] == "0612345678"
    assert ind_only is not None and ind_only.dst.startswith("Phone:PHONE-")
    phone = _one(coa, embedded, ids.ind_phone)
    assert phone is not None and phone.id == ind_only.dst and phone.props["e164"] == phone.id[6:]


def test_no_trace_of_the_soft_signal_in_a_partners_network_view(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    sub = embedded.neighbourhood([ids.person], depth=3, limit=500)
    assert IND_NAME in _dump(sub)  # the store holds it ...
    seen = view_subgraph(as_user("coa.analyst").policy, sub)
    assert not any(s in _dump(seen) for s in IND_SECRETS)  # ... the COA view does not
    assert len(seen.nodes) == len(sub.nodes) and len(seen.edges) == len(sub.edges)
    assert all({e.src, e.dst} <= seen.nodes.keys() for e in seen.edges)
    assert SHARED_PHONE in _dump(seen)  # COA's own phone, linked to the pseudonymised mention


def test_search_does_not_reveal_what_matched_in_withheld_text(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    coa, ind = as_user("coa.analyst").policy, as_user("ind.analyst").policy
    for word in ("Tarek", "schuld", "script"):
        hits = embedded.search(word)
        assert hits, word
        assert view_hits(coa, embedded, hits, word) == []
        assert view_hits(ind, embedded, hits, word)
    found = view_hits(coa, embedded, embedded.search("Amira"), "Amira")
    assert ids.person in {h.id for h in found} and ids.ind_pm not in {h.id for h in found}
    assert not any(s in h.snippet for h in found for s in IND_SECRETS)


def test_release_lifts_one_signal_for_one_partner_and_is_revocable(
    embedded: EmbeddedStore, ids: Ids, as_user: Context, settings: Settings
) -> None:
    release_signal(as_user("ind.coordinator"), embedded, ids.ind, to="kmar")
    coa = _one(as_user("coa.analyst").policy, embedded, ids.ind)
    kmar = _one(as_user("kmar.investigator").policy, embedded, ids.ind)
    assert coa is not None and coa.props["text"] is None
    assert kmar is not None and kmar.props["text"] == IND_TEXT
    revoke_release(as_user("ind.coordinator"), embedded, ids.ind, to="kmar")
    again = _one(as_user("kmar.investigator").policy, embedded, ids.ind)
    assert again is not None and again.props["text"] is None
    events = as_user("ind.coordinator").audit.events(action="release")
    assert [e.details["change"] for e in events] == ["revoke", "release"]
    assert all(e.actor == "ind.coordinator" and e.target == ids.ind for e in events)


@pytest.mark.parametrize(
    ("user", "signal", "message"),
    [
        ("coa.coordinator", "ind", "only ind releases"),
        ("ind.analyst", "ind", "needs the role coordinator"),
    ],
)
def test_only_the_owners_coordinator_releases(
    embedded: EmbeddedStore, ids: Ids, as_user: Context, user: str, signal: str, message: str
) -> None:
    from workbench.security import PermissionDenied

    with pytest.raises(PermissionDenied, match=message):
        release_signal(as_user(user), embedded, getattr(ids, signal))


def test_a_stricter_sharing_file_hides_soft_signals_and_what_rests_on_them(
    embedded: EmbeddedStore, ids: Ids, as_user: Context, settings: Settings
) -> None:
    (settings.home / "sharing.yaml").write_text("rules:\n  - {kind: hard, level: full}\n")
    coa = as_user("coa.analyst").policy
    assert _one(coa, embedded, ids.ind) is None and _one(coa, embedded, ids.ind_pm) is None
    assert _one(coa, embedded, ids.cluster) is None  # a member rests partly on hidden input
    person = _one(coa, embedded, ids.person)
    assert person is not None and person.props["sources"] == ["coa", "kmar"]
    assert person.props["v_number"] is None  # only the hidden mention says it
    seen = view_subgraph(coa, embedded.neighbourhood([ids.person], depth=3, limit=500))
    assert ids.ind not in seen.nodes and not any(s in _dump(seen) for s in IND_SECRETS)
    assert _one(as_user("kmar.investigator").policy, embedded, ids.kmar) is not None


def test_bad_sharing_files_fail_with_the_file_and_rule(settings: Settings) -> None:
    from workbench.security.sharing import SharingRules

    for text, message in [
        ("rules:\n  - {kind: hard, level: everything}\n", "rule 1: level"),
        ("rules:\n  - {kind: sometimes, level: full}\n", "kind"),
        ("rules:\n  - {colour: red, level: full}\n", "unknown key 'colour'"),
        ("nothing: here\n", "list under 'rules'"),
    ]:
        (settings.home / "sharing.yaml").write_text(text)
        with pytest.raises(ConfigError, match=message):
            SharingRules.load(settings.home)


def test_pseudonym_key_from_the_environment_or_a_private_file(
    embedded: EmbeddedStore,
    ids: Ids,
    as_user: Context,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from_file = _one(as_user("coa.analyst").policy, embedded, ids.ind_pm)
    key = settings.home / "pseudonym.key"
    assert key.stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("WORKBENCH_PSEUDONYM_KEY", "k" * 40)
    from_env = _one(as_user("coa.analyst").policy, embedded, ids.ind_pm)
    assert from_file is not None and from_env is not None
    assert from_file.props["name"] != from_env.props["name"]
    monkeypatch.setenv("WORKBENCH_PSEUDONYM_KEY", "short")
    with pytest.raises(ConfigError, match="at least 32"):
        as_user("coa.analyst").policy  # noqa: B018
    monkeypatch.delenv("WORKBENCH_PSEUDONYM_KEY")
    os.chmod(key, 0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        as_user("coa.analyst").policy  # noqa: B018


def test_metadata_rejects_users_and_unrestricted(
    embedded: EmbeddedStore, ids: Ids, as_user: Context
) -> None:
    with embedded.writer() as w:
        w.upsert_nodes(
            "Reject",
            [{"file_sha256": "x", "file": "ind.csv", "source": "ind", "row": 3, "field": "naam",
              "reason": "bad", "value": IND_NAME, "batch_id": "B-1", "signals": []}],
        )  # fmt: skip
        w.upsert_nodes(
            "User",
            [{"username": "u", "organisation": "coa", "role": "analyst", "password_hash": "$x"}],
        )
    reject = embedded.find_nodes("Reject")[0]
    user = embedded.find_nodes("User")[0]
    run = embedded.get_nodes([ids.run])[ids.run]
    coa, ind = as_user("coa.analyst").policy, as_user("ind.analyst").policy
    assert coa.view_node(reject) is None and ind.view_node(reject) == reject
    seen_user = coa.view_node(user)
    assert seen_user is not None and seen_user.props["password_hash"] is None
    assert coa.view_node(run) == run
    assert Unrestricted().view_node(reject) == reject
    assert coa.access(ids.ind) == Access.PSEUDONYMISED and coa.access("Phone:nope") == Access.HIDDEN


def test_a_page_of_hundreds_of_nodes_is_judged_in_a_few_bulk_reads(
    embedded: EmbeddedStore, as_user: Context
) -> None:
    signals = [f"Signal:ind|IND-{n}" for n in range(50)]
    with embedded.writer() as w:
        w.upsert_nodes(
            "Signal",
            [
                {"source": "ind", "record_id": f"IND-{n}", "date": dt.date(2020, 1, 1),
                 "kind": "zacht", "theme": "overig", "raw": {}, "content_hash": "h", "file": "f",
                 "row": n, "batch_id": "B", "signals": [signals[n]]}
                for n in range(50)
            ],
        )  # fmt: skip
        w.upsert_nodes(
            "Phone",
            [{"e164": f"+3162{n:07d}", "signals": [signals[n % 50]]} for n in range(500)],
        )
    phones = [p for p in embedded.find_nodes("Phone") if p.props["e164"].startswith("+3162")]
    policy = as_user("coa.analyst").policy
    reads = 0
    original = embedded.get_nodes

    def counting(ids: Sequence[str], *, fields: Sequence[str] | None = None) -> dict[str, Node]:
        nonlocal reads
        reads += 1
        return original(ids, fields=fields)

    embedded.get_nodes = counting  # type: ignore[method-assign]
    start = time.perf_counter()
    seen = view_subgraph(policy, Subgraph(nodes={p.id: p for p in phones}))
    took = time.perf_counter() - start
    assert len(seen.nodes) == 500 and all(i.startswith("Phone:PHONE-") for i in seen.nodes)
    assert reads <= 3, reads
    assert took < 2.0, took
