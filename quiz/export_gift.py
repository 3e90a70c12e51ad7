"""GIFT export (Moodle's plain-text question format).

Every text is escaped: ``~ = # { } :`` and the backslash itself get a backslash, so clause
references such as "Điều 5:" and times such as "8:00" survive. Question texts, answers and
feedback are marked ``[html]`` and HTML-escaped, as the Moodle XML export does: a clause
holding ``<script>`` or ``<img onerror=…>`` shows as text in Moodle and never runs. Questions
are separated by a blank line; general feedback (the cited clause) follows ``####``.
"""

from __future__ import annotations

import html
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


def gift_html(text: str) -> str:
    """``text`` as escaped HTML for an ``[html]`` question, then GIFT-escaped."""
    return escape_gift(html.escape(text, quote=False))  # quote=False: no "&#x27;" with a "#"


def _answer_block(question: Question) -> list[str]:
    if question.type is QuestionType.MCQ:
        return [("=" if o.correct else "~") + gift_html(o.text) for o in question.options]
    if question.type is QuestionType.TRUEFALSE:
        return ["T" if question.truth else "F"]
    return ["=" + gift_html(question.answer)]


def _question(question: Question, number: int) -> str:
    lines = [
        f"// {vntext.collapse(question.source)}#{vntext.collapse(question.clause_path)}",
        f"::{escape_gift(question_name(question, number))}::[html]{gift_html(question.stem)} {{",
        *_answer_block(question),
        "####" + gift_html(feedback(question)),
        "}",
    ]
    return "\n".join(lines)


def to_gift(quiz: Quiz) -> str:
    """The quiz in GIFT, one blank line between questions."""
    # one line (a title must not start a question), no markup in the category name
    title = html.escape(vntext.collapse(quiz.title), quote=False)
    header = [f"// {title}", f"$CATEGORY: $course$/top/{title.replace('/', '//')}"]
    blocks = ["\n".join(header)] + [_question(q, i) for i, q in enumerate(quiz.questions, start=1)]
    return "\n\n".join(blocks) + "\n"
