"""The askable facts of a clause, each with the phrases a question needs.

A fact is one thing a clause states that a question can ask: the office that leads its task,
its deadline, a document number or a percentage. Each fact carries a short task phrase for
template questions (made long enough that no other clause of the document fits it with
another answer) and the clause's own words around the term for quotes and blanks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from hoidap import vntext
from hoidap.types import Clause
from quiz import facts, phrasing
from quiz.distractors import TermPool, equivalent, term_key
from quiz.model import FactKind

logger = logging.getLogger(__name__)

# (words, cut at a comma) tried in turn until a task phrase is unambiguous
PHRASE_LENGTHS = ((20, True), (20, False), (30, False), (40, False))
_CONJUNCTIONS = frozenset({"hoặc", "và", "cùng", "với", "hay"})


@dataclass(frozen=True)
class Fact:
    """One askable statement of a clause."""

    clause: Clause
    kind: FactKind
    answer: str  # as shown among the options
    variant: int = 0  # which task of the clause (an office heading may list several)
    task: str = ""  # short task phrase for the templates
    predicate: str = ""  # "chủ trì, phối hợp …" when the clause names the office inline
    sentence: str = ""  # the clause's words around the term, for quotes and blanks
    written: str = ""  # the term as written in ``sentence``

    @property
    def key(self) -> str:
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


def _lower_first(phrase: str) -> str:
    """ "Chủ trì, phối hợp…" → "chủ trì, phối hợp…" (acronyms such as "UBND" kept)."""
    first = phrase.split(" ", 1)[0]
    return phrase if first.isupper() else phrase[:1].lower() + phrase[1:]


class FactFinder:
    """Facts of the clauses of a corpus, and the terms each clause rules out as distractors."""

    def __init__(self, clauses: Sequence[Clause]) -> None:
        self.clauses = [c for c in clauses if facts.askable(c)]
        self.pools = {kind: TermPool(kind, self.clauses) for kind in FactKind}
        self._texts: dict[str, list[tuple[Clause, str]]] = {}
        for clause in self.clauses:
            text = vntext.normalize(" ".join([facts.task_text(clause), clause.text]))
            self._texts.setdefault(clause.source, []).append((clause, text))

    # ambiguity ---------------------------------------------------------------------------

    def _states(self, clause: Clause, kind: FactKind, answer: str) -> bool:
        if kind is FactKind.OFFICE:
            return any(facts.same_office(answer, o) for o in facts.leads(clause))
        if kind is FactKind.DEADLINE:
            return any(equivalent(kind, answer, d) for d in facts.deadlines(clause))
        return any(n.canonical == answer for n in facts.doc_numbers(facts.task_text(clause)))

    def _fits_others(
        self, clause: Clause, phrase: str, kind: FactKind, answer: str, *, any_answer: bool
    ) -> bool:
        """True when another clause of the document also fits ``phrase`` (with another
        answer, unless ``any_answer``)."""
        core = vntext.normalize(phrase.removesuffix(phrasing.ELLIPSIS))
        return any(
            other.id != clause.id
            and core in text
            and (any_answer or not self._states(other, kind, answer))
            for other, text in self._texts.get(clause.source, [])
        )

    def _ambiguous(self, clause: Clause, phrase: str, kind: FactKind, answer: str) -> bool:
        """True when another clause of the document also fits ``phrase`` with another answer."""
        return self._fits_others(clause, phrase, kind, answer, any_answer=False)

    def _distinct(self, clause: Clause, text: str, kind: FactKind, answer: str) -> str:
        """The shortest phrase of ``text`` that names this clause's task alone, else the
        shortest that at least leaves one answer ("" when none does)."""
        phrases = []
        for max_words, at_comma in PHRASE_LENGTHS:
            phrases.append(phrasing.shorten(text, max_words=max_words, at_comma=at_comma))
            if not phrases[-1].endswith(phrasing.ELLIPSIS):
                break
        for any_answer in (True, False):
            for phrase in phrases:
                if not self._fits_others(clause, phrase, kind, answer, any_answer=any_answer):
                    return phrase
        return ""

    # facts -------------------------------------------------------------------------------

    def _office_facts(self, clause: Clause) -> Iterator[Fact]:
        leads = [lead for lead in facts.leads(clause) if facts.office_level(lead)]
        if len(leads) != 1:
            return  # no single office leads ("Các sở, ban, ngành…", or several together)
        for lead in leads:
            answer = facts.display(lead)
            kind = FactKind.OFFICE
            if clause.columns.get("task"):
                task = self._distinct(clause, clause.columns["task"], kind, answer)
                yield Fact(clause, kind, answer, task=task)
                continue
            for variant, item in enumerate(phrasing.items(clause.text)):
                after = _after_office(item, lead) or _office_leads_within(item, lead)
                if after is None and facts.mentions_text(item, lead):
                    continue  # named in passing, not as the one who leads
                rest, inline = after or (item, False)
                task = predicate = ""
                if inline or vntext.normalize(rest).startswith("chủ trì"):
                    if vntext.normalize(rest).split(" ", 1)[0] in _CONJUNCTIONS:
                        continue  # "UBND tỉnh hoặc trình HĐND tỉnh…": not one office's task
                    predicate = _lower_first(self._distinct(clause, rest, kind, answer))
                else:
                    task = self._distinct(clause, rest, kind, answer)
                if facts.mentions_text(task + " " + predicate, lead):
                    task = predicate = ""
                sentence = phrasing.sentence_with(item, lead)
                window = phrasing.window(sentence, lead) if sentence else ""
                span = phrasing.find_term(window, lead) if window else None
                written = window[span[0] : span[1]] if span else ""
                if task or predicate or written:
                    yield Fact(
                        clause,
                        FactKind.OFFICE,
                        answer,
                        variant,
                        task,
                        predicate,
                        window if written else "",
                        written,
                    )

    def _deadline_facts(self, clause: Clause) -> Iterator[Fact]:
        for deadline in facts.deadlines(clause):
            answer = facts.display(deadline)
            kind = FactKind.DEADLINE
            if clause.columns.get("task"):
                task = self._distinct(clause, clause.columns["task"], kind, answer)
                yield Fact(clause, kind, answer, task=task)
                continue
            sentence = phrasing.sentence_with(clause.text, deadline)
            if not sentence:
                continue
            task = self._distinct(clause, sentence, kind, answer)
            if phrasing.count_term(task, deadline):
                task = phrasing.before_term(sentence, deadline)
                if self._ambiguous(clause, task, kind, answer):
                    task = ""
            window = phrasing.window(sentence, deadline)
            span = phrasing.find_term(window, deadline)
            written = window[span[0] : span[1]] if span else ""
            yield Fact(
                clause, FactKind.DEADLINE, answer, task=task, sentence=window, written=written
            )

    def _document_facts(self, clause: Clause) -> Iterator[Fact]:
        pool = self.pools[FactKind.DOCUMENT]
        for sentence in phrasing.sentences(facts.task_text(clause)):
            numbers = facts.doc_numbers(sentence)
            if not numbers:
                continue
            before = phrasing.before_term(sentence, numbers[0].written)
            for number in numbers:
                if not number.clean or pool.suspect(number.canonical):
                    continue
                ambiguous = self._ambiguous(clause, before, FactKind.DOCUMENT, number.canonical)
                task = "" if ambiguous else before
                window = phrasing.window(phrasing.strip_marker(sentence), number.canonical)
                yield Fact(
                    clause,
                    FactKind.DOCUMENT,
                    number.canonical,
                    task=task,
                    sentence=window,
                    written=number.canonical,
                )

    def _percent_facts(self, clause: Clause) -> Iterator[Fact]:
        for sentence in phrasing.sentences(facts.task_text(clause)):
            for percent in facts.percentages(sentence):
                window = phrasing.window(phrasing.strip_marker(sentence), percent)
                yield Fact(
                    clause,
                    FactKind.PERCENT,
                    percent.replace(" ", ""),
                    sentence=window,
                    written=percent,
                )

    def facts_of(self, clause: Clause) -> list[Fact]:
        """Every askable fact of a clause, each once."""
        found = [
            *self._office_facts(clause),
            *self._deadline_facts(clause),
            *self._document_facts(clause),
            *self._percent_facts(clause),
        ]
        return list({f.key: f for f in reversed(found)}.values())[::-1]

    def excluded(self, clause: Clause, kind: FactKind) -> Callable[[str], bool]:
        """Terms the clause itself states, which must not serve as distractors."""
        if kind is FactKind.OFFICE:
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
