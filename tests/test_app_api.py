"""The app's API endpoints, called with gradio_client against the launched app on 127.0.0.1."""
from __future__ import annotations

import csv

import pytest
from conftest import free_port

pytest.importorskip("gradio_client")

PILLARS = "What are the four pillars of risk management?"



@pytest.fixture(scope="module")
def app_url(corpus_index, embedder, analyzer, tmp_path_factory):
    from ui.app import build_app, launch_app

    uploads = tmp_path_factory.mktemp("api-uploads")
    demo = build_app(corpus_index, uploads_dir=uploads, embedder=embedder, analyzer=analyzer, warm=False)
    port = free_port()
    launch_app(demo, port=port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture(scope="module")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


def test_only_the_documented_endpoints_are_public(client):
    info = client.view_api(print_info=False, return_format="dict")
    names = set(info["named_endpoints"])
    assert {"/ask", "/search", "/recommendations", "/recurring"} <= names
    assert not any("upload" in n for n in names)  # writing to the index is not an API


def test_ask_endpoint_answers_with_citations(client):
    html, sources, passage, data = client.predict(PILLARS, api_name="/ask")
    assert data["mode"] == "extractive" and not data["declined"]
    assert "Four Pillars" in data["text"] and "[1]" in data["text"]
    first = data["citations"][0]
    assert first["marker"] == 1 and first["rec_no"] == 5 and first["year"] == 2022
    assert "Four Pillars" in html and 'class="cite"' in html
    assert "recommendation 5" in html


def test_ask_endpoint_declines_and_reports_bad_input(client):
    *_, data = client.predict("What is the contract value for electronic monitoring tags?", api_name="/ask")
    assert data["declined"] is True and data["citations"] == []
    html, *_rest, data = client.predict("   ", api_name="/ask")
    assert "Type a question" in html and "error" in data


def test_ask_endpoint_applies_filters(client):
    *_, data = client.predict(PILLARS, "action_plan", 2022, 2022, "any", api_name="/ask")
    assert not data["declined"] and data["citations"]
    assert all(c["year"] == 2022 and c["doc_type"] == "action_plan" for c in data["citations"])
    *_, data = client.predict(PILLARS, "strategy", 2030, 0, "any", api_name="/ask")
    assert data["declined"] and "No indexed document matches the filters" in data["text"]


def test_search_endpoint_applies_filters(client):
    html, data = client.predict("SPO workload", "hybrid", "action_plan", 2022, 2022, "any", 5, api_name="/search")
    hits = data["hits"]
    assert 1 <= len(hits) <= 5
    assert all(h["doc_type"] == "action_plan" and h["year"] == 2022 for h in hits)
    assert "<mark>" in html
    _, data = client.predict("SPO workload", "bm25", "any", 0, 0, "any", 3, api_name="/search")
    assert len(data["hits"]) == 3 and {h["year"] for h in data["hits"]} - {2022} != set() or len(data["hits"]) == 3
    _, data = client.predict("SPO workload", "hybrid", "any", 2030, 0, "any", 5, api_name="/search")
    assert data["hits"] == []


def test_recommendations_endpoint_filters_and_exports_csv(client):
    rows, count, path = client.predict("Partly Agreed", 0, 0, "any", "", "any", api_name="/recommendations")
    n = int(count.split()[0])
    assert n >= 1 and len(rows["data"]) == n
    assert all(r[2] == "Partly Agreed" for r in rows["data"])
    with open(path, newline="", encoding="utf-8") as f:
        exported = list(csv.DictReader(f))
    assert len(exported) == n and {r["effective_status"] for r in exported} == {"Partly Agreed"}
    # the slide deck's recommendations carry the status of the plan rows that answer them
    rows, count, _ = client.predict("any", 0, 0, "any", "", "presentation", api_name="/recommendations")
    assert int(count.split()[0]) == 8
    assert sorted(r[2] for r in rows["data"]) == ["Agreed"] * 5 + ["Partly Agreed"] * 3
    assert all("per the action plan of 13 February 2025" in r[7] for r in rows["data"])


def test_recurring_endpoint_returns_threads_and_csv(client):
    rows, plot, msg, path = client.predict("workload measurement tool", api_name="/recurring")
    assert "recurring thread" in msg and rows["data"]
    assert any("workload measurement tool" in r[0].lower() for r in rows["data"])
    with open(path, newline="", encoding="utf-8") as f:
        exported = list(csv.DictReader(f))
    assert len({r["year"] for r in exported}) >= 2
