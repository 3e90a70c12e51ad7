"""Run a gold question set through a question-answering system and score every answer."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from eval.gold import GoldQuestion, load_gold
from eval.metrics import RETRIEVAL_DEPTH, QuestionScore, Retrieved, score_question, summarize
from hoidap.config import RetrieverMode
from hoidap.types import Answer

if TYPE_CHECKING:
    from service import Service

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (done, total, message), as in service.Service


class System(Protocol):
    """What the harness needs from a system under test: the service or a baseline."""

    name: str

    def sources(self) -> list[str]:
        """File names of the indexed documents (gold ``source`` values must be among them)."""
        ...

    def rank(self, question: str, *, k: int) -> list[Retrieved]:
        """The top ``k`` clauses or chunks retrieval returns for the question."""
        ...

    def ask(self, question: str, *, k: int) -> Answer:
        """The answer with ``k`` retrieved clauses to cite from."""
        ...


class ServiceSystem:
    """The real service, retrieving with one of its modes (hybrid, BM25 only, dense only)."""

    def __init__(self, service: Service, *, mode: RetrieverMode = RetrieverMode.HYBRID) -> None:
        self.service = service
        self.mode = RetrieverMode(mode)
        self.name = self.mode.value

    def sources(self) -> list[str]:
        return [d.source for d in self.service.documents()]

    def rank(self, question: str, *, k: int) -> list[Retrieved]:
        hits = self.service.retrieve(question, k=k, mode=self.mode)
        return [
            Retrieved(
                source=h.clause.source,
                text=h.clause.text,
                path=h.clause.path,
                clause_id=h.clause.id,
                score=h.score,
            )
            for h in hits
        ]

    def ask(self, question: str, *, k: int) -> Answer:
        return self.service.ask(question, k=k, mode=self.mode)


@dataclass(frozen=True)
class QuestionResult:
    """One gold question with the system's answer, its retrieval ranking and its scores."""

    gold: GoldQuestion
    answer: Answer
    ranking: tuple[Retrieved, ...]
    score: QuestionScore

    def to_dict(self) -> dict[str, Any]:
        """One line of results.jsonl."""
        return {
            "id": self.gold.id,
            "type": self.gold.type,
            "answerable": self.gold.answerable,
            "expected": [
                {"source": e.source, "contains": e.contains, "rank": r, "cited": c}
                for e, r, c in zip(
                    self.gold.expected,
                    self.score.expected_ranks,
                    self.score.expected_cited,
                    strict=True,
                )
            ],
            "key_facts": list(self.gold.key_facts),
            **self.answer.to_dict(),
            "metrics": self.score.values,
            "citation_matches": list(self.score.citation_matches),
            "facts_found": list(self.score.facts_found),
            "failures": list(self.score.failures),
            "retrieved": [r.to_dict() for r in self.ranking],
        }


@dataclass(frozen=True)
class EvalRun:
    """A finished run: its configuration, per-question results and run-level metrics."""

    config: dict[str, Any]
    results: tuple[QuestionResult, ...]
    summary: dict[str, Any] = field(default_factory=dict)

    def metrics_dict(self) -> dict[str, Any]:
        """The content of metrics.json."""
        return {"config": self.config, **self.summary}


def run_questions(
    questions: Sequence[GoldQuestion],
    system: System,
    *,
    k: int = 5,
    progress: Progress | None = None,
) -> list[QuestionResult]:
    """Ask every question, retrieve its ranking for hit@k/MRR, and score it."""
    results = []
    total = len(questions)
    for done, gold in enumerate(questions, start=1):
        # ask first: its latency then includes embedding the question, as a user would see it
        answer = system.ask(gold.question, k=k)
        ranking = tuple(system.rank(gold.question, k=RETRIEVAL_DEPTH))
        score = score_question(gold, ranking=ranking, answer=answer)
        results.append(QuestionResult(gold=gold, answer=answer, ranking=ranking, score=score))
        if progress is not None:
            progress(done, total, gold.id)
    return results


def evaluate(
    gold_path: Path,
    system: System,
    *,
    k: int = 5,
    progress: Progress | None = None,
) -> EvalRun:
    """Validate the gold file against the system's documents, then run and score it.

    Raises ``GoldFileError`` (nothing is run) when the file is malformed.
    """
    questions = load_gold(gold_path, sources=system.sources())
    started = time.perf_counter()
    started_at = datetime.now().astimezone().isoformat(timespec="seconds")
    results = run_questions(questions, system, k=k, progress=progress)
    seconds = time.perf_counter() - started
    logger.info("evaluated %d questions in %.1f s", len(results), seconds)
    config = {
        "gold": str(gold_path),
        "retriever": system.name,
        "k": k,
        "questions": len(results),
        "started_at": started_at,
        "seconds": round(seconds, 3),
    }
    summary = summarize([r.score for r in results], [r.gold.type for r in results])
    return EvalRun(config=config, results=tuple(results), summary=summary)
