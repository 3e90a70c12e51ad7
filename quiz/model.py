"""The quiz file: Quiz, Question and Option, their validation, and JSON load/save.

A quiz is immutable; editing functions return a new Quiz. Every question keeps the clause
it was built from (source, path, id, label and text) so a trainer can check it and every
export can cite it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from hoidap import vntext
from hoidap.errors import QuizError

logger = logging.getLogger(__name__)

FILE_FORMAT = "hoidap-quiz"
FILE_VERSION = 1
BLANK = "_____"


class Labelled(StrEnum):
    """A string enum whose members carry a Vietnamese label: ``MEMBER = "value", "Nhãn"``."""

    label: str

    def __new__(cls, value: str, label: str) -> Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class QuestionType(Labelled):
    """How a question is asked."""

    MCQ = "mcq", "Trắc nghiệm"
    TRUEFALSE = "truefalse", "Đúng/Sai"
    CLOZE = "cloze", "Điền khuyết"


class FactKind(Labelled):
    """What a question asks about (for true/false: which term may have been swapped)."""

    OFFICE = "office", "Cơ quan chủ trì"  # who leads a task
    COORDINATE = "coordinate", "Cơ quan phối hợp"  # who coordinates a task
    TASK = "task", "Nhiệm vụ được giao"  # which task an office is given
    DEADLINE = "deadline", "Thời hạn"
    GOAL = "goal", "Mục đích, yêu cầu"  # purposes, requirements and goals of a plan
    PERCENT = "percent", "Chỉ tiêu, số liệu"  # targets and figures
    PLAN = "plan", "Văn bản nào quy định"  # which plan says what
    DOCUMENT = "document", "Số hiệu văn bản"  # document numbers


class Difficulty(StrEnum):
    """How hard a question is for a trainee."""

    EASY = "dễ"
    MEDIUM = "vừa"
    HARD = "khó"


@dataclass(frozen=True)
class Option:
    """One choice of a multiple-choice (or cloze) question."""

    text: str
    correct: bool = False


@dataclass(frozen=True)
class Question:
    """One question and the clause that grounds it.

    ``answer`` is the correct option (MCQ), the blanked term (cloze) or, for true/false, the
    term as it stands in the clause; ``replacement`` is the term swapped in when the
    statement is false (empty when it is true).
    """

    id: str
    type: QuestionType
    fact: FactKind
    stem: str
    answer: str
    source: str
    document: str  # the document's short title, as named in the stem
    doc_title: str
    clause_id: str
    clause_path: str
    clause_label: str
    clause_text: str
    options: tuple[Option, ...] = ()
    truth: bool | None = None
    replacement: str = ""
    edited: bool = False
    difficulty: Difficulty = Difficulty.MEDIUM
    quality: int = 0  # 0–100, how usable the question is as generated (see quiz.quality)
    short_stem: str = ""  # a rewrite within Kahoot's 120 characters that still names the plan

    @property
    def correct_index(self) -> int | None:
        """Position of the correct option, if the question has options."""
        return next((i for i, o in enumerate(self.options) if o.correct), None)

    @property
    def citation(self) -> str:
        """The clause named the way answers cite it: document › label."""
        return f"{self.doc_title} › {self.clause_label}"

    def problems(self) -> list[str]:
        """Why this question cannot be used (empty when it is sound)."""
        found: list[str] = []
        if not self.stem.strip():
            found.append("câu hỏi để trống")
        texts = [vntext.normalize(o.text) for o in self.options]
        if any(not t for t in texts):
            found.append("có phương án để trống")
        if len(set(texts)) != len(texts):
            found.append("có hai phương án trùng nhau")
        correct = [o for o in self.options if o.correct]
        if self.type is QuestionType.MCQ:
            if len(self.options) < 2:
                found.append("câu trắc nghiệm cần ít nhất hai phương án")
            if len(correct) != 1:
                found.append(f"câu trắc nghiệm cần đúng một đáp án đúng (có {len(correct)})")
        elif self.type is QuestionType.TRUEFALSE:
            if self.truth is None:
                found.append("câu đúng/sai chưa có đáp án")
            if self.options:
                found.append("câu đúng/sai không có phương án lựa chọn")
        else:
            if BLANK not in self.stem:
                found.append(f"câu điền khuyết cần chỗ trống {BLANK}")
            if not self.answer.strip():
                found.append("câu điền khuyết chưa có đáp án")
            if self.options and len(correct) != 1:
                found.append("phương án của câu điền khuyết cần đúng một đáp án đúng")
        if correct and len(correct) == 1 and self.type is not QuestionType.TRUEFALSE:
            if vntext.normalize(correct[0].text) != vntext.normalize(self.answer):
                found.append("đáp án không trùng với phương án được đánh dấu đúng")
        return found

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type.value,
            "fact": self.fact.value,
            "stem": self.stem,
            "options": [{"text": o.text, "correct": o.correct} for o in self.options],
            "answer": self.answer,
            "truth": self.truth,
            "replacement": self.replacement,
            "source": self.source,
            "document": self.document,
            "doc_title": self.doc_title,
            "clause_id": self.clause_id,
            "clause_path": self.clause_path,
            "clause_label": self.clause_label,
            "clause_text": self.clause_text,
            "edited": self.edited,
            "difficulty": self.difficulty.value,
            "quality": self.quality,
            "short_stem": self.short_stem,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Question:
        """Read one question; raise QuizError naming the bad field."""
        if not isinstance(data, dict):
            raise QuizError("mỗi câu hỏi phải là một đối tượng JSON")
        text_fields = (
            "id",
            "stem",
            "source",
            "document",
            "doc_title",
            "clause_id",
            "clause_path",
            "clause_label",
            "clause_text",
        )
        for name in text_fields:
            if not isinstance(data.get(name), str):
                raise QuizError(f"thiếu trường “{name}” (chuỗi ký tự)")
        try:
            qtype = QuestionType(data.get("type"))
        except ValueError:
            raise QuizError(f"loại câu hỏi “{data.get('type')}” không hợp lệ") from None
        try:
            fact = FactKind(data.get("fact"))
        except ValueError:
            raise QuizError(f"nội dung hỏi “{data.get('fact')}” không hợp lệ") from None
        raw_options = data.get("options") or []
        if not isinstance(raw_options, list):
            raise QuizError("trường “options” phải là một danh sách")
        options = []
        for raw in raw_options:
            if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
                raise QuizError("mỗi phương án cần trường “text”")
            options.append(Option(text=raw["text"], correct=bool(raw.get("correct"))))
        truth = data.get("truth")
        if truth is not None and not isinstance(truth, bool):
            raise QuizError("trường “truth” phải là true, false hoặc null")
        try:
            difficulty = Difficulty(data.get("difficulty") or Difficulty.MEDIUM.value)
        except ValueError:
            raise QuizError(
                f"độ khó “{data.get('difficulty')}” không hợp lệ (dễ, vừa, khó)"
            ) from None
        quality = data.get("quality") or 0
        if isinstance(quality, bool) or not isinstance(quality, int) or not 0 <= quality <= 100:
            raise QuizError("trường “quality” phải là số nguyên từ 0 đến 100")
        return cls(
            type=qtype,
            fact=fact,
            options=tuple(options),
            answer=str(data.get("answer") or ""),
            truth=truth,
            replacement=str(data.get("replacement") or ""),
            edited=bool(data.get("edited")),
            difficulty=difficulty,
            quality=quality,
            short_stem=str(data.get("short_stem") or ""),
            **{name: data[name] for name in text_fields},
        )


@dataclass(frozen=True)
class Quiz:
    """A generated (and possibly edited) set of questions with how it was made."""

    title: str
    questions: tuple[Question, ...]
    seed: int = 0
    types: tuple[QuestionType, ...] = tuple(QuestionType)
    sources: tuple[str, ...] = ()
    requested: int = 0
    warnings: tuple[str, ...] = ()
    discarded: tuple[str, ...] = ()  # ids of deleted or regenerated questions, never re-offered
    section: str = ""  # the part of the documents asked about ("" for all)
    office: str = ""  # the office whose tasks are asked about ("" for all)

    def index_of(self, question_id: str) -> int:
        """Position of a question; raise QuizError when the id is unknown."""
        for i, question in enumerate(self.questions):
            if question.id == question_id:
                return i
        raise QuizError(f"Không có câu hỏi mã “{question_id}” trong bộ câu hỏi.")

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "title": self.title,
            "seed": self.seed,
            "types": [t.value for t in self.types],
            "sources": list(self.sources),
            "requested": self.requested,
            "warnings": list(self.warnings),
            "discarded": list(self.discarded),
            "section": self.section,
            "office": self.office,
            "questions": [q.to_dict() for q in self.questions],
        }

    @classmethod
    def from_dict(cls, data: Any) -> Quiz:
        """Read a quiz; raise QuizError listing every problem found."""
        if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
            raise QuizError(
                f'Tệp không phải bộ câu hỏi của hoidap (thiếu "format": "{FILE_FORMAT}").'
            )
        if data.get("version") != FILE_VERSION:
            raise QuizError(
                f"Phiên bản tệp câu hỏi “{data.get('version')}” không được hỗ trợ "
                f"(cần {FILE_VERSION})."
            )
        raw_questions = data.get("questions")
        if not isinstance(raw_questions, list):
            raise QuizError("Tệp câu hỏi thiếu danh sách “questions”.")
        problems: list[str] = []
        questions: list[Question] = []
        for number, raw in enumerate(raw_questions, start=1):
            try:
                question = Question.from_dict(raw)
            except QuizError as err:
                problems.append(f"câu {number}: {err}")
                continue
            problems.extend(f"câu {number}: {p}" for p in question.problems())
            questions.append(question)
        ids = [q.id for q in questions]
        if len(set(ids)) != len(ids):
            problems.append("có hai câu hỏi cùng mã")
        try:
            types = tuple(QuestionType(t) for t in data.get("types") or [])
        except ValueError:
            problems.append("danh sách “types” có loại câu hỏi không hợp lệ")
            types = ()
        if problems:
            raise QuizError("Tệp câu hỏi không hợp lệ:\n" + "\n".join(problems))
        return cls(
            title=str(data.get("title") or ""),
            questions=tuple(questions),
            seed=int(data.get("seed") or 0),
            types=types or tuple(QuestionType),
            sources=tuple(str(s) for s in data.get("sources") or []),
            requested=int(data.get("requested") or len(questions)),
            warnings=tuple(str(w) for w in data.get("warnings") or []),
            discarded=tuple(str(d) for d in data.get("discarded") or []),
            section=str(data.get("section") or ""),
            office=str(data.get("office") or ""),
        )


def dumps(quiz: Quiz) -> str:
    """The quiz file's text (UTF-8 JSON, diacritics kept as written)."""
    return json.dumps(quiz.to_dict(), ensure_ascii=False, indent=2) + "\n"


