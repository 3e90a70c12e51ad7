"""Choosing what a quiz asks about: one part of the plans, one office's tasks."""

from __future__ import annotations

import pytest

from hoidap.errors import QuizError
from hoidap.types import Clause
from quiz.scope import clause_filter, offices, sections

from ..plans import clause


def _clause(source: str, path: str, label: str, **fields) -> Clause:
    """A clause whose text is the last heading of its label."""
    return clause(source, path, label.split("›")[-1].strip(), label=label, **fields)


CLAUSES = [
    _clause("a.txt", "II.1", "II. Nhiệm vụ cụ thể › 1. Tuyên truyền"),
    _clause(
        "a.txt", "III.1", "III. Tổ chức thực hiện › 1. Sở Tư pháp", lead_offices=("Sở Tư pháp",)
    ),
    _clause(
        "b.txt", "IV.2", "IV. TỔ CHỨC THỰC HIỆN › 2. Phòng Kinh tế", lead_offices=("Phòng Kinh tế",)
    ),
    _clause(
        "b.txt",
        "IV.3",
        "IV. Tổ chức thực hiện › 3. Các phòng, ban",
        lead_offices=("Các phòng, ban, ngành",),
        coord_offices=("Văn phòng HĐND và UBND",),
    ),
]


def test_a_part_matches_whatever_its_numeral_and_case() -> None:
    where = clause_filter(CLAUSES, ["a.txt", "b.txt"], section="III. Tổ chức thực hiện")
    assert [c.path for c in CLAUSES if where(c)] == ["III.1", "IV.2", "IV.3"]
    where = clause_filter(CLAUSES, ["a.txt", "b.txt"], section="II")
    assert [c.path for c in CLAUSES if where(c)] == ["II.1"]
    assert sections(CLAUSES) == ["II. Nhiệm vụ cụ thể", "III. Tổ chức thực hiện"]


def test_an_office_matches_what_it_leads_or_coordinates() -> None:
    where = clause_filter(CLAUSES, ["a.txt", "b.txt"], office="Văn phòng HĐND và UBND")
    assert [c.path for c in CLAUSES if where(c)] == ["IV.3"]
    assert offices(CLAUSES) == ["Phòng Kinh tế", "Sở Tư pháp", "Văn phòng HĐND và UBND"]
    assert offices(CLAUSES, ["a.txt"]) == ["Sở Tư pháp"]
    assert clause_filter(CLAUSES, ["a.txt"]) is None


def test_unknown_part_or_office_names_what_exists() -> None:
    with pytest.raises(QuizError, match="Không có phần “V. Khen thưởng”.*III. Tổ chức thực hiện"):
        clause_filter(CLAUSES, ["a.txt", "b.txt"], section="V. Khen thưởng")
    with pytest.raises(QuizError, match="giao cho “Sở Y tế”.*Phòng Kinh tế; Sở Tư pháp"):
        clause_filter(CLAUSES, ["a.txt", "b.txt"], office="Sở Y tế")
    with pytest.raises(QuizError, match="Phần “II” không có nhiệm vụ nào giao cho “Sở Tư pháp”"):
        clause_filter(CLAUSES, ["a.txt", "b.txt"], section="II", office="Sở Tư pháp")
