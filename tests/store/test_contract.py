"""The storage contract: every GraphStore operation, for every backend.

The same test bodies run against the embedded store and, when ``NEO4J_URI``
is set, against Neo4j (otherwise reported as skipped with the reason).
"""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.store import InvalidWrite, MissingEndpoint
from workbench.store.base import CypherStore

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '=HYPERLINK("http://evil.example","x")',
    "+SUM(1,2)",
    "@cmd|' /C calc'!A0",
    "' OR 1=1 --",
    "MATCH (n) DETACH DELETE n",
    '"}) MATCH (n) DETACH DELETE n //',
    "Robert'); DROP TABLE docs;--",
    "\u202egnp.exe",
    "محمد الحسن",
    "ሰላም ተስፋይ",
    "Zoë Ñúñez \U0001f600",
    "line one\r\nline two\n\ttabbed",
    "back\\slash $param {brace}",
]


def phone(e164: str, *signals: str) -> dict[str, object]:
    return {"e164": e164, "signals": list(signals) or ["Signal:s1"]}


def signal(record_id: str, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "source": "politie",
        "record_id": record_id,
        "date": dt.date(2015, 9, 14),
        "kind": "hard",
        "theme": "mensensmokkel",
        "raw": {"registratie_id": record_id},
        "content_hash": "h",
        "file": "politie_1.csv",
        "row": 1,
        "batch_id": "b1",
        "signals": [f"Signal:politie|{record_id}"],
    }
    row.update(extra)
    return row


def test_new_store_is_empty_and_schema_is_idempotent(store: CypherStore) -> None:
    store.ensure_schema()
    counts = store.counts()
    assert set(counts["nodes"]) == set(store.model.nodes)
    assert set(counts["edges"]) == set(store.model.edges)
    assert sum(counts["nodes"].values()) == 0 and sum(counts["edges"].values()) == 0


def test_upsert_nodes_creates_updates_and_is_idempotent(store: CypherStore) -> None:
    with store.writer() as w:
        first = w.upsert_nodes("Phone", [phone("+31612345678", "Signal:a"), phone("+31612345679")])
        again = w.upsert_nodes("Phone", [phone("+31612345678", "Signal:a")])
        grown = w.upsert_nodes("Phone", [phone("+31612345678", "Signal:b")])
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert (grown.created, grown.updated) == (0, 1)
    node = store.get_nodes(["Phone:+31612345678"])["Phone:+31612345678"]
    assert node.props["signals"] == ["Signal:a", "Signal:b"]  # provenance is a union
    assert store.counts()["nodes"]["Phone"] == 2


def test_duplicate_rows_in_one_batch_are_one_node(store: CypherStore) -> None:
    with store.writer() as w:
        res = w.upsert_nodes("Phone", [phone("+31612345678", "Signal:a")] * 3)
    assert res.created == 1
    assert store.counts()["nodes"]["Phone"] == 1


def test_every_property_type_round_trips(store: CypherStore) -> None:
    ts = dt.datetime(2015, 9, 14, 10, 32, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    row = signal(
        "PL-2015-1",
        timestamp=ts,
        indicators=["VERMIST", "SCHULD"],
        raw={"nested": {"list": [1, 2.5, None, "x"]}, "ok": True},
        row=7,
        arrival_date=dt.date(2015, 9, 12),
    )
    with store.writer() as w:
        w.upsert_nodes("Signal", [row])
    node = store.get_nodes(["Signal:politie|PL-2015-1"])["Signal:politie|PL-2015-1"]
    assert node.props["timestamp"] == ts  # the same instant ...
    assert node.props["timestamp"].utcoffset() == dt.timedelta(0)  # ... stored as UTC
    assert node.props["date"] == dt.date(2015, 9, 14)
    assert node.props["indicators"] == ["VERMIST", "SCHULD"]
    assert node.props["raw"] == {"nested": {"list": [1, 2.5, None, "x"]}, "ok": True}
    assert node.props["row"] == 7 and node.props["text"] is None


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_and_unicode_strings_are_stored_verbatim(store: CypherStore, text: str) -> None:
    with store.writer() as w:
        w.upsert_nodes("Signal", [signal("PL-2015-9", text=text, raw={"omschrijving": text})])
    node = store.get_nodes(["Signal:politie|PL-2015-9"])["Signal:politie|PL-2015-9"]
    assert node.props["text"] == text
    assert node.props["raw"] == {"omschrijving": text}
    assert store.counts()["nodes"]["Signal"] == 1  # nothing was executed


def test_very_long_text_is_stored_verbatim(store: CypherStore) -> None:
    text = "ä<b>" * 250_000  # 1 M characters
    with store.writer() as w:
        w.upsert_nodes("Signal", [signal("PL-2015-10", text=text)])
    assert (
        store.get_nodes(["Signal:politie|PL-2015-10"])["Signal:politie|PL-2015-10"].props["text"]
        == text
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"e164": "+31612345678", "signals": ["s"], "colour": "red"}, "unknown properties"),
        ({"e164": 31612345678, "signals": ["s"]}, "expects string"),
        ({"signals": ["s"]}, "key property"),
        ({"e164": "+31612345678"}, "required property 'signals'"),
    ],
)
def test_writes_that_do_not_fit_the_model_are_refused(
    store: CypherStore, row: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidWrite, match=message), store.writer() as w:
        w.upsert_nodes("Phone", [row])
    assert store.counts()["nodes"]["Phone"] == 0


