"""Exports: Moodle XML parses with the right structure, GIFT parses back, CSV round-trips."""

from __future__ import annotations

import csv
import html
import io
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from quiz import ExportFormat, export_quiz, generate_quiz
from quiz.export_csv import HEADER, MAX_ANSWER, MAX_QUESTION, TIME_LIMITS
from quiz.export_moodle import cdata
from quiz.model import BLANK, Option, QuestionType, Quiz, loads

TRICKY_STEM = "Theo Điều 5: họp lúc 8:00 {phòng họp} ~ tầng = 2 # ghi chú \\ và ]]> cuối?"
LONG_OPTION = (
    "Ủy ban nhân dân các xã, phường, đặc khu và các cơ quan, đơn vị trực thuộc Ủy ban nhân dân "
    "thành phố Hải Phòng"
)


@pytest.fixture(scope="module")
def quiz(mini_clauses, mini_documents) -> Quiz:
    """A real generated quiz plus one MCQ full of GIFT/XML special characters."""
    generated = generate_quiz(mini_clauses, mini_documents, n=24, seed=11)
    mcq = next(q for q in generated.questions if q.type is QuestionType.MCQ)
    tricky = replace(
        mcq,
        id="tricky",
        stem=TRICKY_STEM,
        options=(
            Option("Đúng: 8:00", correct=True),
            Option("a=b"),
            Option("{x}"),
            Option(LONG_OPTION),
        ),
        answer="Đúng: 8:00",
    )
    cloze_without_options = next(
        replace(q, id="bare-cloze", options=())
        for q in generated.questions
        if q.type is QuestionType.CLOZE
    )
    return replace(generated, questions=(*generated.questions, tricky, cloze_without_options))


def test_moodle_xml_structure(quiz: Quiz) -> None:
    data = export_quiz(quiz, ExportFormat.MOODLE).data
    text = data.decode("utf-8")
    assert text.split("\n", 1)[0] == '<?xml version="1.0" encoding="UTF-8"?>'
    root = ET.fromstring(data)
    assert root.tag == "quiz"
    questions = root.findall("question")
    assert questions[0].get("type") == "category"
    assert questions[0].find("category/text").text.startswith("$course$/top/")
    assert len(questions) == len(quiz.questions) + 1
    kinds = {"mcq": "multichoice", "truefalse": "truefalse", "cloze": "shortanswer"}
    for element, question in zip(questions[1:], quiz.questions, strict=True):
        assert element.get("type") == kinds[question.type.value]
        assert element.find("name/text").text
        body = element.find("questiontext")
        assert body.get("format") == "html"
        assert html.unescape(body.find("text").text) == question.stem
        feedback = html.unescape(element.find("generalfeedback/text").text)
        assert question.citation in feedback and question.clause_path in feedback
        answers = element.findall("answer")
        if question.type is QuestionType.MCQ:
            assert element.find("single").text == "true"
            assert element.find("shuffleanswers").text == "1"
            assert element.find("answernumbering").text == "abc"
            got = [(a.get("fraction"), html.unescape(a.find("text").text)) for a in answers]
            assert got == [("100" if o.correct else "0", o.text) for o in question.options]
            assert all(a.get("format") == "html" for a in answers)
        elif question.type is QuestionType.TRUEFALSE:
            got = {a.find("text").text: a.get("fraction") for a in answers}
            assert got == (
                {"true": "100", "false": "0"} if question.truth else {"true": "0", "false": "100"}
            )
        else:
            assert [(a.get("fraction"), a.find("text").text) for a in answers] == [
                ("100", question.answer)
            ]
            assert BLANK in question.stem


def test_moodle_guards_cdata_end() -> None:
    wrapped = cdata("a ]]> b ]]>")
    assert wrapped.count("<![CDATA[") == 3
    assert ET.fromstring(f"<t>{wrapped}</t>").text == "a ]]> b ]]>"


