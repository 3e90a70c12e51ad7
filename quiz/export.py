"""One entry point for every export format: the bytes to write and what was reported."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from quiz.export_csv import to_kahoot_csv
from quiz.export_gift import to_gift
from quiz.export_moodle import to_moodle_xml
from quiz.model import Quiz, dumps

logger = logging.getLogger(__name__)


class ExportFormat(StrEnum):
    """Where a quiz can go."""

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
    ExportFormat.MOODLE: ".xml",
    ExportFormat.GIFT: ".gift.txt",
    ExportFormat.CSV: ".csv",
    ExportFormat.JSON: ".json",
}
_LABELS = {
    ExportFormat.MOODLE: "Moodle XML",
    ExportFormat.GIFT: "GIFT",
    ExportFormat.CSV: "CSV (Kahoot, Quizizz)",
    ExportFormat.JSON: "JSON (tệp câu hỏi)",
}


@dataclass(frozen=True)
class Exported:
    """An exported quiz: the file's bytes and the warnings to show."""

    data: bytes
    warnings: tuple[str, ...] = ()


def export_quiz(quiz: Quiz, fmt: ExportFormat) -> Exported:
    """Render ``quiz`` in ``fmt``; CSV carries a BOM so Excel reads the diacritics."""
    if fmt is ExportFormat.MOODLE:
        return Exported(to_moodle_xml(quiz).encode("utf-8"))
    if fmt is ExportFormat.GIFT:
        return Exported(to_gift(quiz).encode("utf-8"))
    if fmt is ExportFormat.CSV:
        result = to_kahoot_csv(quiz)
        return Exported(result.text.encode("utf-8-sig"), result.warnings)
    return Exported(dumps(quiz).encode("utf-8"))
