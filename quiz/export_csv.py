"""CSV for Kahoot-style spreadsheet import (Kahoot, Quizizz, Blooket…).

Limits: question ≤ 120 characters, answers ≤ 75, four answers, time limit from a fixed set.
Over-long text is shortened at a word boundary with "…" and reported, never cut mid-word;
a long stem first loses the document's name ("Theo Kế hoạch…, "), then is shortened inside
its quotation, keeping the question around it (and a cloze blank) intact. True/false becomes
"Đúng"/"Sai"; a cloze question with options becomes multiple choice, one without options is
skipped and reported.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass

from quiz.model import BLANK, Question, QuestionType, Quiz
from quiz.phrasing import ELLIPSIS, fit_chars, window

logger = logging.getLogger(__name__)

HEADER = (
    "Question",
    "Answer 1",
    "Answer 2",
    "Answer 3",
    "Answer 4",
    "Time limit (sec)",
    "Correct answer(s)",
)
MAX_QUESTION = 120
MAX_ANSWER = 75
MAX_ANSWERS = 4
TIME_LIMITS = (5, 10, 20, 30, 60, 90, 120, 240)
TRUE_FALSE = ("Đúng", "Sai")
MIN_QUOTE_WORDS = 4
_QUOTE = re.compile(r"“([^”]*)”")
_DOC_PREFIX = re.compile(r"^Theo [^,:“”]+, ")
_DOC_INFIX = re.compile(r" theo [^,:“”]+:")


@dataclass(frozen=True)
class CsvExport:
    """The CSV text and what had to be shortened or skipped."""

    text: str
    warnings: tuple[str, ...]


def _shrink_quote(quoted: str, room: int) -> str | None:
    """``quoted`` within ``room`` characters, keeping a cloze blank; None if it cannot be."""
    core = quoted.strip(ELLIPSIS + " ")
    if BLANK in core:
        for words in range(len(core.split()), MIN_QUOTE_WORDS - 1, -1):
            shorter = window(core, BLANK, max_words=words)
            if BLANK not in shorter:
                return None
            if quoted.startswith(ELLIPSIS) and not shorter.startswith(ELLIPSIS):
                shorter = ELLIPSIS + shorter
            if quoted.endswith(ELLIPSIS) and not shorter.endswith(ELLIPSIS):
                shorter += ELLIPSIS
            if len(shorter) <= room:
                return shorter
        return None
    lead = ELLIPSIS if quoted.startswith(ELLIPSIS) else ""
    trail = ELLIPSIS if quoted.endswith(ELLIPSIS) else ""
    body = fit_chars(core, room - len(lead) - len(trail))
    shorter = lead + body + ("" if body.endswith(ELLIPSIS) else trail)
    return shorter if len(shorter.split()) >= MIN_QUOTE_WORDS and len(shorter) <= room else None


def _without_document(stem: str) -> str:
    """The stem without the document it names ("Theo Kế hoạch…, " / " theo Kế hoạch…:")."""
    shorter = _DOC_PREFIX.sub("", stem, count=1)
    shorter = _DOC_INFIX.sub(":", shorter, count=1)
    return shorter[:1].upper() + shorter[1:]


def _fit_quote(stem: str, limit: int) -> str | None:
    match = _QUOTE.search(stem)
    if match is None:
        return None
    room = limit - (len(stem) - len(match.group(1)))
    shorter = _shrink_quote(match.group(1), room) if room > 0 else None
    if shorter is None:
        return None
    return stem[: match.start(1)] + shorter + stem[match.end(1) :]


def fit_question(stem: str, limit: int = MAX_QUESTION) -> str:
    """``stem`` within ``limit`` characters: the document's name is dropped first, then the
    quotation shrinks, then the end is cut (keeping a final "?")."""
    if len(stem) <= limit:
        return stem
    # the quoted task is what makes the question answerable: drop the document's name first
    shorter = _without_document(stem)
    if len(shorter) <= limit:
        return shorter
    for candidate in (shorter, stem):
        fitted = _fit_quote(candidate, limit)
        if fitted is not None:
            return fitted
    if stem.endswith("?"):
        return fit_chars(stem[:-1], limit - 1) + "?"
    return fit_chars(stem, limit)


def time_limit(question: Question, answers: list[str]) -> int:
    """Seconds to read the question and its answers (one of Kahoot's allowed values)."""
    chars = len(question.stem) + sum(len(a) for a in answers)
    wanted = 20 if chars <= 100 else 30 if chars <= 200 else 60
    return min(t for t in TIME_LIMITS if t >= wanted)


def _row(question: Question, number: int, warnings: list[str]) -> list[str] | None:
    if question.type is QuestionType.TRUEFALSE:
        answers = list(TRUE_FALSE)
        correct = 1 if question.truth else 2
    elif question.options:
        options = list(question.options)
        if len(options) > MAX_ANSWERS:
            right = [o for o in options if o.correct]
            options = right + [o for o in options if not o.correct][: MAX_ANSWERS - len(right)]
            warnings.append(f"Câu {number}: chỉ giữ {MAX_ANSWERS} phương án.")
        answers = [o.text for o in options]
        correct = next(i for i, o in enumerate(options, start=1) if o.correct)
    else:
        warnings.append(f"Câu {number}: câu điền khuyết không có phương án lựa chọn nên bị bỏ qua.")
        return None
    stem = fit_question(question.stem)
    if question.type is QuestionType.CLOZE and BLANK not in stem:
        warnings.append(
            f"Câu {number}: không rút gọn được câu điền khuyết mà vẫn giữ chỗ trống, bị bỏ qua."
        )
        return None
    if stem != question.stem:
        warnings.append(f"Câu {number}: câu hỏi dài hơn {MAX_QUESTION} ký tự, đã rút gọn.")
    fitted = [fit_chars(a, MAX_ANSWER) for a in answers]
    for index, (before, after) in enumerate(zip(answers, fitted, strict=True), start=1):
        if before != after:
            warnings.append(
                f"Câu {number}: phương án {index} dài hơn {MAX_ANSWER} ký tự, đã rút gọn."
            )
    cells = fitted + [""] * (MAX_ANSWERS - len(fitted))
    return [stem, *cells, str(time_limit(question, fitted)), str(correct)]


def to_kahoot_csv(quiz: Quiz) -> CsvExport:
    """The quiz as CSV rows under the Kahoot-style header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    warnings: list[str] = []
    for number, question in enumerate(quiz.questions, start=1):
        row = _row(question, number, warnings)
        if row is not None:
            writer.writerow(row)
    return CsvExport(text=buffer.getvalue(), warnings=tuple(warnings))
