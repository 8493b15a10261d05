"""Every page with Streamlit's AppTest: renders, reads the store, handles session state."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.accounts import OWNER, add_accounts
from tests.ui.apptest import SEARCH, app, links, texts
from tests.ui.corpus import HOSTILE_PERSON, HOSTILE_SIGNAL, XSS_NAME, XSS_WORD, Corpus
from workbench.store.base import CypherStore
from workbench.ui.views.review import side_by_side
from workbench.watch.book import NewHit, WatchBook
from workbench.watch.items import parse_item


def test_search_lists_hits_with_links(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(home, monkeypatch, SEARCH, user=OWNER, q=XSS_WORD)  # politie's own (soft) record
    assert at.title[0].value == "Search"
    assert any(label.startswith("Person") for label in links(at))
    at.text_input[0].input("zzzz-nothing")
    at.button[0].click().run()
    assert "Nothing matches" in texts(at)


def test_entity_page_and_annotation_in_session(
    home: Path, monkeypatch: pytest.MonkeyPatch, corpus: Corpus
) -> None:
    at = app(home, monkeypatch, "views/entity.py", user=OWNER, id=HOSTILE_PERSON)
    assert "script" in at.title[0].value and "\\<script\\>" in at.title[0].value  # escaped
    assert XSS_NAME in texts(at) or any(XSS_NAME in str(d.value) for d in at.dataframe)
    at.text_area[0].input("seen at the azc twice")
    at.text_input[0].input("azc, follow-up")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    assert "seen at the azc twice" in texts(at)


def test_entity_page_without_id_explains_itself(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(home, monkeypatch, "views/entity.py")
    assert "Open a person" in texts(at)
    at = app(home, monkeypatch, "views/entity.py", id="Person:nobody")
    assert at.error and "nothing with id" in at.error[0].value


def test_network_page_shows_the_panel(
    home: Path, monkeypatch: pytest.MonkeyPatch, corpus: Corpus
) -> None:
    seed = corpus.members[corpus.clusters[0]][0]
    at = app(home, monkeypatch, "views/network.py", id=seed)
    assert at.session_state["net-seed"] == seed and at.session_state["net-selected"] == seed
    assert [b.label for b in at.button if b.key == "expand-selected"]
    at.button(key="expand-selected").click().run()
    assert at.session_state["net-expanded"] == [seed]
    at.slider[1].set_value(40).run()
    assert not at.exception


def test_cluster_list_and_view(home: Path, monkeypatch: pytest.MonkeyPatch, corpus: Corpus) -> None:
    at = app(home, monkeypatch, "views/clusters.py")
    assert at.dataframe[0].value["cluster"].tolist()[0] == 1
    assert "Click a row to open its cluster." in texts(at)
    at = app(home, monkeypatch, "views/clusters.py", id=corpus.clusters[0])
    assert at.title[0].value == "Cluster 1"
    assert [m.value for m in at.metric][:2] == ["9.0", str(len(corpus.members[corpus.clusters[0]]))]
    assert not at.warning  # tabs are lazy: the suggestions have not run
    at.session_state[f"tabs-{corpus.clusters[0]}"] = "Suggestions"
    at.run()
    assert at.warning and "Suggestions, not findings" in at.warning[0].value
    at.session_state[f"tabs-{corpus.clusters[0]}"] = "What if"
    at.run()  # the key players and removal by betweenness, each with its effect per step
    assert not at.exception and len(at.dataframe) == 2
    assert list(at.dataframe[0].value.columns)[:2] == ["remove", "role"]
    first = corpus.clusters[0]
    at.session_state[f"tabs-{first}"] = f"Members ({len(corpus.members[first])})"
    at.run()
    assert any(c.value.startswith("why broker\\: links 2 clusters") for c in at.caption)
    at.session_state[f"tabs-{corpus.clusters[0]}"] = "Lineage and export"
    at.run()  # a joint-team analyst: the lineage's Jaccard is withheld (pseudonymised inputs)
    assert not at.exception and any("previous" in label for label in links(at)), links(at)


def test_review_offers_only_pairs_the_viewer_reads_in_full(
    home: Path, monkeypatch: pytest.MonkeyPatch, loaded: tuple[CypherStore, Corpus]
) -> None:
    """A joint-team analyst reads partners' soft records pseudonymised: such pairs are
    counted per owner with a request for release, never offered for a decision; once the
    owners release the records, the pair is offered."""
    at = app(home, monkeypatch, "views/review.py")
    notice = " ".join(i.value for i in at.info)
    assert "Pairs you cannot judge yet" in notice, notice
    assert "Send request" in [b.label for b in at.button]
    assert "Same person" not in [b.label for b in at.button]

    from workbench.resolve import review_candidates
    from workbench.security.releases import ReleaseBook

    pairs = review_candidates(loaded[0])
    signals = {"Signal:" + m.partition(":")[2].rsplit("|", 2)[0]
               for link, _ in pairs for m in link.partition("model:")[2].split("~")}  # fmt: skip
    book = ReleaseBook(home)
    for s in signals:
        book.add(s, owner=s.partition(":")[2].partition("|")[0], to="joint", by="test")
    try:
        at = app(home, monkeypatch, "views/review.py")
        buttons = [
            b for b in at.button if b.label in ("Same person", "Different persons", "Unsure")
        ]
        assert [b.label for b in buttons] == ["Same person", "Different persons", "Unsure"]
        assert all(b.disabled for b in buttons)  # not before a reason is given
    finally:
        for s in signals:
            book.revoke(s, by="test")


def test_alerts_triage_moves_an_alert(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(home, monkeypatch, "views/alerts.py")
    before = len(at.get("page_link"))
    assert before >= 1
    at.button[0].click().run()
    assert not at.exception
    assert len(at.get("page_link")) == before  # moved from new to seen, both shown


def test_pages_on_an_empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "empty"
    add_accounts(home)
    assert "No signals loaded yet" in texts(app(home, monkeypatch))
    assert "No detection run yet" in texts(app(home, monkeypatch, "views/clusters.py"))
    assert "No detection run yet" in texts(app(home, monkeypatch, "views/alerts.py"))
    review = app(home, monkeypatch, "views/review.py")
    assert review.info[0].value == "Nothing to review: no near-threshold pairs are waiting."
    app(home, monkeypatch, "views/network.py")


def test_side_by_side_shows_only_filled_fields() -> None:
    from workbench.query import Ref, ReviewPair

    ref = Ref("PersonMention:x", "PersonMention", "Person mention", "X")
    pair = ReviewPair(ref, ref, {"name": "A", "sex": None}, {"name": "B"}, [], [], 0.6, 1.0, [], 2)
    assert side_by_side(pair) == [{"field": "name", "left": "A", "right": "B"}]


def test_a_verdict_recorded_on_the_cluster_page_shows_at_its_head(
    home: Path, monkeypatch: pytest.MonkeyPatch, corpus: Corpus
) -> None:
    cluster_id = corpus.clusters[1]
    at = app(home, monkeypatch, "views/clusters.py", id=cluster_id)
    assert "Ranked by the hand-set score" in texts(at) and not at.info
    at.selectbox(key=f"verdict-choice-{cluster_id}").select("benign")
    at.text_input(key=f"verdict-reason-{cluster_id}").input("<b>all called the helpdesk</b>")
    at.button(key=f"FormSubmitter:verdict-{cluster_id}-Record verdict").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    [shown] = [i.value for i in at.info if "Verdict\\: benign by joint\\.analyst" in i.value]
    assert "\\<b\\>all called the helpdesk\\</b\\>" in shown  # stored verbatim, shown as text


def test_desk_shows_a_watch_hit_and_opens_it(
    home: Path, monkeypatch: pytest.MonkeyPatch, corpus: Corpus
) -> None:
    """The start page: a new hit on a saved search, the review queue, the latest run."""
    at = app(home, monkeypatch, user=OWNER)
    assert at.title[0].value == "Your desk"
    assert "You watch nothing yet." in texts(at)
    book = WatchBook(home)
    made, _ = book.add(OWNER, parse_item("bezoek aan azc", "search"))
    book.record([NewHit(made.id, HOSTILE_SIGNAL, "matches", HOSTILE_SIGNAL, "politie",
                        "2026-05-12")], cause="load")  # fmt: skip
    at.run()
    assert "a new Politie (AVIM) signal of 12 May 2026 matches your search" in texts(at)
    assert "Open the signal" in " ".join(links(at))
    assert any("Review queue" in label for label in links(at))
    at.button(key=f"dismiss-{book.hits(OWNER)[0].id}").click().run()
    assert not at.exception and "Nothing new on what you watch." in texts(at)
