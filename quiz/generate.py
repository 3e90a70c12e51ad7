"""Quiz generation from the clause model, without a language model.

Every question is built from one clause (see statements.py and questions.py): who leads or
coordinates its task, what an office is given, its deadline, a purpose or requirement, a
figure, which plan says it, or a document number; distractors come from the whole corpus.
Generation is a pure function of the clauses, the documents, the scope and the seed: the same
seed gives the same quiz. Questions are taken round-robin over the chosen documents and the
requested types, each fact and each stem once, mixing kinds (the kind asked least so far
first; document numbers never above ``MAX_NUMBER_SHARE`` of the quiz), then the best quality,
answers not used yet and true/false answers balanced.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from hoidap import vntext
from hoidap.errors import QuizError
from hoidap.types import Clause, Document
from prompts import render
from quiz.model import FactKind, Question, QuestionType, Quiz
from quiz.questions import Candidate, QuestionBuilder
from quiz.scope import clause_filter

logger = logging.getLogger(__name__)

DEFAULT_COUNT = 20
MAX_COUNT = 500
MAX_NUMBER_SHARE = 0.3  # document-number questions: at most this share of a quiz
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


class _Selector:
    """Round-robin over documents and types; each fact and each stem once, answers spread."""

    def __init__(
        self,
        queues: dict[str, dict[QuestionType, list[Candidate]]],
        types: Sequence[QuestionType],
        *,
        blocked_keys: set[str],
        blocked_ids: set[str],
        blocked_stems: set[str],
        min_quality: int = 0,
    ) -> None:
        self.queues = queues
        self.min_quality = min_quality
        self.kinds: Counter[FactKind] = Counter()
        self.taken = 0
        self.types = list(types)
        self.used_keys = set(blocked_keys)
        self.used_stems = {vntext.normalize(s) for s in blocked_stems}
        self.blocked_ids = set(blocked_ids)
        self.answers: Counter[str] = Counter()
        self.truths: Counter[bool] = Counter()
        self.pointer = {source: i % len(self.types) for i, source in enumerate(queues)}

    def _usable(self, candidate: Candidate) -> bool:
        question = candidate.question
        if question.fact is FactKind.DOCUMENT:
            if self.kinds[FactKind.DOCUMENT] + 1 > MAX_NUMBER_SHARE * (self.taken + 1):
                return False
        return (
            question.quality >= self.min_quality
            and candidate.key not in self.used_keys
            and candidate.question.id not in self.blocked_ids
            and vntext.normalize(candidate.question.stem) not in self.used_stems
        )

    def _cost(self, candidate: Candidate) -> tuple[int, int, int, int]:
        question = candidate.question
        truth = question.truth
        imbalance = 0 if truth is None else self.truths[truth] - self.truths[not truth]
        return (
            self.kinds[question.fact],
            max(imbalance, 0),
            self.answers[candidate.answer_key],
            -question.quality,
        )

    def take(self, source: str, *, prefer: QuestionType | None = None) -> Question | None:
        """The next question from ``source``; None when it has nothing left."""
        order = [
            self.types[(self.pointer[source] + i) % len(self.types)] for i in range(len(self.types))
        ]
        if prefer is not None and prefer in order:
            order.remove(prefer)
            order.insert(0, prefer)
        for qtype in order:
            usable = [c for c in self.queues[source][qtype] if self._usable(c)]
            if not usable:
                continue
            best = min(usable, key=self._cost)
            self.used_keys.add(best.key)
            self.used_stems.add(vntext.normalize(best.question.stem))
            self.answers[best.answer_key] += 1
            self.kinds[best.question.fact] += 1
            self.taken += 1
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
    section: str = "",
    office: str = "",
) -> Quiz:
    """Build a quiz of up to ``n`` questions about ``sources`` (default: every document),
    only from the part ``section`` and the tasks of ``office`` when given.

    ``clauses`` is the whole corpus (distractors are drawn from all of it). When the documents
    support fewer sound questions than asked, the quiz has fewer and says so in ``warnings``;
    raises QuizError for an empty corpus, an unknown document, part or office, a bad count or
    when no question at all can be made.
    """
    _check_count(n)
    if not types:
        raise QuizError("Hãy chọn ít nhất một loại câu hỏi: mcq, truefalse hoặc cloze.")
    types = tuple(dict.fromkeys(types))
    chosen = _resolve_sources(clauses, documents, sources)
    where = clause_filter(clauses, chosen, section=section, office=office)
    builder = QuestionBuilder(clauses, documents, seed)
    queues = builder.candidates(chosen, types, where=where)
    order_rng = random.Random(seed)
    for source in chosen:
        for qtype in types:
            order_rng.shuffle(queues[source][qtype])
    selector = _Selector(queues, types, blocked_keys=set(), blocked_ids=set(), blocked_stems=set())
    questions: list[Question] = []
    progress = True
    while len(questions) < n and progress:
        progress = False  # a document with nothing left now may have more once the quiz grows
        for source in chosen:
            if len(questions) >= n:
                break
            question = selector.take(source)
            if question is not None:
                questions.append(question)
                progress = True
    if not questions:
        raise QuizError(
            "Không tạo được câu hỏi nào có đủ căn cứ từ các văn bản đã chọn: hãy chọn thêm "
            "văn bản, phần khác hoặc loại câu hỏi khác."
        )
    names = {s: builder.document_name(s) for s in chosen}
    warnings = _warnings(questions, n=n, types=types, names=names, scoped=where is not None)
    for warning in warnings:
        logger.info("quiz: %s", warning)
    return Quiz(
        title=render("quiz_title", documents="; ".join(names.values())),
        questions=tuple(questions),
        seed=seed,
        types=types,
        sources=tuple(chosen),
        requested=n,
        warnings=tuple(warnings),
        section=section.strip(),
        office=office.strip(),
    )


def _warnings(
    questions: Sequence[Question],
    *,
    n: int,
    types: Sequence[QuestionType],
    names: dict[str, str],
    scoped: bool,
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
    for source, name in names.items() if not scoped else ():
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
    """Replace one question by another sound question about the same document (and the
    quiz's part and office), scoring at least as well.

    The same type is preferred; the old question is remembered in ``discarded`` and never
    offered again. Raises QuizError when the document has no such question left.
    """
    position = quiz.index_of(question_id)
    old = quiz.questions[position]
    builder = QuestionBuilder(clauses, documents, quiz.seed)
    types = tuple(dict.fromkeys((*quiz.types, old.type)))
    where = clause_filter(clauses, [old.source], section=quiz.section, office=quiz.office)
    queues = builder.candidates([old.source], types, where=where)
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
        blocked_stems={q.stem for q in quiz.questions},
        min_quality=old.quality,
    )
    others = [q for q in quiz.questions if q.id != old.id]
    selector.kinds.update(q.fact for q in others)
    selector.taken = len(others)
    new = selector.take(old.source, prefer=old.type)
    if new is None:
        raise QuizError(
            f"Văn bản “{old.document}” không còn câu hỏi nào khác tốt bằng câu này "
            f"(điểm chất lượng {old.quality}): hãy sửa câu hỏi hoặc xóa nó."
        )
    questions = list(quiz.questions)
    questions[position] = new
    return replace(quiz, questions=tuple(questions), discarded=quiz.discarded + (old.id,))
