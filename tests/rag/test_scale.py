"""The look-ups that keep a question's cost independent of the index size agree with a scan of
every clause (bundled corpus, real index)."""

from __future__ import annotations

import random

import pytest

pytestmark = pytest.mark.e2e


def _scan(lexical, phrase: str, sources=()) -> bool:
    return any(
        f" {phrase} " in text
        for text, source in zip(lexical._texts, lexical.sources, strict=True)
        if not sources or source in sources
    )


def test_phrase_look_up_equals_a_scan(service) -> None:
    lexical = service.state.retriever.lexical
    rng = random.Random(7)
    phrases = set()
    for text in rng.sample(lexical._texts, 60):
        words = text.split()
        for length in (2, 3, 4):
            if len(words) > length:
                at = rng.randrange(len(words) - length)
                phrases.add(" ".join(words[at : at + length]))
    words = [w for text in lexical._texts for w in text.split()]
    phrases |= {f"{rng.choice(words)} {rng.choice(words)}" for _ in range(60)}  # mostly absent
    phrases |= {"kế hoạch", "hoạch", "học phí", "phòng kinh tế", "ủy ban nhân dân"}
    sources = sorted(set(lexical.sources))
    found = 0
    for phrase in sorted(phrases):
        for within in ((), sources[:1], sources[1:3]):
            expected = _scan(lexical, phrase, within)
            assert lexical.mentions(phrase, sources=within) is expected, (phrase, within)
            found += expected
    assert 0 < found < 3 * len(phrases)  # both answers were checked


def test_topic_shares_equal_each_clause_read_on_its_own(service) -> None:
    lexical = service.state.retriever.lexical
    positions = list(range(lexical.size))
    for topic in (
        ("kinh", "te", "tu", "nhan"),
        ("phap", "luat", "khong-co-tu-nay"),
        ("chuyen", "doi", "so"),
        (),
    ):
        weights = {t: lexical.idf(t, folded=True) for t in topic}
        total = sum(weights.values())
        expected = [
            sum(w for t, w in weights.items() if t in lexical.clause_terms(p, folded=True)) / total
            if total
            else 1.0
            for p in positions
        ]
        assert lexical.shares(topic, positions).tolist() == expected


def test_shallow_bm25_ranking_gives_the_full_rankings_top(service) -> None:
    from dataclasses import replace

    from eval.bench import questions
    from hoidap.config import RetrieverMode
    from rag.pipeline import understand
    from rag.query import is_department
    from rag.retrieve import ClauseRetriever, _bm25_order, _settled, _top

    state = service.state
    full = state.retriever
    queries = [
        understand(
            q,
            history=(),
            matcher=state.matcher,
            scope=state.scope,
            max_chars=1000,
            vocabulary=full.vocabulary,
            speller=full.speller,
        )[0]
        for q in questions(16)
    ]
    settled = unsettled = 0
    for depth in (5, 30):
        tuning = replace(full.tuning, bm25_rank_depth=depth)
        shallow = ClauseRetriever(
            state.generation, replace(full.settings, tuning=tuning), service.embedder
        )
        for query in queries:
            scores = shallow.lexical.scores(query)
            dense = shallow.dense(query, docs=None)
            roles = shallow._roles([o for o in query.offices if is_department(o)])
            fused, _, _, unranked = shallow._fuse(
                query, scores, dense, roles, RetrieverMode.HYBRID, depth
            )
            assert unranked.tolist() == _bm25_order(scores, depth)[1].tolist()
            for k in (3, 10):
                assert shallow.search(query, k=k).hits == full.search(query, k=k).hits
                if unranked.any() and _settled(fused, _top(fused, fused > 0, k), unranked):
                    settled += 1
                elif unranked.any():
                    unsettled += 1
    assert settled and unsettled  # both the shallow ranking and its fallback were checked
