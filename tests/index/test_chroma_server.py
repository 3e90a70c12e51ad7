"""Chroma server mode against a real ``chroma run`` on 127.0.0.1 (HNSW search forced)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from hoidap.config import Settings
from service import Service

from ..plans import write_plan

pytestmark = pytest.mark.e2e

QUESTION = "Ai tuyên truyền về an toàn thực phẩm?"


@dataclass
class ChromaServer:
    path: Path
    port: int
    process: subprocess.Popen | None = None

    def start(self) -> None:
        chroma = Path(sys.executable).parent / "chroma"
        self.process = subprocess.Popen(
            [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1"]
            + ["--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        pytest.fail("chroma run did not start within 60 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture
def server(tmp_path: Path, free_port) -> Iterator[ChromaServer]:
    running = ChromaServer(tmp_path / "chroma-server", free_port())
    running.start()
    yield running
    running.stop()


def _collections(port: int) -> list[str]:
    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=port)
    return [c.name for c in client.list_collections()]


def _env(settings: Settings) -> dict[str, str]:
    return {
        "HOIDAP_INDEX_DIR": str(settings.index_dir),
        "HOIDAP_CORPUS_DIR": str(settings.corpus_dir),
        "HOIDAP_UPLOAD_DIR": str(settings.upload_dir),
        "HOIDAP_CHROMA_HOST": "127.0.0.1",
        "HOIDAP_CHROMA_PORT": str(settings.chroma_port),
        "HOIDAP_DENSE_EXACT_LIMIT": "0",
    }


def _cli(settings: Settings, *args: str):
    """The real command line, in this process (no traceback may reach the output)."""
    result = CliRunner().invoke(main, list(args), env=_env(settings))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


def test_server_mode_index_update_remove_restart(
    small_settings: Settings, server: ChromaServer
) -> None:
    settings = small_settings.with_overrides(
        chroma_host="127.0.0.1", chroma_port=server.port, dense_exact_limit=0
    )
    service = Service.open(settings)
    assert not service.state.retriever.vectors.exact
    corpus = settings.corpus_dir
    write_plan(corpus, "tân_lập", "an toàn thực phẩm")  # changed on disk, then re-indexed
    write_plan(corpus, "hòa_bình", "nước sạch nông thôn")
    report = service.rebuild([corpus])
    assert (report.indexed, report.unchanged) == (2, 1)
    answer = service.ask(QUESTION)
    assert answer.citations[0].source == "tân_lập.txt"
    dense = service.state.retriever.dense(_query(service, QUESTION), docs=None)
    assert dense.positions, "the HNSW search on the server found nothing"

    service.remove_document("hòa_bình.txt")
    service.remove_document("an_bình.txt")  # one more commit prunes the replaced segments
    assert len(_collections(server.port)) == 1  # one collection per index, updated in place

    server.stop()
    server.start()
    reopened = Service.open(settings, build_if_missing=False)
    again = reopened.ask(QUESTION)
    assert [c.clause_id for c in again.citations] == [
        c.clause_id for c in service.ask(QUESTION).citations
    ]
    other_process = subprocess.run(  # a second process sharing the index and the server
        [sys.executable, "-m", "cli", "ask", "--json", QUESTION],
        env={**os.environ, **_env(settings)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert other_process.returncode == 0, other_process.stderr
    shared = json.loads(other_process.stdout)
    assert [c["text"] for c in shared["citations"]] == [c.text for c in again.citations]

    import chromadb

    chromadb.HttpClient(host="127.0.0.1", port=server.port).delete_collection(
        _collections(server.port)[0]
    )
    missing = _cli(settings, "ask", QUESTION)
    assert missing.exit_code == 2 and "Không tìm thấy bộ vector" in missing.output
    repaired = _cli(settings, "index")  # nothing changed, but the lost collection is re-created
    assert repaired.exit_code == 0, repaired.output
    assert _cli(settings, "ask", QUESTION).exit_code == 0

    server.stop()
    down = _cli(settings, "ask", QUESTION)
    assert down.exit_code == 2 and "Không kết nối được máy chủ Chroma" in down.output


def _query(service: Service, question: str):
    from rag.pipeline import understand

    state = service.state
    query, _ = understand(
        question, history=(), matcher=state.matcher, scope=state.scope, max_chars=1000
    )
    return query
