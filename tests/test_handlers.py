"""The app's handlers without Gradio, and how every edge tells the person's errors from defects."""
from __future__ import annotations

from pathlib import Path

import pytest

from ui.handlers import AppSettings, Handlers, SearcherHolder


@pytest.fixture
def handlers(corpus_index, embedder, analyzer, tmp_path):
    settings = AppSettings(corpus_index, tmp_path / "uploads", tmp_path)
    return Handlers(settings, SearcherHolder(corpus_index, embedder, analyzer))


@pytest.fixture
def log(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "errors.log"
    monkeypatch.setenv("INSPECTION_SEARCH_LOG", str(path))
    return path


def test_search_and_its_filters_return_plain_values(handlers):
    html, data = handlers.search("SPO workload", "hybrid", "action_plan", 2022, 2022, "any", 5)
    assert 1 <= len(data["hits"]) <= 5 and all(h["year"] == 2022 for h in data["hits"])
    assert "<mark>" in html and all("path" not in h for h in data["hits"])  # the server path never leaves
    html, data = handlers.search("SPO workload", "hybrid", "any", 2030, 0, "any", 5)
    assert data["hits"] == [] and "No documents match the filters" in html


def test_a_persons_mistake_is_shown_as_its_line_and_not_logged(handlers, log):
    html, data = handlers.search("???", "hybrid", "any", 0, 0, "any", 5)
    assert "no letters or digits" in data["error"] and 'class="error"' in html
    _, count, _ = handlers.recommendations("maybe", 0, 0, "any", "", "any")
    assert "status must be one of" in count
    html, data = handlers.search("SPO", "hybrid", "any", "twenty", 0, "any", 5)
    assert "a year must be a whole number" in data["error"]
    assert not log.exists()


def test_a_defect_is_logged_with_its_traceback_and_named_as_internal(handlers, log, monkeypatch):
    from search.retrieval.searcher import Searcher

    def broken(self, *a, **k):
        raise KeyError("chunk row 7")  # a programming error, not advice

    monkeypatch.setattr(Searcher, "search", broken)
    html, data = handlers.search("SPO workload", "hybrid", "any", 0, 0, "any", 5)
    assert data["error"] == f"an internal error, logged at {log}"
    text = log.read_text()
    assert "Traceback" in text and "chunk row 7" in text and " search\n" in text
    out = handlers.ask("What are the four pillars of risk management?")
    assert out["json"]["error"].startswith("an internal error, logged at")


def test_recommendations_and_documents_rows(handlers, searcher):
    rows, count, path = handlers.recommendations("any", 0, 0, "any", "", "presentation")
    assert count == "8 recommendations" and Path(path).exists()
    assert all(r[3] == "report" and "per the action plan of 13 February 2025" in r[7] for r in rows)
    from ui.listings import document_lines

    lines = document_lines(searcher)  # what the Documents tab lists
    assert len(lines) == 5
    for line in lines:  # passages per document: the manifest's count, equal to the chunks
        assert line.passages == sum(1 for c in searcher.chunks if c.doc_id == line.doc_id)


def test_ask_and_source_without_a_browser(handlers):
    out = handlers.ask("What are the four pillars of risk management?")
    assert "Four Pillars" in out["html"] and out["choices"][0][1] == "1"
    passage = handlers.source("1", out["state"])
    assert "recommendation 5" in passage and "<mark>" in passage
    assert "no longer available" in handlers.source("9", out["state"])


def test_the_cli_logs_a_defect_and_exits_1(corpus_index, log, monkeypatch, capsys):
    import ui.cmd_search
    from ui.cli import main

    run = ui.cmd_search.run
    def broken(args):
        raise AttributeError("'NoneType' object has no attribute 'chunk'")

    monkeypatch.setattr(ui.cmd_search, "run", broken)
    code = main(["search", "SPO", "--index", str(corpus_index)])
    err = capsys.readouterr().err
    assert code == 1 and f"an internal error, logged at {log}" in err
    assert "Traceback" not in err and "NoneType" in log.read_text()
    monkeypatch.setattr(ui.cmd_search, "run", run)
    assert main(["search", "???", "--index", str(corpus_index)]) == 2  # the person's mistake: one line
    assert "no letters or digits" in capsys.readouterr().err
