"""Shared fixtures: every test runs with a temporary HOME; one index of the bundled corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
    from hoidap.service import Service

    return Service.open(corpus_settings)
