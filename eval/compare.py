"""Compare two evaluation runs: metrics side by side, by question type, changed questions."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.harness import EvalRun
from eval.metrics import ALL_METRICS, LOWER_IS_BETTER
from hoidap.errors import InputError

logger = logging.getLogger(__name__)

# Per-question metrics whose change is worth listing question by question.
WATCHED = ("hit@5", "citation_recall", "refusal_accuracy", "false_refusal_rate")


@dataclass(frozen=True)
class RunData:
    """A run as stored on disk (or freshly made): its name, metrics.json and results.jsonl."""

    name: str
    metrics: dict[str, Any]
    results: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class MetricRow:
    metric: str
    before: float | None
    after: float | None

    @property
    def diff(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def improved(self) -> bool | None:
        """True when the change is for the better, False for worse, None for no change."""
        if not self.diff:
            return None
        return (self.diff < 0) if self.metric in LOWER_IS_BETTER else (self.diff > 0)


@dataclass(frozen=True)
class QuestionChange:
    id: str
    type: str
    question: str
    metric: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class Comparison:
    """Run ``after`` against run ``before``."""

    before: str
    after: str
    overall: tuple[MetricRow, ...]
    by_type: dict[str, tuple[MetricRow, ...]]
    changes: tuple[QuestionChange, ...]


def load_run(directory: Path) -> RunData:
    """Read a run directory written by :func:`eval.report.write_run`."""
    directory = Path(directory)
    metrics_file, results_file = directory / "metrics.json", directory / "results.jsonl"
    if not metrics_file.is_file() or not results_file.is_file():
        raise InputError(
            f"Thư mục {directory} không phải kết quả một lần đánh giá "
            "(cần metrics.json và results.jsonl): chọn thư mục do `hoidap eval --out` tạo ra."
        )
    try:
        metrics = json.loads(metrics_file.read_text(encoding="utf-8"))
        results = tuple(
            json.loads(line)
            for line in results_file.read_text(encoding="utf-8").splitlines()
            if line.strip()
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            f"Kết quả đánh giá trong {directory} bị hỏng ({exc.msg}, dòng {exc.lineno}): "
            "chạy lại đánh giá."
        ) from exc
    retriever = metrics.get("config", {}).get("retriever", "?")
    return RunData(name=f"{directory.name} ({retriever})", metrics=metrics, results=results)


def run_data(run: EvalRun, *, name: str) -> RunData:
    """The stored form of a run that is still in memory."""
    return RunData(
        name=name, metrics=run.metrics_dict(), results=tuple(r.to_dict() for r in run.results)
    )


def compare(before: RunData, after: RunData) -> Comparison:
    """Metrics of both runs side by side, and each question whose watched metric changed."""
    overall = _rows(before.metrics.get("overall", {}), after.metrics.get("overall", {}))
    types_before = before.metrics.get("by_type", {})
    types_after = after.metrics.get("by_type", {})
    by_type = {
        t: _rows(types_before.get(t, {}), types_after.get(t, {}))
        for t in sorted(set(types_before) | set(types_after))
    }
    old = {r["id"]: r for r in before.results}
    changes = []
    for result in after.results:
        previous = old.get(result["id"])
        if previous is None:
            continue
        for metric in WATCHED:
            a, b = previous["metrics"].get(metric), result["metrics"].get(metric)
            if a != b:
                changes.append(
                    QuestionChange(
                        id=result["id"],
                        type=result["type"],
                        question=result["question"],
                        metric=metric,
                        before=a,
                        after=b,
                    )
                )
    return Comparison(
        before=before.name,
        after=after.name,
        overall=overall,
        by_type=by_type,
        changes=tuple(changes),
    )


def _rows(before: dict[str, Any], after: dict[str, Any]) -> tuple[MetricRow, ...]:
    return tuple(MetricRow(m, before.get(m), after.get(m)) for m in ALL_METRICS)
