"""GIFT export (Moodle's plain-text question format).

Every text is escaped: ``~ = # { } :`` and the backslash itself get a backslash, so clause
references such as "Điều 5:" and times such as "8:00" survive. Questions are separated by
a blank line; general feedback (the cited clause) follows ``####``.
"""

from __future__ import annotations

import logging

from hoidap import vntext
from quiz.export_moodle import feedback, question_name
from quiz.model import Question, QuestionType, Quiz

logger = logging.getLogger(__name__)

_SPECIAL = "\\~=#{}:"


def escape_gift(text: str) -> str:
    """``text`` on one line with GIFT's special characters escaped."""
    flat = vntext.collapse(text)
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in flat)


def _answer_block(question: Question) -> list[str]:
    if question.type is QuestionType.MCQ:
        return [("=" if o.correct else "~") + escape_gift(o.text) for o in question.options]
    if question.type is QuestionType.TRUEFALSE:
        return ["T" if question.truth else "F"]
    return ["=" + escape_gift(question.answer)]


def _question(question: Question, number: int) -> str:
    lines = [
        f"// {question.source}#{question.clause_path}",
        f"::{escape_gift(question_name(question, number))}::{escape_gift(question.stem)} {{",
        *_answer_block(question),
        "####" + escape_gift(feedback(question)),
        "}",
    ]
    return "\n".join(lines)


def to_gift(quiz: Quiz) -> str:
    """The quiz in GIFT, one blank line between questions."""
    header = [f"// {quiz.title}", f"$CATEGORY: $course$/top/{quiz.title.replace('/', '//')}"]
    blocks = ["\n".join(header)] + [_question(q, i) for i, q in enumerate(quiz.questions, start=1)]
    return "\n\n".join(blocks) + "\n"
