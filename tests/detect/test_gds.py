"""GDS Leiden (Neo4j) finds what igraph's Leiden finds, on the same projection.

Runs only when ``NEO4J_URI`` points at a Neo4j with the Graph Data Science
plugin (the docker-compose service has it); skipped otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sklearn.metrics import normalized_mutual_info_score  # type: ignore[import-untyped]

from tests.conftest import make_store
from tests.detect.test_communities import _labels, planted
from workbench.detect import DetectionError, gds_for
from workbench.detect.communities import communities

pytestmark = pytest.mark.neo4j


def test_gds_leiden_is_equivalent_to_igraph_leiden(tmp_path: Path) -> None:
    store = make_store("neo4j", tmp_path)  # skips without NEO4J_URI
    try:
        run = gds_for(store)
    except DetectionError as exc:
        pytest.skip(str(exc))
    g = planted(10, 20, p_in=0.4, p_out=0.01, seed=2)
    ours = communities(g, "leiden", objective="modularity", resolution=1.0, seed=1)
    theirs = run(g, 1.0, 1)
    truth = [v // 20 for v in range(g.vcount())]
    for found in (ours, theirs):
        assert normalized_mutual_info_score(truth, _labels(found, g.vcount())) > 0.95
    nmi = normalized_mutual_info_score(_labels(ours, g.vcount()), _labels(theirs, g.vcount()))
    assert nmi > 0.95
    store.close()
