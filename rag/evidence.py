"""Deciding whether the documents cover a question, from lexical and dense evidence together.

Dense cosine scores of the bundled model bunch together (0.81–0.91 for relevant and unrelated
text alike), so no fixed cosine cut-off is used. A question is covered when a top clause of
the fused (lexical + dense) ranking holds most of its content words, weighted by rarity; a
question that names a thing (a noun) that no document ever mentions needs a much closer
match, the words of a compound the documents never write ("khai sinh") count as missing,
and a question asking for a value (a sum of money, a day, a deadline, a count, a person …,
see ``rag.asked``) needs a clause that states one. A weaker lexical match still counts when
the dense score of a top clause stands far out of its candidate pool (a z-score, not a cosine
value), or when BM25 and the dense ranking agree on the same top clause: two independent
rankings rarely agree on a clause by chance, which rescues paraphrases and everyday words.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from hoidap import vntext
from hoidap.config import Tuning
from hoidap.types import Hit
from hoidap.vocab import REFERENCE_PREFIX
from rag.asked import states
from rag.query import Query, is_department, is_specific
from rag.retrieve import ClauseRetriever, Retrieval


@dataclass(frozen=True)
class Evidence:
    """The figures behind a covered / not-covered decision (logged at debug level)."""

    coverage: float
    dense_z: float
    covered: bool
    unknown_nouns: tuple[str, ...] = ()


def coverages(
    query: Query, hits: Sequence[Hit], retriever: ClauseRetriever, *, apart: Collection[str] = ()
) -> list[float]:
    """Lexical coverage of the question by each hit (``apart``: words counted as missing)."""
    lexical = retriever.lexical
    return [lexical.coverage(query, retriever.position(h.clause.id), apart=apart) for h in hits]


def _absent_office(query: Query, retriever: ClauseRetriever, docs: Sequence[str]) -> str | None:
    """A specific office the question names that no clause of ``docs`` mentions."""
    for office in filter(is_specific, query.offices):
        phrase = " ".join(vntext.syllables(retriever.vocabulary.canonical(office)))
        assigned = any(
            office in c.offices for c in retriever.clauses if c.source in docs
        ) or retriever.lexical.mentions(phrase, sources=docs)
        if not assigned:
            return office
    return None


# the question asks who issued or signed a document it cites, compared folded
_ABOUT_DOCUMENT = re.compile(r"\b(?:ban hanh|ky|cua ai|cua co quan nao|do ai|do co quan nao)\b")
# it names a kind of document and asks no deadline: "NQ nào của Chính phủ, ngày mấy"
_DOCUMENT_KIND = re.compile(
    r"\b(?:nq|nghi quyet|ctr|chuong trinh|qd|quyet dinh|nd|nghi dinh)\b"
    r"|\b(?:kh|ke hoach|van ban) so (?:may|bao nhieu)\b"
)
# a deadline or an event ("hạn nộp", "hội nghị sơ kết tổ chức ngày nào") is not the document
_NOT_THE_DOCUMENT = re.compile(
    r"\b(?:han|hoan thanh|xong|nop|gui|truoc ngay|to chuc|hoi nghi|hop|dien ra|so ket|tong ket)\b"
)


def _agreed(top: Sequence[Hit], covers: Sequence[float], tuning: Tuning) -> bool:
    """True when BM25 and the dense ranking both put one clause at the top and it holds some
    of the question's words: then a paraphrase's or an everyday word's few shared words
    suffice ("cán bộ hạch sách, làm khó dân" → "nhũng nhiễu, gây phiền hà")."""
    return any(
        h.bm25_rank is not None
        and h.dense_rank is not None
        and max(h.bm25_rank, h.dense_rank) <= tuning.agreement_rank
        and cover >= tuning.coverage_with_agreement
        for h, cover in zip(top, covers, strict=True)
    )


def _value_stated(query: Query, top: Sequence[Hit]) -> bool:
    """True when a top clause states the kind of value the question asks for."""
    question = vntext.fold(vntext.normalize(query.text))
    # a cited document's date answers "NQ 140 là của ai, ngày nào", not "hạn nộp báo cáo
    # thực hiện NQ 66 là ngày nào"
    cites = any(t.startswith(REFERENCE_PREFIX) for t in query.content)
    named = cites or bool(_DOCUMENT_KIND.search(question))
    references = query.asks_header or (
        named and bool(_ABOUT_DOCUMENT.search(question) or not _NOT_THE_DOCUMENT.search(question))
    )
    return any(
        states(
            query.asks_value,
            vntext.fold(h.clause.text),
            folded_question=question,
            references=references,
        )
        for h in top
    )


def _dense_z(pool: Sequence[float], top: Sequence[Hit]) -> float:
    """How far the best dense score of the top clauses stands out of its candidate pool."""
    if len(pool) < 3:
        return 0.0
    spread = statistics.pstdev(pool) or 1e-6
    best = max(
        (h.dense_score for h in top if h.dense_score is not None), default=statistics.fmean(pool)
    )
    return (best - statistics.fmean(pool)) / spread


def _unknown(query: Query, top: Sequence[Hit], retriever: ClauseRetriever) -> tuple[str, ...]:
    """Nouns no document has, and documents cited by a number no plan names."""
    lexical = retriever.lexical
    # a word typed without diacritics that the index holds only inside other words, and
    # that no top clause holds at all ("luong" when "chất lượng" is elsewhere)
    held = set().union(
        *(lexical.clause_terms(retriever.position(h.clause.id), folded=True) for h in top)
    )
    absent = {w for w in query.unattested if w not in held}
    nouns = tuple(
        n
        for n in query.nouns
        if not lexical.knows_all(n.split()) or any(vntext.fold(s) in absent for s in n.split())
    )
    # "Nghị quyết 57"
    cited = tuple(t for t in query.content if t.startswith(REFERENCE_PREFIX) and t not in lexical)
    return nouns + cited


def judge(
    query: Query, retrieval: Retrieval, retriever: ClauseRetriever, docs: Sequence[str] = ()
) -> Evidence:
    """Whether the retrieved clauses (of ``docs``, when the user filtered) answer ``query``.

    An office the question names that the documents it is about (filtered on, or named by
    place) never mention is not covered, nor a value (amount, day, count) no answering clause
    states. Nouns the documents never use ("lương") ask for a much closer match; the words of
    compounds they never write ("học phí") count as missing; agreement of the two rankings on
    a top clause, or a dense match standing far out of its pool, rescues a paraphrase.
    """
    hits = retrieval.hits
    if not hits or not query.content:
        return Evidence(0.0, 0.0, False)
    tuning = retriever.tuning
    within = tuple(docs) or query.scope  # the documents filtered on, or named in the question
    if within and _absent_office(query, retriever, within):
        return Evidence(0.0, 0.0, False)
    top = hits[: tuning.evidence_clauses]
    covers = coverages(query, top, retriever)
    coverage = max(covers)
    # "lương cơ sở là bao nhiêu": the value must be in a clause that answers the rest, of
    # the document the question is about
    answering = [
        h
        for h, c in zip(top, covers, strict=True)
        if c >= coverage * tuning.relative_coverage and (not within or h.clause.source in within)
    ]
    if query.asks_value and not _value_stated(query, answering):
        return Evidence(coverage, 0.0, False)
    if any(is_department(o) for o in query.offices) and any(h.office_match for h in hits):
        return Evidence(1.0, 0.0, True)  # the question is about an office the plans task
    dense_z = _dense_z(retrieval.dense_pool, top)
    unknown = _unknown(query, top, retriever)
    # a compound the documents never write ("học phí", "khai sinh", "hòa giải"): its words
    # found apart elsewhere ("học tập", "kinh phí") are no evidence for it
    mentions = retriever.lexical.mentions
    unseen = tuple(n for n in query.compounds if n not in unknown and not mentions(n))
    if unseen:
        fold = not query.accented
        apart = {vntext.fold(s) if fold else s for n in unseen for s in n.split()}
        coverage = max(coverages(query, top, retriever, apart=apart))
    # one unknown everyday word ("tiền", "xóm") weighs less than a term ("thuế thu nhập")
    term = any(" " in n for n in unknown)
    if any(n.startswith(REFERENCE_PREFIX) for n in unknown):
        covered = False  # the question is about a document no plan cites
    elif term:  # no agreement of the rankings on the question's other words outweighs it
        covered = coverage >= tuning.coverage_with_unknown_noun
    elif _agreed(top, covers, tuning):
        covered = True
    elif unknown:
        covered = coverage >= tuning.coverage_with_unknown_word
    elif unseen:  # a paraphrase whose dense match stands out is still covered
        covered = coverage >= tuning.coverage_with_unknown_noun or (
            coverage >= tuning.minimum_coverage and dense_z >= tuning.phrase_dense_standout
        )
    else:
        covered = coverage >= tuning.minimum_coverage or (
            coverage >= tuning.coverage_with_dense_support and dense_z >= tuning.dense_standout
        )
    return Evidence(coverage, dense_z, covered, unknown + unseen)
