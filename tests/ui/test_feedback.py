"""The SQLite feedback store and its CSV export."""

import csv
import sqlite3

import pytest

from hoidap.errors import InputError
from ui.feedback import CSV_HEADERS, FeedbackStore, Rating


def test_store_update_and_csv_round_trip(tmp_path):
    store = FeedbackStore(tmp_path / "sub" / "feedback.sqlite3")
    assert store.records() == []
    first = store.add(
        question="Phòng Kinh tế chịu trách nhiệm gì?",
        answer='Chủ trì, "phối hợp"; a,b\nxuống dòng [1]',
        rating=Rating.UP,
        citations=["000.txt › IV.2"],
        docs=["000.txt"],
        latency_ms=42,
    )
    second = store.add(question="Hỏi 2", answer="Không tìm thấy", rating=Rating.DOWN)
    store.update(second, comment="  Thiếu thời hạn.  ")
    store.update(first, rating=Rating.DOWN)

    records = store.records()
    assert [r.id for r in records] == [first, second]
    assert records[0].rating is Rating.DOWN
    assert records[1].comment == "Thiếu thời hạn."

    out = tmp_path / "export" / "feedback.csv"
    assert store.export_csv(out) == 2
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read the accents
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == CSV_HEADERS
    assert rows[1][2] == "Phòng Kinh tế chịu trách nhiệm gì?"
    assert rows[1][3] == 'Chủ trì, "phối hợp"; a,b\nxuống dòng [1]'
    assert rows[1][4] == "Chưa tốt"
    assert rows[1][6] == "000.txt › IV.2"
    assert rows[1][8] == "42"
    assert rows[2][4] == "Chưa tốt" and rows[2][5] == "Thiếu thời hạn."


def test_schema_version_is_recorded_and_reopening_keeps_data(tmp_path):
    path = tmp_path / "f.sqlite3"
    FeedbackStore(path).add(question="q", answer="a", rating=Rating.UP)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert len(FeedbackStore(path).records()) == 1


def test_bad_updates_are_refused(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    with pytest.raises(InputError, match="999"):
        store.update(999, comment="x")
    fid = store.add(question="q", answer="a", rating=Rating.UP)
    with pytest.raises(InputError, match="vượt giới hạn"):
        store.update(fid, comment="x" * 5000)
    with pytest.raises(ValueError):
        store.add(question="q", answer="a", rating=0)
