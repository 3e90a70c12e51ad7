"""Quiz generation from the clause model, without a language model.

Every question is built from one clause: the office that leads its task, its deadline, a
document number or a percentage it states. Distractors come from the whole corpus
(see distractors.py). Generation is a pure function of the clauses, the documents and the
seed: the same seed gives the same quiz. Questions are taken round-robin over the chosen
documents and the requested types, preferring answers not used yet.
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from hoidap import vntext
from hoidap.errors import QuizError
from hoidap.types import Clause, Document
from prompts import render
from rag.quiz import facts, phrasing
from rag.quiz.distractors import TermPool, equivalent, term_key
from rag.quiz.model import BLANK, FactKind, Option, Question, QuestionType, Quiz

logger = logging.getLogger(__name__)

DEFAULT_COUNT = 20
MAX_COUNT = 500
DISTRACTORS = 3
MIN_CLOZE_WORDS = 6
MAX_DOC_NAME_WORDS = 12
_TYPE_NAMES = {
    "mcq": QuestionType.MCQ,
    "tracnghiem": QuestionType.MCQ,
    "truefalse": QuestionType.TRUEFALSE,
    "tf": QuestionType.TRUEFALSE,
    "dungsai": QuestionType.TRUEFALSE,
    "cloze": QuestionType.CLOZE,
    "dienkhuyet": QuestionType.CLOZE,
}


def parse_types(value: str | Sequence[str]) -> tuple[QuestionType, ...]:
    """Question types from "mcq,truefalse,cloze" (or a list); raise QuizError on unknown ones."""
    names = value.split(",") if isinstance(value, str) else list(value)
    types: list[QuestionType] = []
    for name in names:
        key = vntext.fold(vntext.normalize(str(name))).replace(" ", "").replace("-", "")
        if not key:
            continue
        if key not in _TYPE_NAMES:
            raise QuizError(
                f"Loại câu hỏi “{name}” không hợp lệ: hãy dùng mcq, truefalse hoặc cloze."
            )
        types.append(_TYPE_NAMES[key])
    if not types:
        raise QuizError("Hãy chọn ít nhất một loại câu hỏi: mcq, truefalse hoặc cloze.")
    return tuple(dict.fromkeys(types))


@dataclass(frozen=True)
class _Fact:
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
        return f"{self.clause.id}|{self.kind.value}|{term_key(self.kind, self.answer)}|{self.variant}"


@dataclass(frozen=True)
class _Candidate:
    question: Question
    key: str  # the fact asked; a quiz asks each fact once
    answer_key: str  # used to spread answers over the quiz


def _question_id(qtype: QuestionType, key: str, truth: bool | None) -> str:
    digest = hashlib.sha1(f"{qtype.value}|{key}|{truth}".encode()).hexdigest()
    return digest[:12]


def _doc_name(document: Document | None, clause: Clause) -> str:
    name = document.short_title if document else clause.doc_title
    if len(name.split()) > MAX_DOC_NAME_WORDS:
        return phrasing.shorten(name, max_words=MAX_DOC_NAME_WORDS)
    return name


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


class _Corpus:
    """The clauses, documents and distractor pools one quiz is built from."""

    def __init__(self, clauses: Sequence[Clause], documents: Sequence[Document], seed: int):
        self.clauses = [c for c in clauses if facts.askable(c)]
        self.documents = {d.source: d for d in documents}
        self.seed = seed
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

    def _ambiguous(self, clause: Clause, phrase: str, kind: FactKind, answer: str) -> bool:
        """True when another clause of the document also fits ``phrase`` with another answer."""
        core = vntext.normalize(phrase.removesuffix(phrasing.ELLIPSIS))
        return any(
            other.id != clause.id and core in text and not self._states(other, kind, answer)
            for other, text in self._texts.get(clause.source, [])
        )

    def _distinct(self, clause: Clause, text: str, kind: FactKind, answer: str) -> str:
        """The shortest phrase of ``text`` that names this clause's task unambiguously."""
        for max_words in (20, 32, 48):
            phrase = phrasing.shorten(text, max_words=max_words)
            if not self._ambiguous(clause, phrase, kind, answer):
                return phrase
            if not phrase.endswith(phrasing.ELLIPSIS):
                break
        return ""

    # facts -------------------------------------------------------------------------------

    def _office_facts(self, clause: Clause) -> Iterator[_Fact]:
        for lead in facts.leads(clause):
            if not facts.office_level(lead):
                continue  # "Các sở, ban, ngành…" leads nothing one can ask about
            answer = facts.display(lead)
            kind = FactKind.OFFICE
            if clause.columns.get("task"):
                task = self._distinct(clause, clause.columns["task"], kind, answer)
                yield _Fact(clause, kind, answer, task=task)
                continue
            for variant, item in enumerate(phrasing.items(clause.text)):
                after = _after_office(item, lead)
                task = predicate = ""
                if after is None:
                    task = self._distinct(clause, item, kind, answer)
                elif after[1] or vntext.normalize(after[0]).startswith("chủ trì"):
                    predicate = _lower_first(self._distinct(clause, after[0], kind, answer))
                else:
                    task = self._distinct(clause, after[0], kind, answer)
                sentence = phrasing.sentence_with(item, lead)
                window = phrasing.window(sentence, lead) if sentence else ""
                span = phrasing.find_term(window, lead) if window else None
                written = window[span[0] : span[1]] if span else ""
                if task or predicate or written:
                    yield _Fact(
                        clause, FactKind.OFFICE, answer, variant, task, predicate,
                        window if written else "", written,
                    )

    def _deadline_facts(self, clause: Clause) -> Iterator[_Fact]:
        for deadline in facts.deadlines(clause):
            answer = facts.display(deadline)
            kind = FactKind.DEADLINE
            if clause.columns.get("task"):
                task = self._distinct(clause, clause.columns["task"], kind, answer)
                yield _Fact(clause, kind, answer, task=task)
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
            yield _Fact(clause, FactKind.DEADLINE, answer, task=task, sentence=window,
                        written=written)

    def _document_facts(self, clause: Clause) -> Iterator[_Fact]:
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
                yield _Fact(clause, FactKind.DOCUMENT, number.canonical, task=task,
                            sentence=window, written=number.canonical)

    def _percent_facts(self, clause: Clause) -> Iterator[_Fact]:
        for sentence in phrasing.sentences(facts.task_text(clause)):
            for percent in facts.percentages(sentence):
                window = phrasing.window(phrasing.strip_marker(sentence), percent)
                yield _Fact(clause, FactKind.PERCENT, percent.replace(" ", ""),
                            sentence=window, written=percent)

    def facts_of(self, clause: Clause) -> list[_Fact]:
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
            return lambda t: facts.mentions(clause, t) or any(
                facts.same_office(t, o) for o in named
            )
        if kind is FactKind.DEADLINE:
            stated = facts.deadlines(clause) + list(clause.deadlines)
            hay = " ".join([facts.task_text(clause), *clause.columns.values()])
            return lambda t: phrasing.find_term(hay, t) is not None or any(
                equivalent(kind, t, d) for d in stated
            )
        if kind is FactKind.DOCUMENT:
            pool = self.pools[kind]
            numbers = {n.canonical for n in facts.doc_numbers(facts.task_text(clause))}
            numbers |= {pool.twin(n) for n in numbers} - {""}
            return lambda t: term_key(kind, t) in numbers
        stated_percents = {
            term_key(kind, p) for p in facts.percentages(facts.task_text(clause))
        }
        return lambda t: term_key(kind, t) in stated_percents

    # questions ---------------------------------------------------------------------------

    def _base(self, fact: _Fact, qtype: QuestionType, truth: bool | None) -> dict:
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

    def _rng(self, fact: _Fact, qtype: QuestionType) -> random.Random:
        return random.Random(f"{self.seed}|{qtype.value}|{fact.key}")

    def _distractors(self, fact: _Fact, rng: random.Random, k: int) -> list[str] | None:
        return self.pools[fact.kind].pick(
            fact.answer,
            source=fact.clause.source,
            excluded=self.excluded(fact.clause, fact.kind),
            rng=rng,
            k=k,
        )

    def _mcq(self, fact: _Fact) -> list[_Candidate]:
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
            stem=stem, answer=fact.answer, options=tuple(options),
            **self._base(fact, QuestionType.MCQ, None),
        )
        return [_Candidate(question, fact.key, term_key(fact.kind, fact.answer))]

    def _statement(self, fact: _Fact, term: str | None = None) -> tuple[str, str]:
        """A true statement of the fact (``term`` None) or one with ``term`` swapped in,
        and the term as it reads in the statement."""
        document = _doc_name(self.documents.get(fact.clause.source), fact.clause)
        said = term or fact.answer
        if fact.kind is FactKind.OFFICE and fact.predicate:
            return _render("quiz_tf_office_inline", document=document, office=said,
                          predicate=fact.predicate), said
        if fact.kind is FactKind.OFFICE and fact.task:
            return _render("quiz_tf_office", document=document, office=said, task=fact.task), said
        if fact.kind is FactKind.DEADLINE and fact.task:
            return _render("quiz_tf_deadline", document=document, task=fact.task,
                          deadline=said), said
        if fact.kind is not FactKind.OFFICE and fact.sentence and fact.written:
            said = fact.written if term is None else _match_case(term, fact.written, fact.kind)
            statement = phrasing.swap(fact.sentence, fact.written, said)
            return _render("quiz_tf_quote", document=document, statement=statement), said
        return "", ""

    def _truefalse(self, fact: _Fact) -> list[_Candidate]:
        true_stem, _ = self._statement(fact)
        if not true_stem:
            return []
        answer_key = term_key(fact.kind, fact.answer)
        candidates = [
            _Candidate(
                Question(stem=true_stem, answer=fact.answer, truth=True,
                         **self._base(fact, QuestionType.TRUEFALSE, True)),
                fact.key, answer_key,
            )
        ]
        wrong = self._distractors(fact, self._rng(fact, QuestionType.TRUEFALSE), 1)
        if wrong:
            false_stem, replacement = self._statement(fact, wrong[0])
            if false_stem and false_stem != true_stem:
                candidates.append(_Candidate(
                    Question(stem=false_stem, answer=fact.answer, truth=False,
                             replacement=replacement,
                             **self._base(fact, QuestionType.TRUEFALSE, False)),
                    fact.key, answer_key,
                ))
        return candidates

    def _cloze(self, fact: _Fact) -> list[_Candidate]:
        if not fact.sentence or not fact.written:
            return []
        if len(fact.sentence.split()) < MIN_CLOZE_WORDS:
            return []
        if phrasing.count_term(fact.sentence, fact.written) != 1:
            return []
        document = _doc_name(self.documents.get(fact.clause.source), fact.clause)
        blanked = phrasing.blank_out(fact.sentence, fact.written, BLANK)
        stem = _render("quiz_cloze", document=document, sentence=blanked)
        rng = self._rng(fact, QuestionType.CLOZE)
        wrong = self._distractors(fact, rng, DISTRACTORS)
        options: list[Option] = []
        if wrong:
            options = [Option(fact.written, correct=True)] + [
                Option(_match_case(w, fact.written, fact.kind)) for w in wrong
            ]
            rng.shuffle(options)
        question = Question(
            stem=stem, answer=fact.written, options=tuple(options),
            **self._base(fact, QuestionType.CLOZE, None),
        )
        return [_Candidate(question, fact.key, term_key(fact.kind, fact.answer))]

    def candidates(
        self, sources: Sequence[str], types: Sequence[QuestionType]
    ) -> dict[str, dict[QuestionType, list[_Candidate]]]:
        """Every sound question of the given documents, by document and type."""
        builders = {
            QuestionType.MCQ: self._mcq,
            QuestionType.TRUEFALSE: self._truefalse,
            QuestionType.CLOZE: self._cloze,
        }
        wanted = set(sources)
        found: dict[str, dict[QuestionType, list[_Candidate]]] = {
            s: {t: [] for t in types} for s in sources
        }
        for clause in self.clauses:
            if clause.source not in wanted:
                continue
            for fact in self.facts_of(clause):
                for qtype in types:
                    found[clause.source][qtype].extend(builders[qtype](fact))
        return found


