"""Fitting questions to what a target tool accepts (Kahoot's 120/75 characters, no cloze…).

A question too long for the target is *rewritten* shorter, in this order: its own short form
(made at generation, see questions.py), then the plan's abbreviated name ("KH của UBND xã Chí
Minh"), then a shorter whole phrase inside its quotation; only when nothing fits is the end
cut at a word boundary and marked "…". The plan's name is never dropped. Every change and
every skipped question is noted, naming the question, so the trainer sees the list before
downloading.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from quiz import phrasing
from quiz.model import BLANK, Question, QuestionType, Quiz
from quiz.questions import short_name

logger = logging.getLogger(__name__)

TRUE_FALSE = ("Đúng", "Sai")
KAHOOT_TIME_LIMITS = (5, 10, 20, 30, 60, 90, 120, 240)
_QUOTE = re.compile(r"“([^”]*)”")
_QUOTE_WORDS = (20, 16, 12, 10, 8, 6)
_CLOZE_OPENING = re.compile(r"^Điền vào chỗ trống theo ([^:“]+): “")
# wordier phrases of the templates and their terse forms (same meaning)
_TERSE = (
    (" được giao nhiệm vụ “", " được giao “"),
    ("thời hạn thực hiện nhiệm vụ", "hạn của nhiệm vụ"),
    ("số hiệu văn bản nào điền đúng vào chỗ trống", "số hiệu nào điền vào chỗ trống"),
    ("tỉ lệ nào điền đúng vào chỗ trống", "tỉ lệ nào điền vào chỗ trống"),
    ("nội dung nào sau đây là một ", "đâu là một "),
    (" được nêu trong kế hoạch", " của kế hoạch"),
    ("Văn bản nào sau đây nêu", "Văn bản nào nêu"),
    (", kế hoạch nêu: “", ": “"),
)


@dataclass(frozen=True)
class Limits:
    """What a target accepts."""

    name: str
    question: int | None  # characters; None: no limit
    answer: int | None
    max_answers: int
    cloze: bool  # accepts a fill-in without options


KAHOOT = Limits("Kahoot", 120, 75, 4, cloze=False)
QUIZIZZ = Limits("Quizizz", None, None, 5, cloze=True)
AZOTA = Limits("Azota", None, None, 8, cloze=False)


@dataclass(frozen=True)
class Row:
    """One question as the target will show it."""

    number: int  # position in the quiz (1-based)
    question: Question
    stem: str
    answers: tuple[str, ...]  # empty for a fill-in kept as such
    correct: int | None  # 1-based; None for a fill-in without options
    seconds: int


@dataclass(frozen=True)
class Fitted:
    """The rows a target gets and what was changed or skipped on the way."""

    rows: tuple[Row, ...]
    notes: tuple[str, ...]


def _compress(stem: str, document: str) -> str:
    """The stem with the plan's name abbreviated and its wording made terse."""
    stem = stem.replace(document, short_name(document), 1)
    stem = _CLOZE_OPENING.sub(r"Theo \1, điền chỗ trống: “", stem, count=1)
    for long, short in _TERSE:
        stem = stem.replace(long, short, 1)
    return stem[:1].upper() + stem[1:]


def _last_quote(stem: str) -> re.Match[str] | None:
    matches = list(_QUOTE.finditer(stem))
    return matches[-1] if matches else None


def _shrink_quote(stem: str, limit: int) -> str | None:
    """``stem`` with its (last) quotation replaced by a shorter whole phrase of it."""
    match = _last_quote(stem)
    if match is None:
        return None
    quoted = match.group(1)
    for words in _QUOTE_WORDS:
        phrase = phrasing.whole_phrase(quoted, max_words=words, min_words=4)
        if phrase and phrase != quoted and (BLANK in phrase) == (BLANK in quoted):
            shorter = stem[: match.start(1)] + phrase + stem[match.end(1) :]
            if len(shorter) <= limit:
                return shorter
    return None


