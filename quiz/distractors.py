"""Distractors: wrong answers of the same kind and level, drawn from the whole corpus.

A distractor is never equivalent to the answer, never stated by the question's clause (an
office that also leads or coordinates the task, a document the clause also names), and never
equivalent to another distractor. Offices of the same type are preferred from the same
document, then from the corpus; a commune has only a few Phòng, so other commune units (Công
an, Ủy ban MTTQ) may stand in for one, but a provincial Sở never does. Deadlines prefer the
same level (a date for a date); document numbers keep their kind (a Nghị quyết for a Nghị
quyết) and prefer the same issuer (66-NQ/TW of the Bộ Chính trị is replaced by another NQ/TW
before a Chính phủ NQ-CP).
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hoidap import vntext
from hoidap.types import Clause
from quiz import facts
from quiz.model import FactKind

logger = logging.getLogger(__name__)

TYPO_MIN_COUNT = 3
# plausible targets when the corpus states too few percentages of its own
PERCENT_LADDER = (100, 95, 90, 85, 80, 75, 70, 60, 50)
_COMMUNE_UNIT_LEVELS = frozenset(
    {"phòng", "công an", "mặt trận", "trung tâm"}
)  # a number seen this often makes a one-off near-twin look like a typo


@dataclass(frozen=True)
class Term:
    """One candidate distractor."""

    text: str
    level: str
    source: str
    tier: str = ""


def term_key(kind: FactKind, text: str) -> str:
    """The comparison form of a term of ``kind``."""
    if kind in (FactKind.OFFICE, FactKind.COORDINATE):
        return facts.office_key(text)
    if kind is FactKind.DEADLINE:
        return facts.deadline_key(text)
    if kind is FactKind.DOCUMENT:
        return text.upper().replace(" ", "")
    return vntext.normalize(text).replace(" ", "")


def equivalent(kind: FactKind, a: str, b: str) -> bool:
    """True when two terms name the same thing (for deadlines: overlap in time)."""
    if kind in (FactKind.OFFICE, FactKind.COORDINATE):
        return facts.same_office(a, b)
    if kind is FactKind.DEADLINE and facts.deadlines_overlap(a, b):
        return True
    return term_key(kind, a) == term_key(kind, b)


def _tier(kind: FactKind, text: str) -> str:
    """Finer grouping inside a level: who issues a document number."""
    if kind is FactKind.DOCUMENT:
        found = facts.doc_numbers(text)
        return found[0].family if found else ""
    return ""


def _one_off(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


class TermPool:
    """Every askable term of one kind in the corpus."""

    def __init__(self, kind: FactKind, clauses: Sequence[Clause]) -> None:
        self.kind = kind
        counts: Counter[str] = Counter()
        if kind is FactKind.DOCUMENT:
            for clause in clauses:
                counts.update(n.canonical for n in facts.doc_numbers(facts.task_text(clause)))
        self._typo_of = {
            rare: common
            for rare, rare_count in counts.items()
            if rare_count == 1
            for common, count in counts.items()
            if count >= TYPO_MIN_COUNT and _one_off(rare, common)
        }
        terms: dict[str, Term] = {}
        for text, level, source in facts.iter_terms(clauses, kind):
            key = term_key(kind, text)
            if key in terms or key in self._typo_of:
                continue
            tier = _tier(kind, text)
            terms[key] = Term(text=text, level=level, source=source, tier=tier)
        self.terms = sorted(terms.values(), key=lambda t: term_key(kind, t.text))
        logger.debug("quiz pool %s: %d terms", kind.value, len(self.terms))

    def suspect(self, text: str) -> bool:
        """True for a document number that looks like a typo of a frequent one."""
        return term_key(self.kind, text) in self._typo_of

    def twin(self, text: str) -> str:
        """The frequent number a suspected typo stands for ("" when not a typo)."""
        return self._typo_of.get(term_key(self.kind, text), "")

    def level_of(self, text: str) -> str:
        """The level of a term of this pool's kind."""
        if self.kind in (FactKind.OFFICE, FactKind.COORDINATE):
            return facts.office_level(text)
        if self.kind is FactKind.DEADLINE:
            return facts.deadline_level(text)
        if self.kind is FactKind.DOCUMENT:
            found = facts.doc_numbers(text)
            return found[0].level if found else ""
        return "percent"

    def _tiers(self, answer: str, source: str) -> list[list[Term]]:
        level = self.level_of(answer)
        same = [t for t in self.terms if t.level == level]
        if self.kind in (FactKind.OFFICE, FactKind.COORDINATE):
            tiers = [
                [t for t in same if t.source == source],
                [t for t in same if t.source != source],
            ]
            if level in _COMMUNE_UNIT_LEVELS:  # few per commune: other commune units may stand in
                tiers.append(
                    [t for t in self.terms if t.level != level and t.level in _COMMUNE_UNIT_LEVELS]
                )
            return tiers
        if self.kind is FactKind.DEADLINE:
            return [same, [t for t in self.terms if t.level != level]]
        if self.kind is FactKind.DOCUMENT:
            family = _tier(self.kind, answer)
            return [[t for t in same if t.tier == family], [t for t in same if t.tier != family]]
        ladder = [Term(f"{p}%", "percent", "") for p in PERCENT_LADDER]
        return [same, ladder]

    def pick(
        self,
        answer: str,
        *,
        source: str,
        excluded: Callable[[str], bool],
        rng: random.Random,
        k: int = 3,
    ) -> tuple[list[str], int] | None:
        """``k`` distractors for ``answer`` and the farthest tier they came from (0: same
        level and document), or None when the corpus cannot supply them.

        ``excluded(term)`` is True for terms the question's clause states (other correct
        answers).
        """
        chosen: list[str] = []
        for depth, tier in enumerate(self._tiers(answer, source)):
            shuffled = list(tier)
            rng.shuffle(shuffled)
            for term in shuffled:
                if len(chosen) == k:
                    return chosen, depth
                if equivalent(self.kind, term.text, answer) or excluded(term.text):
                    continue
                if any(equivalent(self.kind, term.text, c) for c in chosen):
                    continue
                chosen.append(term.text)
            if len(chosen) == k:
                return chosen, depth
        return None
