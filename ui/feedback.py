"""Thumbs up/down on answers, with an optional comment, kept in a local SQLite file.

The schema is a list of numbered migrations; ``PRAGMA user_version`` records how many ran.
Each call opens its own connection, so one store can be shared by every request thread.
"""

from __future__ import annotations

import csv
import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from pathlib import Path
from typing import TextIO

from hoidap.errors import InputError

logger = logging.getLogger(__name__)

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
        comment TEXT NOT NULL DEFAULT '',
        citations TEXT NOT NULL DEFAULT '[]',
        docs TEXT NOT NULL DEFAULT '[]',
        latency_ms INTEGER NOT NULL DEFAULT 0
    )
    """,
)
CSV_HEADERS = (
    "Mã",
    "Thời điểm (UTC)",
    "Câu hỏi",
    "Câu trả lời",
    "Đánh giá",
    "Góp ý",
    "Trích dẫn",
    "Văn bản được lọc",
    "Thời gian trả lời (ms)",
)
MAX_COMMENT_CHARS = 2000


class Rating(IntEnum):
    """A thumb: up (the answer helped) or down."""

    UP = 1
    DOWN = -1

    @property
    def label(self) -> str:
        return "Hữu ích" if self is Rating.UP else "Chưa tốt"


@dataclass(frozen=True)
class FeedbackRecord:
    """One rated answer."""

    id: int
    created_at: str
    question: str
    answer: str
    rating: Rating
    comment: str
    citations: tuple[str, ...]  # "source › path" of each cited clause
    docs: tuple[str, ...]  # the document filter the question was asked with
    latency_ms: int


class FeedbackStore:
    """Feedback records in the SQLite file at ``path`` (created on first write)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            self._migrate(conn)
            with conn:
                yield conn
        finally:
            conn.close()

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number, sql in enumerate(MIGRATIONS[version:], start=version + 1):
            with conn:
                conn.execute(sql)
                conn.execute(f"PRAGMA user_version = {number}")
            logger.info("feedback store %s: migration %d applied", self.path, number)

    def add(
        self,
        *,
        question: str,
        answer: str,
        rating: Rating,
        comment: str = "",
        citations: Sequence[str] = (),
        docs: Sequence[str] = (),
        latency_ms: int = 0,
    ) -> int:
        """Record a rating and return its id."""
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO feedback (created_at, question, answer, rating, comment, citations,"
                " docs, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    created,
                    question,
                    answer,
                    int(Rating(rating)),
                    _checked_comment(comment),
                    json.dumps(list(citations), ensure_ascii=False),
                    json.dumps(list(docs), ensure_ascii=False),
                    int(latency_ms),
                ),
            )
            return int(cursor.lastrowid or 0)

    def update(
        self, feedback_id: int, *, rating: Rating | None = None, comment: str | None = None
    ) -> None:
        """Change the rating and/or the comment of record ``feedback_id``."""
        with self._connect() as conn:
            row = conn.execute("SELECT id FROM feedback WHERE id = ?", (feedback_id,)).fetchone()
            if row is None:
                raise InputError(
                    f"Không có góp ý mã {feedback_id}. Hãy đánh giá một câu trả lời trước."
                )
            if rating is not None:
                conn.execute(
                    "UPDATE feedback SET rating = ? WHERE id = ?",
                    (int(Rating(rating)), feedback_id),
                )
            if comment is not None:
                conn.execute(
                    "UPDATE feedback SET comment = ? WHERE id = ?",
                    (_checked_comment(comment), feedback_id),
                )

    def records(self) -> list[FeedbackRecord]:
        """Every record, oldest first (none when the file does not exist yet)."""
        if not self.path.exists():
            return []
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, created_at, question, answer, rating, comment, citations, docs,"
                " latency_ms FROM feedback ORDER BY id"
            ).fetchall()
        return [
            FeedbackRecord(
                id=row[0],
                created_at=row[1],
                question=row[2],
                answer=row[3],
                rating=Rating(row[4]),
                comment=row[5],
                citations=tuple(json.loads(row[6])),
                docs=tuple(json.loads(row[7])),
                latency_ms=row[8],
            )
            for row in rows
        ]

    def write_csv(self, out: TextIO) -> int:
        """Write every record as CSV (Vietnamese headers) to ``out``; return the record count."""
        records = self.records()
        writer = csv.writer(out)
        writer.writerow(CSV_HEADERS)
        for r in records:
            writer.writerow(
                [
                    r.id,
                    r.created_at,
                    r.question,
                    r.answer,
                    r.rating.label,
                    r.comment,
                    "; ".join(r.citations),
                    "; ".join(r.docs),
                    r.latency_ms,
                ]
            )
        return len(records)

    def export_csv(self, path: Path) -> int:
        """Write the CSV to ``path`` with a UTF-8 BOM so spreadsheet programs read the accents."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            return self.write_csv(out)


def _checked_comment(comment: str) -> str:
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise InputError(
            f"Góp ý dài {len(comment)} ký tự, vượt giới hạn {MAX_COMMENT_CHARS} ký tự."
            " Hãy rút gọn góp ý rồi gửi lại."
        )
    return comment
