"""The quiz builder on the bundled corpus, through the real service (parser, index, offices)."""

from __future__ import annotations

import csv
import html
import io
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from hoidap.errors import QuizError
from quiz import ExportFormat, export_quiz, generate_quiz
from quiz.model import QuestionType

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def corpus(service):
    return service.clauses(), service.documents()


@pytest.fixture(scope="module")
def quiz30(corpus):
    clauses, documents = corpus
    return generate_quiz(clauses, documents, n=30, seed=0)


def test_thirty_questions_all_sound(quiz30, corpus, quiz_checker) -> None:
    clauses, documents = corpus
    assert len(quiz30.questions) == 30 and quiz30.warnings == ()
    quiz_checker(quiz30, clauses)
    per_document = Counter(q.source for q in quiz30.questions)
    assert set(per_document) == {d.source for d in documents}
    assert max(per_document.values()) - min(per_document.values()) <= 1
    per_type = Counter(q.type for q in quiz30.questions)
    assert set(per_type) == set(QuestionType) and min(per_type.values()) >= 8
    truths = Counter(q.truth for q in quiz30.questions if q.type is QuestionType.TRUEFALSE)
    assert abs(truths[True] - truths[False]) <= 2


def test_stems_are_short_readable_vietnamese(quiz30) -> None:
    for question in quiz30.questions:
        if "“" in question.stem:
            quoted = question.stem.split("“", 1)[1].split("”", 1)[0]
            assert len(quoted.split()) <= 30, question.stem
        else:
            assert len(question.stem.split()) <= 40, question.stem
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
    assert any("Phòng Kinh tế" in cell or "Sở Tư pháp" in cell for r in rows for cell in r)
