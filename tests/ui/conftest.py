"""Real servers for the ui tests: uvicorn in a background thread on a free port."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def ui_server(service, corpus_settings, serve_app) -> Iterator[str]:
    """The whole app (Gradio + API) over the shared corpus service."""
    from ui.server import create_app

    with serve_app(create_app(service, corpus_settings)) as url:
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
def private_server(private_service, serve_app) -> Iterator[str]:
    from ui.server import create_app

    with serve_app(create_app(private_service, private_service.settings)) as url:
        yield url


# Read at import, before the autouse fixture clears HOIDAP_* variables for each test.
REFRESH_SCREENSHOTS = os.environ.get("HOIDAP_SCREENSHOTS") == "1"


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where browser tests save screenshots: a temporary folder, or the README's pictures in
    docs/screenshots with ``make screenshots`` (a test run leaves the checkout untouched)."""
    from hoidap.config import REPO_ROOT

    if not REFRESH_SCREENSHOTS:
        return tmp_path_factory.mktemp("screenshots")
    path = REPO_ROOT / "docs" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
