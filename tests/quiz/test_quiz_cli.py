"""``hoidap quiz make`` / ``hoidap quiz export`` through the real command line."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from cli import main
from quiz import ExportFormat
from quiz.model import QuestionType, load_quiz

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def index_args(service, corpus_settings) -> list[str]:
    """Options pointing the CLI at the session's (already built) index."""
    return ["--index-dir", str(corpus_settings.index_dir)]


@pytest.fixture(scope="module")
def made(index_args, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("quiz-cli") / "quiz.json"
    result = CliRunner().invoke(
        main,
        [
            *index_args,
            "quiz",
            "make",
            "--n",
            "400",
            "--types",
            "mcq,truefalse",
            "--seed",
            "4",
            "--out",
            str(out),
        ],
    )
    return result, out


def test_make_writes_the_quiz_and_reports_a_shortfall(made) -> None:
    result, out = made
    assert result.exit_code == 0, result.output
    quiz = load_quiz(out)
    assert 30 < len(quiz.questions) < 400
    assert {q.type for q in quiz.questions} == {QuestionType.MCQ, QuestionType.TRUEFALSE}
    assert f"Đã tạo {len(quiz.questions)} câu hỏi" in result.stdout
    assert f"Lưu ý: Chỉ tạo được {len(quiz.questions)}/400 câu hỏi" in result.stderr


def _text(data: bytes, suffix: str) -> str:
    """What a trainer reads in the exported file."""
    if suffix.endswith(".xlsx"):
        rows = load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)
        return "\n".join(str(v) for row in rows for v in row if v is not None)
    if suffix.endswith(".docx"):
        return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    return data.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_export_each_format(made, fmt: ExportFormat, tmp_path: Path) -> None:
    _, quiz_file = made
    out = tmp_path / f"out{fmt.suffix}"
    result = CliRunner().invoke(
        main, ["quiz", "export", str(quiz_file), "--format", fmt.value, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Đã xuất" in result.stdout
    text = _text(out.read_bytes(), fmt.suffix)
    assert "Theo Kế hoạch" in text or "Theo KH" in text
    if fmt is ExportFormat.MOODLE:
        root = ET.fromstring(out.read_bytes())
        assert len(root.findall("question")) == len(load_quiz(quiz_file).questions) + 1
    if fmt in (ExportFormat.CSV, ExportFormat.KAHOOT):
        # every change is listed before the file is written, with the new wording
        assert "Những câu đã thay đổi hoặc bỏ qua" in result.stderr
        assert "câu hỏi dài hơn 120 ký tự, đã viết gọn thành: Theo KH" in result.stderr


def test_make_from_one_part_of_the_plans(index_args, tmp_path: Path) -> None:
    out = tmp_path / "part.json"
    result = CliRunner().invoke(
        main,
        [*index_args, "quiz", "make", "--section", "Tổ chức thực hiện", "--n", "10"]
        + ["--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    quiz = load_quiz(out)
    assert quiz.section == "Tổ chức thực hiện"
    assert all("Tổ chức thực hiện" in q.clause_label for q in quiz.questions)
    result = CliRunner().invoke(
        main, [*index_args, "quiz", "make", "--office", "Sở Ngoại vụ", "--out", str(out)]
    )
    assert result.exit_code == 2 and "Không có nhiệm vụ nào giao cho “Sở Ngoại vụ”" in result.stderr


def test_unknown_document_exits_2_with_a_message(index_args, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [*index_args, "quiz", "make", "--doc", "khong_co.txt", "--out", str(tmp_path / "q.json")],
    )
    assert result.exit_code == 2
    assert "Lỗi: Không có văn bản “khong_co.txt” trong chỉ mục" in result.stderr
    assert not (tmp_path / "q.json").exists()


def test_bad_types_exit_2(index_args, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, [*index_args, "quiz", "make", "--types", "essay", "--out", str(tmp_path / "q.json")]
    )
    assert result.exit_code == 2
    assert "Loại câu hỏi “essay” không hợp lệ" in result.stderr


def test_malformed_quiz_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "hoidap-quiz", "version": 1, "questions": [{"id": 1}]}', encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["quiz", "export", str(bad), "--format", "gift", "--out", str(tmp_path / "x.txt")]
    )
    assert result.exit_code == 2
    assert "Tệp câu hỏi không hợp lệ" in result.stderr and "câu 1:" in result.stderr
