"""An incremental run after new mentions joined an oversized name block equals a full run.

Blocking is not stable under insertion: a block that grows past
``max_block`` is paired by sorted neighbourhood instead of in full, and a
mention inserted into a sorted block pushes two old neighbours out of each
other's window. A full run no longer compares those old pairs; the
incremental run must drop their stored links as well (ADR 0002, seventh round).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from workbench.detect.results import outcome
from workbench.ingest import ingest
from workbench.resolve import resolve, service
from workbench.resolve.pipeline import cluster
from workbench.store.base import CypherStore

from ..conftest import copy_home, make_store
from .conftest import politie_csv

Row = dict[str, str]


def _namesakes(prefix: str, count: int, persons: int, rnd: random.Random) -> list[Row]:
    """``count`` police rows of ``persons`` Eritrean men named alike, born in 1987.

    Each person has his own birth day; spellings vary a little, so the rows
    share the name-and-year block but not every finer one.
    """
    rows = []
    for i in range(count):
        p = rnd.randrange(persons)
        rows.append(
            {
                "registratie_id": f"PL-2016-{prefix}{i:04d}",
                "datum": f"2016-0{1 + i % 9}-1{i % 10}",
                "signaalsoort": "zacht",
                "thema": "overig",
                "achternaam": rnd.choice(["GEBREMESKEL", "GEBREMESKEL", "GEBREMESKAL"]),
                "voornaam": rnd.choice(["Tesfalidet", "Tesfalidet", "Tesfaledet"]),
                "geboortedatum": f"1987-{1 + p * 5 % 12:02d}-{1 + p * 7 % 28:02d}",
                "nationaliteit": "ERI",
                "geslacht": "M",
                "locatie": "Assen",
            }
        )
    return rows


def _links(store: CypherStore) -> dict[tuple[str, str], float]:
    return {
        (d.props["left"], d.props["right"]): d.props["weight"]
        for d in store.find_nodes("MatchDecision", {"judgement": "suggested"})
    }


@pytest.mark.parametrize(
    ("seed", "first", "more", "persons"),
    [
        pytest.param(1, 28, 5, 10, id="a block crosses max_block"),
        pytest.param(3, 45, 6, 12, id="an oversized block's windows shift"),
    ],
)
def test_new_mentions_in_a_name_block_resolve_as_a_full_run(
    resolved_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    first: int,
    more: int,
    persons: int,
) -> None:
    """Persons and stored links equal a full run's, and so do the link weights the
    incremental run clusters on (a stored weight is its explanation's total)."""
    clustered: list[dict[tuple[str, str], float]] = []

    def recording(records: Any, links: dict[tuple[str, str], float], *a: Any, **k: Any) -> Any:
        clustered.append(dict(links))
        return cluster(records, links, *a, **k)

    monkeypatch.setattr(service, "cluster", recording)
    rnd = random.Random(seed)
    store = make_store("embedded", copy_home(resolved_home, tmp_path / "incremental"))
    ingest(store, [politie_csv(tmp_path / "a.csv", _namesakes("A", first, persons, rnd))])
    resolve(store)
    store.close()
    copy_home(tmp_path / "incremental", tmp_path / "full")
    delivery = politie_csv(tmp_path / "b.csv", _namesakes("B", more, persons, rnd))
    results = []
    for home, full in (("incremental", False), ("full", True)):
        store = make_store("embedded", tmp_path / home)
        ingest(store, [delivery])
        report = resolve(store, full=full)
        assert report.mode == home
        results.append((outcome(store).persons, _links(store)))
        store.close()
    (incremental, incremental_links), (whole, whole_links) = results
    read, full_read = clustered[-2:]
    assert read and {p: full_read[p] for p in read} == read
    assert set(incremental_links) - set(whole_links) == set(), "links a full run does not have"
    assert incremental_links == whole_links
    assert incremental == whole
