"""Metrics on hand-made rankings and answers, with exact expected numbers."""

from __future__ import annotations

import pytest

from eval.gold import Expected, GoldQuestion
from eval.metrics import (
    RATE_METRICS,
    QuestionScore,
    Retrieved,
    aggregate,
    bootstrap_ci,
    fact_found,
    matches,
    score_question,
    summarize,
)
from hoidap.types import Answer, Citation

A, B = "a.txt", "b.txt"


def gold(expected=(), *, answerable=True, key_facts=(), qtype="agency"):
    return GoldQuestion(
        id="q",
        question="?",
        answerable=answerable,
        type=qtype,
        expected=tuple(Expected(s, c) for s, c in expected),
        key_facts=tuple(key_facts),
    )


def ranking(*items):
    return [Retrieved(source=s, text=t) for s, t in items]


def answer(text="", *, refused=False, cited=(), latency=10):
    citations = tuple(
        Citation(n=i, source=s, doc_title="", path="", label="", text=t, score=0.0)
        for i, (s, t) in enumerate(cited, start=1)
    )
    return Answer(
        question="?", answer=text, refused=refused, citations=citations, latency_ms=latency
    )


FILLER = [(B, f"điều khoản khác số {i}") for i in range(10)]


def test_match_normalises_case_tone_style_and_whitespace():
    item = Expected(A, "Ủy ban nhân dân  xã\nChí Minh hoá")
    assert matches(item, source=A, text="… do UỶ BAN nhân dân xã Chí Minh hóa …")
    assert not matches(item, source=B, text="Ủy ban nhân dân xã Chí Minh hoá")
    assert not matches(item, source=A, text="Uy ban nhan dan xa Chi Minh hoa")


def test_hit_at_k_and_mrr_from_the_rank_of_the_expected_clause():
    question = gold([(A, "Phòng Kinh tế")])
    at_3 = ranking(*FILLER[:2], (A, "2. Phòng Kinh tế chủ trì"), *FILLER[2:])
    values = score_question(question, ranking=at_3, answer=answer()).values
    assert values["hit@1"] == 0.0
    assert values["hit@5"] == 1.0
    assert values["mrr@10"] == pytest.approx(1 / 3)
    at_1 = ranking((A, "Phòng Kinh tế"), *FILLER)
    assert score_question(question, ranking=at_1, answer=answer()).values["hit@1"] == 1.0


def test_expected_clause_beyond_rank_10_scores_zero():
    question = gold([(A, "Phòng Kinh tế")])
    late = ranking(*FILLER, (A, "Phòng Kinh tế"))  # rank 11
    score = score_question(question, ranking=late, answer=answer())
    assert score.values["hit@5"] == 0.0
    assert score.values["mrr@10"] == 0.0
    assert score.expected_ranks == (None,)


def test_same_text_in_another_document_is_not_a_hit():
    question = gold([(A, "Phòng Kinh tế")])
    wrong_doc = ranking((B, "Phòng Kinh tế"))
    assert score_question(question, ranking=wrong_doc, answer=answer()).values["hit@1"] == 0.0


def test_multi_item_question_any_hit_versus_all_found():
    question = gold([(A, "kinh tế"), (B, "văn hóa")])
    only_a = ranking((A, "phòng kinh tế"), *FILLER)
    score = score_question(question, ranking=only_a, answer=answer())
    assert score.values["hit@1"] == 1.0
    assert score.values["all@5"] == 0.0
    assert score.expected_ranks == (1, None)
    both = ranking((A, "phòng kinh tế"), *FILLER[:3], (B, "phòng văn hoá"), *FILLER[3:])
    score = score_question(question, ranking=both, answer=answer())
    assert score.values["all@5"] == 1.0
    assert score.expected_ranks == (1, 5)


def test_citation_recall_and_precision():
    question = gold([(A, "kinh tế"), (A, "văn hóa"), (B, "tư pháp")])
    cited = [(A, "Phòng Kinh tế"), (B, "thôn xóm"), (A, "Phòng Văn hoá - Xã hội"), (B, "khác")]
    score = score_question(question, ranking=[], answer=answer("x", cited=cited))
    assert score.values["citation_recall"] == pytest.approx(2 / 3)
    assert score.values["citation_precision"] == pytest.approx(2 / 4)
    assert score.expected_cited == (True, True, False)
    assert score.citation_matches == (True, False, True, False)


