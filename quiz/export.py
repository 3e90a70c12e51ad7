"""One entry point for every export format: the bytes to write and what was reported."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from quiz.export_csv import to_kahoot_csv
from quiz.export_gift import to_gift
from quiz.export_moodle import to_moodle_xml
from quiz.fit import Fitted
from quiz.model import Labelled, Quiz, dumps

logger = logging.getLogger(__name__)


class ExportFormat(Labelled):
    """Where a quiz can go."""

    KAHOOT = "kahoot", "Kahoot (.xlsx)"
    QUIZIZZ = "quizizz", "Quizizz/Wayground (.xlsx)"
    AZOTA = "azota", "Azota (Word)"
    DOCX = "docx", "Đề in kèm đáp án (Word)"
    MOODLE = "moodle", "Moodle XML"
    GIFT = "gift", "GIFT"
    CSV = "csv", "CSV (cột Kahoot)"
    JSON = "json", "JSON (tệp câu hỏi)"

    @property
    def suffix(self) -> str:
        return _SUFFIXES[self]


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
_OFFICE_WRITERS = {  # module, function: openpyxl and python-docx load only when used
    ExportFormat.KAHOOT: ("quiz.export_xlsx", "to_kahoot_xlsx"),
    ExportFormat.QUIZIZZ: ("quiz.export_xlsx", "to_quizizz_xlsx"),
    ExportFormat.AZOTA: ("quiz.export_docx", "to_azota_docx"),
    ExportFormat.DOCX: ("quiz.export_docx", "to_printable_docx"),
}


def _office_writer(fmt: ExportFormat) -> Callable[[Quiz], tuple[bytes, Fitted]]:
    import importlib

    module, function = _OFFICE_WRITERS[fmt]
    return getattr(importlib.import_module(module), function)


@dataclass(frozen=True)
class Exported:
    """An exported quiz: the file's bytes, how many questions it holds, and every question
    that was changed or skipped on the way (to show before the download)."""

    data: bytes
    count: int
    warnings: tuple[str, ...] = ()


def export_quiz(quiz: Quiz, fmt: ExportFormat) -> Exported:
    """Render ``quiz`` in ``fmt``; CSV carries a BOM so Excel reads the diacritics."""
    if fmt in _OFFICE_WRITERS:
        data, fitted = _office_writer(fmt)(quiz)
        return Exported(data, len(fitted.rows), fitted.notes)
    if fmt is ExportFormat.CSV:
        text, fitted = to_kahoot_csv(quiz)
        return Exported(text.encode("utf-8-sig"), len(fitted.rows), fitted.notes)
    if fmt is ExportFormat.MOODLE:
        return Exported(to_moodle_xml(quiz).encode("utf-8"), len(quiz.questions))
    if fmt is ExportFormat.GIFT:
        return Exported(to_gift(quiz).encode("utf-8"), len(quiz.questions))
    return Exported(dumps(quiz).encode("utf-8"), len(quiz.questions))
