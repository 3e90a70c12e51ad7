"""Attacks through the app's HTTP routes on a real uvicorn: server files sent as uploads,
uploads and removals by readers, removing twice, wrong file types."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from .conftest import ADMIN, READER

pytestmark = [pytest.mark.e2e, pytest.mark.reliability]

SECRET = "Mật mã kho lưu trữ: ngọc bích 7391 tuyệt mật."


def call(client: httpx.Client, api_name: str, data: list) -> tuple[str, object]:
    """Run a Gradio event the way any API client can; return (event, payload)."""
    posted = client.post(f"/gradio_api/call/{api_name}", json={"data": data})
    assert posted.status_code == 200, posted.text
    event_id = posted.json()["event_id"]
    stream = client.get(f"/gradio_api/call/{api_name}/{event_id}", timeout=120)
    event, payload = "", None
    for line in stream.text.splitlines():
        if line.startswith("event: "):
            event = line.removeprefix("event: ")
        elif line.startswith("data: ") and event in ("complete", "error"):
            payload = json.loads(line.removeprefix("data: "))
    return event, payload


def upload(client: httpx.Client, name: str, data: bytes) -> dict:
    """Upload through Gradio's own route, as the page does; the FileData of the stored file."""
    response = client.post("/gradio_api/upload", files={"files": (name, data)})
    assert response.status_code == 200, response.text
    path = response.json()[0]
    return {"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}


def file_data(path: Path) -> dict:
    return {"path": str(path), "meta": {"_type": "gradio.FileData"}}


@pytest.fixture
def admin(app_server):
    url, _ = app_server
    with httpx.Client(base_url=url, auth=ADMIN, timeout=60) as client:
        yield client


@pytest.fixture
def reader(app_server):
    url, _ = app_server
    with httpx.Client(base_url=url, auth=READER, timeout=60) as client:
        yield client


def test_server_files_cannot_be_indexed_or_read(app_server, admin, tmp_path: Path) -> None:
    _, service = app_server
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    before = {d.source for d in service.documents()}
    for target in (
        secret,
        Path("/etc/hostname"),
        tmp_path / ".." / secret.parent.name / "secret.txt",
    ):
        event, _ = call(admin, "add_files", [[file_data(target)]])
        assert event == "error", target
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "x", "question": SECRET}), encoding="utf-8")
    event, _ = call(admin, "run", [None, file_data(gold), "bm25", 5])
    assert event == "error"
    assert {d.source for d in service.documents()} == before
    assert not service.settings.upload_dir.exists() or not any(
        SECRET in p.read_text("utf-8", errors="replace")
        for p in service.settings.upload_dir.iterdir()
    )
    answer = admin.post("/api/ask", json={"question": "Mật mã kho lưu trữ là gì?"}).json()
    assert answer["refused"] and SECRET not in json.dumps(answer, ensure_ascii=False)


def test_readers_ask_but_cannot_change_documents(app_server, reader) -> None:
    _, service = app_server
    before = {d.source for d in service.documents()}
    plan = "KẾ HOẠCH\nI. MỤC ĐÍCH\n1. Phòng Y tế chủ trì tiêm chủng mở rộng.\n".encode()
    # refused inside the callbacks, said inline in the status line (role="alert")
    event, payload = call(reader, "add_files", [[upload(reader, "y_te.txt", plan)]])
    assert event == "complete" and "Chỉ quản trị viên" in str(payload), payload
    event, payload = call(reader, "remove_document", ["an_binh.txt"])
    assert event == "complete" and "Chỉ quản trị viên" in str(payload), payload
    assert {d.source for d in service.documents()} == before
    answer = reader.post("/api/ask", json={"question": "Ai bố trí kinh phí chuyển đổi số?"})
    assert answer.status_code == 200 and not answer.json()["refused"]
    assert reader.get("/api/docs").status_code == 200


def test_admin_uploads_and_removes_once(app_server, admin) -> None:
    _, service = app_server
    plan = "KẾ HOẠCH\nI. MỤC ĐÍCH\n1. Phòng Y tế chủ trì tiêm chủng mở rộng năm 2026.\n".encode()
    event, payload = call(admin, "add_files", [[upload(admin, "y_te.txt", plan)]])
    assert event == "complete" and "Đã thêm 1 văn bản" in payload[0]
    assert "y_te.txt" in {d.source for d in service.documents()}
    assert call(admin, "remove_document", ["y_te.txt"])[0] == "complete"
    event, payload = call(admin, "remove_document", ["y_te.txt"])
    assert event == "complete" and "Không có văn bản" in str(payload), payload  # not HTTP 500
    assert "y_te.txt" not in {d.source for d in service.documents()}
    assert not (service.settings.upload_dir / "y_te.txt").exists()


def test_wrong_extension_gets_a_vietnamese_reason(app_server, admin) -> None:
    _, service = app_server
    event, payload = call(admin, "add_files", [[upload(admin, "ghi_chu.exe", b"MZ\x90\x00")]])
    assert event == "complete", payload
    status = payload[0]
    assert "định dạng .exe không được hỗ trợ" in status and "Invalid file type" not in status
    assert not (service.settings.upload_dir / "ghi_chu.exe").exists()


def test_uploads_the_indexer_refuses_are_not_kept(app_server, admin) -> None:
    _, service = app_server
    before = {d.source for d in service.documents()}
    blank = upload(admin, "trang.txt", b"   \n\t\n   ")  # passes the upload check, not the reader
    tiny_bomb = upload(admin, "bom.docx", b"PK\x03\x04 not really a zip")
    event, payload = call(admin, "add_files", [[blank, tiny_bomb]])
    assert event == "complete" and "Không" in payload[0], payload
    assert {d.source for d in service.documents()} == before
    kept = {p.name for p in service.settings.upload_dir.glob("*")}
    assert not kept & {"trang.txt", "bom.docx"}
