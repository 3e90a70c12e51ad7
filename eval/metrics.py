"""Metrics of one question and of a whole run: retrieval, citations, key facts, refusals, latency.

Every per-question metric is a number in [0, 1] or ``None`` when it does not apply to that
question (retrieval and citation metrics need expected clauses, refusal accuracy needs an
unanswerable question…); a run's figure is the mean over the questions it applies to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from eval.gold import Expected, GoldQuestion
from hoidap.types import Answer
from hoidap.vntext import fold, normalize

HIT_DEPTHS = (1, 5)
MRR_DEPTH = 10
ALL_DEPTH = 5
RETRIEVAL_DEPTH = max(MRR_DEPTH, *HIT_DEPTHS, ALL_DEPTH)

# Rates averaged over questions; "false_refusal_rate" is the only one where lower is better.
RATE_METRICS = (
    "hit@1",
    "hit@5",
    "all@5",
    "mrr@10",
    "citation_recall",
    "citation_precision",
    "key_fact_recall",
    "key_fact_recall_folded",
    "refusal_accuracy",
    "false_refusal_rate",
)
LATENCY_METRICS = ("latency_p50_ms", "latency_p95_ms")
ALL_METRICS = RATE_METRICS + LATENCY_METRICS
LOWER_IS_BETTER = frozenset({"false_refusal_rate", *LATENCY_METRICS})
# what summaries and comparison tables show, in this order
HEADLINE_METRICS = tuple(m for m in ALL_METRICS if m != "key_fact_recall")
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20250517


@dataclass(frozen=True)
class Retrieved:
    """One ranked clause (or chunk, for the naive baseline) as retrieval returned it."""

    source: str
    text: str
    path: str = ""
    clause_id: str = ""
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "path": self.path,
            "clause_id": self.clause_id,
            "score": round(float(self.score), 6),
            "text": self.text,
        }


@dataclass(frozen=True)
class QuestionScore:
    """The metrics of one question plus what they were computed from (for failure reports)."""

    values: dict[str, float | None]
    expected_ranks: tuple[int | None, ...] = ()  # rank (1-based) of each expected item
    expected_cited: tuple[bool, ...] = ()  # each expected item matched by a citation
    citation_matches: tuple[bool, ...] = ()  # each citation matched some expected item
    facts_found: tuple[bool, ...] = ()  # each key fact found (folded comparison)
    latency_ms: float = 0.0
    failures: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return bool(self.failures)


def matches(expected: Expected, *, source: str, text: str) -> bool:
    """True when a clause is the expected one: same file, and its text contains the phrase."""
    return source == expected.source and normalize(expected.contains) in normalize(text)


def fact_found(fact: str, answer: str, *, folded: bool) -> bool:
    """Whether a key fact occurs in the answer text (normalised, optionally without diacritics)."""
    needle, hay = normalize(fact), normalize(answer)
    if folded:
        needle, hay = fold(needle), fold(hay)
    return needle in hay


def score_question(
    gold: GoldQuestion, *, ranking: Sequence[Retrieved], answer: Answer
) -> QuestionScore:
    """All metrics of one question from its retrieval ranking and its answer."""
    values: dict[str, float | None] = dict.fromkeys(RATE_METRICS)
    ranks = tuple(_first_rank(item, ranking[:RETRIEVAL_DEPTH]) for item in gold.expected)
    cited = tuple(
        any(matches(item, source=c.source, text=c.text) for c in answer.citations)
        for item in gold.expected
    )
    citation_matches = tuple(
        any(matches(item, source=c.source, text=c.text) for item in gold.expected)
        for c in answer.citations
    )
    if gold.expected:
        found = [r for r in ranks if r is not None]
        for depth in HIT_DEPTHS:
            values[f"hit@{depth}"] = float(any(r <= depth for r in found))
        values[f"all@{ALL_DEPTH}"] = float(all(r is not None and r <= ALL_DEPTH for r in ranks))
        best = min((r for r in found if r <= MRR_DEPTH), default=None)
        values[f"mrr@{MRR_DEPTH}"] = 1.0 / best if best else 0.0
        values["citation_recall"] = sum(cited) / len(cited)
        if answer.citations:
            values["citation_precision"] = sum(citation_matches) / len(citation_matches)
    facts_folded: tuple[bool, ...] = ()
    if gold.key_facts:
        facts_exact = [fact_found(f, answer.answer, folded=False) for f in gold.key_facts]
        facts_folded = tuple(fact_found(f, answer.answer, folded=True) for f in gold.key_facts)
        values["key_fact_recall"] = sum(facts_exact) / len(facts_exact)
        values["key_fact_recall_folded"] = sum(facts_folded) / len(facts_folded)
    if gold.answerable:
        values["false_refusal_rate"] = float(answer.refused)
    else:
        values["refusal_accuracy"] = float(answer.refused)
    return QuestionScore(
        values=values,
        expected_ranks=ranks,
        expected_cited=cited,
        citation_matches=citation_matches,
        facts_found=facts_folded,
        latency_ms=float(answer.latency_ms),
        failures=tuple(_failures(gold, values)),
    )


def _first_rank(item: Expected, ranking: Sequence[Retrieved]) -> int | None:
    for rank, hit in enumerate(ranking, start=1):
        if matches(item, source=hit.source, text=hit.text):
            return rank
    return None


def _failures(gold: GoldQuestion, values: Mapping[str, float | None]) -> list[str]:
    """Why a question counts as failed, in Vietnamese, for the report."""
    reasons = []
    if gold.answerable:
        if values["false_refusal_rate"]:
            reasons.append("từ chối trả lời câu hỏi có trong văn bản")
        if not values["hit@5"]:
            reasons.append("không có điều khoản mong đợi trong 5 kết quả truy hồi đầu")
        if (values["citation_recall"] or 0.0) < 1.0:
            reasons.append("thiếu trích dẫn điều khoản mong đợi")
        if values["key_fact_recall_folded"] is not None and values["key_fact_recall_folded"] < 1.0:
            reasons.append("câu trả lời thiếu ý chính")
    elif not values["refusal_accuracy"]:
        reasons.append("trả lời câu hỏi không có trong văn bản (lẽ ra phải từ chối)")
    return reasons


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (linear interpolation), or None for no values."""
    return float(np.percentile(np.asarray(values, dtype=float), q)) if len(values) else None


