"""Real servers for the ui tests: uvicorn in a background thread on a free port."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


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
def ui_server(service, corpus_settings) -> Iterator[str]:
    """The whole app (Gradio + API) over the shared corpus service."""
    from ui.server import create_app

    with running_server(create_app(service, corpus_settings)) as url:
        yield url


@pytest.fixture(scope="session")
def private_service(service, corpus_settings, tmp_path_factory: pytest.TempPathFactory):
    """A service over a copy of the corpus index, free to take uploads without touching the
    shared index; it reuses the already loaded embedding model."""
    from service import Service

    root = tmp_path_factory.mktemp("private-index")
    shutil.copytree(corpus_settings.index_dir, root / "index")
    settings = corpus_settings.with_overrides(
        index_dir=root / "index",
        upload_dir=root / "uploads",
        feedback_db=root / "feedback.sqlite3",
    )
    return Service(settings, embedder=service.embedder)


@pytest.fixture(scope="session")
def private_server(private_service) -> Iterator[str]:
    from ui.server import create_app

    with running_server(create_app(private_service, private_service.settings)) as url:
        yield url


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    from hoidap.config import REPO_ROOT

    path = REPO_ROOT / "docs" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
