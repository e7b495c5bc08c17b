"""Shared fixtures: the real model (one per session) and a real index of the shipped corpus.

Every test that writes gets its own `tmp_path`; nothing is written into the repository.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.embedding.model import offline

offline()  # no test may reach a model hub

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
QUERIES = REPO / "eval" / "queries.jsonl"


def free_port() -> int:
    """A free TCP port on loopback, for a test server or app."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def embedder():
    """The real all-MiniLM-L6-v2, loaded once for the whole session."""
    from indexer.embedding.embedder import default_embedder

    return default_embedder()


@pytest.fixture(scope="session")
def analyzer():
    from indexer.text.analyzer import Analyzer

    return Analyzer.default()


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, embedder, analyzer) -> Path:
    """A real index of the shipped corpus on disk, built once per session. Treat it as read-only."""
    from indexer.build import build_index

    index_dir = tmp_path_factory.mktemp("corpus-index") / "index"
    report = build_index([CORPUS], index_dir, embedder=embedder, analyzer=analyzer)
    assert report.total_documents == 5 and not report.skipped, report
    return index_dir


@pytest.fixture(scope="session")
def searcher(corpus_index, embedder, analyzer):
    from search.retrieval.searcher import Searcher

    return Searcher(corpus_index, embedder=embedder, analyzer=analyzer)


# Fixtures that load the real model or build a real index: a test using one is marked `model`, so
# `make test-fast` (-m "not model and not browser and not slow") leaves it out.
MODEL_FIXTURES = {"embedder", "corpus_index", "searcher"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never a browser Playwright downloads), one per test module;
    the module's tests are skipped where either is missing."""
    import app_pages

    if not app_pages.CHROMIUM.exists():
        pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(app_pages.CHROMIUM), args=app_pages.CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
