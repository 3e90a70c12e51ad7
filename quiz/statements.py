"""The askable facts of a clause, each with the whole phrases a question needs.

A fact is one thing a clause states that a question can ask: the office that leads or
coordinates its task, the task an office is given, its deadline, a purpose or requirement of
the plan, a figure, a document number, or which plan says it. Every phrase a fact carries is
whole (see ``phrasing.whole_phrase``): a question never quotes a heading, a fragment or a
cut marked with "…". A phrase that another clause of the same document also fits with another
answer is not used, so every question has one answer by its clause.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from hoidap import vntext
from hoidap.types import Clause, ClauseKind
from quiz import facts, phrasing
from quiz.distractors import TermPool, equivalent, term_key
from quiz.model import FactKind

logger = logging.getLogger(__name__)

MAX_SENTENCE_WORDS = 40  # a quoted sentence longer than this is not read in class
TABLE_TASK_WORDS = 40
SHORT_WORDS = (14, 10)  # shorter whole phrases tried for a short (Kahoot) stem
SHINGLE = 6  # words a plan must share with a phrase to count as saying it too
_CONJUNCTIONS = frozenset({"hoặc", "và", "cùng", "với", "hay"})
_AIMS = (("muc dich", "mục đích"), ("yeu cau", "yêu cầu"), ("muc tieu", "mục tiêu"))


@dataclass(frozen=True)
class Fact:
    """One askable statement of a clause."""

    clause: Clause
    kind: FactKind
    answer: str  # as shown among the options
    variant: int = 0  # which item of the clause (an office heading may list several tasks)
    predicate: str = ""  # what the subject does: "có nhiệm vụ cân đối…", "chủ trì nhiệm vụ “…”"
    short_predicate: str = ""  # the same, shorter, for a short (Kahoot) stem; "" if none
    task: str = ""  # the task as a whole phrase, sentence case
    subject: str = ""  # TASK: the office; GOAL: "mục đích"…; COORDINATE: the lead office
    sentence: str = ""  # a whole sentence (or verb phrase) of the clause holding ``written``
    written: str = ""  # the term as written in ``sentence``

    @property
    def key(self) -> str:
        """What the fact asks; a quiz asks it once (a phrase that several plans share is
        asked once whichever plan it is put to)."""
        if self.kind is FactKind.PLAN:
            return f"{self.kind.value}|{vntext.normalize(self.task)}"
        term = term_key(self.kind, self.answer)
        return f"{self.clause.id}|{self.kind.value}|{term}|{self.variant}"


def _after_office(item: str, office: str) -> tuple[str, bool] | None:
    """The words of ``item`` after a leading mention of ``office``, and whether they go on
    with the sentence ("Phòng Kinh tế chủ trì…") rather than after a colon or a line break
    ("Sở Nội vụ: Phối hợp…"). None when ``item`` does not start with the office."""
    words = item.split(" ")
    target = facts.office_key(office)
    for size in range(min(len(words), 16), 0, -1):
        head = " ".join(words[:size])
        if facts.office_key(head) == target:
            rest = " ".join(words[size:])
            inline = not head.rstrip().endswith(":") and not rest.lstrip().startswith((":", "-"))
            return rest.lstrip(" :,-–"), inline and bool(rest) and rest[:1].islower()
    return None


def _office_leads_within(item: str, office: str) -> tuple[str, bool] | None:
    """ "…. Sở Tư pháp chủ trì, phối hợp…" inside an item: the words from "chủ trì" on."""
    for sentence in phrasing.sentences(item):
        span = phrasing.find_term(sentence, office)
        if span is None:
            continue
        rest = sentence[span[1] :].lstrip(" ,")
        if vntext.normalize(rest).startswith("chủ trì"):
            return rest, True
    return None


def _body(clause: Clause) -> str:
    """The clause's text without its heading line (when a heading stands alone on it)."""
    lines = clause.text.split("\n")
    if len(lines) > 1 and vntext.normalize(lines[0]) == vntext.normalize(clause.heading):
        return "\n".join(lines[1:])
    return clause.text


def _quoted(task: str) -> str:
    return f"“{phrasing.inner_quotes(task)}”"


def _table_task(clause: Clause) -> str:
    """The task column of a table row as a whole phrase ("" when it has none)."""
    task = clause.columns.get("task")
    return phrasing.whole_phrase(task, max_words=TABLE_TASK_WORDS) if task else ""


