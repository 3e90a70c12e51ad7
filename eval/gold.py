"""Load and validate gold question files (JSONL, one question a line, format in DESIGN.md).

Validation is all-or-nothing: every problem is collected with its line number and a malformed
file raises :class:`hoidap.errors.GoldFileError` before a single question is run.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hoidap.errors import GoldFileError, InputError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Expected:
    """A clause the answer should rest on: its document and a phrase of its text."""

    source: str
    contains: str


@dataclass(frozen=True)
class GoldQuestion:
    """One validated line of a gold file."""

    id: str
    question: str
    answerable: bool
    type: str  # a free label for the report ("agency", "typo", …), any non-empty string
    expected: tuple[Expected, ...] = ()
    key_facts: tuple[str, ...] = ()
    line: int = 0


_REQUIRED = ("id", "question", "answerable", "type")


def load_gold(path: Path, *, sources: Collection[str] | None = None) -> list[GoldQuestion]:
    """Read and validate a gold file; ``sources`` are the indexed file names, if known.

    Raises ``InputError`` when the file cannot be read and ``GoldFileError`` listing every
    bad line (bad JSON, missing or mistyped field, unknown source, duplicate id, unanswerable
    question with expected items) when any line is malformed.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(
            f"Không tìm thấy tệp câu hỏi chuẩn {path}: kiểm tra lại đường dẫn."
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"Không đọc được tệp câu hỏi chuẩn {path} ({exc}): tệp phải là JSONL mã hóa UTF-8."
        ) from exc
    return parse_gold(text, sources=sources)


def parse_gold(text: str, *, sources: Collection[str] | None = None) -> list[GoldQuestion]:
    """Validate gold JSONL text; see :func:`load_gold`."""
    problems: list[str] = []
    questions: list[GoldQuestion] = []
    first_line_of: dict[str, int] = {}
    known = set(sources) if sources is not None else None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        line_problems: list[str] = []
        qid, question = _parse_line(raw, number, known, line_problems)
        if qid is not None and qid in first_line_of:
            line_problems.append(f'mã câu hỏi "{qid}" trùng với dòng {first_line_of[qid]}')
        elif qid is not None:
            first_line_of[qid] = number
        problems.extend(f"Dòng {number}: {p}." for p in line_problems)
        if question is not None and not line_problems:
            questions.append(question)
    if not problems and not questions:
        problems.append("Tệp không có câu hỏi nào: mỗi dòng phải là một đối tượng JSON.")
    if problems:
        raise GoldFileError(problems)
    logger.info("loaded %d gold questions", len(questions))
    return questions


def _parse_line(
    raw: str, number: int, known: set[str] | None, problems: list[str]
) -> tuple[str | None, GoldQuestion | None]:
    """One line to (its id, its question), appending what is wrong with it to ``problems``."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        problems.append(f"không phải JSON hợp lệ ({exc.msg}, cột {exc.colno})")
        return None, None
    if not isinstance(data, dict):
        problems.append("mỗi dòng phải là một đối tượng JSON {…}")
        return None, None
    for name in _REQUIRED:
        if name not in data:
            problems.append(f'thiếu trường "{name}"')
    qid = _string(data, "id", problems)
    question = _string(data, "question", problems)
    answerable = data.get("answerable")
    if "answerable" in data and not isinstance(answerable, bool):
        problems.append(f'trường "answerable" phải là true hoặc false, không phải {answerable!r}')
    qtype = _string(data, "type", problems)
    expected = _expected(data, known, problems)
    key_facts = _key_facts(data, problems)
    if answerable is False and data.get("expected"):
        problems.append('câu hỏi "answerable": false không được có mục "expected"')
    if answerable is True and "expected" not in data:
        problems.append('thiếu trường "expected" (câu hỏi trả lời được cần điều khoản mong đợi)')
    elif answerable is True and data["expected"] == []:
        problems.append('câu hỏi trả lời được cần ít nhất một mục "expected"')
    if problems or qid is None or question is None or qtype is None:
        return qid, None
    return qid, GoldQuestion(
        id=qid,
        question=question,
        answerable=bool(answerable),
        type=qtype,
        expected=expected,
        key_facts=key_facts,
        line=number,
    )


def _string(data: dict[str, Any], name: str, problems: list[str]) -> str | None:
    value = data.get(name)
    if name not in data:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(f'trường "{name}" phải là chuỗi không rỗng, không phải {value!r}')
        return None
    return value.strip()


def _expected(
    data: dict[str, Any], known: set[str] | None, problems: list[str]
) -> tuple[Expected, ...]:
    value = data.get("expected", [])
    if not isinstance(value, list):
        problems.append(f'trường "expected" phải là một danh sách, không phải {value!r}')
        return ()
    items: list[Expected] = []
    for position, item in enumerate(value, start=1):
        where = f'mục "expected" thứ {position}'
        if not isinstance(item, dict):
            problems.append(f'{where} phải là đối tượng {{"source", "contains"}}')
            continue
        source, contains = item.get("source"), item.get("contains")
        if not isinstance(source, str) or not source.strip():
            problems.append(f'{where} thiếu "source" (tên tệp văn bản)')
            continue
        if not isinstance(contains, str) or not contains.strip():
            problems.append(f'{where} thiếu "contains" (một cụm từ của điều khoản)')
            continue
        if known is not None and source not in known:
            problems.append(
                f'{where}: văn bản "{source}" không có trong chỉ mục '
                "(kiểm tra tên tệp hoặc thêm văn bản trước khi đánh giá)"
            )
            continue
        items.append(Expected(source=source, contains=contains))
    return tuple(items)


def _key_facts(data: dict[str, Any], problems: list[str]) -> tuple[str, ...]:
    value = data.get("key_facts", [])
    if not isinstance(value, list) or not all(isinstance(f, str) and f.strip() for f in value):
        problems.append(
            f'trường "key_facts" phải là danh sách chuỗi không rỗng, không phải {value!r}'
        )
        return ()
    return tuple(f.strip() for f in value)
