"""BM25 assembled from per-document term tables scores exactly as bm25s over all passages."""

from __future__ import annotations

import random
from pathlib import Path

import bm25s
import numpy as np

from hoidap.types import Document
from index.lexical import VOCABULARY, LexicalIndex, TermTable
from index.store import Generation, Manifest, Segment

WORDS = "phòng kinh tế chủ trì phối hợp xã tỉnh kế hoạch năm 2026 tuyên truyền pháp luật".split()


def _segment(name: str, passages: list[list[str]]) -> Segment:
    table = TermTable.build(passages).compact()
    clause_table = TermTable.build(passages, placeholder=False).compact()
    return Segment(
        name=name,
        path=Path(name),
        document=Document(source=name, title=name),
        clauses=[],
        words=[],
        offices=(),
        owner=np.arange(len(passages), dtype=np.int32),
        tables={
            "accented": table,
            "folded": table,
            "clause_accented": clause_table,
            "clause_folded": clause_table,
        },
        vector_block=np.zeros((len(passages), 0), np.float32),
    )


def _corpus(seed: int, documents: int) -> dict[str, list[list[str]]]:
    rng = random.Random(seed)
    return {
        f"doc{seed}-{d:03d}": [
            rng.choices(WORDS, k=rng.randint(0, 12)) for _ in range(rng.randint(1, 6))
        ]
        for d in range(documents)
    }


def _reference(corpus: dict[str, list[list[str]]], query: list[str]) -> np.ndarray:
    model = bm25s.BM25()
    passages = [p for name in sorted(corpus) for p in corpus[name]]
    model.index([p or ["\u2205"] for p in passages], show_progress=False)
    return model.get_scores([t for t in query if t in model.vocab_dict] or ["\u2205"])


def _ours(corpus: dict[str, list[list[str]]], **options: int) -> LexicalIndex:
    segments = [_segment(name, corpus[name]) for name in sorted(corpus)]
    return LexicalIndex(Generation(Path("gen"), Manifest(embedding="test"), segments), **options)


def test_scores_match_bm25s_before_and_after_a_change() -> None:
    corpus = _corpus(1, 70)  # spread over every bucket
    queries = [["phòng", "kinh", "tế"], ["xã", "xã", "năm"], ["tuyên", "truyền", "luật"]]
    for query in queries:
        got = _ours(corpus).scores(query, folded=False)
        np.testing.assert_allclose(got, _reference(corpus, query), rtol=1e-5, atol=1e-6)
    corpus.pop(sorted(corpus)[3])  # one document removed, one changed, one added
    corpus.pop(sorted(corpus)[10])  # a changed document is a new segment
    corpus["doc1-010-changed"] = [["phòng", "phòng", "pháp", "luật"]]
    corpus.update(_corpus(2, 1))
    for query in queries:
        got = _ours(corpus).scores(query, folded=False)
        np.testing.assert_allclose(got, _reference(corpus, query), rtol=1e-5, atol=1e-6)


def test_unknown_terms_score_nothing() -> None:
    index = _ours(_corpus(3, 5))
    assert not index.scores(["không-có-từ-này"], folded=True).any()


def test_pieces_of_codes_are_known_while_their_document_is() -> None:
    corpus = _corpus(4, 3)
    corpus["doc-code"] = [["nghị", "định", "80/2025/nđ-cp"]]
    assert _ours(corpus).knows("nđ") and _ours(corpus).knows_folded("nd")
    corpus.pop("doc-code")
    assert not _ours(corpus).knows("nđ") and not _ours(corpus).knows_folded("nd")


def test_kept_and_dense_contributions_score_as_the_first_time() -> None:
    corpus = {name: [[*p, "xã"] for p in doc] for name, doc in _corpus(4, 40).items()}
    corpus["rare"] = [["hải", "phòng", "xã"], ["hải", "dương"]]
    index = _ours(corpus, cache_postings=2)  # "hải" and "dương" evict each other
    field = index.fields["accented"]
    dense = {VOCABULARY.term(t) for t in field._dense}
    assert "xã" in dense and "hải" not in dense and "dương" not in dense
    queries = [["hải", "xã", "phòng"], ["dương", "hải"], ["kế", "hoạch", "hải", "xã", "xã"]]
    first = [index.scores(q, folded=False) for q in queries]
    for query, scores in zip(queries * 2, first * 2, strict=True):
        again = index.scores(query, folded=False)
        np.testing.assert_array_equal(again, scores)  # bit for bit: rankings cannot move
        np.testing.assert_allclose(again, _reference(corpus, query), rtol=1e-5, atol=1e-6)
