"""Answers given per document: comparisons ("… ở phường và ở xã Chí Minh khác gì") and
questions about "the plan" when several plans are indexed and none is named.

For "Kế hoạch này nhằm mục đích gì?" with five plans indexed, picking one silently answers the
wrong plan four times in five, and asking back costs a turn (and gives the command line and
the API nothing). Each plan's own best clause, under a one-line note saying the question named
no plan, answers the user whichever plan they meant, and shows them how to narrow it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from hoidap import vntext
from hoidap.config import RetrieverMode
from hoidap.types import Hit
from prompts import render
from rag.evidence import coverages, judge
from rag.query import Query, analyze, is_department
from rag.retrieve import ClauseRetriever
from rag.scope import DocumentScope
from rag.structured import FieldIndex, ListRequest, is_heading_only

# compared on the question folded to plain letters
_COMPARE = re.compile(
    r"\b(?:khac(?:\s+\w+){0,3}?\s+(?:gi|nhau|khong|the nao|ra sao|o dau)|khac biet|so sanh"
    r"|giong nhau|giong khong|co gi khac)\b"
)
_OTHER_SIDE = re.compile(
    r"\b(?:khac|voi|va|so voi|hay)\s+(?:o\s+|cua\s+)?(tinh|phuong|xa|thanh pho)\b"
)
# words that set the sides apart rather than say what is compared, as typed with diacritics
_SIDE_WORDS = frozenset(
    """khác nhau gì so sánh giống biệt thế nào ra sao đâu không tỉnh phường xã thành phố ở và
    với hay""".split()
)
_PLAIN_SIDE_WORDS = frozenset(vntext.fold(w) for w in _SIDE_WORDS)


def _is_side_word(word: str) -> bool:
    """True for a side word, typed with or without diacritics ("so" is no "sổ")."""
    word = vntext.normalize(word.strip(",.:;?")).lower()
    return word in _SIDE_WORDS or (word == vntext.fold(word) and word in _PLAIN_SIDE_WORDS)


_THIS_PLAN = re.compile(r"\b(?:ke hoach|kh|van ban|chuong trinh|nghi quyet) nay\b")
# "kế hoạch" standing for the plan itself, not naming one ("kế hoạch số 115", "kế hoạch về …")
_BARE_PLAN = re.compile(
    r"(?<!\bcac )(?<!\bnhung )\b(?:ke hoach|kh)\b(?!\s+(?:so|hanh dong|trien khai|thuc hien"
    r"|tong|ve|cua|bo sung|nay|nao|cap|tinh|xa|phuong|thanh pho|nam)\b)"
)


@dataclass(frozen=True)
class PerDocument:
    """The clauses to cite, grouped by document, and the line that introduces them."""

    note: str
    hits: list[Hit]
    judged: bool = False  # every side was judged covered on its own (a comparison)


def is_comparison(query: Query) -> bool:
    """True for a question comparing ("… khác gì", "so sánh …")."""
    return bool(_COMPARE.search(vntext.fold(vntext.normalize(query.text))))


def compared_documents(query: Query, scope: DocumentScope) -> tuple[tuple[str, ...], str]:
    """The documents a comparison names, all of them (the scope finder stops at one kind
    of name: "ở phường và ở xã Chí Minh" needs a second look for "phường"), and the
    question without their names."""
    if not is_comparison(query):
        return (), query.text
    named = scope.find_all(query.text)
    sources = [*query.scope, *(s for s in named.sources if s not in query.scope)]
    remainder = named.remainder
    # "phường ở Cần Thơ khác tỉnh thế nào": a bare level after the comparison names a side
    for level in _OTHER_SIDE.findall(vntext.fold(vntext.normalize(remainder))):
        sources += [s for s in scope.find(f"ở {level}").sources if s not in sources]
    if len(sources) < 2:
        return (), query.text
    words = [w for w in remainder.split() if not _is_side_word(w)]
    return tuple(sources), " ".join(words)


def names_no_plan(query: Query, *, plans: int) -> bool:
    """True when the question is about "the plan" but names none and several are indexed."""
    if plans < 2 or query.scope or query.offices:
        return False
    folded = vntext.fold(vntext.normalize(query.text))
    return bool(_THIS_PLAN.search(folded) or _BARE_PLAN.search(folded))


def per_document(
    query: Query,
    *,
    retriever: ClauseRetriever,
    scope: DocumentScope,
    fields: FieldIndex,
    docs: Sequence[str] | None,
    plans: int,
    mode: RetrieverMode,
) -> PerDocument | None:
    """Per-document citations for a comparison or a question naming no plan, else None."""
    sides, topic = compared_documents(query, scope)
    if docs:
        sides = tuple(s for s in sides if s in docs)
    if len(sides) > 1:
        # each side is searched for the topic alone: the other side's name ("phường")
        # would otherwise pull every clause that repeats it
        topical = analyze(query.text, offices=query.offices, scope=sides, topic=topic)
        return _compare(topical, sides, retriever, fields, mode)
    if names_no_plan(query, plans=len(docs) if docs else plans):
        return _each_plan(query, retriever, fields, docs, mode)
    return None


def _compare(
    query: Query,
    sides: Sequence[str],
    retriever: ClauseRetriever,
    fields: FieldIndex,
    mode: RetrieverMode,
) -> PerDocument:
    hits: list[Hit] = []
    departments = tuple(o for o in query.offices if is_department(o))
    covered = 0
    for source in sides:
        if departments:  # an office compared: everything each side assigns it
            request = ListRequest(offices=departments, sources=(source,))
            hits += [Hit(fields.clauses[p], 1.0, 1.0) for p in fields.select(request)]
            continue
        sides_k = retriever.tuning.side_citations
        retrieval = retriever.search(query, k=sides_k * 5, docs=[source], mode=mode)
        if judge(query, retrieval, retriever).covered:
            covered += 1
            best = retrieval.hits[:sides_k]
            scores = coverages(query, best, retriever)
            hits += [
                _with_content(h, fields)
                for h, c in zip(best, scores, strict=True)
                if h is best[0] or c >= scores[0]
            ]
    judged = bool(departments) or covered == len(sides)
    return PerDocument(render("answer_compare_intro"), hits, judged=judged)


def _with_content(hit: Hit, fields: FieldIndex) -> Hit:
    """A heading-only clause ("Mục đích") stands for its first point, which says something."""
    clause = hit.clause
    while is_heading_only(clause) and fields.children(clause):
        clause = fields.children(clause)[0]
    return hit if clause is hit.clause else replace(hit, clause=clause)


def _each_plan(
    query: Query,
    retriever: ClauseRetriever,
    fields: FieldIndex,
    docs: Sequence[str] | None,
    mode: RetrieverMode,
) -> PerDocument | None:
    tuning = retriever.tuning
    ranked = retriever.search(query, k=tuning.per_plan_pool, docs=docs, mode=mode).hits
    best: dict[str, Hit] = {}
    for hit in ranked:
        best.setdefault(hit.clause.source, hit)
    firsts = list(best.values())
    if len(firsts) < 2:
        return None
    scores = coverages(query, firsts, retriever)
    top = max(scores)
    kept = [h for h, c in zip(firsts, scores, strict=True) if c >= tuning.plan_share * top]
    if len(kept) < 2:
        return None
    note = render("answer_per_plan_note")
    limit = tuning.per_plan_limit
    if len(kept) > limit:
        note += "\n" + render("answer_per_plan_limit", shown=limit, total=len(kept))
    return PerDocument(note, [_with_content(h, fields) for h in kept[:limit]])
