"""From a question to a grounded Answer: clean, resolve follow-ups, retrieve, judge, compose."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import replace

from hoidap import vntext
from hoidap.config import RetrieverMode
from hoidap.errors import InputError
from hoidap.types import Answer, Document, Hit
from hoidap.vocab import Vocabulary
from index.offices import OfficeMatcher, extract_offices, match_offices
from prompts import render
from rag.answer import Composed
from rag.answerer import EXTRACTIVE, Answerer, AnswerRequest, OnText
from rag.docfacts import (
    Fact,
    answer_facts,
    by_title,
    cites_other_document,
    missing_facts,
    parse_facts,
)
from rag.evidence import coverages, judge
from rag.perdoc import is_comparison, per_document
from rag.query import (
    Query,
    analyze,
    clean_question,
    is_department,
    is_specific,
    resolve_followup,
)
from rag.retrieve import ClauseRetriever
from rag.scope import DocumentScope
from rag.spelling import Speller
from rag.structured import (
    FieldIndex,
    answer_list,
    expand_headings,
    group_for_role,
    section_asked,
)

logger = logging.getLogger(__name__)

DIRECT_ANSWERER = "structured"  # lists, counts and document fields, answered from the index

# office kinds a question typed in lower case may start an office name with, folded
# ("so" is left out: without diacritics it is far more often "số" than "Sở")
_PLAIN_KINDS = {
    "phong": "Phòng",
    "van phong": "Văn phòng",
    "trung tam": "Trung tâm",
    "cong an": "Công an",
}
_LEVELS = frozenset("xa phuong tinh huyen quan".split())  # folded
_QUESTION_WORDS = frozenset("nao gi dau ai may".split())  # folded: "nào", "gì", "đâu" …
# folded words after which an office name may begin ("nhiem vu cua so y te", "giam doc so y te")
_BEFORE_OFFICE = frozenset("cua cho voi va hoac giao la thi ve o tai doc bo".split())


def _lowercase_offices(text: str, speller: Speller) -> list[str]:
    """Offices named in a question typed in lower case, spelled as a document would.

    "phong tu phap lam gi" reads "Phòng Tư pháp làm gì": the office kind and the next word
    capitalised, diacritics restored from the index (when missing), then read like a
    question typed with capitals.
    A kind word in an ordinary phrase of the documents ("phòng chống", "Hải Phòng") or before
    a function word ("ở Hải Phòng ai lo") starts no office.
    """
    typed = vntext.syllables(text)
    words = [vntext.fold(w) for w in typed]
    accented = typed if vntext.has_diacritics(text) else speller.accent(" ".join(typed)).split()
    if len(accented) != len(words):
        return []
    stop = vntext.stopwords()
    kinds = sorted(_PLAIN_KINDS, key=len, reverse=True)
    out: list[str] = []
    i = 0
    while i < len(words):
        # the kind as the index would spell it ("phong trào" is no "phòng")
        kind = next(
            (
                k
                for k in kinds
                if words[i : i + len(k.split())] == k.split()
                and " ".join(accented[i : i + len(k.split())]) == _PLAIN_KINDS[k].lower()
            ),
            "",
        )
        at = i + len(kind.split())  # the word after the kind
        if (
            kind
            and at < len(words)
            and accented[at] not in stop
            and words[at] not in _QUESTION_WORDS  # "phong nao": which office, not a name
            and not speller.is_phrase(accented[i - 1] if i else "", _PLAIN_KINDS[kind].lower())
            and not speller.is_phrase(_PLAIN_KINDS[kind].lower(), accented[at])
        ):
            # a name is capitalised, a level ("công an phường") is not
            name = accented[at] if words[at] in _LEVELS else accented[at].capitalize()
            out += [_PLAIN_KINDS[kind], name]
            i = at + 1
        else:
            out.append(accented[i])
            i += 1
    return extract_offices(" ".join(out))


def _departments(text: str, speller: Speller) -> list[str]:
    """Departments of the built-in list a question names in lower case or without
    diacritics ("so y te" → Sở Y tế): where a name can begin (first, or after "của",
    "cho", "với"…) and not inside a word the index holds ("co so y te": "cơ sở"), so "ho
    so", "chuyen doi so" stay "hồ sơ", "chuyển đổi số"."""
    words = vntext.syllables(vntext.fold(text))
    inner: set[int] = set()  # positions inside a longer word, after its first syllable
    at = 0
    for typed, _ in speller.readings(" ".join(words)):
        size = len(typed.split())
        inner.update(range(at + 1, at + size))
        at += size
    found = []
    for office in match_offices(text):
        key = vntext.syllables(vntext.fold(office))
        starts = (i for i in range(len(words)) if words[i : i + len(key)] == key)
        if any(i not in inner and (i == 0 or words[i - 1] in _BEFORE_OFFICE) for i in starts):
            found.append(office)
    return found


