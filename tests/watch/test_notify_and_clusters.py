"""The optional notifier (off unless configured, never content) and cluster watches by lineage."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

from workbench.store.base import CypherStore
from workbench.watch.book import WatchBook
from workbench.watch.items import parse_item
from workbench.watch.notify import notify
from workbench.watch.scan import baseline, raise_hits


def test_notifier_is_off_unless_configured_and_sends_only_a_count(tmp_path: Path) -> None:
    book = WatchBook(tmp_path)
    watch, _ = book.add("coa.analyst", parse_item("06-12345678"))
    book.record([], cause="load")
    from workbench.watch.book import NewHit

    made = book.record([NewHit(watch.id, "Signal:ind|IND-1", "mentions", "Signal:ind|IND-1",
                               "ind", "2026-05-12")], cause="load")  # fmt: skip
    hits = book.hits(ids=made)
    assert notify(tmp_path, hits) == 0  # no notify.toml: nothing leaves the machine

    received: list[dict[str, Any]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.handle_request, daemon=True).start()
    (tmp_path / "notify.toml").write_text(
        f'[webhook]\nurl = "http://127.0.0.1:{server.server_port}/hook"\n', encoding="utf-8"
    )
    assert notify(tmp_path, hits) == 1
    server.server_close()
    assert received == [{"user": "coa.analyst", "new_hits": 1}]


def test_a_cluster_watch_follows_lineage_and_hits_on_growth_once(
    embedded: CypherStore, tmp_path: Path
) -> None:
    home = tmp_path / "gov"
    with embedded.writer() as w:
        w.upsert_nodes("Cluster", [
            {"run_id": f"R{r}", "number": n, "score": 1.0}
            for r, n in ((1, 1), (2, 4), (3, 2))
        ])  # fmt: skip
    book = WatchBook(home)
    watch, _ = book.add("coa.analyst", parse_item("Cluster:R1|1"))
    baseline(embedded, book, watch)
    with embedded.writer() as w:
        w.upsert_edges("LINEAGE", [{"src": "Cluster:R2|4", "dst": "Cluster:R1|1",
                                    "relation": "same", "jaccard": 1.0}])  # fmt: skip
    assert raise_hits(embedded, home, cause="detect") == []  # same members: no hit
    assert book.watches()[0].following == ("Cluster:R2|4",)
    with embedded.writer() as w:
        w.upsert_edges("LINEAGE", [{"src": "Cluster:R3|2", "dst": "Cluster:R2|4",
                                    "relation": "grown", "jaccard": 0.5}])  # fmt: skip
    assert len(raise_hits(embedded, home, cause="detect")) == 1
    assert raise_hits(embedded, home, cause="detect") == []  # once per fact
    [hit] = book.hits("coa.analyst")
    assert (hit.fact, hit.detail) == ("Cluster:R3|2", "grown")