def test_enum_and_timezone_rules_are_enforced(store: CypherStore) -> None:
    with pytest.raises(InvalidWrite, match="theme"), store.writer() as w:
        w.upsert_nodes("Signal", [signal("PL-1", theme="smuggling")])
    with pytest.raises(InvalidWrite, match="timezone"), store.writer() as w:
        w.upsert_nodes("Signal", [signal("PL-1", timestamp=dt.datetime(2015, 1, 1))])


def test_a_failed_write_rolls_back_the_whole_unit(store: CypherStore) -> None:
    with pytest.raises(MissingEndpoint), store.writer() as w:
        w.upsert_nodes("Phone", [phone("+31612345678")])
        w.upsert_edges(
            "HAS_DEVICE", [{"src": "Phone:+31612345678", "dst": "Device:1", "signals": ["s"]}]
        )
    assert store.counts()["nodes"]["Phone"] == 0
    assert store.search("31612345678") == []


def test_upsert_edges_checks_endpoints_and_is_idempotent(store: CypherStore) -> None:
    edge = {"src": "Phone:+31612345678", "dst": "Device:356938035643809", "signals": ["S:a"]}
    with store.writer() as w:
        w.upsert_nodes("Phone", [phone("+31612345678")])
        w.upsert_nodes("Device", [{"imei": "356938035643809", "signals": ["S:a"]}])
        assert w.upsert_edges("HAS_DEVICE", [edge, edge]).created == 1
        assert w.upsert_edges("HAS_DEVICE", [edge]).unchanged == 1
        assert w.upsert_edges("HAS_DEVICE", [{**edge, "signals": ["S:b"]}]).updated == 1
    [stored] = store.find_edges("HAS_DEVICE")
    assert (stored.src, stored.dst, stored.props["signals"]) == (
        "Phone:+31612345678",
        "Device:356938035643809",
        ["S:a", "S:b"],
    )
    with pytest.raises(InvalidWrite, match="not an allowed endpoint pair"), store.writer() as w:
        w.upsert_edges(
            "HAS_DEVICE",
            [{"src": "Device:356938035643809", "dst": "Phone:+31612345678", "signals": ["s"]}],
        )


def _star(store: CypherStore, n: int) -> None:
    """A facilitator mention with one phone used by ``n`` person mentions."""
    people = [
        {
            "source": "kmar",
            "record_id": f"KM-{i}",
            "role": "subject",
            "position": 0,
            "name": f"Person {i}",
            "signals": [f"Signal:kmar|KM-{i}"],
        }
        for i in range(n)
    ]
    with store.writer() as w:
        w.upsert_nodes("Phone", [phone("+905321234567")])
        w.upsert_nodes("PersonMention", people)
        w.upsert_edges(
            "HAS_PHONE",
            [
                {
                    "src": f"PersonMention:kmar|KM-{i}|subject|0",
                    "dst": "Phone:+905321234567",
                    "signals": ["s"],
                }
                for i in range(n)
            ],
        )