def _cut_quote(stem: str, limit: int) -> str | None:
    """``stem`` with its quotation cut at a word boundary (around a blank, if it has one),
    the cut marked "…" inside the quotes so the sentence around them stays whole."""
    match = _last_quote(stem)
    if match is None:
        return None
    quoted = match.group(1)
    room = limit - (len(stem) - len(quoted))
    if BLANK in quoted:
        for words in range(len(quoted.split()), 3, -1):
            shorter = phrasing.window(quoted, BLANK, max_words=words)
            if BLANK in shorter and len(shorter) <= room:
                return stem[: match.start(1)] + shorter + stem[match.end(1) :]
        return None
    shorter = phrasing.fit_chars(quoted, room) if room > 0 else ""
    if len(shorter.split()) < 4:
        return None
    return stem[: match.start(1)] + shorter + stem[match.end(1) :]


def fit_stem(question: Question, limit: int) -> str:
    """The question's stem within ``limit`` characters, rewritten as the module says."""
    stem = question.stem
    if len(stem) <= limit:
        return stem
    if question.short_stem and len(question.short_stem) <= limit:
        return question.short_stem
    terse = _compress(stem, question.document)
    if len(terse) <= limit:
        return terse
    for shrink in (_shrink_quote, _cut_quote):
        shorter = shrink(terse, limit)
        if shorter is not None:
            return shorter
    if terse.endswith("?"):
        return phrasing.fit_chars(terse[:-1], limit - 1) + "?"
    return phrasing.fit_chars(terse, limit)


def fit_answer(text: str, limit: int) -> str:
    """An answer within ``limit`` characters: a shorter whole phrase, else cut and marked."""
    if len(text) <= limit:
        return text
    for words in _QUOTE_WORDS:
        phrase = phrasing.whole_phrase(text, max_words=words, min_words=3)
        if phrase and len(phrase) <= limit:
            return phrase
    return phrasing.fit_chars(text, limit)


def seconds_for(question: Question, answers: tuple[str, ...]) -> int:
    """Seconds to read the question and its answers (one of Kahoot's allowed values)."""
    chars = len(question.stem) + sum(len(a) for a in answers)
    wanted = 20 if chars <= 100 else 30 if chars <= 200 else 60
    return min(t for t in KAHOOT_TIME_LIMITS if t >= wanted)


def _row(question: Question, number: int, limits: Limits, notes: list[str]) -> Row | None:
    label = f"Câu {number}"
    if question.type is QuestionType.TRUEFALSE:
        answers, correct = TRUE_FALSE, 1 if question.truth else 2
    elif question.options:
        options = list(question.options)
        if len(options) > limits.max_answers:
            right = [o for o in options if o.correct]
            options = right + [o for o in options if not o.correct][: limits.max_answers - 1]
            notes.append(f"{label}: chỉ giữ {limits.max_answers} phương án cho {limits.name}.")
        answers = tuple(o.text for o in options)
        correct = next(i for i, o in enumerate(options, start=1) if o.correct)
    elif limits.cloze:
        answers, correct = (), None
    else:
        notes.append(
            f"{label}: bỏ qua — {limits.name} không nhận câu điền khuyết không có phương án "
            "(hãy thêm phương án trong trình sửa)."
        )
        return None
    stem = question.stem if limits.question is None else fit_stem(question, limits.question)
    if question.type is QuestionType.CLOZE and BLANK not in stem:
        notes.append(f"{label}: bỏ qua — không rút gọn được mà vẫn giữ chỗ trống.")
        return None
    if stem != question.stem:
        notes.append(f"{label}: câu hỏi dài hơn {limits.question} ký tự, đã viết gọn thành: {stem}")
    if limits.answer is not None:
        fitted = tuple(fit_answer(a, limits.answer) for a in answers)
        for index, (before, after) in enumerate(zip(answers, fitted, strict=True), start=1):
            if before != after:
                notes.append(
                    f"{label}: phương án {index} dài hơn {limits.answer} ký tự, "
                    f"đã viết gọn thành: {after}"
                )
        answers = fitted
    return Row(number, question, stem, answers, correct, seconds_for(question, answers))


def fit_quiz(quiz: Quiz, limits: Limits) -> Fitted:
    """Every question of ``quiz`` fitted to ``limits``, with the notes for the trainer."""
    notes: list[str] = []
    rows = [_row(q, n, limits, notes) for n, q in enumerate(quiz.questions, start=1)]
    kept = tuple(r for r in rows if r is not None)
    logger.debug("fitted %d of %d questions for %s", len(kept), len(rows), limits.name)
    return Fitted(kept, tuple(notes))
