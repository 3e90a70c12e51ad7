"""The ui commands through the real `hoidap` command group."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from cli import main
from ui.feedback import FeedbackStore, Rating


def test_feedback_export_to_file_and_stdout(tmp_path, monkeypatch):
    db = tmp_path / "feedback.sqlite3"
    monkeypatch.setenv("HOIDAP_FEEDBACK_DB", str(db))
    FeedbackStore(db).add(
        question="Phòng Kinh tế?", answer="Chủ trì [1]", rating=Rating.UP, comment="Tốt"
    )
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["feedback", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[1][2:6] == ["Phòng Kinh tế?", "Chủ trì [1]", "Hữu ích", "Tốt"]

    result = CliRunner().invoke(main, ["feedback", "export"])
    assert result.exit_code == 0
    assert "Phòng Kinh tế?" in result.stdout


def test_serve_rejects_malformed_auth(tmp_path, monkeypatch):
    monkeypatch.setenv("HOIDAP_INDEX_DIR", str(tmp_path / "index"))
    result = CliRunner().invoke(main, ["serve", "--auth", "chi-co-ten"])
    assert result.exit_code == 2
    assert "tên:mật_khẩu" in result.output
    assert not (tmp_path / "index").exists()  # failed before opening (or building) an index
