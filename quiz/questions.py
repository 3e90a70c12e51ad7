"""Questions from facts: multiple choice, true/false and cloze, filled from prompt templates.

Every question built here is sound by construction: the answer is stated by the clause, the
stem does not give it away, and distractors come from the corpus pools (see distractors.py)
minus everything the clause itself states.
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass

from hoidap.types import Clause, Document
from prompts import render
from quiz import facts, phrasing
from quiz.distractors import term_key
from quiz.model import BLANK, FactKind, Option, Question, QuestionType
from quiz.statements import Fact, FactFinder

logger = logging.getLogger(__name__)

DISTRACTORS = 3
MIN_QUOTE_WORDS = 8  # a quote or a blank needs this much context to be answerable
MAX_DOC_NAME_WORDS = 12


@dataclass(frozen=True)
class Candidate:
    """A ready question and what the selection needs to know about it."""

    question: Question
    key: str  # the fact asked; a quiz asks each fact once
    answer_key: str  # used to spread answers over the quiz


def _question_id(qtype: QuestionType, key: str, truth: bool | None) -> str:
    digest = hashlib.sha1(f"{qtype.value}|{key}|{truth}".encode()).hexdigest()
    return digest[:12]


def _doc_name(document: Document | None, clause: Clause | None) -> str:
    name = document.short_title if document else (clause.doc_title if clause else "")
    if len(name.split()) > MAX_DOC_NAME_WORDS:
        return phrasing.shorten(name, max_words=MAX_DOC_NAME_WORDS)
    return name


_INNER_QUOTES = str.maketrans({"“": "‘", "”": "’", '"': "'"})


def _render(name: str, **values: str) -> str:
    """A filled template. Quotes inside a quoted phrase become ‘single’ so the outer “…”
    stays whole; a phrase ending in "…" does not get a second full stop."""
    inner = {key: value.translate(_INNER_QUOTES) for key, value in values.items()}
    return render(name, **inner).replace("….", "…")


def _match_case(term: str, model: str, kind: FactKind) -> str:
    """Give a deadline or percentage the case of the term it stands beside ("năm 2026")."""
    if kind in (FactKind.DEADLINE, FactKind.PERCENT) and model[:1].islower():
        return term[:1].lower() + term[1:]
    return term


class QuestionBuilder:
    """Every sound question the clauses of a corpus support, for one seed."""

    def __init__(self, clauses: Sequence[Clause], documents: Sequence[Document], seed: int):
        self.finder = FactFinder(clauses)
        self.documents = {d.source: d for d in documents}
        self.seed = seed

    def document_name(self, source: str) -> str:
        """How stems name a document: its short title (or a clause's document title)."""
        clause = next((c for c in self.finder.clauses if c.source == source), None)
        return _doc_name(self.documents.get(source), clause) or source

    # questions ---------------------------------------------------------------------------

    def _base(self, fact: Fact, qtype: QuestionType, truth: bool | None) -> dict:
        clause = fact.clause
        return {
            "id": _question_id(qtype, fact.key, truth),
            "type": qtype,
            "fact": fact.kind,
            "source": clause.source,
            "document": _doc_name(self.documents.get(clause.source), clause),
            "doc_title": clause.doc_title,
            "clause_id": clause.id,
            "clause_path": clause.path,
            "clause_label": clause.label,
            "clause_text": clause.text,
        }

    def _rng(self, fact: Fact, qtype: QuestionType) -> random.Random:
        return random.Random(f"{self.seed}|{qtype.value}|{fact.key}")

    def _distractors(self, fact: Fact, rng: random.Random, k: int) -> list[str] | None:
        return self.finder.pools[fact.kind].pick(
            fact.answer,
            source=fact.clause.source,
            excluded=self.finder.excluded(fact.clause, fact.kind),
            rng=rng,
            k=k,
        )

    def _mcq(self, fact: Fact) -> list[Candidate]:
        document = _doc_name(self.documents.get(fact.clause.source), fact.clause)
        if fact.kind is FactKind.OFFICE and fact.predicate:
            stem = _render("quiz_mcq_office_inline", document=document, predicate=fact.predicate)
        elif fact.kind is FactKind.OFFICE and fact.task:
            stem = _render("quiz_mcq_office", document=document, task=fact.task)
        elif fact.kind is FactKind.DEADLINE and fact.task:
            stem = _render("quiz_mcq_deadline", document=document, task=fact.task)
        elif fact.kind is FactKind.DOCUMENT and fact.task:
            stem = _render("quiz_mcq_document", document=document, task=fact.task)
        else:
            return []
        if facts.mentions_text(stem, fact.answer):
            return []
        rng = self._rng(fact, QuestionType.MCQ)
        wrong = self._distractors(fact, rng, DISTRACTORS)
        if wrong is None:
            return []
        options = [Option(fact.answer, correct=True)] + [Option(w) for w in wrong]
        rng.shuffle(options)
        question = Question(
            stem=stem,
            answer=fact.answer,
            options=tuple(options),
            **self._base(fact, QuestionType.MCQ, None),
        )
        return [Candidate(question, fact.key, term_key(fact.kind, fact.answer))]

    def _statement(self, fact: Fact, term: str | None = None) -> tuple[str, str]:
        """A true statement of the fact (``term`` None) or one with ``term`` swapped in,
        and the term as it reads in the statement."""
        document = _doc_name(self.documents.get(fact.clause.source), fact.clause)
        said = term or fact.answer
        if fact.kind is FactKind.OFFICE and fact.predicate:
            return _render(
                "quiz_tf_office_inline", document=document, office=said, predicate=fact.predicate
            ), said
        if fact.kind is FactKind.OFFICE and fact.task:
            return _render("quiz_tf_office", document=document, office=said, task=fact.task), said
        if fact.kind is FactKind.DEADLINE and fact.task:
            return _render(
                "quiz_tf_deadline", document=document, task=fact.task, deadline=said
            ), said
        quotable = len(fact.sentence.split()) >= MIN_QUOTE_WORDS
        if fact.kind is not FactKind.OFFICE and quotable and fact.written:
            said = fact.written if term is None else _match_case(term, fact.written, fact.kind)
            statement = phrasing.swap(fact.sentence, fact.written, said)
            return _render("quiz_tf_quote", document=document, statement=statement), said
        return "", ""

    def _truefalse(self, fact: Fact) -> list[Candidate]:
        true_stem, _ = self._statement(fact)
        if not true_stem:
            return []
        answer_key = term_key(fact.kind, fact.answer)
        candidates = [
            Candidate(
                Question(
                    stem=true_stem,
                    answer=fact.answer,
                    truth=True,
                    **self._base(fact, QuestionType.TRUEFALSE, True),
                ),
                fact.key,
                answer_key,
            )
        ]
        wrong = self._distractors(fact, self._rng(fact, QuestionType.TRUEFALSE), 1)
        if wrong:
            false_stem, replacement = self._statement(fact, wrong[0])
            if false_stem and false_stem != true_stem:
                candidates.append(
                    Candidate(
                        Question(
                            stem=false_stem,
                            answer=fact.answer,
                            truth=False,
                            replacement=replacement,
                            **self._base(fact, QuestionType.TRUEFALSE, False),
                        ),
                        fact.key,
                        answer_key,
                    )
                )
        return candidates

    def _cloze(self, fact: Fact) -> list[Candidate]:
        if not fact.sentence or not fact.written:
            return []
        if len(fact.sentence.split()) < MIN_QUOTE_WORDS:
            return []
        if phrasing.count_term(fact.sentence, fact.written) != 1:
            return []
        document = _doc_name(self.documents.get(fact.clause.source), fact.clause)
        blanked = phrasing.blank_out(fact.sentence, fact.written, BLANK)
        stem = _render("quiz_cloze", document=document, sentence=blanked)
        if facts.mentions_text(stem, fact.answer):
            return []  # the answer shows elsewhere in the stem, e.g. in the document's name
        rng = self._rng(fact, QuestionType.CLOZE)
        wrong = self._distractors(fact, rng, DISTRACTORS)
        options: list[Option] = []
        if wrong:
            options = [Option(fact.written, correct=True)] + [
                Option(_match_case(w, fact.written, fact.kind)) for w in wrong
            ]
            rng.shuffle(options)
        question = Question(
            stem=stem,
            answer=fact.written,
            options=tuple(options),
            **self._base(fact, QuestionType.CLOZE, None),
        )
        return [Candidate(question, fact.key, term_key(fact.kind, fact.answer))]

    def candidates(
        self, sources: Sequence[str], types: Sequence[QuestionType]
    ) -> dict[str, dict[QuestionType, list[Candidate]]]:
        """Every sound question of the given documents, by document and type."""
        builders = {
            QuestionType.MCQ: self._mcq,
            QuestionType.TRUEFALSE: self._truefalse,
            QuestionType.CLOZE: self._cloze,
        }
        wanted = set(sources)
        found: dict[str, dict[QuestionType, list[Candidate]]] = {
            s: {t: [] for t in types} for s in sources
        }
        for clause in self.finder.clauses:
            if clause.source not in wanted:
                continue
            for fact in self.finder.facts_of(clause):
                for qtype in types:
                    found[clause.source][qtype].extend(builders[qtype](fact))
        return found