def _lower_first(phrase: str) -> str:
    """"Chủ trì, phối hợp…" → "chủ trì, phối hợp…" (acronyms such as "UBND" kept)."""
    first = phrase.split(" ", 1)[0]
    return phrase if first.isupper() else phrase[:1].lower() + phrase[1:]


def _render(name: str, **values: str) -> str:
    """A filled template; a phrase ending in "…" does not get a second full stop."""
    return render(name, **values).replace("….", "…")


def _match_case(term: str, model: str, kind: FactKind) -> str:
    """Give a deadline or percentage the case of the term it stands beside ("năm 2026")."""
    if kind in (FactKind.DEADLINE, FactKind.PERCENT) and model[:1].islower():
        return term[:1].lower() + term[1:]
    return term


class _Selector:
    """Round-robin over documents and types, each fact once, answers spread."""

    def __init__(
        self,
        queues: dict[str, dict[QuestionType, list[_Candidate]]],
        types: Sequence[QuestionType],
        *,
        blocked_keys: set[str],
        blocked_ids: set[str],
    ) -> None:
        self.queues = queues
        self.types = list(types)
        self.used_keys = set(blocked_keys)
        self.blocked_ids = set(blocked_ids)
        self.answers: Counter[str] = Counter()
        self.truths: Counter[bool] = Counter()
        self.pointer = {source: i % len(self.types) for i, source in enumerate(queues)}

    def _usable(self, candidate: _Candidate) -> bool:
        return candidate.key not in self.used_keys and candidate.question.id not in self.blocked_ids

    def _cost(self, candidate: _Candidate) -> tuple[int, int]:
        truth = candidate.question.truth
        imbalance = 0 if truth is None else self.truths[truth] - self.truths[not truth]
        return (self.answers[candidate.answer_key], max(imbalance, 0))

    def take(self, source: str, *, prefer: QuestionType | None = None) -> Question | None:
        """The next question from ``source``; None when it has nothing left."""
        order = [self.types[(self.pointer[source] + i) % len(self.types)]
                 for i in range(len(self.types))]
        if prefer is not None and prefer in order:
            order.remove(prefer)
            order.insert(0, prefer)
        for qtype in order:
            usable = [c for c in self.queues[source][qtype] if self._usable(c)]
            if not usable:
                continue
            best = min(usable, key=self._cost)
            self.used_keys.add(best.key)
            self.answers[best.answer_key] += 1
            if best.question.truth is not None:
                self.truths[best.question.truth] += 1
            self.pointer[source] = (self.types.index(qtype) + 1) % len(self.types)
            return best.question
        return None


