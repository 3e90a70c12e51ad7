"""The quiz builder on the bundled corpus, through the real service (parser, index, offices)."""

from __future__ import annotations

import csv
import html
import io
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from docx import Document
from openpyxl import load_workbook

from hoidap.errors import QuizError
from quiz import ExportFormat, export_quiz, generate_quiz
from quiz.model import Difficulty, FactKind, QuestionType

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def corpus(service):
    return service.clauses(), service.documents()


@pytest.fixture(scope="module")
def quiz30(corpus):
    clauses, documents = corpus
    return generate_quiz(clauses, documents, n=30, seed=0)


@pytest.fixture(scope="module")
def quiz100(corpus):
    clauses, documents = corpus
    return generate_quiz(clauses, documents, n=100, seed=0)


def test_hundred_questions_mix_kinds_read_whole_and_are_right_by_their_clause(
    quiz100, corpus, quiz_checker
) -> None:
    clauses, documents = corpus
    assert len(quiz100.questions) == 100
    kinds = Counter(q.fact for q in quiz100.questions)
    assert kinds[FactKind.DOCUMENT] <= 30, kinds
    assert {FactKind.OFFICE, FactKind.TASK, FactKind.DEADLINE, FactKind.GOAL} <= set(kinds)
    assert {FactKind.PERCENT, FactKind.PLAN} <= set(kinds)
    assert max(kinds.values()) <= 50, kinds
    # readable (no heading, fragment or "…"), right by the clause, every wrong answer wrong
    quiz_checker(quiz100, clauses)
    assert {q.difficulty for q in quiz100.questions} == set(Difficulty)
    assert all(40 <= q.quality <= 100 for q in quiz100.questions)


def test_hundred_questions_export_to_the_templates(quiz100) -> None:
    kahoot = export_quiz(quiz100, ExportFormat.KAHOOT)
    rows = list(
        load_workbook(io.BytesIO(kahoot.data)).active.iter_rows(min_row=9, values_only=True)
    )
    assert len(rows) == kahoot.count >= 90
    assert all(len(r[1]) <= 120 and all(len(a or "") <= 75 for a in r[2:6]) for r in rows)
    quizizz = export_quiz(quiz100, ExportFormat.QUIZIZZ)
    sheet = load_workbook(io.BytesIO(quizizz.data)).active
    assert sheet.max_row - 1 == 100 and sheet["A1"].value == "Question Text"
    azota = Document(io.BytesIO(export_quiz(quiz100, ExportFormat.AZOTA).data))
    texts = [p.text for p in azota.paragraphs]
    assert sum(t.startswith("Câu ") for t in texts) >= 90 and "HẾT" in texts


def test_thirty_questions_all_sound(quiz30, corpus, quiz_checker) -> None:
    clauses, documents = corpus
    assert len(quiz30.questions) == 30 and quiz30.warnings == ()
    quiz_checker(quiz30, clauses)
    per_document = Counter(q.source for q in quiz30.questions)
    assert set(per_document) == {d.source for d in documents}
    assert max(per_document.values()) - min(per_document.values()) <= 1
    per_type = Counter(q.type for q in quiz30.questions)
    assert set(per_type) == set(QuestionType) and min(per_type.values()) >= 6
    truths = Counter(q.truth for q in quiz30.questions if q.type is QuestionType.TRUEFALSE)
    assert abs(truths[True] - truths[False]) <= 2


def test_stems_are_short_readable_vietnamese(quiz30) -> None:
    for question in quiz30.questions:
        if "“" in question.stem:
            quoted = question.stem.split("“", 1)[1].split("”", 1)[0]
            assert len(quoted.split()) <= 40, question.stem
        else:
            assert len(question.stem.split()) <= 45, question.stem
        assert question.stem[0].isupper()
        assert "  " not in question.stem and " ," not in question.stem


def test_every_document_alone_and_the_whole_corpus_are_sound(corpus, quiz_checker) -> None:
    clauses, documents = corpus
    for document in documents:
        quiz = generate_quiz(clauses, documents, n=8, seed=1, sources=[document.source])
        assert {q.source for q in quiz.questions} == {document.source}
        quiz_checker(quiz, clauses)
    everything = generate_quiz(clauses, documents, n=500, seed=2)
    quiz_checker(everything, clauses)
    assert everything.warnings[0].startswith(
        f"Chỉ tạo được {len(everything.questions)}/500 câu hỏi"
    )


def test_seed_decides_the_quiz(corpus, quiz30) -> None:
    clauses, documents = corpus
    assert generate_quiz(clauses, documents, n=30, seed=0) == quiz30
    other = generate_quiz(clauses, documents, n=30, seed=1)
    assert [q.id for q in other.questions] != [q.id for q in quiz30.questions]


def test_unknown_document_is_named(corpus) -> None:
    clauses, documents = corpus
    with pytest.raises(QuizError, match="Không có văn bản “999_khong_co.txt”"):
        generate_quiz(clauses, documents, sources=["999_khong_co.txt"])


def test_exports_of_the_corpus_quiz(quiz30, gift_parser) -> None:
    root = ET.fromstring(export_quiz(quiz30, ExportFormat.MOODLE).data)
    stems = [html.unescape(q.find("questiontext/text").text) for q in root.findall("question")[1:]]
    assert stems == [q.stem for q in quiz30.questions]
    parsed = gift_parser(export_quiz(quiz30, ExportFormat.GIFT).data.decode("utf-8"))
    assert [p["stem"] for p in parsed] == [q.stem for q in quiz30.questions]
    rows = list(
        csv.reader(io.StringIO(export_quiz(quiz30, ExportFormat.CSV).data.decode("utf-8-sig")))
    )
    assert all(len(r[0]) <= 120 for r in rows[1:])
    assert all("KH" in r[0] or "Kế hoạch" in r[0] or "Văn bản" in r[0] for r in rows[1:])
    assert any("Phòng Kinh tế" in cell or "Sở Tư pháp" in cell for r in rows for cell in r)


def test_quiz_from_one_part_and_from_one_office(corpus, quiz_checker) -> None:
    clauses, documents = corpus
    part = generate_quiz(clauses, documents, n=20, seed=0, section="III. Tổ chức thực hiện")
    assert len(part.questions) >= 10 and part.section == "III. Tổ chức thực hiện"
    assert all("Tổ chức thực hiện" in q.clause_label for q in part.questions)
    assert len({q.source for q in part.questions}) >= 4  # the part in every plan, IV. or III.
    quiz_checker(part, clauses)
    office = generate_quiz(clauses, documents, n=15, seed=0, office="Sở Tư pháp")
    assert len(office.questions) >= 10
    by_id = {c.id: c for c in clauses}
    for question in office.questions:
        clause = by_id[question.clause_id]
        assert "Sở Tư pháp" in (*clause.lead_offices, *clause.coord_offices), clause
    quiz_checker(office, clauses)
    with pytest.raises(QuizError, match="Không có phần “V. Khen thưởng”.*Tổ chức thực hiện"):
        generate_quiz(clauses, documents, section="V. Khen thưởng")
    with pytest.raises(QuizError, match="Không có nhiệm vụ nào giao cho “Sở Ngoại vụ”"):
        generate_quiz(clauses, documents, office="Sở Ngoại vụ")
