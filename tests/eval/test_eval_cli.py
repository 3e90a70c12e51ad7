"""``hoidap eval`` through click: reports written, --fail-under exit codes, --compare output."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main
from eval.cli import gate_failures, parse_threshold


def invoke(index_dir, *args):
    runner = CliRunner()
    return runner.invoke(main, ["--index-dir", str(index_dir), "eval", *map(str, args)])


def test_threshold_parsing():
    assert parse_threshold("HIT@5=0.9") == ("hit@5", 0.9)
    assert parse_threshold(" mrr@10 = 0.5") == ("mrr@10", 0.5)
    assert parse_threshold("latency_p95_ms=500") == ("latency_p95_ms", 500.0)
    for bad in ("hit@5", "hit@7=0.9", "hit@5=cao", "hit@5=1.5", "false_refusal_rate=2"):
        with pytest.raises(Exception) as info:
            parse_threshold(bad)
        assert info.type.__name__ == "BadParameter", bad


def test_gate_failures_name_metric_value_and_threshold():
    overall = {"hit@5": 0.85, "mrr@10": 0.7, "citation_precision": None}
    assert gate_failures(overall, [("hit@5", 0.8), ("mrr@10", 0.7)]) == []
    problems = gate_failures(overall, [("hit@5", 0.9), ("citation_precision", 0.5)])
    assert problems[0] == "Chỉ số hit@5 = 0.850 thấp hơn ngưỡng 0.900."
    assert "citation_precision" in problems[1] and "không tính được" in problems[1]
    lower = gate_failures({"false_refusal_rate": 0.1}, [("false_refusal_rate", 0.05)])
    assert lower == ["Chỉ số false_refusal_rate = 0.100 cao hơn ngưỡng 0.050."]
    assert gate_failures({"false_refusal_rate": 0.01}, [("false_refusal_rate", 0.05)]) == []


def test_usage_errors_exit_2_before_anything_runs(corpus_settings, small_gold, tmp_path):
    result = invoke(corpus_settings.index_dir, "--gold", small_gold, "--fail-under", "hit@5")
    assert result.exit_code == 2
    assert "CHỈ_SỐ=GIÁ_TRỊ" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\nkhông phải json\n', encoding="utf-8")
    result = invoke(corpus_settings.index_dir, "--gold", bad, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "Dòng 1:" in result.output and "Dòng 2:" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.e2e
def test_fail_under_and_compare(service, corpus_settings, small_gold_items, gold_writer, tmp_path):
    gold = gold_writer(tmp_path / "gold.jsonl", small_gold_items)
    first = invoke(
        corpus_settings.index_dir,
        "--gold", gold, "--out", tmp_path / "a", "--retriever", "bm25",
        "--fail-under", "hit@5=0", "--fail-under", "refusal_accuracy=0.5",
    )  # fmt: skip
    assert first.exit_code == 0, first.output
    assert "Đã đánh giá 6 câu hỏi (bm25)" in first.output
    assert {p.name for p in (tmp_path / "a").iterdir()} >= {
        "results.jsonl", "metrics.json", "report.md", "report.html", "latency.png"
    }  # fmt: skip

    # a key fact no answer can contain: key-fact recall is 0 for that question
    small_gold_items[0]["key_facts"] = ["cụm từ không hề có trong văn bản nào"]
    small_gold_items[1]["key_facts"] = []
    small_gold_items[2]["key_facts"] = []
    small_gold_items[3]["key_facts"] = []
    gold = gold_writer(tmp_path / "gold2.jsonl", small_gold_items)
    second = invoke(
        corpus_settings.index_dir,
        "--gold", gold, "--out", tmp_path / "b", "--compare", tmp_path / "a",
        "--fail-under", "key_fact_recall=0.5", "--fail-under", "hit@5=0",
    )  # fmt: skip
    assert second.exit_code == 1
    assert "Không đạt: Chỉ số key_fact_recall = 0.000 thấp hơn ngưỡng 0.500." in second.output
    assert "hit@5 =" not in second.output.split("Không đạt:", 1)[1]
    # the comparison is printed and written, and the run is kept despite the failed gate
    assert "## So sánh: a (bm25) → b (hybrid)" in second.output
    report = (tmp_path / "b" / "report.md").read_text(encoding="utf-8")
    assert "## So sánh: a (bm25) → b (hybrid)" in report
    assert '<table class="comparison">' in (tmp_path / "b" / "report.html").read_text("utf-8")
    metrics = json.loads((tmp_path / "b" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["overall"]["key_fact_recall"] == 0.0
