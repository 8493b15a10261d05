"""A generated corpus shared by the generator's tests."""

from __future__ import annotations

import pytest

from tests.generate.corpus import Corpus, make_corpus


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """1,000 persons, seed 11: big enough for every kind of network and mess."""
    return make_corpus(tmp_path_factory.mktemp("corpus"), persons=1000, seed=11)


@pytest.fixture(scope="session")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return make_corpus(tmp_path_factory.mktemp("bad"), persons=400, seed=5, bad_rows=True)
