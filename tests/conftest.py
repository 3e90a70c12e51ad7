"""Shared fixtures: every test runs with a temporary HOME; one index of the bundled corpus."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from . import llm_servers

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(scope="session")
def session_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    return home


@pytest.fixture(autouse=True)
def _temporary_home(session_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chromadb, onnxruntime and underthesea write under ~: keep that out of the real home."""
    monkeypatch.setenv("HOME", str(session_home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    for var in [v for v in os.environ if v.startswith("HOIDAP_")]:
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    from hoidap.config import REPO_ROOT

    return REPO_ROOT / "data" / "corpus"


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path):
    """Settings whose index directory holds an index of the bundled corpus (built once)."""
    from hoidap.config import Settings

    root = tmp_path_factory.mktemp("corpus-index")
    return Settings(
        index_dir=root / "index",
        corpus_dir=corpus_dir,
        feedback_db=root / "feedback.sqlite3",
        upload_dir=root / "uploads",
    )


@pytest.fixture(scope="session")
def service(corpus_settings):
    """The question-answering service over the bundled corpus, shared by the session."""
    from service import Service

    return Service.open(corpus_settings)


@contextmanager
def running_server(app) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 and yield its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


@pytest.fixture(scope="session")
def serve_app():
    """``with serve_app(app) as url``: a real uvicorn for ``app`` on a free 127.0.0.1 port."""
    return running_server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def free_port():
    """``free_port()``: a port on 127.0.0.1 that nothing listens on at the moment."""
    return _free_port


@contextmanager
def launched_blocks(blocks) -> Iterator[str]:
    """Launch a Gradio ``blocks`` (queued) on a free 127.0.0.1 port and yield its URL."""
    blocks.queue()
    _, url, _ = blocks.launch(
        server_name="127.0.0.1",
        server_port=_free_port(),
        prevent_thread_lock=True,
        quiet=True,
        ssr_mode=False,
    )
    try:
        yield url
    finally:
        blocks.close()


@pytest.fixture(scope="session")
def serve_blocks():
    """``with serve_blocks(blocks) as url``: Gradio's own server for ``blocks`` on a free port."""
    return launched_blocks


class LLMServer:
    """The scripted language-model server: ``script`` (mode, delays, requests seen), ``url``."""

    def __init__(self, script, url: str) -> None:
        self.script = script
        self.url = url


@pytest.fixture(scope="session")
def _llm_server() -> Iterator[LLMServer]:
    script = llm_servers.Script()
    with running_server(llm_servers.scripted_app(script)) as url:
        yield LLMServer(script, url)


@pytest.fixture
def llm_server(_llm_server: LLMServer) -> LLMServer:
    """The scripted language-model server (OpenAI and Ollama protocols), reset for each test:
    set ``.script.mode`` and read ``.script.requests``."""
    _llm_server.script.__init__()  # back to the defaults: faithful, no delay, nothing seen
    return _llm_server


CHROMIUM = "/usr/bin/chromium"  # Debian's package; `make test` installs it with apt
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """A real headless Chromium driven by Playwright (fails, never skips, when missing)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