def test_gift_parses_back_to_the_quiz(quiz: Quiz, gift_parser) -> None:
    text = export_quiz(quiz, ExportFormat.GIFT).data.decode("utf-8")
    assert "Điều 5\\: họp lúc 8\\:00 \\{phòng họp\\} \\~ tầng \\= 2 \\# ghi chú \\\\" in text
    blocks = [b for b in text.strip().split("\n\n") if not b.startswith("// Bộ câu hỏi")]
    assert len(blocks) == len(quiz.questions)
    parsed = gift_parser(text)
    assert len(parsed) == len(quiz.questions)
    for item, question in zip(parsed, quiz.questions, strict=True):
        assert item["stem"] == question.stem
        assert question.clause_path in item["feedback"]
        if question.type is QuestionType.TRUEFALSE:
            assert item["truth"] is question.truth
        elif question.type is QuestionType.MCQ:
            assert item["answers"] == [(o.correct, o.text) for o in question.options]
        else:
            assert item["answers"] == [(True, question.answer)]


def test_csv_round_trip_within_kahoot_limits(quiz: Quiz) -> None:
    exported = export_quiz(quiz, ExportFormat.CSV)
    assert exported.data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADER
    kept = [q for q in quiz.questions if q.type is not QuestionType.CLOZE or q.options]
    assert len(rows) - 1 == len(kept)
    assert any("bị bỏ qua" in w for w in exported.warnings)
    for row, question in zip(rows[1:], kept, strict=True):
        stem, answers, limit, correct = row[0], row[1:5], int(row[5]), int(row[6])
        assert len(stem) <= MAX_QUESTION and limit in TIME_LIMITS
        assert all(len(a) <= MAX_ANSWER for a in answers)
        if question.type is QuestionType.TRUEFALSE:
            assert answers == ["Đúng", "Sai", "", ""]
            assert correct == (1 if question.truth else 2)
        else:
            assert answers[correct - 1] == question.answer
            assert [a for a in answers if a] == [
                o.text if len(o.text) <= MAX_ANSWER else answers[i]
                for i, o in enumerate(question.options)
            ]
        if question.type is QuestionType.CLOZE:
            assert BLANK in stem


def test_csv_shortens_at_word_boundaries_and_reports(quiz: Quiz) -> None:
    exported = export_quiz(quiz, ExportFormat.CSV)
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    number = next(i for i, q in enumerate(quiz.questions, 1) if q.id == "tricky")
    tricky_row = next(r for r in rows if r[1] == "Đúng: 8:00")
    long_cell = tricky_row[4]
    assert long_cell.endswith("…") and len(long_cell) <= MAX_ANSWER
    words = long_cell[:-1].split()
    assert LONG_OPTION.split()[: len(words)][:-1] == words[:-1]
    assert LONG_OPTION.split()[len(words) - 1].rstrip(",") == words[-1]
    assert f"Câu {number}: phương án 4 dài hơn {MAX_ANSWER} ký tự, đã rút gọn." in (
        exported.warnings
    )
    shortened = [w for w in exported.warnings if "câu hỏi dài hơn" in w]
    exported_long = [
        q
        for q in quiz.questions
        if len(q.stem) > MAX_QUESTION and (q.type is not QuestionType.CLOZE or q.options)
    ]
    assert len(shortened) == len(exported_long)


def test_json_export_is_the_quiz_file(quiz: Quiz) -> None:
    assert loads(export_quiz(quiz, ExportFormat.JSON).data.decode("utf-8")) == quiz


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_diacritics_survive(quiz: Quiz, fmt: ExportFormat) -> None:
    data = export_quiz(quiz, fmt).data
    text = data.decode("utf-8-sig")
    for word in ("Theo Kế hoạch của UBND xã Chí Minh", "Điều 5", "Sở Tư pháp"):
        assert word in text or html.escape(word) in text, (fmt, word)
