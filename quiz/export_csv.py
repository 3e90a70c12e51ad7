"""CSV in the Kahoot spreadsheet's columns, for tools that read CSV (Blooket, Gimkit…).

Rows are fitted to Kahoot's limits by quiz.fit (rewritten shorter, never silently cut); true/
false becomes "Đúng"/"Sai"; a cloze question without options is skipped and listed.
"""

from __future__ import annotations

import csv
import io
import logging

from quiz.fit import KAHOOT, Fitted, fit_quiz
from quiz.model import Quiz

logger = logging.getLogger(__name__)

HEADER = (
    "Question",
    "Answer 1",
    "Answer 2",
    "Answer 3",
    "Answer 4",
    "Time limit (sec)",
    "Correct answer(s)",
)


def kahoot_cells(row_answers: tuple[str, ...]) -> list[str]:
    """Four answer cells, empty ones last."""
    return list(row_answers) + [""] * (KAHOOT.max_answers - len(row_answers))


def to_kahoot_csv(quiz: Quiz) -> tuple[str, Fitted]:
    """The quiz as CSV rows under the Kahoot header, and what was changed or skipped."""
    fitted = fit_quiz(quiz, KAHOOT)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in fitted.rows:
        writer.writerow([row.stem, *kahoot_cells(row.answers), row.seconds, row.correct])
    return buffer.getvalue(), fitted