def test_find_nodes_and_edges(store: CypherStore) -> None:
    _star(store, 5)
    found = store.find_nodes("PersonMention", {"record_id": "KM-3"})
    assert [n.id for n in found] == ["PersonMention:kmar|KM-3|subject|0"]
    assert len(store.find_nodes("PersonMention", {"source": "kmar"}, limit=2)) == 2
    assert len(store.find_edges("HAS_PHONE", dst=["Phone:+905321234567"])) == 5
    assert len(store.find_edges("HAS_PHONE", src=["PersonMention:kmar|KM-1|subject|0"])) == 1
    assert store.get_nodes(["Phone:+0000", "Nope:1"]) == {}
    [slim] = store.find_nodes("PersonMention", {"record_id": "KM-3"}, fields=["source", "role"])
    assert slim.props == {"source": "kmar", "role": "subject"}
    with pytest.raises(InvalidWrite, match="no property"):
        store.find_nodes("PersonMention", fields=["no_such_field"])
    slim_by_id = store.get_nodes([slim.id, "PersonMention:none"], fields=["role"])
    assert {i: n.props for i, n in slim_by_id.items()} == {slim.id: {"role": "subject"}}
    with pytest.raises(InvalidWrite, match="no property"):
        store.get_nodes([slim.id], fields=["no_such_field"])


def test_find_values_are_find_nodes_as_rows(store: CypherStore) -> None:
    """Bare rows (id, then the fields in order) with the values find_nodes decodes."""
    _star(store, 3)
    made = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)
    link = {"decision_id": "a|b", "left": "a", "right": "b", "judgement": "suggested",
            "weight": 2.5, "score": 0.85, "author": "model", "created_at": made}  # fmt: skip
    with store.writer() as w:
        w.upsert_nodes("MatchDecision", [link])
    read = 0
    for label in store.model.nodes:
        fields = [f for f in store.model.node(label).properties if f != "id"]
        expected = [[n.id, *(n.props[f] for f in fields)] for n in store.find_nodes(label)]
        assert store.find_values(label, fields) == expected
        read += len(expected)
    assert read >= 5  # the mentions, their phone, a decision (float, datetime)
    [[_, weight, at]] = store.find_values("MatchDecision", ["weight", "created_at"])
    assert (weight, at) == (2.5, made)
    rows = store.find_values("PersonMention", ["role", "source"], {"record_id": "KM-2"})
    assert rows == [["PersonMention:kmar|KM-2|subject|0", "subject", "kmar"]]
    with pytest.raises(InvalidWrite, match="no property"):
        store.find_values("PersonMention", ["no_such_field"])


def test_find_nodes_pages_in_id_order(store: CypherStore) -> None:
    _star(store, 7)
    everything = [n.id for n in store.find_nodes("PersonMention")]
    pages, after = [], None
    while page := store.find_nodes("PersonMention", limit=3, after=after, fields=["role"]):
        pages.append([n.id for n in page])
        after = page[-1].id
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [i for p in pages for i in p] == sorted(everything)


def test_find_edges_skips_ends_without_edges_and_unknown_ids(store: CypherStore) -> None:
    """An end that exists but has no edge of the type, or does not exist, adds nothing:
    the query reads each end by its key and its edges by an optional match."""
    _star(store, 3)
    with store.writer() as w:
        w.upsert_nodes("Phone", [phone("+31612345678")])  # no edges at all
    used, unused = "Phone:+905321234567", "Phone:+31612345678"
    assert store.find_edges("HAS_PHONE", dst=[unused, "Phone:+999"]) == []
    into = store.find_edges("HAS_PHONE", dst=[unused, used])
    assert {(e.dst, len(e.props["signals"])) for e in into} == {(used, 1)} and len(into) == 3
    mentions = [n.id for n in store.find_nodes("PersonMention")]
    assert len(store.find_edges("HAS_PHONE", src=[*mentions, "PersonMention:nobody"])) == 3
    assert store.find_edges("RESOLVED_TO", src=mentions) == []


def test_find_edges_into_many_ids_reads_each_edge_once(store: CypherStore) -> None:
    _star(store, 5)
    phone = "Phone:+905321234567"
    assert len(store.find_edges("HAS_PHONE", dst=[phone, phone, phone])) == 5
    [first] = [n.id for n in store.find_nodes("PersonMention", limit=1)]
    assert len(store.find_edges("HAS_PHONE", src=[first, first])) == 1


def test_edge_ends_are_the_ends_of_find_edges(store: CypherStore) -> None:
    """The bulk read of a run: every edge of a type, as its ends, from every label pair."""
    _star(store, 4)
    with store.writer() as w:
        w.upsert_nodes(
            "FacilitatorMention",
            [
                {
                    "source": "kmar",
                    "record_id": "KM-0",
                    "position": 0,
                    "confidence": 1.0,
                    "signals": ["Signal:kmar|KM-0"],
                }
            ],
        )
        w.upsert_edges("HAS_PHONE", [{"src": "FacilitatorMention:kmar|KM-0|0",
                                      "dst": "Phone:+905321234567", "signals": ["s"]}])  # fmt: skip
    ends = store.edge_ends("HAS_PHONE")
    assert sorted(ends) == sorted((e.src, e.dst) for e in store.find_edges("HAS_PHONE"))
    assert len(ends) == 5 and all(isinstance(x, str) for end in ends for x in end)
    assert store.edge_ends("RESOLVED_TO") == []


