"""Small plans for tests: plan files written on the fly (index and reliability suites) and
hand-made clauses (structured questions, quizzes)."""

from __future__ import annotations

from pathlib import Path

from hoidap.types import Clause, ClauseKind

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


def clause(
    source: str, path: str, text: str | None = None, kind: ClauseKind = ClauseKind.SECTION, **fields
) -> Clause:
    """A hand-made clause of ``source`` at ``path``; ``fields`` are any other Clause fields (the
    document title, label, text and order have plain defaults)."""
    defaults = {"doc_title": "Kế hoạch", "label": path, "order": 0}
    return Clause(
        id=f"{source}#{path}",
        source=source,
        path=path,
        text=f"Nội dung {path}" if text is None else text,
        kind=kind,
        **(defaults | fields),
    )