def _check_count(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_COUNT:
        raise QuizError(f"Số câu hỏi phải là số nguyên từ 1 đến {MAX_COUNT} (nhận được: {n}).")


def _resolve_sources(
    clauses: Sequence[Clause], documents: Sequence[Document], sources: Sequence[str] | None
) -> list[str]:
    known = list(dict.fromkeys([d.source for d in documents] + [c.source for c in clauses]))
    if not clauses or not known:
        raise QuizError(
            "Chưa có văn bản nào trong chỉ mục: hãy thêm văn bản trước khi tạo câu hỏi."
        )
    if not sources:
        return known
    unknown = [s for s in sources if s not in known]
    if unknown:
        raise QuizError(
            f"Không có văn bản “{', '.join(unknown)}” trong chỉ mục. "
            f"Các văn bản hiện có: {', '.join(known)}."
        )
    return list(dict.fromkeys(sources))


def generate_quiz(
    clauses: Sequence[Clause],
    documents: Sequence[Document],
    *,
    n: int = DEFAULT_COUNT,
    types: Sequence[QuestionType] = tuple(QuestionType),
    seed: int = 0,
    sources: Sequence[str] | None = None,
) -> Quiz:
    """Build a quiz of up to ``n`` questions about ``sources`` (default: every document).

    ``clauses`` is the whole corpus (distractors are drawn from all of it). When the documents
    support fewer sound questions than asked, the quiz has fewer and says so in ``warnings``;
    raises QuizError for an empty corpus, an unknown document, a bad count or when no
    question at all can be made.
    """
    _check_count(n)
    if not types:
        raise QuizError("Hãy chọn ít nhất một loại câu hỏi: mcq, truefalse hoặc cloze.")
    types = tuple(dict.fromkeys(types))
    chosen = _resolve_sources(clauses, documents, sources)
    corpus = _Corpus(clauses, documents, seed)
    queues = corpus.candidates(chosen, types)
    order_rng = random.Random(seed)
    for source in chosen:
        for qtype in types:
            order_rng.shuffle(queues[source][qtype])
    selector = _Selector(queues, types, blocked_keys=set(), blocked_ids=set())
    questions: list[Question] = []
    active = list(chosen)
    while len(questions) < n and active:
        for source in list(active):
            if len(questions) >= n:
                break
            question = selector.take(source)
            if question is None:
                active.remove(source)
            else:
                questions.append(question)
    if not questions:
        raise QuizError(
            "Không tạo được câu hỏi nào có đủ căn cứ từ các văn bản đã chọn: hãy chọn thêm "
            "văn bản hoặc loại câu hỏi khác."
        )
    names = {s: _doc_name(corpus.documents.get(s), _first_clause(clauses, s)) for s in chosen}
    warnings = _warnings(questions, n=n, types=types, names=names)
    for warning in warnings:
        logger.info("quiz: %s", warning)
    return Quiz(
        title=_render("quiz_title", documents="; ".join(names.values())),
        questions=tuple(questions),
        seed=seed,
        types=types,
        sources=tuple(chosen),
        requested=n,
        warnings=tuple(warnings),
    )


def _first_clause(clauses: Sequence[Clause], source: str) -> Clause:
    return next(c for c in clauses if c.source == source)


def _warnings(
    questions: Sequence[Question], *, n: int, types: Sequence[QuestionType],
    names: dict[str, str],
) -> list[str]:
    found: list[str] = []
    if len(questions) < n:
        found.append(
            f"Chỉ tạo được {len(questions)}/{n} câu hỏi có đủ căn cứ từ "
            f"{len(names)} văn bản đã chọn."
        )
    made_types = {q.type for q in questions}
    for qtype in types:
        if qtype not in made_types:
            found.append(f"Không tạo được câu hỏi loại “{qtype.label}” từ các văn bản đã chọn.")
    made_sources = {q.source for q in questions}
    for source, name in names.items():
        if source not in made_sources:
            found.append(f"Văn bản “{name}” không có nội dung đủ căn cứ để tạo câu hỏi.")
    return found


def regenerate_question(
    quiz: Quiz,
    question_id: str,
    *,
    clauses: Sequence[Clause],
    documents: Sequence[Document],
) -> Quiz:
    """Replace one question by another sound question about the same document.

    The same type is preferred; the old question is remembered in ``discarded`` and never
    offered again. Raises QuizError when the document has no other question left.
    """
    position = quiz.index_of(question_id)
    old = quiz.questions[position]
    corpus = _Corpus(clauses, documents, quiz.seed)
    types = tuple(dict.fromkeys((*quiz.types, old.type)))
    queues = corpus.candidates([old.source], types)
    everything = [c for per_type in queues[old.source].values() for c in per_type]
    keys_by_id = {c.question.id: c.key for c in everything}
    rng = random.Random(f"{quiz.seed}|regenerate|{question_id}|{len(quiz.discarded)}")
    for qtype in types:
        rng.shuffle(queues[old.source][qtype])
    selector = _Selector(
        queues,
        types,
        blocked_keys={keys_by_id[q.id] for q in quiz.questions if q.id in keys_by_id},
        blocked_ids={*quiz.discarded, *(q.id for q in quiz.questions)},
    )
    new = selector.take(old.source, prefer=old.type)
    if new is None:
        raise QuizError(
            f"Văn bản “{old.document}” không còn câu hỏi nào khác để thay cho câu này."
        )
    questions = list(quiz.questions)
    questions[position] = new
    return replace(quiz, questions=tuple(questions), discarded=quiz.discarded + (old.id,))
