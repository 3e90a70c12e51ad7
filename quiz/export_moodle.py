"""Moodle XML export: multichoice, truefalse and shortanswer (cloze) questions.

Question text and multichoice answers are HTML (escaped, inside CDATA); true/false and
short answers are plain text, as Moodle compares them with what the learner typed. Each
question is tagged with its difficulty and what it asks, so a bank can be filtered by them.
"""

from __future__ import annotations

import html
import logging
from xml.sax.saxutils import escape

from prompts import render
from quiz.model import Question, QuestionType, Quiz
from quiz.phrasing import fit_chars

logger = logging.getLogger(__name__)

_MOODLE_TYPES = {
    QuestionType.MCQ: "multichoice",
    QuestionType.TRUEFALSE: "truefalse",
    QuestionType.CLOZE: "shortanswer",
}
FEEDBACK_CHARS = 300


def cdata(text: str) -> str:
    """A CDATA section holding ``text``; a "]]>" inside is split across two sections."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def html_text(text: str) -> str:
    """Plain text as an HTML fragment for Moodle's html format."""
    return cdata(html.escape(text, quote=False))


def question_name(question: Question, number: int) -> str:
    """The short name a question gets in an exported bank ("Câu 3 – Thời hạn")."""
    return render("quiz_name", n=number, kind=question.fact.label)


def feedback(question: Question) -> str:
    """Where the answer comes from: document › label, path and the clause's own text."""
    text = fit_chars(question.clause_text, FEEDBACK_CHARS)
    return render("quiz_feedback", citation=question.citation, path=question.clause_path, text=text)


def _category(title: str) -> list[str]:
    path = "$course$/top/" + title.replace("/", "//")
    return [
        '  <question type="category">',
        f"    <category><text>{escape(path)}</text></category>",
        '    <info format="html"><text></text></info>',
        "  </question>",
    ]


def _answers(question: Question) -> list[str]:
    if question.type is QuestionType.MCQ:
        return [
            f'    <answer fraction="{100 if o.correct else 0}" format="html">'
            f"<text>{html_text(o.text)}</text></answer>"
            for o in question.options
        ]
    if question.type is QuestionType.TRUEFALSE:
        return [
            f'    <answer fraction="{100 if question.truth else 0}" format="moodle_auto_format">'
            "<text>true</text></answer>",
            f'    <answer fraction="{0 if question.truth else 100}" format="moodle_auto_format">'
            "<text>false</text></answer>",
        ]
    return [
        '    <answer fraction="100" format="moodle_auto_format">'
        f"<text>{escape(question.answer)}</text></answer>"
    ]


def _question(question: Question, number: int) -> list[str]:
    lines = [
        f'  <question type="{_MOODLE_TYPES[question.type]}">',
        f"    <name><text>{escape(question_name(question, number))}</text></name>",
        f'    <questiontext format="html"><text>{html_text(question.stem)}</text></questiontext>',
        f'    <generalfeedback format="html"><text>{html_text(feedback(question))}</text>'
        "</generalfeedback>",
        "    <defaultgrade>1</defaultgrade>",
        f"    <idnumber>{escape(question.id)}</idnumber>",
        "    <tags>",
        f"      <tag><text>{escape(f'độ khó: {question.difficulty.value}')}</text></tag>",
        f"      <tag><text>{escape(question.fact.label)}</text></tag>",
        "    </tags>",
    ]
    if question.type is QuestionType.MCQ:
        lines += [
            "    <penalty>0.3333333</penalty>",
            "    <single>true</single>",
            "    <shuffleanswers>1</shuffleanswers>",
            "    <answernumbering>abc</answernumbering>",
        ]
    elif question.type is QuestionType.TRUEFALSE:
        lines.append("    <penalty>1</penalty>")
    else:
        lines += ["    <penalty>0.3333333</penalty>", "    <usecase>0</usecase>"]
    return lines + _answers(question) + ["  </question>"]


def to_moodle_xml(quiz: Quiz) -> str:
    """The quiz as a Moodle XML question bank (UTF-8, category first)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    lines += _category(quiz.title or "hoidap")
    for number, question in enumerate(quiz.questions, start=1):
        lines += _question(question, number)
    lines.append("</quiz>")
    return "\n".join(lines) + "\n"