def understand(
    question: str,
    *,
    history: Sequence[str],
    matcher: OfficeMatcher,
    scope: DocumentScope,
    max_chars: int,
    vocabulary: Vocabulary | None = None,
    speller: Speller | None = None,
) -> tuple[Query, str]:
    """Validate and analyse a question; returns the query and a notice for the user.

    Follow-ups are resolved and slips repaired first (the notice then shows the question as
    understood); everything after reads the question through ``vocabulary``.
    """
    clean = clean_question(question, max_chars=max_chars)
    text = resolve_followup(clean.text, history, offices_in=matcher.match)
    if speller is not None:
        text = speller.repair(text)
    notice = clean.notice
    if text != clean.text:
        notice = " ".join(filter(None, [notice, render("notice_followup", question=text)]))
    vocabulary = vocabulary or Vocabulary.bundled()
    text = vocabulary.canonical(text)
    offices = matcher.match(text)
    named_offices = extract_offices(text)
    if speller is not None and not named_offices:
        named_offices = _lowercase_offices(text, speller)
    if speller is not None and not offices:
        named_offices += [o for o in _departments(text, speller) if o not in named_offices]
    unknown = [
        o for o in named_offices if is_specific(o) and o not in offices and not matcher.match(o)
    ]
    named = scope.find(text)
    query = analyze(
        text,
        offices=offices,
        unknown_offices=unknown,
        scope=named.sources,
        topic=named.remainder,
        vocabulary=vocabulary,
    )
    if speller is not None and not query.accented:  # read as if typed with diacritics
        accented = vocabulary.canonical(speller.accent(named.remainder), lexical=True)
        plain_stop = vntext.stopwords(folded=True)

        def read_right(phrase: str) -> bool:
            """False for a phrase holding a function word typed plain ("de doi moi" read
            "đề đổi mới", "nao giong"): likely a misreading of the diacritics, no evidence."""
            return not any(vntext.fold(w) in plain_stop for w in phrase.split())

        nouns = tuple(n for n in vntext.nouns(accented) if " " not in n or read_right(n))
        # a one-word noun the index holds only inside other words ("luong" → "lượng")
        alone = {vntext.fold(n) for n in nouns if " " not in n}
        unattested = [w for w in speller.unattested(named.remainder) if w in alone]
        query = replace(
            query,
            dense_text=speller.accent(query.text),
            nouns=nouns,
            compounds=tuple(filter(read_right, vntext.compounds(accented))),
            unattested=tuple(w for w in unattested if w in query.content),
        )
    return query, notice


def _best_per_document(hits: Sequence[Hit]) -> dict[str, Hit]:
    """The first (best-ranked) hit of each document, in rank order."""
    best: dict[str, Hit] = {}
    for hit in hits:
        best.setdefault(hit.clause.source, hit)
    return best


