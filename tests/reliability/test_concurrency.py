"""Asking stays fast while a document is indexed: closed-loop users on a real uvicorn, p95
latency while an upload is being indexed against p95 when idle, measured in the same run.

The suite runs a bounded version; ``HOIDAP_LOAD_USERS=50 pytest … -s`` gives the figure in
docs/security.md.
"""

from __future__ import annotations

import os
import shutil
import statistics
import threading
import time

import httpx
import pytest

from .test_http_attacks import call, upload

pytestmark = [pytest.mark.e2e, pytest.mark.reliability]

USERS = int(os.environ.get("HOIDAP_LOAD_USERS", "12"))
CLAUSES = int(os.environ.get("HOIDAP_LOAD_CLAUSES", "40"))  # size of the uploaded plan
IDLE_SECONDS = 6.0
MAX_RATIO = 2.0
QUESTIONS = (
    "Phòng Kinh tế chịu trách nhiệm gì về nhiệm vụ {i}?",
    "Ai chủ trì nhiệm vụ chuyển đổi số số {i}?",
    "Thời hạn hoàn thành nhiệm vụ {i} là khi nào?",
    "phong van hoa xa hoi lam gi o muc {i}",
)


def _plan(clauses: int) -> bytes:
    lines = [
        "KẾ HOẠCH",
        "Thực hiện nhiệm vụ năm 2027 của Ủy ban nhân dân xã Đông Hòa",
        "I. NHIỆM VỤ",
    ]
    offices = ("Phòng Kinh tế", "Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND xã")
    for i in range(1, clauses + 1):
        lines.append(
            f"{i}. {offices[i % 3]} chủ trì triển khai nhiệm vụ trọng tâm số {i} về cải cách "
            f"hành chính, chuyển đổi số và phát triển kinh tế tại thôn {i % 17 + 1}, "
            f"hoàn thành trước ngày {i % 28 + 1}/{i % 12 + 1}/2027."
        )
    return "\n".join(lines).encode("utf-8")


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


class Users:
    """``n`` closed-loop users asking varied questions; latencies grouped by phase."""

    def __init__(self, url: str, n: int) -> None:
        self.url, self.n = url, n
        self.phase = "idle"
        self.latencies: dict[str, list[float]] = {"idle": [], "busy": [], "other": []}
        self.errors = 0
        self._stop = threading.Event()
        self._counter = 0
        self._lock = threading.Lock()

    def _user(self, k: int) -> None:
        with httpx.Client(base_url=self.url, timeout=120) as client:
            while not self._stop.is_set():
                with self._lock:
                    self._counter += 1
                    i = self._counter
                question = QUESTIONS[i % len(QUESTIONS)].format(i=i)
                phase, started = self.phase, time.perf_counter()
                response = client.post("/api/ask", json={"question": question})
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    self.errors += 1
                # a request counts for a phase only if it started and ended inside it
                self.latencies[phase if self.phase == phase else "other"].append(elapsed)

    def __enter__(self) -> Users:
        self._threads = [threading.Thread(target=self._user, args=(k,)) for k in range(self.n)]
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=180)


@pytest.fixture(scope="module")
def corpus_server(service, corpus_settings, serve_app, tmp_path_factory: pytest.TempPathFactory):
    """The app over a private copy of the corpus index (uploads do not touch the shared one)."""
    from service import Service
    from ui.server import create_app

    root = tmp_path_factory.mktemp("load")
    shutil.copytree(corpus_settings.index_dir, root / "index")
    settings = corpus_settings.with_overrides(
        index_dir=root / "index", upload_dir=root / "uploads", feedback_db=root / "fb.sqlite3"
    )
    private = Service.open(settings, build_if_missing=False, embedder=service.embedder)
    with serve_app(create_app(private, settings)) as url:
        yield url, private


def _measure(url: str, client: httpx.Client, name: str) -> tuple[float, str]:
    """Idle phase, then an upload indexed while the users keep asking: (p95 ratio, summary)."""
    document = upload(client, name, _plan(CLAUSES))
    with Users(url, USERS) as users:
        give_up = time.monotonic() + 120
        time.sleep(IDLE_SECONDS)
        while len(users.latencies["idle"]) < 2 * USERS and time.monotonic() < give_up:
            time.sleep(0.2)
        users.phase = "busy"
        started = time.perf_counter()
        event, payload = call(client, "add_files", [[document]])
        indexing = time.perf_counter() - started
        users.phase = "after"
    assert event == "complete" and "Đã thêm 1 văn bản" in payload[0], payload
    idle, busy = users.latencies["idle"], users.latencies["busy"]
    assert users.errors == 0 and len(idle) >= USERS and len(busy) >= USERS
    ratio = _p95(busy) / _p95(idle)
    return ratio, (
        f"{USERS} users, {CLAUSES}-clause upload indexed in {indexing:.1f} s: "
        f"idle p50 {statistics.median(idle) * 1000:.0f} ms p95 {_p95(idle) * 1000:.0f} ms "
        f"({len(idle)} asks); while indexing p50 {statistics.median(busy) * 1000:.0f} ms "
        f"p95 {_p95(busy) * 1000:.0f} ms ({len(busy)} asks); p95 ratio {ratio:.2f}"
    )


def test_asking_while_indexing_stays_within_twice_idle(corpus_server, capsys) -> None:
    url, private = corpus_server
    with httpx.Client(base_url=url, timeout=120) as client:
        client.post("/api/ask", json={"question": "Phòng Kinh tế chịu trách nhiệm gì?"})
        ratio, summary = _measure(url, client, "dong_hoa.txt")
        with capsys.disabled():
            print("\n" + summary)
        if ratio > MAX_RATIO:  # the machine is shared: one more run before failing
            ratio, summary = _measure(url, client, "dong_hoa_2.txt")
            with capsys.disabled():
                print("again: " + summary)
    assert "dong_hoa.txt" in {d.source for d in private.documents()}
    assert ratio <= MAX_RATIO, summary
