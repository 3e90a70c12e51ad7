"""The bundled gold set eval/gold/plans.jsonl: valid, grounded in the corpus, with its quotas."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from eval.gold import load_gold
from eval.metrics import matches
from hoidap.config import REPO_ROOT
from hoidap.vntext import has_diacritics, normalize

PLANS = REPO_ROOT / "eval" / "gold" / "plans.jsonl"

pytestmark = pytest.mark.skipif(not PLANS.exists(), reason="eval/gold/plans.jsonl chưa có")


@pytest.fixture(scope="module")
def corpus_texts(corpus_dir: Path) -> dict[str, str]:
    """Each bundled file's text with lines joined and normalised."""
    return {p.name: normalize(p.read_text(encoding="utf-8")) for p in corpus_dir.glob("*.txt")}


@pytest.fixture(scope="module")
def plans(corpus_texts):
    # validates ids (unique), types, fields and sources; raises GoldFileError otherwise
    return load_gold(PLANS, sources=corpus_texts)


def test_size_and_quotas(plans):
    assert len(plans) >= 100
    types = Counter(q.type for q in plans)
    unanswerable = sum(not q.answerable for q in plans)
    assert unanswerable >= 0.1 * len(plans)
    assert types["nodiacritics"] >= 0.1 * len(plans)
    assert types["paraphrase"] >= 0.1 * len(plans)


def test_types_agree_with_answerability_and_diacritics(plans):
    for q in plans:
        assert (q.type == "unanswerable") == (not q.answerable), q.id
        if q.type == "nodiacritics":
            assert not has_diacritics(normalize(q.question)), q.id


def test_every_expected_phrase_occurs_in_its_source(plans, corpus_texts):
    missing = [
        f"{q.id}: {e.contains!r} not in {e.source}"
        for q in plans
        for e in q.expected
        if normalize(e.contains) not in corpus_texts[e.source]
    ]
    assert not missing, "\n".join(missing)


@pytest.mark.e2e
def test_every_expected_phrase_lies_within_one_clause(plans, service):
    """A phrase spanning two clauses could never be retrieved or cited, so it must not exist."""
    clauses: dict[str, list[str]] = {}
    for clause in service.clauses():
        clauses.setdefault(clause.source, []).append(clause.text)
    unmatched = [
        f"{q.id}: {e.contains!r} ({e.source})"
        for q in plans
        for e in q.expected
        if not any(matches(e, source=e.source, text=t) for t in clauses[e.source])
    ]
    assert not unmatched, "\n".join(unmatched)