def select_citations(
    query: Query,
    hits: Sequence[Hit],
    retriever: ClauseRetriever,
    k: int,
    *,
    within: Sequence[str] = (),
) -> list[Hit]:
    """The hits worth citing.

    A question about a department cites every clause that assigns it work (in the plans
    ``within`` the places it names, if any). Otherwise the
    best hit is cited, with the others that cover the question nearly as well; a question
    naming several documents gets each document's best hit.
    """
    if query.offices:
        assigned = [h for h in hits if h.office_match]
        # "Văn phòng HĐND và UBND xã Chí Minh": the plans of the places named, when they task it
        assigned = [h for h in assigned if h.clause.source in within] or assigned
        if assigned:
            # every document's best assignment is kept first, so k never drops a document
            firsts = list(_best_per_document(assigned).values())
            kept = (firsts + [h for h in assigned if h not in firsts])[:k]
            return [h for h in assigned if h in kept]
    if not hits:
        return []
    tuning = retriever.tuning
    scores = coverages(query, hits[:k], retriever)
    best_cov, best_score = max(scores), hits[0].score
    min_cov, min_score = tuning.relative_coverage * best_cov, tuning.relative_score * best_score
    chosen = [hits[0]] + [
        h
        for h, cov in zip(hits[1:k], scores[1:], strict=False)
        if cov >= min_cov and h.score >= min_score
    ]
    chosen = chosen[: tuning.topic_citations]
    if len(query.scope) > 1:
        cited = {h.clause.source for h in chosen}
        best = _best_per_document(hits[:k])
        chosen += [best[s] for s in query.scope if s in best and s not in cited]
    return chosen


def _direct_answer(
    query: Query,
    fields: FieldIndex | None,
    retriever: ClauseRetriever,
    documents: dict[str, Document],
    docs: Sequence[str] | None,
) -> Composed | None:
    """An answer read from clause fields or document metadata rather than composed from
    ranked clauses: complete lists and counts; signer, issuer, date, number.

    A metadata question is answered for the documents it names (by place, issuer or title),
    for every document when it names none ("Ai ký kế hoạch?"), and left to retrieval when
    the document it describes cannot be told or lacks the field.
    """
    if fields is None:
        return None
    tuning = retriever.tuning
    listed = answer_list(
        query,
        index=fields,
        lexical=retriever.lexical,
        documents=documents,
        tuning=tuning,
        docs=docs,
    )
    if listed is not None:
        return listed
    facts = parse_facts(query, titles=[d.title for d in documents.values()])
    if facts is None:
        return None
    if cites_other_document(query, documents.values(), retriever.vocabulary):
        # a plan cites the document with its date and number, never with its signer
        signer = Fact.SIGNER in facts.facts
        return Composed(render("fact_other_document"), ()) if signer else None
    allowed = [d for d in documents if not docs or d in docs]
    named = [s for s in query.scope if s in allowed] or (allowed if docs else [])
    named = named or by_title(facts, [documents[s] for s in allowed], share=tuning.title_share)
    if not named and not facts.needs_document:
        named = allowed  # "Ai ký kế hoạch?": every plan, with a note
    if not named:
        return None
    missing = missing_facts(facts, documents[named[0]]) if len(named) == 1 else None
    if missing is not None:  # no field asked is stated: said plainly, nothing to cite
        return missing
    return answer_facts(
        query,
        facts,
        index=fields,
        documents=documents,
        sources=named,
        limit=tuning.per_plan_limit,
    )


def _cited(
    query: Query,
    hits: Sequence[Hit],
    retriever: ClauseRetriever,
    fields: FieldIndex | None,
    scope: DocumentScope,
    k: int,
) -> tuple[list[Hit], str]:
    """The clauses an answer cites and the line introducing them ("" for none): a cited
    heading stands for its points, and "những giải pháp gì về …" gets every point of the
    section that answers, counted."""
    named = () if is_comparison(query) else scope.find_all(query.text).sources
    cited = select_citations(query, hits, retriever, k, within=named)
    if fields is None:
        return cited, ""
    section = section_asked(
        query,
        cited,
        fields,
        covers=lambda c: retriever.lexical.coverage(query, retriever.position(c.id)),
    )
    if section is None:
        return expand_headings(cited, fields, limit=k), ""
    points = fields.children(section)
    heading = section.heading.rstrip(" .:")
    intro = render("list_section_intro", count=len(points), heading=heading)
    return [replace(cited[0], clause=c) for c in points[: retriever.tuning.list_limit]], intro


def _as_collective(
    query: Query, fields: FieldIndex | None, docs: Sequence[str]
) -> tuple[Query, str] | None:
    """A role question about a department no plan names ("tôi là giám đốc Sở Xây dựng") or
    named by its kind ("một phòng chuyên môn"), read as about its collective, with the notice
    saying so; None for any other question."""
    if fields is None or any(map(is_department, query.offices)):
        return None
    office = query.unknown_offices[0] if query.unknown_offices else None
    group = group_for_role(query, office, fields, docs=docs)
    if group is None:
        return None
    if office is None:
        note = render("notice_role_collective", group=group.lower())
    else:
        note = render("notice_role_group", office=office, group=group.lower())
    return replace(query, offices=(group,)), note


