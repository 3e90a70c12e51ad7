"""Deciding whether the documents cover a question, from lexical and dense evidence together.

Dense cosine scores of the bundled model bunch together (0.81–0.91 for relevant and unrelated
text alike), so no fixed cosine cut-off is used. A question is covered when its rare content
words occur in a top clause (IDF-weighted coverage), with the dense score's standing among the
candidates as a tie-breaker for paraphrases.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from hoidap.types import Hit
from rag.query import Query
from rag.retrieve import ClauseRetriever, Retrieval

TOP_CLAUSES = 5
COVERED = 0.62  # coverage that needs no support from the dense side
SUPPORTED = 0.40  # coverage that counts when the dense score stands out
DENSE_STANDOUT = 1.6  # z-score of the best dense score within the candidate pool


@dataclass(frozen=True)
class Evidence:
    """The figures behind a covered / not-covered decision (kept for evaluation reports)."""

    coverage: float
    dense_z: float
    covered: bool


def coverages(query: Query, hits: Sequence[Hit], retriever: ClauseRetriever) -> list[float]:
    """Lexical coverage of the question by each hit."""
    return [retriever.lexical.coverage(query, retriever.position(h.clause.id)) for h in hits]


def judge(query: Query, retrieval: Retrieval, retriever: ClauseRetriever) -> Evidence:
    """Whether the retrieved clauses answer ``query``."""
    hits = retrieval.hits
    if not hits or not query.content:
        return Evidence(0.0, 0.0, False)
    if query.offices and any(h.office_match for h in hits):
        return Evidence(1.0, 0.0, True)
    coverage = max(coverages(query, hits[:TOP_CLAUSES], retriever))
    pool = retrieval.dense_pool
    dense_z = 0.0
    if len(pool) >= 3:
        spread = statistics.pstdev(pool) or 1e-6
        best = max(
            (h.dense_score for h in hits[:TOP_CLAUSES] if h.dense_score is not None),
            default=statistics.fmean(pool),
        )
        dense_z = (best - statistics.fmean(pool)) / spread
    covered = coverage >= COVERED or (coverage >= SUPPORTED and dense_z >= DENSE_STANDOUT)
    return Evidence(coverage, dense_z, covered)
