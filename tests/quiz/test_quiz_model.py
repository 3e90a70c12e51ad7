"""The quiz file: JSON round trip, validation messages, editing."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from hoidap.errors import QuizError
from quiz.model import (
    BLANK,
    FactKind,
    Option,
    Question,
    QuestionType,
    Quiz,
    delete_question,
    dumps,
    edit_question,
    load_quiz,
    loads,
    save_quiz,
)


def _question(qid: str = "q1", **changes) -> Question:
    base = Question(
        id=qid,
        type=QuestionType.MCQ,
        fact=FactKind.OFFICE,
        stem="Theo Kế hoạch của UBND xã Chí Minh, cơ quan nào chủ trì nhiệm vụ “Cân đối…”?",
        answer="Phòng Kinh tế",
        options=(
            Option("Phòng Văn hóa - Xã hội"),
            Option("Phòng Kinh tế", correct=True),
            Option("Văn phòng HĐND và UBND"),
            Option("Công an xã"),
        ),
        source="000.txt",
        document="Kế hoạch của UBND xã Chí Minh",
        doc_title="Kế hoạch của UBND xã Chí Minh",
        clause_id="000.txt#IV.2",
        clause_path="IV.2",
        clause_label="IV. Tổ chức thực hiện › 2. Phòng Kinh tế",
        clause_text="Phòng Kinh tế\n- Cân đối, bố trí chi thường xuyên…",
    )
    return replace(base, **changes)


@pytest.fixture
def quiz() -> Quiz:
    tf = _question(
        "q2",
        type=QuestionType.TRUEFALSE,
        options=(),
        truth=False,
        replacement="Sở Tư pháp",
        stem="Theo Kế hoạch, Sở Tư pháp chủ trì “Cân đối…”.",
    )
    cloze = _question(
        "q3",
        type=QuestionType.CLOZE,
        options=(),
        stem=f"Điền vào chỗ trống: “{BLANK} chủ trì, phối hợp…”",
    )
    return Quiz(
        title="Bộ câu hỏi: thử",
        questions=(_question(), tf, cloze),
        seed=7,
        sources=("000.txt",),
        requested=3,
    )


def test_json_round_trip_keeps_everything(quiz: Quiz, tmp_path: Path) -> None:
    path = tmp_path / "quiz.json"
    save_quiz(quiz, path)
    text = path.read_text(encoding="utf-8")
    assert "Phòng Văn hóa - Xã hội" in text  # diacritics written as such, not \u escapes
    assert load_quiz(path) == quiz


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{không phải json", "không phải JSON hợp lệ (dòng 1"),
        ("[]", "không phải bộ câu hỏi của hoidap"),
        ('{"format": "hoidap-quiz", "version": 9, "questions": []}', "Phiên bản tệp câu hỏi “9”"),
        ('{"format": "hoidap-quiz", "version": 1}', "thiếu danh sách “questions”"),
    ],
)
def test_malformed_files_get_vietnamese_messages(text: str, expected: str) -> None:
    with pytest.raises(QuizError) as info:
        loads(text)
    assert expected in str(info.value)


def test_bad_questions_are_listed_by_number(quiz: Quiz) -> None:
    data = json.loads(dumps(quiz))
    del data["questions"][0]["stem"]
    data["questions"][1]["truth"] = "có"
    data["questions"][2]["type"] = "essay"
    with pytest.raises(QuizError) as info:
        loads(json.dumps(data))
    message = str(info.value)
    assert "câu 1: thiếu trường “stem”" in message
    assert "câu 2: trường “truth”" in message
    assert "câu 3: loại câu hỏi “essay” không hợp lệ" in message


def test_an_mcq_with_two_correct_options_is_rejected(quiz: Quiz) -> None:
    data = json.loads(dumps(quiz))
    data["questions"][0]["options"][0]["correct"] = True
    with pytest.raises(QuizError, match="đúng một đáp án đúng"):
        loads(json.dumps(data))


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(QuizError, match="Không tìm thấy tệp câu hỏi"):
        load_quiz(tmp_path / "khong-co.json")


def test_edit_changes_options_and_answer(quiz: Quiz) -> None:
    edited = edit_question(
        quiz, "q1", stem="Cơ quan nào chủ trì?", options=["A", "B", "", "C"], correct=2
    )
    question = edited.questions[0]
    assert [o.text for o in question.options] == ["A", "B", "C"]
    assert question.answer == "C" and question.correct_index == 2 and question.edited
    assert edited.questions[1:] == quiz.questions[1:]


def test_edit_rejects_unsound_results(quiz: Quiz) -> None:
    with pytest.raises(QuizError, match="không tồn tại"):
        edit_question(quiz, "q1", correct=7)
    with pytest.raises(QuizError, match="trùng nhau"):
        edit_question(quiz, "q1", options=["A", "a", "B"], correct=0)
    with pytest.raises(QuizError, match="chỗ trống"):
        edit_question(quiz, "q3", stem="Không còn chỗ trống")
    with pytest.raises(QuizError, match="Không có câu hỏi mã “zzz”"):
        edit_question(quiz, "zzz", stem="x")


def test_edit_true_false_answer(quiz: Quiz) -> None:
    assert edit_question(quiz, "q2", truth=True).questions[1].truth is True


def test_delete_remembers_the_question(quiz: Quiz) -> None:
    smaller = delete_question(quiz, "q2")
    assert [q.id for q in smaller.questions] == ["q1", "q3"]
    assert smaller.discarded == ("q2",)
