"""Questions from facts: multiple choice, true/false and cloze, filled from prompt templates.

Every question built here is sound by construction: the answer is stated by the clause, the
stem does not give it away, and each distractor is of the same kind and wrong by the clause
(an office the clause does not name, a task of another office, a phrase outside the plan's
purposes and requirements, a plan that does not say it). Each question carries a quality
score and a difficulty (see quality.py) and, when its stem is longer than Kahoot allows, a
short form that still names the plan.
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from hoidap import vntext
from hoidap.types import Clause, Document
from prompts import render
from quiz import facts, phrasing, quality
from quiz.distractors import term_key
from quiz.model import BLANK, FactKind, Option, Question, QuestionType
from quiz.statements import MAX_SENTENCE_WORDS, Fact, FactFinder

logger = logging.getLogger(__name__)

DISTRACTORS = 3
MIN_PLAN_DISTRACTORS = 2
MAX_DOC_NAME_WORDS = 12
# kinds whose answer is a short term: distractors are terms of the same kind, and the stem
# must not name the answer
TERM_KINDS = (
    FactKind.OFFICE,
    FactKind.COORDINATE,
    FactKind.DEADLINE,
    FactKind.DOCUMENT,
    FactKind.PERCENT,
)
_WHAT = {FactKind.DOCUMENT: "số hiệu văn bản", FactKind.PERCENT: "tỉ lệ"}
_ABBREVIATIONS = (
    ("Kế hoạch hành động", "KHHĐ"),
    ("Kế hoạch", "KH"),
    ("Chương trình hành động", "CTrHĐ"),
    ("Ủy ban nhân dân", "UBND"),
    ("thành phố", "TP"),
)
_LEVEL = re.compile(r"\b(tỉnh|xã|phường|thành phố)\b")
_BARE_ISSUER = re.compile(r"(xã|phường|thị trấn|huyện|quận|tỉnh)$")


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
    if document and document.locality and _BARE_ISSUER.search(document.issuer):
        if vntext.normalize(document.locality) not in vntext.normalize(document.issuer):
            name = f"{name} ({document.locality})"  # "UBND phường" alone names no place
    if len(name.split()) > MAX_DOC_NAME_WORDS:
        return phrasing.whole_phrase(name, max_words=MAX_DOC_NAME_WORDS, min_words=3) or name
    return name


def short_name(name: str) -> str:
    """A document's name as officials abbreviate it ("KH của UBND xã Chí Minh")."""
    for long, short in _ABBREVIATIONS:
        name = name.replace(long, short)
    return name


def _render(name: str, **values: str) -> str:
    """A filled template; quotes inside a quoted phrase become ‘single’ so the outer “…”
    stays whole (a predicate or claim brings its own quotes, made so by statements.py)."""
    inner = {
        key: value if key in ("predicate", "claim") else phrasing.inner_quotes(value)
        for key, value in values.items()
    }
    return render(name, **inner)