def test_neighbourhood_depth_and_capped_expansion(store: CypherStore) -> None:
    _star(store, 30)
    one = store.neighbourhood(["PersonMention:kmar|KM-0|subject|0"], depth=1)
    assert set(one.nodes) == {"PersonMention:kmar|KM-0|subject|0", "Phone:+905321234567"}
    two = store.neighbourhood(["PersonMention:kmar|KM-0|subject|0"], depth=2, limit=10)
    assert len(two.nodes) == 10
    assert two.more == {"Phone:+905321234567": 21}  # "21 more" instead of a hairball
    assert all(e.src in two.nodes and e.dst in two.nodes for e in two.edges)
    full = store.neighbourhood(["Phone:+905321234567"], depth=1, limit=1000)
    assert len(full.nodes) == 31 and len(full.edges) == 30 and full.more == {}


def test_shortest_path(store: CypherStore) -> None:
    _star(store, 3)
    a, b = "PersonMention:kmar|KM-0|subject|0", "PersonMention:kmar|KM-2|subject|0"
    path = store.shortest_path(a, b)
    assert path is not None
    assert set(path.nodes) == {a, b, "Phone:+905321234567"} and len(path.edges) == 2
    with store.writer() as w:
        w.upsert_nodes("Phone", [phone("+31600000000")])
    assert store.shortest_path(a, "Phone:+31600000000") is None


def test_search_is_safe_and_finds_prefixes(store: CypherStore) -> None:
    with store.writer() as w:
        w.upsert_nodes(
            "Signal",
            [
                signal("PL-2015-20", text="Smokkelaar 'Abu Omar' belde vanaf Café Zoë"),
                signal("PL-2015-21", text='"}) OR * NEAR( <script>alert(1)</script>'),
            ],
        )
    assert [h.id for h in store.search("abu om")] == ["Signal:politie|PL-2015-20"]
    assert [h.id for h in store.search("cafe zoe")] == ["Signal:politie|PL-2015-20"]
    assert [h.id for h in store.search('"}) OR * NEAR(')] == ["Signal:politie|PL-2015-21"]
    assert store.search("script", labels=["Phone"]) == []
    assert store.search("   ") == []


def test_delete_removes_node_edges_and_search_hits(store: CypherStore) -> None:
    _star(store, 3)
    with store.writer() as w:
        assert w.delete_nodes(["PersonMention:kmar|KM-1|subject|0", "Phone:+1"]) == 1
    assert store.counts()["nodes"]["PersonMention"] == 2
    assert store.counts()["edges"]["HAS_PHONE"] == 2
    assert [h.id for h in store.search("Person 1")] == []


def test_update_with_a_property_null_in_every_row(store: CypherStore) -> None:
    """A batch where a typed property is null throughout must still update (and clear) it."""
    when = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    row = {"decision_id": "d1", "left": "a", "right": "b", "judgement": "same",
           "author": "x", "created_at": when}  # fmt: skip
    with store.writer() as w:
        w.upsert_nodes("MatchDecision", [row])
        w.upsert_nodes("MatchDecision", [{**row, "score": 0.5}])
        w.upsert_nodes("MatchDecision", [{**row, "deleted_at": when}])
    [node] = store.find_nodes("MatchDecision")
    assert node.props["score"] == 0.5 and node.props["deleted_at"] == when


