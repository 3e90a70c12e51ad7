"""Example questions drawn from the indexed clauses: the busiest offices and a deadline."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import prompts
from hoidap import vntext
from hoidap.types import Clause

_DIGIT = re.compile(r"\d")
_COLLECTIVE = ("các ", "những ")


def example_questions(clauses: Iterable[Clause], *, offices: int = 5) -> list[str]:
    """One question per office leading tasks in the most documents, then one about a deadline.

    Collective names ("Các sở, ban, ngành") are skipped: a civil servant asks about one office.
    """
    lead_counts: Counter[str] = Counter()
    lead_docs: dict[str, set[str]] = {}
    spelling: dict[str, str] = {}
    deadline_counts: Counter[str] = Counter()
    for clause in clauses:
        for office in clause.lead_offices:
            key = vntext.normalize(office)
            if key.startswith(_COLLECTIVE):
                continue
            lead_counts[key] += 1
            lead_docs.setdefault(key, set()).add(clause.source)
            spelling.setdefault(key, office.strip())
        for deadline in clause.deadlines:
            if _DIGIT.search(deadline):
                deadline_counts[" ".join(deadline.split())] += 1
    ranked = sorted(lead_counts, key=lambda k: (-len(lead_docs[k]), -lead_counts[k], k))
    questions = [
        prompts.render("ui_example_office", office=spelling[key]) for key in ranked[:offices]
    ]
    if deadline_counts:
        deadline = deadline_counts.most_common(1)[0][0]
        questions.append(prompts.render("ui_example_deadline", deadline=deadline))
    return vntext.unique(questions)
