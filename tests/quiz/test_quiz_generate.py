"""Generation on a small hand-written corpus: soundness, determinism, spreading, bad input."""

from __future__ import annotations

from collections import Counter

import pytest

from hoidap.errors import QuizError
from quiz import generate_quiz, parse_types, regenerate_question
from quiz.model import FactKind, QuestionType


def test_every_question_is_sound(mini_clauses, mini_documents, quiz_checker) -> None:
    quiz = generate_quiz(mini_clauses, mini_documents, n=500, seed=3)
    quiz_checker(quiz, mini_clauses)
    assert {q.type for q in quiz.questions} == set(QuestionType)
    made = {q.fact for q in quiz.questions}
    assert made >= {FactKind.OFFICE, FactKind.TASK, FactKind.PLAN, FactKind.DEADLINE}
    assert made >= {FactKind.DOCUMENT, FactKind.PERCENT}
    assert all(0 < q.quality <= 100 for q in quiz.questions)


def test_same_seed_same_quiz_other_seed_other_quiz(mini_clauses, mini_documents) -> None:
    first = generate_quiz(mini_clauses, mini_documents, n=12, seed=5)
    again = generate_quiz(list(mini_clauses), list(mini_documents), n=12, seed=5)
    other = generate_quiz(mini_clauses, mini_documents, n=12, seed=6)
    assert first == again
    assert [q.id for q in first.questions] != [q.id for q in other.questions]


def test_questions_alternate_between_documents_and_types(
    mini_clauses, mini_documents, mini_sources
) -> None:
    commune, city = mini_sources
    quiz = generate_quiz(mini_clauses, mini_documents, n=12, seed=1)
    sources = [q.source for q in quiz.questions]
    assert sources[:4] == [commune, city, commune, city]
    assert Counter(sources) == {commune: 6, city: 6}
    assert len({q.type for q in quiz.questions[:6]}) == 3


def test_a_coordinator_is_never_a_distractor(mini_clauses, mini_documents, mini_sources) -> None:
    commune = mini_sources[0]
    # IV.5: Công an xã leads, Phòng Kinh tế coordinates
    quiz = generate_quiz(mini_clauses, mini_documents, n=500, seed=0, sources=[commune])
    office = [q for q in quiz.questions if q.clause_path == "IV.5" and q.fact is FactKind.OFFICE]
    assert office
    for question in office:
        assert "Phòng Kinh tế" not in {o.text for o in question.options if not o.correct}
        assert question.replacement != "Phòng Kinh tế"


def test_offices_are_replaced_by_offices_of_the_same_level(
    mini_clauses, mini_documents, mini_sources
) -> None:
    city = mini_sources[1]
    quiz = generate_quiz(mini_clauses, mini_documents, n=500, seed=2, sources=[city])
    mcqs = [q for q in quiz.questions if q.fact is FactKind.OFFICE and q.options]
    assert mcqs
    for question in mcqs:
        assert all(o.text.startswith("Sở ") for o in question.options), question.options


def test_rows_sharing_a_task_opening_get_distinct_stems(
    mini_clauses, mini_documents, mini_sources
) -> None:
    city = mini_sources[1]
    # PL.1-3 and PL.6 all start "Tổ chức triển khai thực hiện, cụ thể hóa các cơ chế…"
    quiz = generate_quiz(mini_clauses, mini_documents, n=500, seed=4, sources=[city])
    office = [
        q
        for q in quiz.questions
        if q.fact is FactKind.OFFICE and q.clause_path in {"PL.1", "PL.2", "PL.3", "PL.6"}
    ]
    assert len({q.stem for q in office}) == len(office) >= 2
    for question in office:
        number = question.clause_text.split("Nghị quyết số ")[1].split()[0]
        assert number in question.stem


def test_only_the_requested_types(mini_clauses, mini_documents) -> None:
    quiz = generate_quiz(mini_clauses, mini_documents, n=8, seed=0, types=parse_types("cloze"))
    assert {q.type for q in quiz.questions} == {QuestionType.CLOZE}


def test_too_many_gives_fewer_and_says_so(mini_clauses, mini_documents) -> None:
    quiz = generate_quiz(mini_clauses, mini_documents, n=400, seed=0)
    assert 10 < len(quiz.questions) < 400
    assert quiz.warnings[0].startswith(f"Chỉ tạo được {len(quiz.questions)}/400 câu hỏi")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sources": ["khong-co.txt"]}, "Không có văn bản “khong-co.txt” trong chỉ mục"),
        ({"n": 0}, "Số câu hỏi phải là số nguyên từ 1"),
        ({"types": ()}, "ít nhất một loại câu hỏi"),
    ],
)
def test_bad_requests_raise_quiz_errors(mini_clauses, mini_documents, kwargs, message) -> None:
    with pytest.raises(QuizError, match=message):
        generate_quiz(mini_clauses, mini_documents, **kwargs)


def test_empty_corpus_is_explained() -> None:
    with pytest.raises(QuizError, match="Chưa có văn bản nào trong chỉ mục"):
        generate_quiz([], [], n=5)


def test_parse_types() -> None:
    assert parse_types("mcq, truefalse,cloze,mcq") == tuple(QuestionType)
    assert parse_types(["đúng sai"]) == (QuestionType.TRUEFALSE,)
    with pytest.raises(QuizError, match="Loại câu hỏi “essay” không hợp lệ"):
        parse_types("mcq,essay")


def test_regenerate_offers_a_question_at_least_as_good(
    mini_clauses, mini_documents, quiz_checker
) -> None:
    quiz = generate_quiz(mini_clauses, mini_documents, n=6, seed=0)
    position = min(range(6), key=lambda i: quiz.questions[i].quality)
    target = quiz.questions[position]
    seen = {target.id}
    for _ in range(3):
        old = quiz.questions[position]
        try:
            quiz = regenerate_question(quiz, old.id, clauses=mini_clauses, documents=mini_documents)
        except QuizError as err:
            assert "không còn câu hỏi nào khác tốt bằng" in str(err)
            break
        new = quiz.questions[position]
        assert new.id not in seen and new.source == target.source
        assert new.quality >= old.quality
        seen.add(new.id)
        quiz_checker(quiz, mini_clauses)
    assert len(seen) >= 2
    assert set(quiz.discarded) == seen - {quiz.questions[position].id}
    first = generate_quiz(mini_clauses, mini_documents, n=6, seed=0).questions
    assert [q.id for i, q in enumerate(quiz.questions) if i != position] == [
        q.id for i, q in enumerate(first) if i != position
    ]