def test_one_batch_updates_different_properties_of_different_rows(store: CypherStore) -> None:
    """An update writes only what changed, row by row: each row ends as merged, none
    loses a property another row of the batch changed (nodes and edges alike)."""
    when = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    rows = [{"decision_id": f"d{i}", "left": f"a{i}", "right": f"b{i}", "judgement": "suggested",
             "author": "model", "score": 0.5, "reason": "r", "created_at": when}
            for i in range(4)]  # fmt: skip
    with store.writer() as w:
        w.upsert_nodes("MatchDecision", rows)
        result = w.upsert_nodes(
            "MatchDecision",
            [{**rows[0], "score": 0.9},  # one property
             {**rows[1], "score": 0.1, "judgement": "same"},  # two
             {**rows[2], "reason": None},  # cleared
             rows[3]],  # unchanged
        )  # fmt: skip
    assert (result.updated, result.unchanged) == (3, 1)
    got = {n.props["decision_id"]: n.props for n in store.find_nodes("MatchDecision")}
    d0 = got["d0"]
    assert (d0["score"], d0["judgement"], d0["reason"]) == (0.9, "suggested", "r")
    assert (got["d1"]["score"], got["d1"]["judgement"]) == (0.1, "same")
    assert (got["d2"]["score"], got["d2"]["reason"]) == (0.5, None)
    assert got["d3"]["score"] == 0.5 and got["d3"]["reason"] == "r"
    _star(store, 3)  # edges with signals ["s"], no raw
    ends = [(f"PersonMention:kmar|KM-{i}|subject|0", "Phone:+905321234567") for i in range(3)]
    with store.writer() as w:
        w.upsert_edges(
            "HAS_PHONE",
            [{"src": ends[0][0], "dst": ends[0][1], "raw": "0532 123 45 67", "signals": ["s"]},
             {"src": ends[1][0], "dst": ends[1][1], "signals": ["t"]}],
        )  # fmt: skip
    after = {(e.src, e.dst): e.props for e in store.find_edges("HAS_PHONE")}
    assert (after[ends[0]]["raw"], after[ends[0]]["signals"]) == ("0532 123 45 67", ["s"])
    assert (after[ends[1]]["raw"], sorted(after[ends[1]]["signals"])) == (None, ["s", "t"])
    assert (after[ends[2]]["raw"], after[ends[2]]["signals"]) == (None, ["s"])


def test_delete_edges_from_leaves_the_nodes(store: CypherStore) -> None:
    _star(store, 3)
    with store.writer() as w:
        w.delete_edges_from("HAS_PHONE", ["PersonMention:kmar|KM-1|subject|0", "Phone:+1"])
    assert store.counts()["edges"]["HAS_PHONE"] == 2
    assert store.counts()["nodes"]["PersonMention"] == 3
    with store.writer() as w:  # nothing left to delete: a no-op, not an error
        w.delete_edges_from("HAS_PHONE", ["PersonMention:kmar|KM-1|subject|0"])
    assert store.counts()["edges"]["HAS_PHONE"] == 2


def test_subgraph_for_analysis(store: CypherStore) -> None:
    _star(store, 4)
    sub = store.subgraph_for_analysis(node_labels=["PersonMention"], edge_types=["HAS_PHONE"])
    assert len(sub.nodes) == 4 and len(sub.edges) == 4


def test_reader_refuses_writes(store: CypherStore) -> None:
    with pytest.raises(InvalidWrite, match="reader"), store.reader():
        store.upsert_nodes("Phone", [phone("+31612345678")])


def test_edges_of_nodes_created_in_the_same_unit_merge_correctly(store: CypherStore) -> None:
    """Nodes created in the open unit skip the stored-edge lookup; re-upserts must still merge."""
    edge = {"src": "Phone:+31612345678", "dst": "Device:356938035643809", "signals": ["S:a"]}
    with store.writer() as w:
        w.upsert_nodes("Phone", [phone("+31612345678")])
        w.upsert_nodes("Device", [{"imei": "356938035643809", "signals": ["S:a"]}])
        assert w.upsert_edges("HAS_DEVICE", [edge]).created == 1
        again = w.upsert_edges("HAS_DEVICE", [{**edge, "signals": ["S:b"]}])
        assert (again.created, again.updated) == (0, 1)
    [stored] = store.find_edges("HAS_DEVICE")
    assert stored.props["signals"] == ["S:a", "S:b"]


@pytest.mark.parametrize("rows", [1, 10**9])  # one unit on the store / staged (embedded)
def test_a_staged_run_commits_its_units_together_or_not_at_all(
    store: CypherStore, rows: int
) -> None:
    phone = {"e164": "+31600000001", "signals": ["s"]}
    with pytest.raises(RuntimeError, match="boom"), store.staged(rows=rows):
        with store.writer() as w:
            w.upsert_nodes("Phone", [phone])
        with store.writer() as w:
            w.upsert_nodes("Phone", [{**phone, "e164": "+31600000002"}])
        assert len(store.find_nodes("Phone")) == 2  # the run reads its own writes
        raise RuntimeError("boom")
    assert store.find_nodes("Phone") == []
    with store.staged(rows=rows):  # other keys: see test_staged's LadybugDB rollback test
        for number in ("+31600000003", "+31600000004"):
            with store.writer() as w:
                w.upsert_nodes("Phone", [{**phone, "e164": number}])
    assert len(store.find_nodes("Phone")) == 2
