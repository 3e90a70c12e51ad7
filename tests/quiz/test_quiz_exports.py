"""Exports: Moodle XML and GIFT parse back, CSV and the Kahoot/Quizizz spreadsheets match
their templates within their limits, the Word tests parse back into the same questions."""

from __future__ import annotations

import csv
import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace

import pytest
from docx import Document
from openpyxl import load_workbook

from hoidap import vntext
from quiz import ExportFormat, export_quiz, generate_quiz
from quiz.export_csv import HEADER
from quiz.export_moodle import cdata
from quiz.export_xlsx import QUIZIZZ_HEADERS
from quiz.fit import KAHOOT, KAHOOT_TIME_LIMITS, fit_answer
from quiz.model import BLANK, FactKind, Option, QuestionType, Quiz, loads
from quiz.questions import short_name

_BINARY = {ExportFormat.KAHOOT, ExportFormat.QUIZIZZ, ExportFormat.AZOTA, ExportFormat.DOCX}

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
        tags = [t.text for t in element.findall("tags/tag/text")]
        assert tags == [f"độ khó: {question.difficulty.value}", question.fact.label]


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


def _kept(quiz: Quiz) -> list:
    return [q for q in quiz.questions if q.type is not QuestionType.CLOZE or q.options]


def _names_plan(question, stem: str) -> bool:
    """A stem that named its plan still names it (in full or abbreviated)."""
    if question.fact is FactKind.PLAN or question.document not in question.stem:
        return True
    return short_name(question.document) in stem or question.document in stem


def test_csv_round_trip_within_kahoot_limits(quiz: Quiz) -> None:
    exported = export_quiz(quiz, ExportFormat.CSV)
    assert exported.data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADER
    kept = _kept(quiz)
    assert len(rows) - 1 == len(kept) == exported.count
    assert any("bỏ qua" in w for w in exported.warnings)
    for row, question in zip(rows[1:], kept, strict=True):
        stem, answers, limit, correct = row[0], row[1:5], int(row[5]), int(row[6])
        assert len(stem) <= KAHOOT.question and limit in KAHOOT_TIME_LIMITS
        assert _names_plan(question, stem), stem  # shortened, never by losing the plan
        assert all(len(a) <= KAHOOT.answer for a in answers)
        if question.type is QuestionType.TRUEFALSE:
            assert answers == ["Đúng", "Sai", "", ""]
            assert correct == (1 if question.truth else 2)
        else:
            assert fit_answer(question.answer, KAHOOT.answer) == answers[correct - 1]
        if question.type is QuestionType.CLOZE:
            assert BLANK in stem


def test_long_texts_are_rewritten_and_every_change_listed(quiz: Quiz) -> None:
    exported = export_quiz(quiz, ExportFormat.CSV)
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    number = next(i for i, q in enumerate(quiz.questions, 1) if q.id == "tricky")
    tricky_row = next(r for r in rows if r[1] == "Đúng: 8:00")
    long_cell = tricky_row[4]
    assert len(long_cell) <= KAHOOT.answer
    assert vntext.normalize(long_cell.rstrip("…")) in vntext.normalize(LONG_OPTION)
    assert any(
        w.startswith(f"Câu {number}: phương án 4 dài hơn 75 ký tự") for w in exported.warnings
    )
    changed = [
        n
        for n, q in enumerate(quiz.questions, 1)
        if len(q.stem) > KAHOOT.question and (q.type is not QuestionType.CLOZE or q.options)
    ]
    listed = [w for w in exported.warnings if "câu hỏi dài hơn 120 ký tự" in w]
    assert [int(w.split(":")[0].removeprefix("Câu ")) for w in listed] == changed
    bare = next(n for n, q in enumerate(quiz.questions, 1) if q.id == "bare-cloze")
    assert any(w.startswith(f"Câu {bare}: bỏ qua") for w in exported.warnings)


def test_kahoot_xlsx_matches_the_template(quiz: Quiz) -> None:
    exported = export_quiz(quiz, ExportFormat.KAHOOT)
    sheet = load_workbook(io.BytesIO(exported.data)).active
    headers = [sheet.cell(row=8, column=c).value for c in range(2, 9)]
    names = ["Question", "Answer 1", "Answer 2", "Answer 3", "Answer 4", "Time limit (sec)"]
    for header, name in zip(headers, [*names, "Correct answer(s)"], strict=True):
        assert header.startswith(name), header
    kept = _kept(quiz)
    rows = list(sheet.iter_rows(min_row=9, values_only=True))
    assert len(rows) == len(kept) == exported.count
    for number, (row, question) in enumerate(zip(rows, kept, strict=True), start=1):
        assert row[0] == number
        stem, answers, seconds, correct = row[1], [a or "" for a in row[2:6]], row[6], row[7]
        assert len(stem) <= 120 and all(len(a) <= 75 for a in answers)
        assert seconds in KAHOOT_TIME_LIMITS and 1 <= int(correct) <= 4
        assert _names_plan(question, stem)
        if question.type is QuestionType.TRUEFALSE:
            assert answers[:2] == ["Đúng", "Sai"] and int(correct) == (1 if question.truth else 2)
        else:
            assert answers[int(correct) - 1] == fit_answer(question.answer, 75)


