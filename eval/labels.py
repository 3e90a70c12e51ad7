"""Vietnamese names of metrics and question types, and number formatting, for reports and the UI."""

from __future__ import annotations

from eval.metrics import LATENCY_METRICS

METRIC_LABELS: dict[str, str] = {
    "hit@1": "Đúng điều khoản ở hạng 1 (hit@1)",
    "hit@5": "Có điều khoản trong 5 kết quả đầu (hit@5)",
    "all@5": "Đủ mọi điều khoản trong 5 kết quả đầu (all@5)",
    "mrr@10": "Thứ hạng nghịch đảo trung bình (MRR@10)",
    "citation_recall": "Độ phủ trích dẫn",
    "citation_precision": "Độ chính xác trích dẫn",
    "key_fact_recall": "Ý chính có trong câu trả lời",
    "key_fact_recall_folded": "Ý chính có trong câu trả lời (bỏ dấu)",
    "refusal_accuracy": "Từ chối đúng câu hỏi ngoài văn bản",
    "false_refusal_rate": "Tỷ lệ từ chối nhầm (càng thấp càng tốt)",
    "latency_p50_ms": "Độ trễ trung vị p50 (ms)",
    "latency_p95_ms": "Độ trễ p95 (ms)",
}

# Short column headings for tables with one column per metric.
METRIC_SHORT: dict[str, str] = {
    "hit@1": "hit@1",
    "hit@5": "hit@5",
    "all@5": "all@5",
    "mrr@10": "MRR@10",
    "citation_recall": "Phủ trích dẫn",
    "citation_precision": "Chính xác trích dẫn",
    "key_fact_recall": "Ý chính",
    "key_fact_recall_folded": "Ý chính (bỏ dấu)",
    "refusal_accuracy": "Từ chối đúng",
    "false_refusal_rate": "Từ chối nhầm",
    "latency_p50_ms": "p50 (ms)",
    "latency_p95_ms": "p95 (ms)",
}

TYPE_LABELS: dict[str, str] = {
    "agency": "Trách nhiệm cơ quan",
    "deadline": "Thời hạn",
    "appendix": "Phụ lục nhiệm vụ",
    "topic": "Chủ đề",
    "reference": "Văn bản dẫn chiếu",
    "metadata": "Thông tin văn bản",
    "multidoc": "Nhiều văn bản",
    "unanswerable": "Ngoài văn bản",
    "nodiacritics": "Gõ không dấu",
    "paraphrase": "Diễn đạt khác",
}


def format_value(metric: str, value: float | None, *, signed: bool = False) -> str:
    """A metric value as shown in tables: rates with 3 decimals, latencies in whole ms."""
    if value is None:
        return "–"
    sign = "+" if signed else ""
    return f"{value:{sign}.0f}" if metric in LATENCY_METRICS else f"{value:{sign}.3f}"


def format_diff(metric: str, diff: float | None) -> str:
    """A signed difference between two runs."""
    return format_value(metric, diff, signed=True)


def type_label(qtype: str) -> str:
    """``"agency"`` → ``"Trách nhiệm cơ quan (agency)"``."""
    label = TYPE_LABELS.get(qtype)
    return f"{label} ({qtype})" if label else qtype
