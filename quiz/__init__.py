"""Quiz builder for trainers: questions generated from clauses, edited, and exported."""

from quiz.export import Exported, ExportFormat, export_quiz
from quiz.generate import generate_quiz, parse_types, regenerate_question
from quiz.model import (
    FactKind,
    Option,
    Question,
    QuestionType,
    Quiz,
    delete_question,
    edit_question,
    load_quiz,
    save_quiz,
)

__all__ = [
    "ExportFormat",
    "Exported",
    "FactKind",
    "Option",
    "Question",
    "QuestionType",
    "Quiz",
    "delete_question",
    "edit_question",
    "export_quiz",
    "generate_quiz",
    "load_quiz",
    "parse_types",
    "regenerate_question",
    "save_quiz",
]
