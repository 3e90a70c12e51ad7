"""Which clauses a quiz asks about: one part of the documents, one office's tasks.

A part is named as trainers read it in the plan ("III. Tổ chức thực hiện", or just "Tổ chức
thực hiện", which matches that part in every plan whatever its numeral); an office by its name
in any usual form ("Sở Tư pháp", "Văn phòng HĐND và UBND"). Questions come only from matching
clauses; distractors still come from the whole corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from hoidap import vntext
from hoidap.errors import QuizError
from hoidap.types import Clause
from quiz import facts

_NUMERAL = re.compile(r"^\s*(?:phần\s+|mục\s+)?(?:[ivxlc]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s*")
MAX_LISTED = 12


def _core(text: str) -> str:
    """A heading compared without numeral, case, tone style or diacritics."""
    folded = vntext.fold(vntext.normalize(text)).strip(" .:")
    return _NUMERAL.sub("", folded).strip(" .:")


def _parts(clause: Clause) -> list[str]:
    return [p.strip() for p in clause.label.split("›") if p.strip()]


def sections(clauses: Sequence[Clause], sources: Sequence[str] | None = None) -> list[str]:
    """The top-level parts of the chosen documents, as written in the first plan naming each
    ("III. Tổ chức thực hiện"), once per heading whatever its numeral."""
    found: dict[str, str] = {}
    for clause in clauses:
        if (sources and clause.source not in sources) or not facts.askable(clause):
            continue
        parts = _parts(clause)
        if parts and _NUMERAL.match(vntext.fold(vntext.normalize(parts[0]))):
            found.setdefault(_core(parts[0]), parts[0])
    return list(found.values())


def offices(clauses: Sequence[Clause], sources: Sequence[str] | None = None) -> list[str]:
    """Single offices that lead or coordinate a task in the chosen documents."""
    found: dict[str, str] = {}
    for clause in clauses:
        if sources and clause.source not in sources:
            continue
        for name in facts.leads(clause) + facts.coordinators(clause):
            if facts.office_level(name):
                found.setdefault(facts.office_key(name), facts.display(name))
    return sorted(found.values())


def _in_section(clause: Clause, wanted: str) -> bool:
    core = _core(wanted)
    folded = vntext.fold(vntext.normalize(wanted)).strip(" .:")
    path = clause.path.upper()
    if wanted.strip().upper() == path or path.startswith(wanted.strip().upper().rstrip(".") + "."):
        return True
    return any(
        _core(part) == core or vntext.fold(vntext.normalize(part)) == folded
        for part in _parts(clause)
    )


def _of_office(clause: Clause, office: str) -> bool:
    named = facts.leads(clause) + facts.coordinators(clause)
    return any(facts.same_office(office, n) for n in named)


def clause_filter(
    clauses: Sequence[Clause],
    sources: Sequence[str],
    *,
    section: str = "",
    office: str = "",
) -> Callable[[Clause], bool] | None:
    """A test for the clauses a quiz may ask about (None: every clause); raise QuizError
    naming what exists when the part or the office matches no clause."""
    if not section.strip() and not office.strip():
        return None
    chosen = [c for c in clauses if c.source in sources]

    def where(clause: Clause) -> bool:
        return (not section.strip() or _in_section(clause, section)) and (
            not office.strip() or _of_office(clause, office)
        )

    if section.strip() and not any(_in_section(c, section) for c in chosen):
        known = "; ".join(sections(chosen)[:MAX_LISTED])
        raise QuizError(
            f"Không có phần “{section.strip()}” trong các văn bản đã chọn. "
            f"Các phần hiện có: {known}."
        )
    if office.strip() and not any(_of_office(c, office) for c in chosen):
        known = "; ".join(offices(chosen)[:MAX_LISTED])
        raise QuizError(
            f"Không có nhiệm vụ nào giao cho “{office.strip()}” trong các văn bản đã chọn. "
            f"Các cơ quan được giao nhiệm vụ: {known}."
        )
    if not any(where(c) for c in chosen):
        raise QuizError(
            f"Phần “{section.strip()}” không có nhiệm vụ nào giao cho “{office.strip()}”."
        )
    return where
