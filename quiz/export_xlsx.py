"""Kahoot and Quizizz (Wayground) spreadsheets (.xlsx), in the layout of their templates.

Kahoot's template ("KahootQuizTemplate.xlsx") has a title block, the column headers on row 8
from column B (Question, Answer 1–4, Time limit, Correct answer(s)) and one question a row
from row 9, numbered in column A. Quizizz's template has its headers on row 1 (Question Text,
Question Type, Option 1–5, Correct Answer, Time in seconds, Image Link, Answer explanation)
and one question a row below. Both are fitted by quiz.fit first.
"""

from __future__ import annotations

import io
import logging

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from quiz.export_csv import kahoot_cells
from quiz.export_moodle import feedback
from quiz.fit import KAHOOT, QUIZIZZ, Fitted, fit_quiz
from quiz.model import Quiz

logger = logging.getLogger(__name__)

KAHOOT_HEADER_ROW = 8
KAHOOT_HEADERS = (
    "Question - max 120 characters",
    "Answer 1 - max 75 characters",
    "Answer 2 - max 75 characters",
    "Answer 3 - max 75 characters",
    "Answer 4 - max 75 characters",
    "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
    "Correct answer(s) - choose at least one",
)
QUIZIZZ_HEADERS = (
    "Question Text",
    "Question Type",
    "Option 1",
    "Option 2",
    "Option 3",
    "Option 4",
    "Option 5",
    "Correct Answer",
    "Time in seconds",
    "Image Link",
    "Answer explanation",
)
MULTIPLE_CHOICE = "Multiple Choice"
FILL_IN = "Fill-in-the-Blank"
_WIDTHS = {"A": 6, "B": 60, "C": 30, "D": 30, "E": 30, "F": 30, "G": 16, "H": 16}


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_kahoot_xlsx(quiz: Quiz) -> tuple[bytes, Fitted]:
    """The Kahoot import spreadsheet and what was changed or skipped."""
    fitted = fit_quiz(quiz, KAHOOT)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet["B2"] = quiz.title or "Bộ câu hỏi"
    sheet["B2"].font = Font(bold=True, size=14)
    sheet["B3"] = (
        "Nhập vào Kahoot: Tạo kahoot › Thêm câu hỏi › Nhập bảng tính (Import spreadsheet)."
    )
    for column, header in enumerate(KAHOOT_HEADERS, start=2):
        cell = sheet.cell(row=KAHOOT_HEADER_ROW, column=column, value=header)
        cell.font = Font(bold=True)
    for offset, row in enumerate(fitted.rows, start=1):
        values = [offset, row.stem, *kahoot_cells(row.answers), row.seconds, row.correct]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=KAHOOT_HEADER_ROW + offset, column=column, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in _WIDTHS.items():
        sheet.column_dimensions[column].width = width
    return _save(workbook), fitted


def to_quizizz_xlsx(quiz: Quiz) -> tuple[bytes, Fitted]:
    """The Quizizz/Wayground import spreadsheet and what was changed or skipped."""
    fitted = fit_quiz(quiz, QUIZIZZ)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append(list(QUIZIZZ_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in fitted.rows:
        if row.correct is None:  # a fill-in: the accepted answer is its only option
            kind, options, correct = FILL_IN, [row.question.answer], ""
        else:
            kind, options, correct = MULTIPLE_CHOICE, list(row.answers), str(row.correct)
        options += [""] * (QUIZIZZ.max_answers - len(options))
        explanation = feedback(row.question)
        sheet.append([row.stem, kind, *options, correct, row.seconds, "", explanation])
    for column in ("A", "K"):
        sheet.column_dimensions[column].width = 60
    return _save(workbook), fitted