def loads(text: str) -> Quiz:
    """Parse a quiz file's text; raise QuizError when it is not a valid quiz."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise QuizError(
            f"Tệp câu hỏi không phải JSON hợp lệ (dòng {err.lineno}, cột {err.colno}): {err.msg}."
        ) from None
    return Quiz.from_dict(data)


def save_quiz(quiz: Quiz, path: Path) -> None:
    """Write the quiz file."""
    path.write_text(dumps(quiz), encoding="utf-8")


def load_quiz(path: Path) -> Quiz:
    """Read a quiz file; raise QuizError when it is missing or malformed."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise QuizError(f"Không tìm thấy tệp câu hỏi “{path}”.") from None
    except (OSError, UnicodeDecodeError) as err:
        raise QuizError(f"Không đọc được tệp câu hỏi “{path}”: {err}.") from None
    return loads(text)


def edit_question(
    quiz: Quiz,
    question_id: str,
    *,
    stem: str | None = None,
    options: Sequence[str] | None = None,
    correct: int | None = None,
    answer: str | None = None,
    truth: bool | None = None,
) -> Quiz:
    """Change a question's text, options or answer; raise QuizError if the result is unsound.

    ``options`` replaces all option texts (blank lines dropped); ``correct`` is the index of
    the correct one. For a cloze question ``answer`` is the expected term.
    """
    position = quiz.index_of(question_id)
    old = quiz.questions[position]
    new_options = old.options
    if options is not None:
        texts = [vntext.collapse(t) for t in options if t.strip()]
        keep = old.correct_index if correct is None else correct
        new_options = tuple(Option(text=t, correct=(i == keep)) for i, t in enumerate(texts))
    elif correct is not None:
        new_options = tuple(replace(o, correct=(i == correct)) for i, o in enumerate(old.options))
    if correct is not None and not 0 <= correct < len(new_options):
        raise QuizError(
            f"Đáp án đúng số {correct + 1} không tồn tại: câu hỏi có {len(new_options)} phương án."
        )
    new_answer = old.answer if answer is None else vntext.collapse(answer)
    chosen = next((o.text for o in new_options if o.correct), None)
    if old.type is QuestionType.MCQ and chosen is not None:
        new_answer = chosen
    if old.type is QuestionType.CLOZE and answer is not None and new_options:
        new_options = tuple(replace(o, text=new_answer) if o.correct else o for o in new_options)
    new_stem = old.stem if stem is None else vntext.collapse(stem)
    question = replace(
        old,
        stem=new_stem,
        short_stem=old.short_stem if new_stem == old.stem else "",
        options=new_options,
        answer=new_answer,
        truth=old.truth if truth is None else truth,
        edited=True,
    )
    problems = question.problems()
    if problems:
        raise QuizError("Không lưu được thay đổi: " + "; ".join(problems) + ".")
    questions = list(quiz.questions)
    questions[position] = question
    return replace(quiz, questions=tuple(questions))


def delete_question(quiz: Quiz, question_id: str) -> Quiz:
    """Remove a question; it is remembered so regeneration never offers it again."""
    position = quiz.index_of(question_id)
    questions = quiz.questions[:position] + quiz.questions[position + 1 :]
    return replace(quiz, questions=questions, discarded=quiz.discarded + (question_id,))
