"""Quiz exports never carry live HTML from clause text: GIFT escapes it like Moodle XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from quiz.export import ExportFormat, export_quiz
from quiz.model import FactKind, Option, Question, QuestionType, Quiz

SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'


def _quiz() -> Quiz:
    clause = f"1. Phòng Kinh tế chủ trì {SCRIPT} và {IMG} trước 8:00 & đúng hạn."
    question = Question(
        id="q1",
        type=QuestionType.MCQ,
        fact=next(iter(FactKind)),
        stem=f"Ai chủ trì {SCRIPT}?",
        answer="Phòng Kinh tế",
        source="ke_hoach.txt",
        document="Kế hoạch",
        doc_title=f"Kế hoạch {IMG}",
        clause_id="ke_hoach.txt#1",
        clause_path="1",
        clause_label=f"1. {IMG}",
        clause_text=clause,
        options=(Option(f"Phòng Kinh tế {IMG}", correct=True), Option(SCRIPT), Option("Khác")),
    )
    return Quiz(title=f"Bộ câu hỏi\n::x:: {SCRIPT} {{=a}}", questions=(question,))


def test_gift_escapes_html_and_keeps_one_question(gift_parser) -> None:
    text = export_quiz(_quiz(), ExportFormat.GIFT).data.decode("utf-8")
    assert "<script" not in text.lower() and "<img" not in text.lower()
    assert "&lt;script&gt;" in text and "[html]" in text
    (item,) = gift_parser(text)  # the title's newline and braces start no extra question
    assert item["stem"] == f"Ai chủ trì {SCRIPT}?"
    assert item["answers"][0] == (True, f"Phòng Kinh tế {IMG}")


def test_moodle_xml_keeps_html_escaped() -> None:
    data = export_quiz(_quiz(), ExportFormat.MOODLE).data
    questions = [q for q in ET.fromstring(data) if q.get("type") != "category"]
    html_texts = [t.text or "" for q in questions for t in q.iter("text")]
    assert any("&lt;script&gt;" in t for t in html_texts)
    assert not any("<script" in t or "<img" in t for t in html_texts)
