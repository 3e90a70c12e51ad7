"""Hybrid retrieval over clauses: BM25 on Vietnamese word segments fused with dense vectors."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.vector_stores.types import (
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
    VectorStoreQuery,
)

from hoidap.config import RetrieverMode, Settings
from hoidap.types import Clause, ClauseKind, Hit
from index.store import Generation, vector_store
from rag.query import Query, is_department

logger = logging.getLogger(__name__)
# bm25s forces its logger to DEBUG on import, which floods the CLI with "Building index" lines
logging.getLogger("bm25s").setLevel(logging.WARNING)

RRF_K = 60  # the usual reciprocal-rank-fusion constant
DENSE_POOL = 60  # clauses the dense ranking contributes to fusion (and its z-score pool)
EXHAUSTIVE_LIMIT = 5000  # up to this many passages the dense search is exact
# clauses assigning work to the department asked about come first, whatever their rank;
# groups ("các sở, ban, ngành") and authorities ("UBND xã") are too broad for that
OFFICE_LEAD_BONUS = 1.0
OFFICE_COORDINATE_BONUS = 0.9
DEADLINE_BONUS = 0.004  # a nudge, about one rank position, for clauses that state deadlines
SCOPE_BONUS = 0.012  # clauses of a document the question names (about a top-rank's worth)
METADATA_BONUS = 0.012  # the opening / closing block when the question asks about them


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
    """Two BM25 indexes over passages (accented and folded terms) plus clause term statistics."""

    def __init__(self, generation: Generation) -> None:
        position = {c.id: i for i, c in enumerate(generation.clauses)}
        self.size = len(generation.clauses)
        self.owner = np.array([position[p.clause_id] for p in generation.passages], dtype=int)
        self._accented = self._bm25([p.terms for p in generation.passages])
        self._folded = self._bm25([p.folded for p in generation.passages])
        self.term_sets: list[set[str]] = [set() for _ in generation.clauses]
        self.folded_sets: list[set[str]] = [set() for _ in generation.clauses]
        for passage, pos in zip(generation.passages, self.owner):
            self.term_sets[pos].update(passage.terms)
            self.folded_sets[pos].update(passage.folded)
        self._df = Counter(term for terms in self.term_sets for term in terms)
        self._folded_df = Counter(term for terms in self.folded_sets for term in terms)
        # pieces of codes ("06-ctr/tu" → "06", "ctr", "tu"): the tagger splits codes apart
        self._vocabulary = set(self._df) | {p for t in self._df for p in re.split(r"[-/._]", t)}

    @staticmethod
    def _bm25(corpus: list[tuple[str, ...]]) -> bm25s.BM25 | None:
        if not corpus:
            return None
        model = bm25s.BM25()
        model.index([list(doc) or ["\u2205"] for doc in corpus], show_progress=False)
        return model

    def scores(self, query: Query) -> np.ndarray:
        """BM25 score of every clause (its best passage); accented terms count when typed."""
        best = np.zeros(self.size)
        if self._folded is None:
            return best
        total = self._folded.get_scores(list(query.folded_terms))
        if query.accented and self._accented is not None:
            total = total + self._accented.get_scores(list(query.terms))
        np.maximum.at(best, self.owner, np.asarray(total, dtype=np.float64))
        return best

    def idf(self, term: str, *, folded: bool) -> float:
        """Inverse document frequency; a term no clause has gets the highest weight."""
        df = (self._folded_df if folded else self._df).get(term, 0)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def knows_all(self, syllables: list[str]) -> bool:
        """True when every syllable occurs somewhere in the indexed clauses."""
        return all(s in self._vocabulary for s in syllables)

    def coverage(self, query: Query, position: int) -> float:
        """IDF-weighted share of the question's content words that the clause contains."""
        folded = not query.accented
        terms = self.folded_sets[position] if folded else self.term_sets[position]
        weights = {t: self.idf(t, folded=folded) for t in query.content}
        total = sum(weights.values())
        if total == 0:
            return 0.0
        return sum(w for t, w in weights.items() if t in terms) / total


