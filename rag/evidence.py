"""Deciding whether the documents cover a question, from lexical and dense evidence together.

Dense cosine scores of the bundled model bunch together (0.81–0.91 for relevant and unrelated
text alike), so no fixed cosine cut-off is used. A question is covered when a top clause of
the fused (lexical + dense) ranking holds most of its content words, weighted by rarity; a
question that names a thing (a noun) that no document ever mentions needs a much closer
match. A weaker lexical match still counts when the dense score of a top clause stands far
out of its candidate pool (a z-score, not a cosine value), which rescues paraphrases.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from hoidap.types import Hit
from rag.query import Query, is_department
from rag.retrieve import ClauseRetriever, Retrieval

TOP_CLAUSES = 5
MINIMUM = 0.45  # share of the question's weighted content words a top clause must hold
WITH_DENSE_SUPPORT = 0.35  # enough when the dense score stands far out of its pool
DENSE_STANDOUT = 3.5  # z-score of the best dense score among the dense candidates
WITH_UNKNOWN_NOUN = 0.65  # needed when the question names a thing no document mentions


@dataclass(frozen=True)
class Evidence:
    """The figures behind a covered / not-covered decision (logged at debug level)."""

    coverage: float
    dense_z: float
    covered: bool
    unknown_nouns: tuple[str, ...] = ()


def coverages(query: Query, hits: Sequence[Hit], retriever: ClauseRetriever) -> list[float]:
    """Lexical coverage of the question by each hit."""
    return [retriever.lexical.coverage(query, retriever.position(h.clause.id)) for h in hits]


def judge(query: Query, retrieval: Retrieval, retriever: ClauseRetriever) -> Evidence:
    """Whether the retrieved clauses answer ``query``."""
    hits = retrieval.hits
    if not hits or not query.content:
        return Evidence(0.0, 0.0, False)
    if any(is_department(o) for o in query.offices) and any(h.office_match for h in hits):
        return Evidence(1.0, 0.0, True)  # the question is about an office the plans task
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
    unknown = tuple(n for n in query.nouns if not retriever.lexical.knows_all(n.split()))
    if unknown:
        covered = coverage >= WITH_UNKNOWN_NOUN
    else:
        covered = coverage >= MINIMUM or (
            coverage >= WITH_DENSE_SUPPORT and dense_z >= DENSE_STANDOUT
        )
    return Evidence(coverage, dense_z, covered, unknown)
