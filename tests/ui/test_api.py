"""The REST API on a real uvicorn server over the real service."""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ui.api import MAX_BODY_BYTES, BodyLimitMiddleware, install_error_handlers

from ..answers import ANSWER_KEYS, CITATION_KEYS

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def client(ui_server):
    with httpx.Client(base_url=ui_server, timeout=60) as c:
        yield c


def _assert_json_error(response: httpx.Response, statuses: set[int]) -> dict:
    assert response.status_code in statuses, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["message"], str) and body["message"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


def test_ask_returns_the_answer_json(client):
    r = client.post("/api/ask", json={"question": "Phòng Kinh tế chịu trách nhiệm gì?"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == ANSWER_KEYS
    assert body["refused"] is False
    assert len(body["citations"]) >= 2
    for c in body["citations"]:
        assert set(c) == CITATION_KEYS
        assert f"[{c['n']}]" in body["answer"]
        assert c["text"] and c["label"]
    assert isinstance(body["latency_ms"], int)


def test_ask_with_k_and_document_filter(client, service):
    source = "000_67870b5209ee9c3b.txt"
    r = client.post(
        "/api/ask",
        json={"question": "Phòng Kinh tế chịu trách nhiệm gì?", "k": 2, "docs": [source]},
    )
    assert r.status_code == 200
    citations = r.json()["citations"]
    assert 1 <= len(citations) <= 2
    assert {c["source"] for c in citations} == {source}


def test_docs_and_health(client, service):
    r = client.get("/api/docs")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == len(service.documents()) == 5
    sources = sorted(d["source"] for d in body["documents"])
    assert sources == sorted(d.source for d in service.documents())
    first = body["documents"][0]
    assert {"title", "issuer", "number", "date", "clause_count", "short_title"} <= set(first)
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["documents"] == 5 and health["clauses"] > 0


def test_openapi_schema_is_served(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/ask", "/api/docs", "/api/health"} <= set(schema["paths"])
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "question"),
        ({"question": 123}, "question"),
        ({"question": ""}, "question"),
        ({"question": "Hỏi", "k": "5"}, "k"),
        ({"question": "Hỏi", "k": 0}, "k"),
        ({"question": "Hỏi", "k": 51}, "k"),
        ({"question": "Hỏi", "docs": "000_67870b5209ee9c3b.txt"}, "docs"),
        ({"question": "Hỏi", "docs": [1]}, "docs.0"),
        ({"question": "Hỏi", "extra": 1}, "extra"),
        (["question"], "nội dung"),
    ],
)
def test_bad_bodies_get_422_with_a_vietnamese_message(client, body, field):
    data = _assert_json_error(client.post("/api/ask", json=body), {422})
    assert field in [e["field"] for e in data["errors"]]
    assert data["message"].startswith("Yêu cầu không hợp lệ")


def test_invalid_json_and_unknown_docs(client):
    _assert_json_error(
        client.post(
            "/api/ask", content=b"{question:", headers={"content-type": "application/json"}
        ),
        {422},
    )
    data = _assert_json_error(
        client.post("/api/ask", json={"question": "Hỏi", "docs": ["khong-co.txt"]}), {400}
    )
    assert "khong-co.txt" in data["message"]
    _assert_json_error(client.get("/api/ask"), {405})
    _assert_json_error(client.post("/api/khong-co", json={}), {404})


def test_oversized_questions_and_bodies_get_413(client):
    long_question = "a" * 10_001
    data = _assert_json_error(client.post("/api/ask", json={"question": long_question}), {413})
    assert "10000" in data["message"]
    megabyte = "â" * 600_000  # 1.2 MB of UTF-8
    _assert_json_error(client.post("/api/ask", json={"question": megabyte}), {413})

    def chunks():  # no Content-Length: the limit must still hold
        for _ in range(20):
            yield b"x" * 100_000

    _assert_json_error(
        client.post("/api/ask", content=chunks(), headers={"content-type": "application/json"}),
        {413},
    )


def test_unexpected_errors_are_json_500_without_trace():
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=MAX_BODY_BYTES)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        r = test_client.get("/api/boom")
    assert r.status_code == 500
    assert "secret" not in r.text and "Traceback" not in r.text
    assert r.json()["message"].startswith("Lỗi máy chủ")


def test_fifty_simultaneous_users_while_a_document_is_indexed(
    private_server, private_service, tmp_path, capsys
) -> None:
    """50 users at once on the private copy, while an upload is being indexed: no errors."""
    questions = [
        "Phòng Kinh tế chịu trách nhiệm gì?",
        "phong van hoa xa hoi chiu trach nhiem gi",
        "Văn phòng HĐND và UBND có nhiệm vụ gì?",
        "Thời hạn hoàn thành các nhiệm vụ là khi nào?",
        "Mục đích của kế hoạch là gì?",
    ]
    plan = tmp_path / "ke_hoach_nuoc_sach.txt"
    plan.write_text(
        "KẾ HOẠCH\nCấp nước sạch năm 2026 của Ủy ban nhân dân xã Hòa Bình\n"
        "I. TỔ CHỨC THỰC HIỆN\n1. Phòng Kinh tế chủ trì lắp đặt trạm lọc nước sạch "
        "cho các thôn vùng cao, hoàn thành trong Quý III/2026.\n",
        encoding="utf-8",
    )

    def ask(i: int) -> tuple[int, float]:
        started = time.perf_counter()
        with httpx.Client(base_url=private_server, timeout=180) as own:
            r = own.post("/api/ask", json={"question": questions[i % len(questions)]})
        assert r.json()["answer"]
        return r.status_code, (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=51) as pool:
        indexing = pool.submit(private_service.add_files, [plan])
        results = list(pool.map(ask, range(50)))
        report = indexing.result()
    wall = time.perf_counter() - started
    statuses = [s for s, _ in results]
    latencies = sorted(ms for _, ms in results)
    assert statuses == [200] * 50
    assert report.indexed == 1
    answer = private_service.ask("Ai lắp đặt trạm lọc nước sạch?")
    assert answer.citations and answer.citations[0].source == plan.name
    private_service.remove_document(plan.name)
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    with capsys.disabled():
        print(
            f"\n50 simultaneous /api/ask while indexing: p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
            f"max {latencies[-1]:.0f} ms, wall {wall:.1f} s"
        )
