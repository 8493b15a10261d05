"""The Cases page with AppTest: a member sees the case and its notices; nobody else sees it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.accounts import ANALYST, OWNER
from tests.ui.apptest import app, links, texts
from tests.ui.corpus import Corpus
from workbench.config import Settings
from workbench.security import session_for
from workbench.security.casework import open_case
from workbench.ui.text import md

NAME = "<script>alert(1)</script> Operatie Noord"


def test_cases_page_list_case_page_and_refusal(
    home: Path, monkeypatch: pytest.MonkeyPatch, corpus: Corpus
) -> None:
    ctx = session_for(Settings(home=home), OWNER)
    case = open_case(ctx, NAME, regime="wpg", purpose="the ring")
    ctx.cases.add_items(case.id, [corpus.clusters[0]], by=OWNER)

    at = app(home, monkeypatch, "views/cases.py", user=OWNER)
    assert at.title[0].value == "Cases"
    assert any(md(case.id) in label for label in links(at))
    at = app(home, monkeypatch, "views/cases.py", user=OWNER, id=case.id)
    assert "\\<script\\>" in at.title[0].value  # the name is shown as text
    assert "the ring" in texts(at)
    assert any("Cluster" in label for label in links(at))

    at = app(home, monkeypatch, "views/cases.py", user=ANALYST, id=case.id)
    assert at.error and "no case" in at.error[0].value
    at = app(home, monkeypatch, "views/cases.py", user=ANALYST)
    assert not any(md(case.id) in label for label in links(at))
