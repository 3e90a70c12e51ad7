"""An index settings fixture over two small plans written on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest

from hoidap.config import Settings

from ..plans import write_plan


@pytest.fixture
def small_settings(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    write_plan(corpus, "an_bình", "chuyển đổi số")
    write_plan(corpus, "tân_lập", "phòng cháy chữa cháy")
    return Settings(
        index_dir=tmp_path / "index",
        corpus_dir=corpus,
        upload_dir=tmp_path / "uploads",
        feedback_db=tmp_path / "fb.sqlite3",
    )