class QuestionBuilder:
    """Every sound question the clauses of a corpus support, for one seed."""

    def __init__(self, clauses: Sequence[Clause], documents: Sequence[Document], seed: int):
        self.finder = FactFinder(clauses)
        self.documents = {d.source: d for d in documents}
        self.seed = seed
        self.facts = {c.id: self.finder.facts_of(c) for c in self.finder.clauses}
        self.sources = list(dict.fromkeys(c.source for c in self.finder.clauses))

    def document_name(self, source: str) -> str:
        """How stems name a document: its short title (or a clause's document title)."""
        clause = next((c for c in self.finder.clauses if c.source == source), None)
        return _doc_name(self.documents.get(source), clause) or source

    # shared ------------------------------------------------------------------------------

    def _base(self, fact: Fact, qtype: QuestionType, truth: bool | None) -> dict:
        clause = fact.clause
        return {
            "id": _question_id(qtype, fact.key, truth),
            "type": qtype,
            "fact": fact.kind,
            "source": clause.source,
            "document": self.document_name(clause.source),
            "doc_title": clause.doc_title,
            "clause_id": clause.id,
            "clause_path": clause.path,
            "clause_label": clause.label,
            "clause_text": clause.text,
        }

    def _rng(self, fact: Fact, qtype: QuestionType) -> random.Random:
        return random.Random(f"{self.seed}|{qtype.value}|{fact.key}")

    def _make(
        self,
        fact: Fact,
        qtype: QuestionType,
        *,
        stem: str,
        short: str = "",
        answer: str = "",
        wrong: Sequence[str] = (),
        rng: random.Random | None = None,
        truth: bool | None = None,
        replacement: str = "",
        tier: int = 0,
    ) -> Candidate:
        options: list[Option] = []
        if wrong:
            options = [Option(answer or fact.answer, correct=True)] + [Option(w) for w in wrong]
            (rng or self._rng(fact, qtype)).shuffle(options)
        keep_short = short if len(stem) > quality.KAHOOT_QUESTION else ""
        if len(keep_short) > quality.KAHOOT_QUESTION:
            keep_short = ""
        question = Question(
            stem=stem,
            answer=answer or fact.answer,
            options=tuple(options),
            truth=truth,
            replacement=replacement,
            short_stem=keep_short,
            **self._base(fact, qtype, truth),
        )
        question = replace(
            question,
            quality=quality.score(question, tier=tier),
            difficulty=quality.difficulty(question, tier=tier),
        )
        return Candidate(question, fact.key, term_key(fact.kind, fact.answer))

    # distractors -------------------------------------------------------------------------

    def _terms(self, fact: Fact, rng: random.Random, k: int) -> tuple[list[str], int] | None:
        return self.finder.pools[fact.kind].pick(
            fact.answer,
            source=fact.clause.source,
            excluded=self.finder.excluded(fact.clause, fact.kind),
            rng=rng,
            k=k,
        )

    def _pick_phrases(
        self, fact: Fact, tiers: list[list[str]], rng: random.Random, k: int
    ) -> tuple[list[str], int] | None:
        """``k`` phrases from ``tiers``, nearest first and of a length like the answer's."""
        chosen: list[str] = []
        seen = {vntext.normalize(fact.answer)}
        for depth, tier in enumerate(tiers):
            pool = list(dict.fromkeys(tier))
            rng.shuffle(pool)
            pool.sort(key=lambda p: abs(len(p) - len(fact.answer)) // 25)
            for phrase in pool:
                if vntext.normalize(phrase) not in seen:
                    seen.add(vntext.normalize(phrase))
                    chosen.append(phrase)
                if len(chosen) == k:
                    return chosen, depth
        return None

    def _office_tasks(self, office: str, source: str) -> list[Fact]:
        return [
            f
            for c in self.finder.clauses
            if c.source == source
            for f in self.facts.get(c.id, [])
            if f.kind is FactKind.TASK and facts.same_office(f.subject, office)
        ]

    def _task_distractors(self, fact: Fact, rng: random.Random, k: int):
        """Tasks of other offices (same plan, then offices of the same level elsewhere) that
        the clause's office is given nowhere in its plan."""
        office = fact.subject
        own = " ".join(
            vntext.normalize(f.clause.text) for f in self._office_tasks(office, fact.clause.source)
        )
        level = facts.office_level(office)

        def fits(other: Fact) -> bool:
            named = facts.leads(other.clause) + facts.coordinators(other.clause)
            return (
                other.kind is FactKind.TASK
                and not any(facts.same_office(office, n) for n in named)
                and vntext.normalize(other.answer) not in own
            )

        same, elsewhere = [], []
        for clause in self.finder.clauses:
            for other in self.facts.get(clause.id, []):
                if not fits(other):
                    continue
                if clause.source == fact.clause.source:
                    same.append(other.answer)
                elif facts.office_level(other.subject) == level:
                    elsewhere.append(other.answer)
        return self._pick_phrases(fact, [same, elsewhere], rng, k)

    def _goal_distractors(self, fact: Fact, rng: random.Random, k: int):
        """Phrases of the plan's tasks (then other plans') that its purposes, requirements
        and goals do not state."""
        source = fact.clause.source
        aims = [
            vntext.normalize(c.text)
            for c in self.finder.clauses
            if c.source == source and any(f.kind is FactKind.GOAL for f in self.facts[c.id])
        ]

        def outside(phrase: str) -> bool:
            words = vntext.normalize(phrase).split()
            windows = {" ".join(words[i : i + 5]) for i in range(max(len(words) - 4, 1))}
            return not any(w in text for w in windows for text in aims)

        same, elsewhere = [], []
        for clause in self.finder.clauses:
            if self.finder.aim(clause):
                continue
            for phrase in self.finder.plan_phrases(clause):
                if outside(phrase):
                    (same if clause.source == source else elsewhere).append(phrase)
        return self._pick_phrases(fact, [same, elsewhere], rng, k)

    def _plan_distractors(self, fact: Fact, rng: random.Random, k: int):
        """Other plans of the corpus that say nothing like the claim, of the level the claim
        names (a claim about "UBND tỉnh" is not put to a commune's plan)."""
        levels = _LEVEL.findall(vntext.normalize(fact.task))

        def fits(source: str) -> bool:
            document = self.documents.get(source)
            issuer = vntext.normalize(document.issuer if document else "")
            return all(level in issuer for level in levels)

        others = [
            self.document_name(s)
            for s in self.sources
            if s != fact.clause.source and not self.finder.says(s, fact.task) and fits(s)
        ]
        names = [n for n in dict.fromkeys(others) if n != fact.answer]
        wanted = min(k, len(names))
        if wanted < min(k, MIN_PLAN_DISTRACTORS):
            return None  # a choice between two plans is a coin toss
        return self._pick_phrases(fact, [names], rng, wanted)

    def _distractors(self, fact: Fact, qtype: QuestionType, k: int):
        rng = self._rng(fact, qtype)
        if fact.kind in TERM_KINDS:
            return self._terms(fact, rng, k)
        if fact.kind is FactKind.TASK:
            return self._task_distractors(fact, rng, k)
        if fact.kind is FactKind.GOAL:
            return self._goal_distractors(fact, rng, k)
        return self._plan_distractors(fact, rng, k)

    # stems ---------------------------------------------------------------------------------

    def _stems(self, fact: Fact, said: str | None) -> tuple[str, str]:
        """The MCQ stem (``said`` None) or a true/false claim with ``said`` as its answer;
        each with its short form ("" when none)."""
        source = fact.clause.source
        names = (self.document_name(source), short_name(self.document_name(source)))
        forms: list[str] = []
        for document, predicate in zip(names, (fact.predicate, fact.short_predicate), strict=True):
            if not predicate and fact.kind in (
                FactKind.OFFICE,
                FactKind.COORDINATE,
                FactKind.DEADLINE,
            ):
                forms.append("")
                continue
            forms.append(self._stem(fact, said, document, predicate))
        return forms[0], forms[1]

    def _stem(self, fact: Fact, said: str | None, document: str, predicate: str) -> str:
        kind = fact.kind
        if kind in (FactKind.OFFICE, FactKind.COORDINATE):
            if said is None:
                return _render("quiz_mcq_who", document=document, predicate=predicate)
            return _render("quiz_tf_who", document=document, office=said, predicate=predicate)
        if kind is FactKind.DEADLINE:
            if said is None:
                return _render("quiz_mcq_deadline", document=document, predicate=predicate)
            deadline = phrasing.lower_first(said)
            return _render(
                "quiz_tf_deadline", document=document, predicate=predicate, deadline=deadline
            )
        if kind is FactKind.TASK:
            if said is None:
                return _render("quiz_mcq_task", document=document, office=fact.subject)
            return _render("quiz_tf_task", document=document, office=fact.subject, task=said)
        if kind is FactKind.GOAL:
            if said is None:
                return _render("quiz_mcq_goal", document=document, aim=fact.subject)
            return _render("quiz_tf_goal", document=document, goal=said, aim=fact.subject)
        if kind is FactKind.PLAN:
            if said is None:
                return _render("quiz_mcq_plan", claim=fact.predicate)
            return _render("quiz_tf_plan", plan=said, claim=fact.predicate)
        if said is None:
            blanked = phrasing.blank_out(fact.sentence, fact.written, BLANK)
            return _render("quiz_mcq_term", document=document, what=_WHAT[kind], sentence=blanked)
        statement = phrasing.swap(fact.sentence, fact.written, said)
        return _render("quiz_tf_quote", document=document, statement=statement)

    # questions ---------------------------------------------------------------------------

    def _mcq(self, fact: Fact) -> list[Candidate]:
        stem, short = self._stems(fact, None)
        if not stem or (fact.kind in TERM_KINDS and facts.mentions_text(stem, fact.answer)):
            return []
        picked = self._distractors(fact, QuestionType.MCQ, DISTRACTORS)
        if picked is None:
            return []
        wrong, tier = picked
        return [self._make(fact, QuestionType.MCQ, stem=stem, short=short, wrong=wrong, tier=tier)]

    def _truefalse(self, fact: Fact) -> list[Candidate]:
        said = fact.written or fact.answer
        true_stem, true_short = self._stems(fact, said)
        if not true_stem:
            return []
        found = [
            self._make(fact, QuestionType.TRUEFALSE, stem=true_stem, short=true_short, truth=True)
        ]
        picked = self._distractors(fact, QuestionType.TRUEFALSE, 1)
        if picked:
            (wrong,), tier = picked
            false_stem, false_short = self._stems(fact, wrong)
            if false_stem and false_stem != true_stem:
                found.append(
                    self._make(
                        fact,
                        QuestionType.TRUEFALSE,
                        stem=false_stem,
                        short=false_short,
                        truth=False,
                        replacement=wrong,
                        tier=tier,
                    )
                )
        return found

    def _cloze(self, fact: Fact) -> list[Candidate]:
        document = self.document_name(fact.clause.source)
        if fact.kind in (FactKind.OFFICE, FactKind.COORDINATE):
            sentence = f"{BLANK} {fact.predicate}"
        elif fact.kind is FactKind.DEADLINE:
            sentence = f"Thời hạn thực hiện {fact.predicate} là {BLANK}"
        elif fact.kind in (FactKind.DOCUMENT, FactKind.PERCENT):
            sentence = phrasing.blank_out(fact.sentence, fact.written, BLANK)
        else:
            return []
        if len(sentence.split()) > MAX_SENTENCE_WORDS:
            return []  # a quotation too long to read aloud with a blank in it
        stem = _render("quiz_cloze", document=document, sentence=sentence)
        if facts.mentions_text(stem, fact.answer):
            return []  # the answer shows elsewhere in the stem, e.g. in the document's name
        picked = self._distractors(fact, QuestionType.CLOZE, DISTRACTORS)
        wrong, tier = picked or ([], 0)
        answer = fact.written or fact.answer
        return [
            self._make(fact, QuestionType.CLOZE, stem=stem, answer=answer, wrong=wrong, tier=tier)
        ]

    def _names_place(self, source: str, text: str) -> bool:
        """True when ``text`` names the place of plan ``source`` (giving the plan away)."""
        document = self.documents.get(source)
        if document is None:
            return False
        places = [document.locality, document.issuer.removeprefix("UBND ").strip()]
        hay = vntext.normalize(text)
        return any(len(p) > 3 and vntext.normalize(p) in hay for p in places)

    def _plan_facts(self, clause: Clause) -> list[Fact]:
        """ "Which plan says it" facts from the clause's task and goal facts."""
        name = self.document_name(clause.source)
        found = []
        for fact in self.facts.get(clause.id, []):
            if fact.kind is FactKind.TASK:
                claim = f"nêu nhiệm vụ “{phrasing.inner_quotes(fact.answer)}”"
            elif fact.kind is FactKind.GOAL:
                claim = f"nêu {fact.subject} “{phrasing.inner_quotes(fact.answer)}”"
            else:
                continue
            if self._names_place(clause.source, fact.answer):
                continue
            found.append(
                Fact(clause, FactKind.PLAN, name, fact.variant, predicate=claim, task=fact.answer)
            )
        if not found and not self.finder.aim(clause):
            for variant, phrase in enumerate(self.finder.plan_phrases(clause)):
                if not self._names_place(clause.source, phrase):
                    claim = f"nêu nhiệm vụ “{phrasing.inner_quotes(phrase)}”"
                    found.append(
                        Fact(clause, FactKind.PLAN, name, variant, predicate=claim, task=phrase)
                    )
        return found

    def candidates(
        self,
        sources: Sequence[str],
        types: Sequence[QuestionType],
        *,
        where: Callable[[Clause], bool] | None = None,
    ) -> dict[str, dict[QuestionType, list[Candidate]]]:
        """Every sound question of the given documents (and clauses ``where`` allows), by
        document and type."""
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
            if clause.source not in wanted or (where is not None and not where(clause)):
                continue
            for fact in [*self.facts.get(clause.id, []), *self._plan_facts(clause)]:
                for qtype in types:
                    found[clause.source][qtype].extend(builders[qtype](fact))
        return found