def aggregate(scores: Sequence[QuestionScore]) -> dict[str, Any]:
    """Mean of each rate metric over the questions it applies to, and latency p50/p95.

    Returns ``{"n": …, "<metric>": value or None, …, "counts": {"<metric>": questions}}``.
    """
    out: dict[str, Any] = {"n": len(scores)}
    counts: dict[str, int] = {}
    for name in RATE_METRICS:
        column = [s.values[name] for s in scores if s.values[name] is not None]
        counts[name] = len(column)
        out[name] = float(np.mean(column)) if column else None
    latencies = [s.latency_ms for s in scores]
    out["latency_p50_ms"] = percentile(latencies, 50)
    out["latency_p95_ms"] = percentile(latencies, 95)
    out["counts"] = counts
    return out


def bootstrap_ci(
    values: Sequence[float],
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float] | None:
    """Percentile bootstrap 95% interval of the mean (fixed seed, so runs are reproducible)."""
    if not len(values):
        return None
    data = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, len(data), size=(resamples, len(data)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def summarize(scores: Sequence[QuestionScore], types: Sequence[str]) -> dict[str, Any]:
    """Run-level metrics: overall, 95% bootstrap intervals, and the same metrics by question type.

    ``types`` gives the question type of each score, in the same order.
    """
    if len(types) != len(scores):
        raise ValueError("types and scores must have the same length")
    by_type: dict[str, list[QuestionScore]] = {}
    for qtype, score in zip(types, scores, strict=True):
        by_type.setdefault(qtype, []).append(score)
    ci95 = {}
    for name in RATE_METRICS:
        interval = bootstrap_ci([s.values[name] for s in scores if s.values[name] is not None])
        if interval is not None:
            ci95[name] = list(interval)
    return {
        "overall": aggregate(scores),
        "ci95": ci95,
        "by_type": {qtype: aggregate(group) for qtype, group in sorted(by_type.items())},
    }
