"""Small plans written on the fly, and an index settings fixture over two of them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hoidap.config import Settings

PLAN = """KẾ HOẠCH
Thực hiện nhiệm vụ năm 2026 của Ủy ban nhân dân xã {name}
I. MỤC ĐÍCH
1. Phòng Kinh tế chủ trì bố trí kinh phí {topic} trong năm 2026.
2. Văn phòng HĐND và UBND xã theo dõi, đôn đốc việc thực hiện.
II. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa - Xã hội tuyên truyền về {topic}, hoàn thành trong Quý II/2026.
"""

PlanWriter = Callable[[Path, str, str], Path]


def _write_plan(folder: Path, name: str, topic: str) -> Path:
    path = folder / f"{name.lower().replace(' ', '_')}.txt"
    path.write_text(PLAN.format(name=name, topic=topic), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def write_plan() -> PlanWriter:
    """Writes a two-part plan of commune ``name`` about ``topic`` into a folder."""
    return _write_plan


@pytest.fixture
def small_settings(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write_plan(corpus, "An Bình", "chuyển đổi số")
    _write_plan(corpus, "Tân Lập", "phòng cháy chữa cháy")
    return Settings(
        index_dir=tmp_path / "index",
        corpus_dir=corpus,
        upload_dir=tmp_path / "uploads",
        feedback_db=tmp_path / "fb.sqlite3",
    )