class ClauseRetriever:
    """Ranks the clauses of one index generation for a query."""

    def __init__(self, generation: Generation, settings: Settings, embedder: BaseEmbedding) -> None:
        self.generation = generation
        self.settings = settings
        self.embedder = embedder
        self.lexical = LexicalIndex(generation)
        self._position = {c.id: i for i, c in enumerate(generation.clauses)}
        self._passage_owner = {p.id: self._position[p.clause_id] for p in generation.passages}

    @property
    def clauses(self) -> list[Clause]:
        return self.generation.clauses

    def _allowed(self, docs: Sequence[str] | None) -> np.ndarray:
        allowed = np.ones(len(self.clauses), dtype=bool)
        if docs:
            wanted = set(docs)
            allowed = np.array([c.source in wanted for c in self.clauses], dtype=bool)
        return allowed

    def dense(self, query: Query, *, docs: Sequence[str] | None) -> DenseResult:
        """Nearest clauses (by their best passage) through llama-index's Chroma vector store."""
        if not self.clauses:
            return DenseResult([], [])
        filters = None
        if docs:
            filters = MetadataFilters(
                filters=[MetadataFilter(key="source", value=list(docs), operator=FilterOperator.IN)]
            )
        embedding = self.embedder.get_query_embedding(query.text)
        result = vector_store(self.settings, self.generation).query(
            VectorStoreQuery(
                query_embedding=embedding,
                # HNSW is approximate, and on a few hundred vectors it misses true neighbours
                # from one load to the next; asking for every passage makes it exhaustive
                similarity_top_k=min(EXHAUSTIVE_LIMIT, len(self.generation.passages)),
                filters=filters,
            )
        )
        positions, sims = [], []
        for node_id, similarity in zip(result.ids or [], result.similarities or [], strict=False):
            pos = self._passage_owner.get(node_id)
            if pos is not None and pos not in positions:  # a clause ranks by its best passage
                positions.append(pos)
                sims.append(1.0 + math.log(max(similarity, 1e-9)))  # exp(-distance) → cosine
                if len(positions) == DENSE_POOL:
                    break
        return DenseResult(positions, sims)

    def retrieve(
        self,
        query: Query,
        *,
        k: int = 10,
        docs: Sequence[str] | None = None,
        mode: RetrieverMode = RetrieverMode.HYBRID,
    ) -> list[Hit]:
        """The top ``k`` clauses, office assignments first when the question names an office."""
        return self.search(query, k=k, docs=docs, mode=mode).hits

    def search(
        self,
        query: Query,
        *,
        k: int = 10,
        docs: Sequence[str] | None = None,
        mode: RetrieverMode = RetrieverMode.HYBRID,
    ) -> Retrieval:
        """Like ``retrieve`` but also returns the dense candidate pool (refusal evidence)."""
        allowed = self._allowed(docs)
        if not allowed.any():
            return Retrieval([], [])
        pool: list[float] = []
        fused = np.zeros(len(self.clauses))
        bm25_rank: dict[int, int] = {}
        dense_rank: dict[int, int] = {}
        dense_score: dict[int, float] = {}
        if mode in (RetrieverMode.HYBRID, RetrieverMode.BM25):
            scores = np.where(allowed, self.lexical.scores(query), 0.0)
            order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0]
            for rank, pos in enumerate(order, start=1):
                bm25_rank[pos] = rank
                fused[pos] += 1.0 / (RRF_K + rank)
        if mode in (RetrieverMode.HYBRID, RetrieverMode.DENSE):
            dense = self.dense(query, docs=docs)
            pool = dense.similarities
            for rank, (pos, sim) in enumerate(zip(dense.positions, dense.similarities), start=1):
                dense_rank[pos], dense_score[pos] = rank, sim
                fused[pos] += 1.0 / (RRF_K + rank)
        # relevance: the fusion score as a share of its maximum (first in every ranking)
        retrievers = 2 if mode is RetrieverMode.HYBRID else 1
        relevance = fused * (RRF_K + 1) / retrievers
        if mode is RetrieverMode.HYBRID:
            fused += self._structure_bonus(query, fused > 0)
        departments = [o for o in query.offices if is_department(o)]
        candidates = [
            int(i) for i in np.argsort(-fused, kind="stable") if fused[i] > 0 and allowed[i]
        ]
        hits = [
            Hit(
                clause=self.clauses[pos],
                score=float(fused[pos]),
                relevance=float(relevance[pos]),
                bm25_rank=bm25_rank.get(pos),
                dense_rank=dense_rank.get(pos),
                dense_score=dense_score.get(pos),
                office_match=self._assigns(self.clauses[pos], departments) > 0,
            )
            for pos in candidates[:k]
        ]
        return Retrieval(hits, pool)

    def position(self, clause_id: str) -> int:
        return self._position[clause_id]

    def _structure_bonus(self, query: Query, present: np.ndarray) -> np.ndarray:
        bonus = np.zeros(len(self.clauses))
        departments = [o for o in query.offices if is_department(o)]
        for pos, clause in enumerate(self.clauses):
            role = self._assigns(clause, departments)
            if role:
                bonus[pos] += OFFICE_LEAD_BONUS if role == 2 else OFFICE_COORDINATE_BONUS
            if present[pos]:
                bonus[pos] += self._soft_bonus(query, clause)
        return bonus

    @staticmethod
    def _soft_bonus(query: Query, clause: Clause) -> float:
        """Nudges worth about one top rank: deadlines, named documents, metadata blocks."""
        bonus = 0.0
        if query.asks_deadline and clause.deadlines:
            bonus += DEADLINE_BONUS
        if clause.source in query.scope:
            bonus += SCOPE_BONUS
        if (query.asks_signature and clause.kind is ClauseKind.CLOSING) or (
            query.asks_header and clause.kind is ClauseKind.PREAMBLE
        ):
            bonus += METADATA_BONUS
        return bonus

    @staticmethod
    def _assigns(clause: Clause, offices: Sequence[str]) -> int:
        """2 when the clause makes one of the offices lead, 1 when coordinate, else 0."""
        if not offices:
            return 0
        if any(o in clause.lead_offices for o in offices):
            return 2
        if any(o in clause.coord_offices for o in offices):
            return 1
        return 0
