"""Hybrid retrieval over clauses: BM25 on Vietnamese word segments fused with dense vectors."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from hoidap.config import RetrieverMode, Settings
from hoidap.types import Clause, ClauseKind, Hit
from hoidap.vocab import Vocabulary
from index import lexical as terms
from index.dense import DenseIndex
from index.store import Generation
from rag.query import Query, is_department
from rag.spelling import Speller

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DenseResult:
    """Dense candidates: clause positions and their cosine similarities, best first."""

    positions: list[int]
    similarities: list[float]


@dataclass(frozen=True)
class Retrieval:
    """Ranked hits plus the dense similarities of the whole candidate pool."""

    hits: list[Hit]
    dense_pool: list[float]


class LexicalIndex:
    """BM25 over passages (accented and folded terms) plus clause term statistics."""

    def __init__(self, generation: Generation, *, cache_postings: int) -> None:
        self._index = terms.LexicalIndex(generation, cache_postings=cache_postings)
        self.size = len(generation.clauses)
        self.owner = generation.passage_owner
        self.generation = generation
        self.sources = [c.source for c in generation.clauses]
        self._doc_position = {d.source: i for i, d in enumerate(generation.documents)}

    @cached_property
    def _texts(self) -> list[str]:
        """Each clause's words in order, read as indexed (stored by the index), for phrase
        look-ups."""
        return [f" {words} " for words in self.generation.clause_words]

    @cached_property
    def _pair_clauses(self) -> dict[str, np.ndarray]:
        """Each pair of words that follow each other in some clause ("phòng chống") → the
        positions of the clauses holding it, ascending."""
        found: dict[str, list[int]] = {}
        for position, text in enumerate(self._texts):
            words = text.split()
            for pair in {f"{a} {b}" for a, b in zip(words, words[1:])}:
                found.setdefault(pair, []).append(position)
        return {pair: np.array(held, dtype=np.int32) for pair, held in found.items()}

    def mentions(self, phrase: str, *, sources: Collection[str] = ()) -> bool:
        """True when a clause (of ``sources``, if any) holds the words of ``phrase`` in order.

        Only the clauses holding every pair of its words are read, so the cost follows the
        phrase's rarity, not the size of the index."""
        needle = f" {phrase} "
        words = phrase.split(" ")
        if len(words) < 2 or not all(words):  # one word: read every clause
            return any(
                needle in text
                for text, source in zip(self._texts, self.sources, strict=True)
                if not sources or source in sources
            )
        held = [self._pair_clauses.get(f"{a} {b}") for a, b in zip(words, words[1:])]
        if any(h is None for h in held):
            return False
        candidates = held[0]
        for more in sorted(held[1:], key=len):
            candidates = np.intersect1d(candidates, more, assume_unique=True)
        if sources:
            wanted = np.zeros(len(self.generation.documents), dtype=bool)
            wanted[[self._doc_position[s] for s in sources if s in self._doc_position]] = True
            candidates = candidates[wanted[self.generation.clause_doc[candidates]]]
        return any(needle in self._texts[int(c)] for c in candidates)

    def pairs(self) -> set[str]:
        """Pairs of words that follow each other in some clause ("phòng chống")."""
        return set(self._pair_clauses)

    def counts(self, *, folded: bool) -> Counter[str]:
        """Every term of the index with the number of clauses holding it."""
        df = self._index.clause_df["folded" if folded else "accented"]
        return Counter({terms.VOCABULARY.term(int(i)): int(df[i]) for i in np.flatnonzero(df)})

    def occurrences(self) -> Counter[str]:
        """Every accented term of the index with how often it occurs: a syllable counts
        alone and inside each compound, so the difference is how often it stands alone."""
        tf = self._index.accented_tf
        return Counter({terms.VOCABULARY.term(int(i)): int(tf[i]) for i in np.flatnonzero(tf)})

    def __contains__(self, term: str) -> bool:
        """True when some clause holds the lexical term."""
        return any(self._index.clause_frequency(term, folded=f) > 0 for f in (False, True))

    def scores(self, query: Query) -> np.ndarray:
        """BM25 score of every clause (its best passage); accented terms count when typed."""
        best = np.zeros(self.size)
        if not self.size:
            return best
        total = self._index.scores(list(query.folded_terms), folded=True)
        if query.accented:
            total = total + self._index.scores(list(query.terms), folded=False)
        np.maximum.at(best, self.owner, total.astype(np.float64))
        return best

    def idf(self, term: str, *, folded: bool) -> float:
        """Inverse document frequency; a term no clause has gets the highest weight."""
        return terms.idf(self.size, self._index.clause_frequency(term, folded=folded))

    def knows_all(self, syllables: list[str]) -> bool:
        """True when every syllable occurs somewhere in the indexed clauses."""
        return all(
            self._index.knows(p) or (p.isascii() and self._index.knows_folded(p))  # "nd-cp"
            for s in syllables
            for p in re.split(r"[-/._]", s)  # pieces of codes: the tagger splits codes apart
            if p
        )

    def clause_terms(self, position: int, *, folded: bool) -> set[str]:
        """The distinct (accented or folded) terms of one clause."""
        return self._index.clause_terms(position, folded=folded)

    def shares(self, terms: Sequence[str], positions: Sequence[int]) -> np.ndarray:
        """For each clause at ``positions``, the IDF-weighted share of the folded ``terms`` it
        holds (1 when the terms weigh nothing); numpy over the terms' clause postings."""
        weights = {t: self.idf(t, folded=True) for t in terms}
        total = sum(weights.values())
        if total == 0:
            return np.ones(len(positions))
        held = np.zeros(self.size)
        for term, weight in weights.items():
            held[self._index.clauses_holding(term)] += weight
        return held[np.asarray(positions, dtype=np.int64)] / total

    def coverage(self, query: Query, position: int, *, apart: Collection[str] = ()) -> float:
        """IDF-weighted share of the question's content words that the clause contains;
        words ``apart`` count as missing (syllables of a compound the index never has)."""
        folded = not query.accented
        present = self.clause_terms(position, folded=folded) - set(apart)
        unseen = terms.idf(self.size, 0)  # an unattested word the clause lacks weighs as one
        weights = {  # no clause has: its folded look-alike elsewhere is no evidence
            t: unseen if t in query.unattested and t not in present else self.idf(t, folded=folded)
            for t in query.content
        }
        total = sum(weights.values())
        if total == 0:
            return 0.0
        return sum(w for t, w in weights.items() if t in present) / total