def answer_question(
    question: str,
    *,
    retriever: ClauseRetriever,
    matcher: OfficeMatcher,
    scope: DocumentScope,
    documents: dict[str, Document],
    k: int,
    docs: Sequence[str] | None = None,
    history: Sequence[Answer | str] = (),
    mode: RetrieverMode = RetrieverMode.HYBRID,
    max_chars: int = 1000,
    answerer: Answerer = EXTRACTIVE,
    on_text: OnText | None = None,
    fields: FieldIndex | None = None,
) -> Answer:
    """Answer one question from the index; bad questions get a refusal, never an exception.

    ``history`` holds the previous turns (answers, or bare questions); ``on_text`` receives
    the answer text as the answerer writes it (the returned Answer is the checked one).
    """
    started = time.perf_counter()

    def done(text: str, *, refused: bool, citations=(), notice: str = "", **extra) -> Answer:
        latency = int(round((time.perf_counter() - started) * 1000))
        return Answer(
            question if isinstance(question, str) else "",
            text,
            refused,
            tuple(citations),
            latency,
            notice,
            **extra,
        )

    turns = [h for h in history if isinstance(h, Answer)]
    questions = [h.question if isinstance(h, Answer) else h for h in history]
    try:
        query, notice = understand(
            question,
            history=questions,
            matcher=matcher,
            scope=scope,
            max_chars=max_chars,
            vocabulary=retriever.vocabulary,
            speller=retriever.speller,
        )
    except InputError as exc:
        return done(str(exc), refused=True)
    if docs and not any(d in documents for d in docs):
        return done(render("refusal_no_documents"), refused=True, notice=notice)
    collective = _as_collective(query, fields, docs or query.scope)
    if collective is not None:  # the asker's department is tasked only as one of a collective
        query, note = collective
        notice = " ".join(filter(None, [notice, note]))
    elif query.unknown_offices and not any(map(is_specific, query.offices)):
        # "Công an phường làm gì": an office no plan names, beside at most an authority
        return done(
            render("refusal_unknown_office", office=query.unknown_offices[0]),
            refused=True,
            notice=notice,
        )
    direct = _direct_answer(query, fields, retriever, documents, docs)
    if direct is not None:
        if on_text is not None:
            on_text(direct.text)
        return done(
            direct.text,
            refused=not direct.citations,
            citations=direct.citations,
            notice=notice,
            answerer=DIRECT_ANSWERER,
        )
    pool = max(k, retriever.tuning.office_pool)  # office questions look this deep for assignments
    retrieval = retriever.search(query, k=pool, docs=docs, mode=mode)
    evidence = judge(query, retrieval, retriever, docs or ())
    logger.debug("coverage=%.2f dense_z=%.2f", evidence.coverage, evidence.dense_z)
    split = None
    if fields is not None:  # comparisons, and "the plan" with several plans indexed
        split = per_document(
            query,
            retriever=retriever,
            scope=scope,
            fields=fields,
            docs=docs,
            plans=len(documents),
            mode=mode,
        )
    # a comparison naming nothing unknown is covered when its sides are, each judged on its
    # own clauses ("giải pháp về người làm luật ở tỉnh và ở phường khác nhau thế nào")
    compared = split is not None and split.judged and split.hits and not evidence.unknown_nouns
    if not evidence.covered and not compared:
        return done(render("refusal_not_found"), refused=True, notice=notice)
    if split is not None and split.hits:
        cited, intro = split.hits, split.note
    else:
        cited, intro = _cited(query, retrieval.hits, retriever, fields, scope, k)
    if intro and on_text is not None:
        on_text(f"{intro}\n")
    composed = answerer.answer(AnswerRequest(query, cited, documents, turns), on_text)
    return done(
        f"{intro}\n{composed.text}" if intro else composed.text,
        refused=False,
        citations=composed.citations,
        notice=" ".join(filter(None, [notice, composed.notice])),
        answerer=composed.answerer,
        sentences=composed.sentences,
    )
