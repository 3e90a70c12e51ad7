"""Word tests (.docx): one Azota can import, and one to print with a separate answer key.

Azota builds a test from a Word file whose questions start with "Câu n.", whose options start
with "A.", "B.", … on their own lines, which ends with "HẾT" and may be followed by an answer
table of "1-A" cells; true/false becomes "A. Đúng" / "B. Sai" and a cloze question without
options, which Azota cannot grade, is skipped and listed. The printable test has a header for
the trainee's name, the questions, then on a new page the answer key with the clause each
answer comes from.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

from quiz.fit import AZOTA, TRUE_FALSE, Fitted, Row, fit_quiz
from quiz.model import Question, QuestionType, Quiz

logger = logging.getLogger(__name__)

END = "HẾT"
KEY_TITLE = "ĐÁP ÁN"
KEY_COLUMNS = 5
PRINT_KEY_TITLE = "ĐÁP ÁN VÀ CĂN CỨ"
PRINT_KEY_HEADER = ("Câu", "Đáp án", "Căn cứ")
BOX = "☐"
ANSWER_LINE = "Trả lời: " + "." * 60
NAME_LINE = "Họ và tên: " + "." * 45 + "  Đơn vị: " + "." * 35


def letter(index: int) -> str:
    """A. B. C. … for option ``index`` (0-based)."""
    return chr(ord("A") + index)


def _new_document(title: str):
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title or "Bộ câu hỏi")
    run.bold = True
    run.font.size = Pt(15)
    return document


def _question(document, number: int, stem: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"Câu {number}. ").bold = True
    paragraph.add_run(stem)


def _options(document, answers: Sequence[str]) -> None:
    for index, text in enumerate(answers):
        document.add_paragraph(f"{letter(index)}. {text}")


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_azota_docx(quiz: Quiz) -> tuple[bytes, Fitted]:
    """The Azota-ready Word test and what was skipped."""
    fitted = fit_quiz(quiz, AZOTA)
    document = _new_document(quiz.title)
    for number, row in enumerate(fitted.rows, start=1):
        _question(document, number, row.stem)
        _options(document, row.answers)
    end = document.add_paragraph()
    end.alignment = WD_ALIGN_PARAGRAPH.CENTER
    end.add_run(END).bold = True
    document.add_paragraph().add_run(KEY_TITLE).bold = True
    cells = [f"{n}-{letter(row.correct - 1)}" for n, row in enumerate(fitted.rows, start=1)]
    rows = -(-len(cells) // KEY_COLUMNS)
    table = document.add_table(rows=rows, cols=KEY_COLUMNS)
    table.style = "Table Grid"
    for index, text in enumerate(cells):
        table.cell(index // KEY_COLUMNS, index % KEY_COLUMNS).text = text
    return _bytes(document), fitted


def key_answer(question: Question) -> str:
    """The answer as the printed key gives it ("B. Phòng Kinh tế", "Sai (văn bản ghi …)")."""
    if question.type is QuestionType.TRUEFALSE:
        if question.truth:
            return TRUE_FALSE[0]
        return f"{TRUE_FALSE[1]} (văn bản ghi: {question.answer})"
    index = question.correct_index
    if index is None:
        return question.answer
    return f"{letter(index)}. {question.options[index].text}"


def _printed_question(document, number: int, row: Row) -> None:
    question = row.question
    _question(document, number, question.stem)
    if question.type is QuestionType.TRUEFALSE:
        document.add_paragraph(f"{BOX} {TRUE_FALSE[0]}        {BOX} {TRUE_FALSE[1]}")
    elif question.options:
        _options(document, [o.text for o in question.options])
    else:
        document.add_paragraph(ANSWER_LINE)


def to_printable_docx(quiz: Quiz) -> tuple[bytes, Fitted]:
    """The printable Word test with its answer key on a separate page."""
    fitted = Fitted(
        tuple(
            Row(n, q, q.stem, tuple(o.text for o in q.options), q.correct_index, 0)
            for n, q in enumerate(quiz.questions, start=1)
        ),
        (),
    )
    document = _new_document(quiz.title)
    document.add_paragraph(NAME_LINE)
    for row in fitted.rows:
        _printed_question(document, row.number, row)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph().add_run(PRINT_KEY_TITLE).bold = True
    table = document.add_table(rows=1, cols=len(PRINT_KEY_HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, PRINT_KEY_HEADER, strict=True):
        cell.text = text
    for row in fitted.rows:
        cells = table.add_row().cells
        cells[0].text = str(row.number)
        cells[1].text = key_answer(row.question)
        cells[2].text = f"{row.question.citation} ({row.question.clause_path})"
    return _bytes(document), fitted
