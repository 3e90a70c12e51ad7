"""The "Đánh giá" tab over real HTTP: a Gradio server, called through gradio_client."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def client(service, corpus_settings, serve_blocks):
    import gradio as gr
    from gradio_client import Client

    from ui.tabs.evaluation import build_evaluation_tab

    with gr.Blocks() as demo:
        build_evaluation_tab(service, corpus_settings)
    with serve_blocks(demo) as url:
        yield Client(url, verbose=False)


def test_uploaded_gold_file_is_evaluated(client, small_gold):
    from gradio_client import handle_file

    status, headline, by_type, chart, failures, files = client.predict(
        None, handle_file(str(small_gold)), "hybrid", 5, api_name="/run"
    )
    assert "Đã đánh giá **6** câu hỏi (hybrid, k = 5)" in status
    assert headline["headers"] == ["Chỉ số", "Giá trị", "Khoảng tin cậy 95%", "Số câu"]
    rows = {row[0]: row for row in headline["data"]}
    assert rows["Từ chối đúng câu hỏi ngoài văn bản"][3] == "2"
    assert [row[0] for row in by_type["data"]] == [
        "Trách nhiệm cơ quan (agency)",
        "Phụ lục nhiệm vụ (appendix)",
        "Thời hạn (deadline)",
        "Gõ không dấu (nodiacritics)",
        "Ngoài văn bản (unanswerable)",
    ]
    assert chart and open(chart, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    names = sorted(f.rsplit("/", 1)[-1] for f in files)
    assert names == ["metrics.json", "report.html", "report.md", "results.jsonl"]
    metrics = json.loads(open(next(f for f in files if f.endswith("metrics.json"))).read())
    assert metrics["overall"]["n"] == 6


def test_malformed_upload_shows_line_numbers_and_runs_nothing(client, tmp_path):
    from gradio_client import handle_file

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "question": "<b>?</b>"}\n{\n', encoding="utf-8")
    status, headline, by_type, chart, failures, files = client.predict(
        None, handle_file(str(bad)), "bm25", 5, api_name="/run"
    )
    assert "chưa chạy câu hỏi nào" in status
    assert "Dòng 1:" in status and "Dòng 2:" in status
    assert chart is None and not files


def test_nothing_chosen_is_a_vietnamese_notice_in_the_status_line(client, tmp_path):
    from gradio_client import handle_file

    status, *_ = client.predict(None, None, "hybrid", 5, api_name="/run")
    assert 'role="alert"' in status and "Hãy chọn một bộ câu hỏi chuẩn" in status

    other = tmp_path / "cau-hoi.csv"
    other.write_text("câu hỏi\n", encoding="utf-8")
    status, *_ = client.predict(None, handle_file(str(other)), "hybrid", 5, api_name="/run")
    assert "“cau-hoi.csv” không phải tệp câu hỏi chuẩn" in status
