"""One entry point for every export format: the bytes to write and what was reported."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from quiz.export_csv import to_kahoot_csv
from quiz.export_docx import to_azota_docx, to_printable_docx
from quiz.export_gift import to_gift
from quiz.export_moodle import to_moodle_xml
from quiz.export_xlsx import to_kahoot_xlsx, to_quizizz_xlsx
from quiz.model import Quiz, dumps

logger = logging.getLogger(__name__)


class ExportFormat(StrEnum):
    """Where a quiz can go."""

    KAHOOT = "kahoot"
    QUIZIZZ = "quizizz"
    AZOTA = "azota"
    DOCX = "docx"
    MOODLE = "moodle"
    GIFT = "gift"
    CSV = "csv"
    JSON = "json"

    @property
    def suffix(self) -> str:
        return _SUFFIXES[self]

    @property
    def label(self) -> str:
        return _LABELS[self]


_SUFFIXES = {
    ExportFormat.KAHOOT: ".kahoot.xlsx",
    ExportFormat.QUIZIZZ: ".quizizz.xlsx",
    ExportFormat.AZOTA: ".azota.docx",
    ExportFormat.DOCX: ".de-in.docx",
    ExportFormat.MOODLE: ".xml",
    ExportFormat.GIFT: ".gift.txt",
    ExportFormat.CSV: ".csv",
    ExportFormat.JSON: ".json",
}
_LABELS = {
    ExportFormat.KAHOOT: "Kahoot (.xlsx)",
    ExportFormat.QUIZIZZ: "Quizizz/Wayground (.xlsx)",
    ExportFormat.AZOTA: "Azota (Word)",
    ExportFormat.DOCX: "Đề in kèm đáp án (Word)",
    ExportFormat.MOODLE: "Moodle XML",
    ExportFormat.GIFT: "GIFT",
    ExportFormat.CSV: "CSV (cột Kahoot)",
    ExportFormat.JSON: "JSON (tệp câu hỏi)",
}
_FITTED = {
    ExportFormat.KAHOOT: to_kahoot_xlsx,
    ExportFormat.QUIZIZZ: to_quizizz_xlsx,
    ExportFormat.AZOTA: to_azota_docx,
    ExportFormat.DOCX: to_printable_docx,
}


@dataclass(frozen=True)
class Exported:
    """An exported quiz: the file's bytes, how many questions it holds, and every question
    that was changed or skipped on the way (to show before the download)."""

    data: bytes
    count: int
    warnings: tuple[str, ...] = ()


def export_quiz(quiz: Quiz, fmt: ExportFormat) -> Exported:
    """Render ``quiz`` in ``fmt``; CSV carries a BOM so Excel reads the diacritics."""
    if fmt in _FITTED:
        data, fitted = _FITTED[fmt](quiz)
        return Exported(data, len(fitted.rows), fitted.notes)
    if fmt is ExportFormat.CSV:
        text, fitted = to_kahoot_csv(quiz)
        return Exported(text.encode("utf-8-sig"), len(fitted.rows), fitted.notes)
    if fmt is ExportFormat.MOODLE:
        return Exported(to_moodle_xml(quiz).encode("utf-8"), len(quiz.questions))
    if fmt is ExportFormat.GIFT:
        return Exported(to_gift(quiz).encode("utf-8"), len(quiz.questions))
    return Exported(dumps(quiz).encode("utf-8"), len(quiz.questions))
