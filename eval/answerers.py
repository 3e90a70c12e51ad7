"""Answerers side by side: how much of a generated answer its citations support, how often it
fell back to the extractive answer, key facts and latency (``hoidap eval --answerer llm``)."""

from __future__ import annotations

from collections.abc import Mapping

from eval.harness import EvalRun
from eval.labels import format_value

ANSWERER_METRICS = {
    "sentence_support_rate": "Câu được điều khoản trích dẫn xác nhận",
    "dropped_sentence_rate": "Câu bị bỏ vì không có căn cứ",
    "fallback_rate": "Tỷ lệ quay về câu trả lời trích nguyên văn",
    "key_fact_recall_folded": "Ý chính có trong câu trả lời (bỏ dấu)",
    "latency_p50_ms": "Độ trễ trung vị p50 (ms)",
    "latency_p95_ms": "Độ trễ p95 (ms)",
}


def answerer_figures(run: EvalRun, answerer: str) -> dict[str, float | None]:
    """The figures of one run whose service answered with ``answerer``.

    Support and fallback are counted over the questions an answerer answered (not refused,
    not answered from the index fields); sentences are those the language model wrote,
    checked, including those of answers that fell back.
    """
    # lists, counts and document fields are answered from the index, by no answerer
    answers = [r.answer for r in run.results if r.answer.answerer in (answerer, "extractive")]
    answers = [a for a in answers if not a.refused]
    sentences = [s for a in answers for s in a.sentences]
    supported = sum(s.supported for s in sentences)
    generative = answerer != "extractive"
    overall = run.summary["overall"]
    return {
        "sentence_support_rate": supported / len(sentences) if sentences else None,
        "dropped_sentence_rate": 1 - supported / len(sentences) if sentences else None,
        "fallback_rate": (
            sum(a.answerer == "extractive" for a in answers) / len(answers)
            if generative and answers
            else None
        ),
        "key_fact_recall_folded": overall.get("key_fact_recall_folded"),
        "latency_p50_ms": overall.get("latency_p50_ms"),
        "latency_p95_ms": overall.get("latency_p95_ms"),
    }


def side_by_side(figures: Mapping[str, Mapping[str, float | None]]) -> str:
    """A Markdown table: one row per figure, one column per answerer."""
    names = list(figures)
    lines = [
        "| Chỉ số | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for metric, label in ANSWERER_METRICS.items():
        key = metric if metric.startswith("latency") else "rate"
        cells = [format_value(key, figures[n].get(metric)) for n in names]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
