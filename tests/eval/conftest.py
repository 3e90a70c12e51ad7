"""A small gold file over the bundled corpus, shared by the end-to-end evaluation tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

KH_CHI_MINH = "000_67870b5209ee9c3b.txt"
KH_HAI_PHONG_BO_SUNG = "004_868287148acd756b.txt"

SMALL_GOLD = [
    {
        "id": "t-agency",
        "question": "Phòng Kinh tế xã Chí Minh chịu trách nhiệm gì?",
        "answerable": True,
        "type": "agency",
        "expected": [{"source": KH_CHI_MINH, "contains": "Cân đối, bố trí chi thường xuyên"}],
        "key_facts": ["chi thường xuyên"],
    },
    {
        "id": "t-nodiacritics",
        "question": "phong van hoa xa hoi xa chi minh chiu trach nhiem gi",
        "answerable": True,
        "type": "nodiacritics",
        "expected": [{"source": KH_CHI_MINH, "contains": "tuyển dụng, sử dụng, quản lý cán bộ"}],
        "key_facts": ["tuyển dụng"],
    },
    {
        "id": "t-appendix",
        "question": "Ai chủ trì báo cáo đánh giá thực trạng và đề xuất giải pháp hoàn thiện hệ "
        "thống pháp luật từ thực tiễn thành phố Hải Phòng?",
        "answerable": True,
        "type": "appendix",
        "expected": [
            {
                "source": KH_HAI_PHONG_BO_SUNG,
                "contains": "đề xuất giải pháp hoàn thiện hệ thống pháp luật từ thực tiễn",
            }
        ],
        "key_facts": ["Sở Tư pháp"],
    },
    {
        "id": "t-deadline",
        "question": "Khi nào phải xong kế hoạch tổng rà soát hệ thống văn bản quy phạm pháp luật "
        "tại thành phố Hải Phòng?",
        "answerable": True,
        "type": "deadline",
        "expected": [
            {
                "source": KH_HAI_PHONG_BO_SUNG,
                "contains": "tổng rà soát hệ thống văn bản quy phạm pháp luật",
            }
        ],
        "key_facts": ["11/2026"],
    },
    {
        "id": "t-none-1",
        "question": "Giá vé máy bay từ Hà Nội đi Đà Nẵng tháng 12 là bao nhiêu?",
        "answerable": False,
        "type": "unanswerable",
        "expected": [],
        "key_facts": [],
    },
    {
        "id": "t-none-2",
        "question": "Ai là huấn luyện viên trưởng đội tuyển bóng đá quốc gia?",
        "answerable": False,
        "type": "unanswerable",
        "expected": [],
        "key_facts": [],
    },
]


def write_gold(path: Path, items: list[dict]) -> Path:
    path.write_text(
        "\n".join(json.dumps(item, ensure_ascii=False) for item in items) + "\n", encoding="utf-8"
    )
    return path


@pytest.fixture
def small_gold_items() -> list[dict]:
    """A fresh copy of the small gold set, free to edit."""
    return json.loads(json.dumps(SMALL_GOLD))


@pytest.fixture
def gold_writer():
    return write_gold


@pytest.fixture
def small_gold(tmp_path: Path) -> Path:
    return write_gold(tmp_path / "small.jsonl", SMALL_GOLD)