def test_precision_is_undefined_without_citations():
    score = score_question(gold([(A, "x")]), ranking=[], answer=answer(refused=True))
    assert score.values["citation_precision"] is None
    assert score.values["citation_recall"] == 0.0
    assert score.values["false_refusal_rate"] == 1.0


def test_key_facts_normalised_and_folded():
    question = gold([(A, "x")], key_facts=["Phòng Kinh tế", "quý IV/2025", "Hóa chất"])
    text = "PHÒNG KINH TẾ chủ trì, hoàn thành trong quy IV/2025; hoá chất."
    values = score_question(question, ranking=[], answer=answer(text)).values
    # "quý" only matches once diacritics are folded; "hoá" matches "Hóa" after tone unification.
    assert values["key_fact_recall"] == pytest.approx(2 / 3)
    assert values["key_fact_recall_folded"] == 1.0
    assert fact_found("phong kinh te", "Phòng Kinh tế", folded=True)
    assert not fact_found("phong kinh te", "Phòng Kinh tế", folded=False)


def test_refusal_accuracy_and_false_refusal():
    unanswerable = gold(answerable=False, qtype="unanswerable")
    refused = score_question(unanswerable, ranking=[], answer=answer(refused=True))
    assert refused.values["refusal_accuracy"] == 1.0
    assert refused.values["false_refusal_rate"] is None
    assert refused.values["hit@5"] is None
    assert not refused.failed
    answered = score_question(unanswerable, ranking=[], answer=answer("bịa", cited=[(A, "x")]))
    assert answered.values["refusal_accuracy"] == 0.0
    assert answered.values["citation_precision"] is None  # citation metrics: answerable only
    assert answered.failed
    ok = score_question(
        gold([(A, "x")]), ranking=ranking((A, "x")), answer=answer("x", cited=[(A, "x")])
    )
    assert ok.values["false_refusal_rate"] == 0.0
    assert not ok.failed


def _score(values: dict, latency: float) -> QuestionScore:
    full = dict.fromkeys(RATE_METRICS)
    full.update(values)
    return QuestionScore(values=full, latency_ms=latency)


def test_aggregate_means_over_applicable_questions_and_latency_percentiles():
    scores = [
        _score({"hit@5": 1.0, "mrr@10": 1.0, "false_refusal_rate": 0.0}, 10),
        _score({"hit@5": 0.0, "mrr@10": 0.0, "false_refusal_rate": 1.0}, 20),
        _score({"hit@5": 1.0, "mrr@10": 0.5, "false_refusal_rate": 0.0}, 30),
        _score({"refusal_accuracy": 1.0}, 40),
        _score({"refusal_accuracy": 0.0}, 100),
    ]
    out = aggregate(scores)
    assert out["n"] == 5
    assert out["hit@5"] == pytest.approx(2 / 3)
    assert out["mrr@10"] == pytest.approx(0.5)
    assert out["refusal_accuracy"] == 0.5
    assert out["false_refusal_rate"] == pytest.approx(1 / 3)
    assert out["citation_recall"] is None
    assert out["counts"]["hit@5"] == 3 and out["counts"]["refusal_accuracy"] == 2
    assert out["latency_p50_ms"] == 30.0
    assert out["latency_p95_ms"] == pytest.approx(88.0)  # 40 + 0.8 * (100 - 40)


def test_summary_by_type_and_bootstrap_interval():
    scores = [_score({"hit@5": float(i % 2)}, 10) for i in range(40)]
    types = ["agency"] * 20 + ["deadline"] * 20
    summary = summarize(scores, types)
    assert summary["overall"]["hit@5"] == 0.5
    assert set(summary["by_type"]) == {"agency", "deadline"}
    assert summary["by_type"]["agency"]["n"] == 20
    low, high = summary["ci95"]["hit@5"]
    assert 0.3 < low < 0.5 < high < 0.7
    assert "citation_recall" not in summary["ci95"]
    # fixed seed: the interval is reproducible; constant data has a zero-width interval
    assert bootstrap_ci([s.values["hit@5"] for s in scores]) == (low, high)
    assert bootstrap_ci([1.0] * 7) == (1.0, 1.0)
    assert bootstrap_ci([]) is None