def test_quizizz_xlsx_matches_the_template(quiz: Quiz) -> None:
    exported = export_quiz(quiz, ExportFormat.QUIZIZZ)
    sheet = load_workbook(io.BytesIO(exported.data)).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert header == QUIZIZZ_HEADERS and len(header) == 11  # the template's eleven columns
    option_columns = [f"Option {i}" for i in range(1, 6)]
    assert len(rows) == len(quiz.questions) == exported.count
    for values, question in zip(rows, quiz.questions, strict=True):
        row = dict(zip(header, values, strict=True))  # cells by the template's column names
        assert row["Question Text"] == question.stem
        assert question.clause_path in row["Answer explanation"]
        options = [row[column] for column in option_columns if row[column]]
        if row["Question Type"] == "Fill-in-the-Blank":
            assert not question.options and options == [question.answer]
            assert not row["Correct Answer"]
            continue
        assert row["Question Type"] == "Multiple Choice"
        if question.type is QuestionType.TRUEFALSE:
            assert options == ["Đúng", "Sai"]
        else:
            assert options == [o.text for o in question.options]
            assert options[int(row["Correct Answer"]) - 1] == question.answer


def _docx_items(data: bytes) -> tuple[list[dict], list[str], list[list[str]]]:
    """Questions ("Câu n." and "A." lines, other lines below them), the paragraphs after the
    questions ("HẾT", the key's title), and the tables' cells."""
    document = Document(io.BytesIO(data))
    items: list[dict] = []
    after: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text
        if match := re.match(r"^Câu (\d+)\. (.*)$", text):
            items.append({"n": int(match[1]), "stem": match[2], "options": [], "extra": []})
        elif not items or not text:
            continue
        elif after or text in ("HẾT", "ĐÁP ÁN", "ĐÁP ÁN VÀ CĂN CỨ"):
            after.append(text)
        elif match := re.match(r"^([A-H])\. (.*)$", text):
            items[-1]["options"].append(match[2])
        else:
            items[-1]["extra"].append(text)
    tables = [[cell.text for row in t.rows for cell in row.cells] for t in document.tables]
    return items, after, tables


def test_azota_docx_parses_back_into_the_same_questions(quiz: Quiz) -> None:
    exported = export_quiz(quiz, ExportFormat.AZOTA)
    items, other, tables = _docx_items(exported.data)
    kept = _kept(quiz)
    assert [i["n"] for i in items] == list(range(1, len(kept) + 1))
    assert other[:2] == ["HẾT", "ĐÁP ÁN"]
    key = [c for c in tables[0] if c]
    assert key == [f"{n}-{item_letter}" for n, item_letter in _letters(kept)]
    for item, question in zip(items, kept, strict=True):
        assert item["stem"] == question.stem
        if question.type is QuestionType.TRUEFALSE:
            assert item["options"] == ["Đúng", "Sai"]
        else:
            assert item["options"] == [o.text for o in question.options]
    assert any("bỏ qua" in w for w in exported.warnings)


def _letters(questions) -> list[tuple[int, str]]:
    found = []
    for n, q in enumerate(questions, start=1):
        index = (0 if q.truth else 1) if q.type is QuestionType.TRUEFALSE else q.correct_index
        found.append((n, "ABCDEFGH"[index]))
    return found


def test_printable_docx_parses_back_with_a_separate_key(quiz: Quiz) -> None:
    data = export_quiz(quiz, ExportFormat.DOCX).data
    items, other, tables = _docx_items(data)
    assert len(items) == len(quiz.questions)
    assert "ĐÁP ÁN VÀ CĂN CỨ" in other
    assert b'w:type="page"' in _document_xml(data)  # the key starts on its own page
    key = tables[0]
    assert key[:3] == ["Câu", "Đáp án", "Căn cứ"]
    answers = [key[i : i + 3] for i in range(3, len(key), 3)]
    for item, question, (number, answer, source) in zip(
        items, quiz.questions, answers, strict=True
    ):
        assert item["stem"] == question.stem and int(number) == item["n"]
        assert (
            question.clause_path in source
            and question.document in source
            or (question.doc_title in source)
        )
        if question.type is QuestionType.TRUEFALSE:
            assert item["extra"] == ["☐ Đúng        ☐ Sai"]
            assert answer.startswith("Đúng" if question.truth else "Sai")
        elif question.options:
            assert item["options"] == [o.text for o in question.options]
            index = question.correct_index
            assert answer == f"{'ABCDEFGH'[index]}. {question.options[index].text}"
        else:
            assert item["extra"][0].startswith("Trả lời:") and answer == question.answer


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml")


def test_json_export_is_the_quiz_file(quiz: Quiz) -> None:
    assert loads(export_quiz(quiz, ExportFormat.JSON).data.decode("utf-8")) == quiz


@pytest.mark.parametrize("fmt", [f for f in ExportFormat if f not in _BINARY])
def test_diacritics_survive(quiz: Quiz, fmt: ExportFormat) -> None:
    data = export_quiz(quiz, fmt).data
    text = data.decode("utf-8-sig")
    for word in ("của UBND xã Chí Minh", "Điều 5", "Sở Tư pháp"):
        assert word in text or html.escape(word) in text, (fmt, word)
