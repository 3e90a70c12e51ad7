"""Small plans written on the fly, shared by the index and reliability suites."""

from __future__ import annotations

from pathlib import Path

PLAN = """KẾ HOẠCH
Thực hiện nhiệm vụ năm 2026 của Ủy ban nhân dân xã {name}
I. MỤC ĐÍCH
1. Phòng Kinh tế chủ trì bố trí kinh phí {topic} trong năm 2026.
2. Văn phòng HĐND và UBND xã theo dõi, đôn đốc việc thực hiện.
II. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa - Xã hội tuyên truyền về {topic}, hoàn thành trong Quý II/2026.
"""


def write_plan(folder: Path, stem: str, topic: str) -> Path:
    """Writes ``folder/stem.txt``: a two-part plan about ``topic`` of the commune the stem names
    (``tân_lập`` → xã Tân Lập)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.txt"
    path.write_text(PLAN.format(name=stem.replace("_", " ").title(), topic=topic), "utf-8")
    return path
