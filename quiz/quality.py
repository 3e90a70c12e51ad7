"""How usable a generated question is (0–100) and how hard it is (dễ/vừa/khó).

The score starts at 100 and loses points for what trainers reject: a stem too long to read
aloud or too short to be a claim, a rote document number, options whose lengths give the
answer away, distractors from far away (another level or another plan), a fill-in without
options (graded by hand) and a stem with no short form for Kahoot. Regeneration only offers
a question scoring at least as well as the one it replaces.
"""

from __future__ import annotations

from quiz.model import Difficulty, FactKind, Question, QuestionType

KAHOOT_QUESTION = 120
_ROTE = {FactKind.DOCUMENT: 20, FactKind.PERCENT: 5}
_HARD = {FactKind.PLAN, FactKind.DOCUMENT, FactKind.PERCENT}
_EASY_TF = {FactKind.OFFICE, FactKind.DEADLINE, FactKind.TASK, FactKind.GOAL}


def score(question: Question, *, tier: int = 0) -> int:
    """0–100: how usable ``question`` is as generated; ``tier`` is how far its distractors
    had to be looked for (0: same level and plan)."""
    points = 100 - _ROTE.get(question.fact, 0) - 5 * tier
    words = len(question.stem.split())
    if words > 45:
        points -= 15
    elif words > 35:
        points -= 5
    if words < 10:
        points -= 20
    if question.options:
        right = [len(o.text) for o in question.options if o.correct]
        wrong = [len(o.text) for o in question.options if not o.correct]
        mean = sum(wrong) / len(wrong)
        if right and not 0.5 <= right[0] / max(mean, 1) <= 1.8:
            points -= 10  # the answer stands out by its length
        if len(question.options) < 4:
            points -= 10
    elif question.type is QuestionType.CLOZE:
        points -= 15
    if len(question.stem) > KAHOOT_QUESTION and not question.short_stem:
        points -= 5
    return max(points, 0)


def difficulty(question: Question, *, tier: int = 0) -> Difficulty:
    """Dễ for a true/false claim about who, when or what; khó for which plan (vừa as a
    true/false claim), numbers and figures and a fill-in without options; vừa otherwise (and
    for distractors of the same plan and level, which a trainee cannot rule out by level)."""
    if question.fact is FactKind.PLAN and question.type is QuestionType.TRUEFALSE:
        return Difficulty.MEDIUM
    if question.fact in _HARD or (question.type is QuestionType.CLOZE and not question.options):
        return Difficulty.HARD
    if question.type is QuestionType.TRUEFALSE and question.fact in _EASY_TF:
        return Difficulty.EASY
    if question.type is QuestionType.MCQ and tier > 0:
        return Difficulty.EASY
    return Difficulty.MEDIUM