class ClauseRetriever:
    """Ranks the clauses of one index generation for a query.

    Everything per clause is precomputed into arrays at load time, so a question costs
    numpy work over the postings of its terms and the dense neighbours, not a Python loop
    over every clause.
    """

    def __init__(self, generation: Generation, settings: Settings, embedder: BaseEmbedding) -> None:
        self.generation = generation
        self.settings = settings
        self.embedder = embedder
        self.tuning = settings.tuning
        definitions = (d for doc in generation.documents for d in doc.definitions)
        self.vocabulary = Vocabulary.bundled().with_definitions(definitions)
        self.lexical = LexicalIndex(generation, cache_postings=self.tuning.bm25_cache_postings)
        self.vectors = DenseIndex(settings, generation)
        clauses = generation.clauses
        self._position = {c.id: i for i, c in enumerate(clauses)}
        self._doc_position = {d.source: i for i, d in enumerate(generation.documents)}
        self._deadline = np.fromiter((bool(c.deadlines) for c in clauses), bool, len(clauses))
        self._closing = np.fromiter(
            (c.kind is ClauseKind.CLOSING for c in clauses), bool, len(clauses)
        )
        self._preamble = np.fromiter(
            (c.kind is ClauseKind.PREAMBLE for c in clauses), bool, len(clauses)
        )
        lead: dict[str, list[int]] = {}
        coordinate: dict[str, list[int]] = {}
        for pos, clause in enumerate(clauses):
            for office in clause.lead_offices:
                lead.setdefault(office, []).append(pos)
            for office in clause.coord_offices:
                coordinate.setdefault(office, []).append(pos)
        self._lead = {o: np.array(p) for o, p in lead.items()}
        self._coordinate = {o: np.array(p) for o, p in coordinate.items()}

    @property
    def clauses(self) -> list[Clause]:
        return self.generation.clauses

    @cached_property
    def speller(self) -> Speller:
        """Repairs question words against this index's own words (built on first use)."""
        return Speller(
            self.lexical.counts(folded=False),
            self.lexical.counts(folded=True),
            keep=self.vocabulary.alias_words,
            pairs=self.lexical.pairs(),
            occurrences=self.lexical.occurrences(),
        )

    def _documents(self, docs: Sequence[str] | None) -> np.ndarray | None:
        """A mask over the generation's documents, or None for all of them."""
        if not docs:
            return None
        mask = np.zeros(len(self.generation.documents), dtype=bool)
        mask[[self._doc_position[d] for d in docs if d in self._doc_position]] = True
        return mask

    def dense(self, query: Query, *, docs: Sequence[str] | None) -> DenseResult:
        """Nearest clauses (by their best passage), exact or through Chroma HNSW."""
        if not self.clauses:
            return DenseResult([], [])
        return self.nearest(
            self.embedder.get_query_embedding(query.dense_text or query.text), docs=docs
        )

    def nearest(self, embedding: Sequence[float], *, docs: Sequence[str] | None) -> DenseResult:
        """The ``Tuning.dense_pool`` clauses nearest to a query vector, best first."""
        pool = self.tuning.dense_pool
        wanted = pool * self.tuning.passages_per_clause
        found = self.vectors.search(embedding, wanted, self._documents(docs))
        owners = self.generation.passage_owner[found.rows]
        # a clause ranks by its best passage: keep the first row of each clause
        _, first = np.unique(owners, return_index=True)
        first = np.sort(first)[:pool]
        return DenseResult(owners[first].tolist(), found.similarities[first].tolist())

    def search(
        self,
        query: Query,
        *,
        k: int = 10,
        docs: Sequence[str] | None = None,
        mode: RetrieverMode = RetrieverMode.HYBRID,
    ) -> Retrieval:
        """The top ``k`` clauses, office assignments first when the question names an office,
        and the dense candidate pool (refusal evidence)."""
        documents = self._documents(docs)
        allowed = (
            np.ones(len(self.clauses), dtype=bool)
            if documents is None
            else documents[self.generation.clause_doc]
        )
        if not allowed.any():
            return Retrieval([], [])
        scores = None
        if mode in (RetrieverMode.HYBRID, RetrieverMode.BM25):
            scores = np.where(allowed, self.lexical.scores(query), 0.0)
        dense = DenseResult([], [])
        if mode in (RetrieverMode.HYBRID, RetrieverMode.DENSE):
            dense = self.dense(query, docs=docs)
        roles = self._roles([o for o in query.offices if is_department(o)])
        # BM25 ranks only as deep as needed: the full ranking when the top is not settled
        depth = self.tuning.bm25_rank_depth
        while True:
            fused, relevance, bm25_rank, unranked = self._fuse(
                query, scores, dense, roles, mode, depth
            )
            candidates = _top(fused, (fused > 0) & allowed, k)
            if depth is None or _settled(fused, candidates, unranked):
                break
            depth = None
        dense_rank = {pos: rank for rank, pos in enumerate(dense.positions, start=1)}
        dense_score = dict(zip(dense.positions, dense.similarities, strict=True))
        hits = [
            Hit(
                clause=self.clauses[pos],
                score=float(fused[pos]),
                relevance=float(relevance[pos]),
                bm25_rank=int(bm25_rank[pos]) or None,
                dense_rank=dense_rank.get(pos),
                dense_score=dense_score.get(pos),
                office_match=bool(roles[pos]),
            )
            for pos in candidates
        ]
        return Retrieval(hits, dense.similarities)

    def _fuse(
        self,
        query: Query,
        scores: np.ndarray | None,
        dense: DenseResult,
        roles: np.ndarray,
        mode: RetrieverMode,
        depth: int | None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Fusion scores (structure bonus included), relevance, BM25 ranks, and the clauses
        BM25 ranks below ``depth`` (``unranked``): they get the most their rank could add."""
        rrf_k = self.tuning.rrf_k
        fused = np.zeros(len(self.clauses))
        bm25_rank = np.zeros(len(self.clauses), dtype=np.int64)
        unranked = np.zeros(len(self.clauses), dtype=bool)
        if scores is not None:
            order, unranked = _bm25_order(scores, depth)
            ranks = np.arange(1, len(order) + 1)
            bm25_rank[order] = ranks
            fused[order] += 1.0 / (rrf_k + ranks)
            fused[unranked] += 1.0 / (rrf_k + len(order) + 1)
        for rank, pos in enumerate(dense.positions, start=1):
            fused[pos] += 1.0 / (rrf_k + rank)
        # relevance: the fusion score as a share of its maximum (first in every ranking)
        retrievers = 2 if mode is RetrieverMode.HYBRID else 1
        relevance = fused * (rrf_k + 1) / retrievers
        if mode is RetrieverMode.HYBRID:
            fused += self._structure_bonus(query, fused > 0, roles)
        return fused, relevance, bm25_rank, unranked

    def position(self, clause_id: str) -> int:
        return self._position[clause_id]

    def _roles(self, offices: Sequence[str]) -> np.ndarray:
        """Per clause: 2 when it makes one of the offices lead, 1 when coordinate, else 0."""
        roles = np.zeros(len(self.clauses), dtype=np.int8)
        for office in offices:
            if office in self._coordinate:
                roles[self._coordinate[office]] = np.maximum(roles[self._coordinate[office]], 1)
        for office in offices:
            if office in self._lead:
                roles[self._lead[office]] = 2
        return roles

    def _structure_bonus(self, query: Query, present: np.ndarray, roles: np.ndarray) -> np.ndarray:
        """Office assignments first; nudges worth about one top rank for deadlines, named
        documents and metadata blocks (only for clauses some retriever found)."""
        tuning = self.tuning
        bonus = np.where(roles == 2, tuning.office_lead_bonus, 0.0)
        bonus += np.where(roles == 1, tuning.office_coordinate_bonus, 0.0)
        soft = np.zeros(len(self.clauses))
        if query.asks_deadline:
            soft += np.where(self._deadline, tuning.deadline_bonus, 0.0)
        scoped = self._documents(query.scope)
        if scoped is not None:
            soft += np.where(scoped[self.generation.clause_doc], tuning.scope_bonus, 0.0)
        if query.asks_signature:
            soft += np.where(self._closing, tuning.metadata_bonus, 0.0)
        if query.asks_header:
            soft += np.where(self._preamble, tuning.metadata_bonus, 0.0)
        return bonus + np.where(present, soft, 0.0)


def _bm25_order(scores: np.ndarray, depth: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Clauses with a positive score, best first (ties by position), and those left out: with
    ``depth``, only the clauses scoring at least the depth-th best are ordered; every clause
    left out scores lower, so the ranks given are the full ranking's."""
    matched = np.flatnonzero(scores > 0)
    left_out = np.zeros(len(scores), dtype=bool)
    if depth is not None and len(matched) > depth:
        values = scores[matched]
        threshold = np.partition(values, len(values) - depth)[len(values) - depth]
        left_out[matched[values < threshold]] = True
        matched = matched[values >= threshold]
    return matched[np.argsort(-scores[matched], kind="stable")], left_out


def _settled(fused: np.ndarray, top: list[int], unranked: np.ndarray) -> bool:
    """True when the top clauses all have their BM25 rank and score more than any clause
    without one could: then they are the top of the full ranking, in the same order."""
    if not unranked.any():
        return True
    return bool(top) and not unranked[top].any() and fused[unranked].max() < fused[top[-1]]


def _top(scores: np.ndarray, eligible: np.ndarray, k: int) -> list[int]:
    """Positions of the ``k`` best eligible scores, best first, ties by position."""
    positions = np.flatnonzero(eligible)
    if len(positions) > k:
        values = scores[positions]
        threshold = np.partition(values, len(values) - k)[len(values) - k]
        positions = positions[values >= threshold]  # ties at the threshold all stay
    order = np.argsort(-scores[positions], kind="stable")
    return [int(p) for p in positions[order][:k]]
