"""Comparing two runs: side-by-side metrics, signs of the differences, changed questions."""

from __future__ import annotations

import json

import pytest

from eval.compare import RunData, compare, load_run
from eval.report import comparison_html, comparison_markdown
from hoidap.errors import InputError


def run(name, *, hit5, false_refusal, p50, by_type, per_question):
    return RunData(
        name=name,
        metrics={
            "overall": {
                "n": 2,
                "hit@5": hit5,
                "false_refusal_rate": false_refusal,
                "latency_p50_ms": p50,
            },
            "by_type": by_type,
        },
        results=tuple(
            {"id": qid, "type": "agency", "question": f"câu {qid}", "metrics": values}
            for qid, values in per_question.items()
        ),
    )


BEFORE = run(
    "cũ (bm25)",
    hit5=0.5,
    false_refusal=0.25,
    p50=40.0,
    by_type={"agency": {"hit@5": 0.5}, "deadline": {"hit@5": 1.0}},
    per_question={"q1": {"hit@5": 1.0}, "q2": {"hit@5": 0.0}, "q3": {"hit@5": 1.0}},
)
AFTER = run(
    "mới (hybrid)",
    hit5=0.75,
    false_refusal=0.5,
    p50=30.0,
    by_type={"agency": {"hit@5": 1.0}, "metadata": {"hit@5": 0.0}},
    per_question={"q1": {"hit@5": 1.0}, "q2": {"hit@5": 1.0}, "q4": {"hit@5": 0.0}},
)


def test_overall_rows_differences_and_direction():
    comparison = compare(BEFORE, AFTER)
    rows = {row.metric: row for row in comparison.overall}
    assert rows["hit@5"].diff == pytest.approx(0.25) and rows["hit@5"].improved is True
    assert rows["false_refusal_rate"].improved is False  # more false refusals is worse
    assert rows["latency_p50_ms"].diff == -10.0 and rows["latency_p50_ms"].improved is True
    assert rows["mrr@10"].diff is None and rows["mrr@10"].improved is None


def test_types_of_either_run_and_changed_questions():
    comparison = compare(BEFORE, AFTER)
    assert list(comparison.by_type) == ["agency", "deadline", "metadata"]
    deadline = {r.metric: r for r in comparison.by_type["deadline"]}
    assert deadline["hit@5"].before == 1.0 and deadline["hit@5"].after is None
    assert [(c.id, c.metric, c.before, c.after) for c in comparison.changes] == [
        ("q2", "hit@5", 0.0, 1.0)
    ]


def test_rendered_comparison():
    comparison = compare(BEFORE, AFTER)
    markdown = comparison_markdown(comparison)
    assert "## So sánh: cũ (bm25) → mới (hybrid)" in markdown
    assert (
        "| Có điều khoản trong 5 kết quả đầu (hit@5) | 0.500 | 0.750 | +0.250 | tốt hơn |"
        in markdown
    )
    assert "| q2 | agency | câu q2 | hit@5 | 0.000 | 1.000 |" in markdown
    page = comparison_html(comparison)
    assert '<td class="better">tốt hơn</td>' in page and '<td class="worse">kém hơn</td>' in page


def test_load_run_rejects_a_directory_that_is_not_a_run(tmp_path):
    with pytest.raises(InputError, match="metrics.json"):
        load_run(tmp_path)
    (tmp_path / "metrics.json").write_text("{", encoding="utf-8")
    (tmp_path / "results.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="bị hỏng"):
        load_run(tmp_path)
    (tmp_path / "metrics.json").write_text(
        json.dumps({"config": {"retriever": "dense"}}), encoding="utf-8"
    )
    assert load_run(tmp_path).name == f"{tmp_path.name} (dense)"
