"""Acceptance: the top cluster of a generated corpus, resolved and detected for real.

Every record id of every member (as ``workbench clusters`` lists them) must
appear in the PDF, the HTML and the JSON dossier.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import make_store
from tests.dossier.checks import check_html, check_json, pdf_text
from tests.dossier.conftest import INVESTIGATOR, REASON, Audit
from tests.views import clusters_json
from workbench.dossier.export import export_dossier
from workbench.generate import generate
from workbench.ingest import ingest


@pytest.mark.slow
def test_top_cluster_of_a_generated_corpus(tmp_path: Path) -> None:
    resolution = pytest.importorskip("workbench.resolve")
    detection = pytest.importorskip("workbench.detect.run")
    generate(tmp_path / "in", persons=150, seed=5)
    files = sorted(
        p for p in (tmp_path / "in").iterdir() if p.suffix in (".csv", ".jsonl", ".xlsx")
    )
    store = make_store("embedded", tmp_path / "home")
    ingest(store, files, operator="test")
    resolution.resolve(store)
    detection.detect(store)
    top = clusters_json(store, INVESTIGATOR, limit=1)["clusters"][0]
    records = {
        m["id"]: {f"{r['source']}:{r['record_id']}" for r in m["records"]} for m in top["members"]
    }
    assert top["size"] >= 3 and sum(map(len, records.values())) >= 5

    done = {
        fmt: export_dossier(
            store, top["id"], fmt=fmt, reason=REASON, policy=INVESTIGATOR, audit=Audit()
        ).content
        for fmt in ("pdf", "html", "json")
    }
    doc = check_json(done["json"])
    listed = {
        m["id"]: {f"{r['source']}:{r['record_id']}" for r in m["records"]} for m in doc["members"]
    }
    assert listed == records
    html = check_html(done["html"].decode("utf-8"))
    pages, pdf = pdf_text(done["pdf"])
    assert pages >= 3
    for record in set().union(*records.values()):
        assert record in html and record in pdf, record
    # A merged member's explanation shows each agreed value's share, as the UI does.
    shares = [
        c for person in doc["resolution"]["persons"] for link in person["pairs"]
        for c in link["contributions"] if c.get("frequency") is not None
    ]  # fmt: skip
    assert shares and "% of " in html
    store.close()
