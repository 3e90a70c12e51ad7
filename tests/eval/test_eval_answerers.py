"""``hoidap eval --answerer llm``: the language model and the extractive answerer side by side."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main

pytestmark = pytest.mark.e2e


def invoke(index_dir, *args):
    return CliRunner().invoke(main, ["--index-dir", str(index_dir), "eval", *map(str, args)])


def test_llm_answerer_needs_a_configured_server(corpus_settings, small_gold, tmp_path):
    result = invoke(corpus_settings.index_dir, "--gold", small_gold, "--answerer", "llm")
    assert result.exit_code == 2
    assert "HOIDAP_LLM" in result.output


def test_side_by_side_figures_with_a_hallucinating_model(
    service, corpus_settings, small_gold, llm_server, tmp_path, monkeypatch
):
    llm_server.script.mode = "hallucinate"
    monkeypatch.setenv("HOIDAP_LLM", "ollama")
    monkeypatch.setenv("HOIDAP_LLM_URL", llm_server.url)
    monkeypatch.setenv("HOIDAP_LLM_MODEL", "scripted")
    out = tmp_path / "out"
    result = invoke(
        corpus_settings.index_dir, "--gold", small_gold, "--answerer", "llm", "--out", out
    )
    assert result.exit_code == 0, result.output
    table = (out / "answerers.md").read_text(encoding="utf-8")
    assert table in result.output
    assert "| Chỉ số | extractive | llm |" in table
    support = next(line for line in table.splitlines() if "xác nhận" in line)
    assert support.split("|")[2].strip() == "–"  # the extractive answerer writes nothing to check
    assert 0 < float(support.split("|")[3]) < 1  # invented sentences were caught
    results = [json.loads(line) for line in (out / "results.jsonl").open(encoding="utf-8")]
    answered = [r for r in results if not r["refused"]]
    assert answered and all("2031" not in r["answer"] for r in answered)
    assert {r["answerer"] for r in answered} <= {"llm", "extractive", "structured"}
    assert json.loads((out / "metrics.json").read_text())["config"]["answerer"] == "llm"