def _table_fact(clause: Clause, kind: FactKind, answer: str, task: str, *, verb: str) -> Fact:
    """``answer`` ``verb`` the task of a table row: "chủ trì nhiệm vụ “…”"."""
    short = _shorter(task)
    return Fact(
        clause,
        kind,
        answer,
        predicate=f"{verb} nhiệm vụ {_quoted(task)}",
        short_predicate=f"{verb} nhiệm vụ {_quoted(short)}" if short else "",
        task=task,
    )


def _shorter(text: str) -> str:
    """A shorter whole phrase of ``text`` for a short stem ("" when none is shorter)."""
    for words in SHORT_WORDS:
        phrase = phrasing.whole_phrase(text, max_words=words, min_words=5)
        if phrase:
            return phrase
    return ""


def aim_of(clause: Clause) -> str:
    """ "mục đích", "yêu cầu", "mục tiêu" (or two joined) when the clause sits under such a
    heading; "" otherwise."""
    parts = [vntext.fold(vntext.normalize(p)) for p in clause.label.split("›")]
    for part in reversed(parts[:2]):
        found = [name for key, name in _AIMS if key in part]
        if found:
            return ", ".join(found)
    return ""


class FactFinder:
    """Facts of the clauses of a corpus, and the terms each clause rules out as distractors."""

    def __init__(self, clauses: Sequence[Clause]) -> None:
        self.clauses = [c for c in clauses if facts.askable(c)]
        self.pools = {kind: TermPool(kind, self.clauses) for kind in FactKind}
        self._texts: dict[str, list[tuple[Clause, str]]] = {}
        for clause in self.clauses:
            text = vntext.normalize(" ".join([facts.task_text(clause), clause.text]))
            self._texts.setdefault(clause.source, []).append((clause, text))
        parents = {(c.source, c.parent_path) for c in clauses}
        self.headings = {
            vntext.normalize(c.heading)
            for c in clauses
            if c.heading
            and ((c.source, c.path) in parents or c.kind is ClauseKind.PART or _body(c) != c.text)
        }
        self._has_children = {(c.source, c.path) for c in clauses} & parents
        self._whole_text = {
            source: " \n ".join(text for _, text in pairs) for source, pairs in self._texts.items()
        }
        self._aims = {c.id: aim_of(c) for c in self.clauses}
        self._phrases: dict[str, list[str]] = {}

    # ambiguity ---------------------------------------------------------------------------

    def _states(self, clause: Clause, kind: FactKind, answer: str) -> bool:
        if kind in (FactKind.OFFICE, FactKind.TASK):
            return any(facts.same_office(answer, o) for o in facts.leads(clause))
        if kind is FactKind.COORDINATE:
            return any(facts.same_office(answer, o) for o in facts.coordinators(clause))
        if kind is FactKind.DEADLINE:
            return any(equivalent(kind, answer, d) for d in facts.deadlines(clause))
        return any(n.canonical == answer for n in facts.doc_numbers(facts.task_text(clause)))

    def _ambiguous(self, clause: Clause, phrase: str, kind: FactKind, answer: str) -> bool:
        """True when another clause of the document also fits ``phrase`` with another answer."""
        core = vntext.normalize(phrase)
        return any(
            other.id != clause.id and core in text and not self._states(other, kind, answer)
            for other, text in self._texts.get(clause.source, [])
        )

    def says(self, source: str, phrase: str) -> bool:
        """True when document ``source`` states (a run of words of) ``phrase`` anywhere."""
        words = vntext.normalize(phrase).split()
        if len(words) < SHINGLE:
            windows = [" ".join(words)]
        else:
            windows = [" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]
        text = self._whole_text.get(source, "")
        return any(w in text for w in windows)

    def is_heading(self, text: str) -> bool:
        """True for a heading of the corpus (or text shouting in capitals like one)."""
        letters = [ch for ch in text if ch.isalpha()]
        shouting = letters and sum(ch.isupper() for ch in letters) > 0.6 * len(letters)
        return bool(shouting) or vntext.normalize(text).strip(" .:") in self.headings

    def _whole_sentence(self, text: str, term: str, *, part: bool = False) -> tuple[str, str]:
        """The whole sentence of ``text`` holding ``term`` (with ``part``, the verb phrase
        holding it when the sentence is too long), and the term as written there; ("", "")
        when it is too long, a heading or a fragment."""
        sentence = phrasing.sentence_with(text, term)
        if not sentence:
            return "", ""
        if part and len(sentence.split()) > MAX_SENTENCE_WORDS:
            span = phrasing.find_term(sentence, term)
            cuts = [0, *(c + 1 for c in phrasing.verb_commas(sentence)), len(sentence)]
            start = max(c for c in cuts if c <= span[0])
            end = min(c for c in cuts if c >= span[1] and c > start)
            sentence = phrasing.upper_first(sentence[start:end].strip(" ,;"))
        sentence = phrasing.upper_first(sentence.rstrip(" ,;:."))
        span = phrasing.find_term(sentence, term)
        words = len(sentence.split())
        if span is None or not 8 <= words <= MAX_SENTENCE_WORDS or self.is_heading(sentence):
            return "", ""
        broken = sentence.count("(") != sentence.count(")") or sentence.count(
            "“"
        ) != sentence.count("”")
        if broken or phrasing.ELLIPSIS in sentence or "..." in sentence:
            return "", ""
        return sentence, sentence[span[0] : span[1]]

    # facts -------------------------------------------------------------------------------

    def _office_facts(self, clause: Clause) -> Iterator[Fact]:
        leads = [lead for lead in facts.leads(clause) if facts.office_level(lead)]
        if len(leads) != 1:
            return  # no single office leads ("Các sở, ban, ngành…", or several together)
        lead = leads[0]
        answer = facts.display(lead)
        if clause.columns.get("task"):
            task = _table_task(clause)
            if task and not self._ambiguous(clause, task, FactKind.OFFICE, answer):
                yield _table_fact(clause, FactKind.OFFICE, answer, task, verb="chủ trì")
            return
        for variant, item in enumerate(phrasing.items(_body(clause))):
            after = _after_office(item, lead) or _office_leads_within(item, lead)
            if after is None and facts.mentions_text(item, lead):
                continue  # named in passing, not as the one who leads
            rest, inline = after or (item, False)
            if vntext.normalize(rest).split(" ", 1)[0] in _CONJUNCTIONS:
                continue  # "UBND tỉnh hoặc trình HĐND tỉnh…": not one office's task
            task = phrasing.whole_phrase(rest)
            if not task or facts.mentions_text(task, lead) or self.is_heading(task):
                continue
            if self._ambiguous(clause, task, FactKind.OFFICE, answer):
                continue
            short = _shorter(task)
            leads_it = inline or vntext.normalize(rest).startswith("chủ trì")
            verb = "" if leads_it else "có nhiệm vụ "
            yield Fact(
                clause,
                FactKind.OFFICE,
                answer,
                variant,
                predicate=verb + phrasing.lower_first(task),
                short_predicate=verb + phrasing.lower_first(short) if short else "",
                task=phrasing.upper_first(task),
            )

    def _coordinate_facts(self, clause: Clause) -> Iterator[Fact]:
        named = [c for c in facts.coordinators(clause) if facts.office_level(c)]
        task = _table_task(clause) if named else ""
        if not task:
            return
        for coordinator in named:
            answer = facts.display(coordinator)
            if not self._ambiguous(clause, task, FactKind.COORDINATE, answer):
                yield _table_fact(
                    clause, FactKind.COORDINATE, answer, task, verb="phối hợp thực hiện"
                )

    def _task_facts(self, office_facts: list[Fact]) -> Iterator[Fact]:
        for fact in office_facts:
            if len(fact.task.split()) <= phrasing.MAX_PHRASE_WORDS:
                yield Fact(
                    fact.clause,
                    FactKind.TASK,
                    fact.task,
                    fact.variant,
                    predicate=fact.predicate,
                    task=fact.task,
                    subject=fact.answer,
                )

    def _deadline_facts(self, clause: Clause) -> Iterator[Fact]:
        for deadline in facts.deadlines(clause):
            answer = facts.display(deadline)
            task = ""
            if clause.columns.get("task"):
                task = phrasing.whole_phrase(clause.columns["task"], max_words=TABLE_TASK_WORDS)
            else:
                sentence = phrasing.sentence_with(clause.text, deadline)
                phrase = phrasing.whole_phrase(sentence) if sentence else ""
                if phrase and not phrasing.count_term(phrase, deadline):
                    task = phrase
            if not task or self._ambiguous(clause, task, FactKind.DEADLINE, answer):
                continue
            short = _shorter(task)
            yield Fact(
                clause,
                FactKind.DEADLINE,
                answer,
                predicate=f"nhiệm vụ {_quoted(task)}",
                short_predicate=f"nhiệm vụ {_quoted(short)}" if short else "",
                task=task,
            )

    def _goal_facts(self, clause: Clause) -> Iterator[Fact]:
        aim = self.aim(clause)
        if not aim or (clause.source, clause.path) in self._has_children:
            return
        for variant, item in enumerate(phrasing.items(_body(clause))):
            phrase = phrasing.whole_phrase(item)
            if phrase and not self.is_heading(phrase):
                yield Fact(
                    clause, FactKind.GOAL, phrasing.upper_first(phrase), variant, subject=aim
                )

    def _term_facts(self, clause: Clause) -> Iterator[Fact]:
        """Document numbers and percentages, each in a whole sentence of the clause."""
        if (clause.source, clause.path) in self._has_children:
            return
        text = clause.columns.get("task") or _body(clause)
        pool = self.pools[FactKind.DOCUMENT]
        for number in facts.doc_numbers(text):
            if not number.clean or pool.suspect(number.canonical):
                continue
            sentence, written = self._whole_sentence(text, number.canonical)
            if sentence and phrasing.count_term(sentence, written) == 1:
                yield Fact(
                    clause, FactKind.DOCUMENT, number.canonical, sentence=sentence, written=written
                )
        for percent in facts.percentages(text):
            sentence, written = self._whole_sentence(text, percent, part=True)
            if sentence and phrasing.count_term(sentence, written) == 1:
                yield Fact(
                    clause,
                    FactKind.PERCENT,
                    percent.replace(" ", ""),
                    sentence=sentence,
                    written=written,
                )

    def aim(self, clause: Clause) -> str:
        """``aim_of(clause)``, computed once per clause."""
        return self._aims.get(clause.id, "")

    def plan_phrases(self, clause: Clause) -> list[str]:
        """Whole phrases of a clause's items (tasks and solutions), for distractors."""
        if clause.id not in self._phrases:
            found: list[str] = []
            if (clause.source, clause.path) not in self._has_children and not clause.columns:
                phrases = (phrasing.whole_phrase(item) for item in phrasing.items(_body(clause)))
                found = [phrasing.upper_first(p) for p in phrases if p and not self.is_heading(p)]
            self._phrases[clause.id] = found
        return self._phrases[clause.id]

    def facts_of(self, clause: Clause) -> list[Fact]:
        """Every askable fact of a clause, each once."""
        office = list(self._office_facts(clause))
        found = [
            *office,
            *self._coordinate_facts(clause),
            *self._task_facts(office),
            *self._deadline_facts(clause),
            *self._goal_facts(clause),
            *self._term_facts(clause),
        ]
        return list({f.key: f for f in reversed(found)}.values())[::-1]

    def excluded(self, clause: Clause, kind: FactKind) -> Callable[[str], bool]:
        """Terms the clause itself states, which must not serve as distractors."""
        if kind in (FactKind.OFFICE, FactKind.COORDINATE):
            named = facts.leads(clause) + facts.coordinators(clause)
            return lambda t: (
                facts.mentions(clause, t) or any(facts.same_office(t, o) for o in named)
            )
        if kind is FactKind.DEADLINE:
            stated = facts.deadlines(clause) + list(clause.deadlines)
            hay = " ".join([facts.task_text(clause), *clause.columns.values()])
            return lambda t: (
                phrasing.find_term(hay, t) is not None
                or any(equivalent(kind, t, d) for d in stated)
            )
        if kind is FactKind.DOCUMENT:
            pool = self.pools[kind]
            numbers = {n.canonical for n in facts.doc_numbers(facts.task_text(clause))}
            numbers |= {pool.twin(n) for n in numbers} - {""}
            return lambda t: term_key(kind, t) in numbers
        stated_percents = {term_key(kind, p) for p in facts.percentages(facts.task_text(clause))}
        return lambda t: term_key(kind, t) in stated_percents
