"""Questions about a document itself — who signed it, who issued it, when, its number — answered
with the metadata field ("Người ký: Nguyễn Thị Thanh, Phó Chủ tịch UBND xã Chí Minh"), citing
the block that states it: the closing block for the signer, the opening block for the rest.

A question naming no document ("Ai ký kế hoạch?") is answered for every plan, with a note;
one that identifies its document only by its subject is answered for the document retrieval
ranks first (the pipeline passes it in).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from hoidap import vntext
from hoidap.types import Citation, Document
from hoidap.vocab import Vocabulary
from index.parse import CLOSING_PATH, PREAMBLE_PATH
from prompts import render
from rag.answer import Composed
from rag.query import Query
from rag.structured import FieldIndex


class Fact(StrEnum):
    SIGNER = "signer"
    ISSUER = "issuer"
    DATE = "date"
    NUMBER = "number"
    LOCALITY = "locality"
    PLACE = "place"  # the issuer's own place name ("xã Chí Minh"), asked as "của xã nào"


# compared on the question folded to plain letters; the question word must sit next to
# "ban hành" ("cơ quan nào ban hành", "ban hành ngày nào"), or it asks about something else
_SIGNER = re.compile(
    r"\b(?:ai ky|nguoi ky|do ai ky|ky ban hanh(?!\s+(?:ngay|nam|thang|vao|khi|luc)\b)|ky ten"
    r"|ai la nguoi ky)\b"
)
_NEAR = r"(?:\W+\w+){0,6}?\W+"  # a few words between "ban hành" and the question word
_ASKS = {
    Fact.ISSUER: re.compile(
        r"\b(?:co quan|don vi|cap chinh quyen|cap|ubnd|uy ban|ai) nao\s+(?:da\s+)?ban hanh\b"
        r"|\b(?:do|cua) (?:co quan|don vi|cap chinh quyen|cap|ai) nao(?: ban hanh)?\b"
        r"|\bai ban hanh\b|\bcua (?:ubnd|uy ban nhan dan) (?:xa|phuong|tinh|thanh pho) nao\b"
    ),
    Fact.DATE: re.compile(
        rf"\bban hanh{_NEAR}(?:ngay|nam|thang|khi|luc) (?:nao|may)\b|\b(?:ngay|nam) ban hanh\b"
        r"|\bky (?:vao )?(?:ngay|nam|khi) (?:nao|may)\b"
    ),
    Fact.NUMBER: re.compile(r"\bso (?:hieu|ky hieu)\b"),
    Fact.LOCALITY: re.compile(rf"\bban hanh{_NEAR}(?:dia phuong nao|o dau|tai dau|noi nao)\b"),
    Fact.PLACE: re.compile(
        r"\bten (?:cua )?(?:xa|phuong|tinh|thanh pho)\b"
        r"|\b(?:cua|o) (?:xa|phuong|tinh|thanh pho) nao\b|\b(?:xa|phuong) ten (?:la )?gi\b"
        r"|\b(?:xa|phuong|tinh|thanh pho) nao ban hanh\b"
    ),
}
# the question asks what the document was issued for or on the basis of ("ban hành để thực
# hiện kế hoạch nào"), about its recipients, or about another document or a task
_NOT_A_FIELD = re.compile(
    r"\bban hanh\s+(?:de|tren co so|can cu|theo|nham|thuc hien)\b"
    r"|\bnoi nhan\b|\bgui (?:toi|den|cho|nhung)\b|\bcan cu\b"
    r"|\b(?:danh muc|nhiem vu|viec)\b"
)
# "thực hiện kế hoạch của thành phố nào": the place of another document the plan carries out
_CARRIES_OUT = re.compile(
    r"\bthuc hien (?:ke hoach|kh|chuong trinh|ctr|nghi quyet|nq|van ban)(?:\W+\w+){0,3}?"
    r"\W+cua (?:xa|phuong|tinh|thanh pho|co quan|cap|ai) nao\b"
)
# the first document the question names must be the plan, not one it cites ("CTr 06 mà KH
# xã Chí Minh thực hiện là của cơ quan nào ban hành")
_DOCUMENT_WORD = re.compile(
    r"\b(?:ke hoach|kh|van ban|chuong trinh|ctr|nghi quyet|nq|ket luan|kl|quyet dinh|qd"
    r"|nghi dinh|thong tu|chi thi|de an)\b"
)
_PLAN_WORDS = ("ke hoach", "kh", "van ban")
_TITLE_RUN = 8  # longest run of a title's words looked for in a question
_LEVEL = re.compile(
    r"\b(?:cap|o|cua) (xa|phuong|tinh|thanh pho)\b|(?<!dia )\b(xa|phuong|tinh|thanh pho) nao\b"
)
_THE_PLAN = frozenset(
    """ai ky nguoi la ban hanh ke hoach kh van chuong trinh co quan don vi cap
    chinh quyen ubnd uy nhan dan nao ngay nam thang khi bao gio so hieu may chuc vu gi
    ten dia phuong dau tai noi do duoc vao luc""".split()
)


@dataclass(frozen=True)
class FactRequest:
    """The facts asked, and whether the question names its document by subject only."""

    facts: tuple[Fact, ...]
    needs_document: bool  # no document named, but more than "the plan" is said about it
    leftover: tuple[str, ...] = ()  # those words, folded
    levels: tuple[str, ...] = ()  # administrative levels named ("cấp tỉnh", "xã nào"), folded


def cites_other_document(
    query: Query, documents: Iterable[Document], vocabulary: Vocabulary
) -> bool:
    """True when the document asked about is named by a number ("KH 97 … ai ký") that is
    none of the indexed plans': the plans only cite it, and say nothing of its signer or date.
    ("Kế hoạch thực hiện NQ 66 ai ký" asks about the plan, not about NQ 66.)"""
    folded = vntext.fold(vntext.normalize(query.text))
    first = _DOCUMENT_WORD.search(folded)
    numbered = first and re.match(r"\s+(?:so\s+)?\d+", folded[first.end() :])
    if not first or not numbered:
        return False
    asked = set(vocabulary.references(folded[first.start() : first.end() + numbered.end()]))
    own = {r for d in documents for r in vocabulary.references(f"{d.kind} {d.number}")}
    return bool(asked - own)


def by_title(request: FactRequest, documents: Sequence[Document], *, share: float) -> list[str]:
    """The document described by the question: of the issuer's level it names ("cấp tỉnh"),
    the one whose title holds most of the describing words, weighted by rarity (at least
    ``share`` of them, and no tie), for "Kế hoạch triển khai Chương trình công tác năm
    2026 … do ai ký?"."""
    candidates = [
        d
        for d in documents
        if all(
            re.search(rf"\b{lv}\b", vntext.fold(vntext.normalize(d.issuer)))
            for lv in request.levels
        )
    ]
    if request.levels and len(candidates) == 1:
        return [candidates[0].source]
    if not request.leftover or not candidates:
        return []
    titles = [set(vntext.fold(vntext.normalize(d.title)).split()) for d in candidates]
    weight = {
        w: math.log(1 + len(titles) / (1 + sum(w in t for t in titles))) for w in request.leftover
    }
    total = sum(weight.values())
    scores = sorted(
        (
            (sum(weight[w] for w in request.leftover if w in t) / total, d)
            for t, d in zip(titles, candidates)
        ),
        key=lambda pair: -pair[0],
    )
    best = scores[0][0]
    if best < share or (len(scores) > 1 and scores[1][0] == best):
        return []
    return [scores[0][1].source]


def _without_titles(folded: str, titles: Sequence[str]) -> str:
    """The question without runs of two or more words it shares with a plan's title ("KH bổ
    sung nhiệm vụ của Hải Phòng": "nhiệm vụ" names the plan, it asks for no task)."""
    words = folded.split()
    keep = [True] * len(words)
    spans = [f" {vntext.fold(vntext.normalize(t)).lower()} " for t in titles]
    for size in range(min(_TITLE_RUN, len(words)), 1, -1):
        for i in range(len(words) - size + 1):
            run = f" {' '.join(words[i : i + size])} "
            if all(keep[i : i + size]) and any(run in title for title in spans):
                keep[i : i + size] = [False] * size
    return " ".join(w for w, k in zip(words, keep, strict=True) if k)


def parse_facts(query: Query, *, titles: Sequence[str] = ()) -> FactRequest | None:
    """The metadata fields a question asks for; None when it asks about something else.

    ``titles`` are the indexed plans' titles: their words in the question only name a plan.
    """
    folded = vntext.fold(vntext.normalize(query.text))
    first = _DOCUMENT_WORD.search(folded)
    signer = bool(_SIGNER.search(folded))
    about_other = _NOT_A_FIELD.search(_without_titles(folded, titles))
    about_other = about_other or _CARRIES_OUT.search(folded)
    if (about_other and not signer) or not first:
        return None
    if first.group(0) not in _PLAN_WORDS:
        return None
    facts = [Fact.SIGNER] if signer else []
    facts += [fact for fact, pattern in _ASKS.items() if pattern.search(folded)]
    if not facts:
        return None
    leftover = [t for t in (vntext.fold(c) for c in query.content) if t not in _THE_PLAN]
    levels = tuple(a or b for a, b in _LEVEL.findall(folded))
    return FactRequest(
        tuple(vntext.unique(facts)),
        needs_document=bool(leftover),
        leftover=tuple(t for t in leftover if t not in levels),
        levels=levels,
    )


def answer_facts(
    query: Query,
    request: FactRequest,
    *,
    index: FieldIndex,
    documents: dict[str, Document],
    sources: Sequence[str],
    limit: int,
) -> Composed:
    """One line per fact and document (at most ``limit`` documents), citing the closing or
    the opening block."""
    multiple = len(sources) > 1
    lines = [render("answer_per_plan_note")] if multiple else []
    shown = list(sources)[:limit]
    if len(sources) > len(shown):
        lines.append(render("answer_per_plan_limit", shown=len(shown), total=len(sources)))
    citations: list[Citation] = []
    for source in shown:
        document = documents[source]
        if multiple:
            lines.append(render("answer_document_heading", doc_title=document.short_title))
        cited: dict[str, int] = {}
        for fact in request.facts:
            path = CLOSING_PATH if fact is Fact.SIGNER else PREAMBLE_PATH
            clause = index.clause_at(source, path)
            line = _fact_line(fact, document)
            if clause is None:
                lines.append(f"- {line}" if multiple else line)
                continue
            if path not in cited:
                cited[path] = len(citations) + 1
                citations.append(Citation.of(clause, n=cited[path], doc_title=document.short_title))
            lines.append(f"{'- ' if multiple else ''}{line} [{cited[path]}]")
    return Composed("\n".join(lines), tuple(citations))


def missing_facts(request: FactRequest, document: Document) -> Composed | None:
    """When the document states none of the fields asked, says so (with nothing to cite);
    None when it states some of them."""
    if any(_value(fact, document) for fact in request.facts):
        return None
    lines = "; ".join(_fact_line(fact, document) for fact in request.facts)
    return Composed(f"{document.short_title} — {lines}.", ())


def _issuer(document: Document) -> str:
    """The issuer written out: "UBND xã Chí Minh" -> "Ủy ban nhân dân xã Chí Minh"."""
    return re.sub(r"^UBND\b", "Ủy ban nhân dân", document.issuer)


def _value(fact: Fact, document: Document) -> str:
    if fact is Fact.SIGNER:
        position = " ".join(filter(None, [document.signer_title, document.issuer]))
        return ", ".join(filter(None, [document.signer, position])) if document.signer else ""
    return {
        Fact.ISSUER: _issuer(document),
        Fact.DATE: document.date,
        Fact.NUMBER: document.number,
        Fact.LOCALITY: document.locality,
        Fact.PLACE: _place(document),
    }[fact]


def _place(document: Document) -> str:
    """The place the issuer is named after ("UBND xã Chí Minh" -> "xã Chí Minh"); "" when
    the issuer gives its level only ("UBND phường")."""
    match = re.search(r"\b(?:xã|phường|tỉnh|thành phố)\s+(\S.*)$", document.issuer)
    return match.group(0) if match else ""


def _fact_line(fact: Fact, document: Document) -> str:
    value = _value(fact, document)
    if fact is Fact.DATE and value and "/" not in value:
        return render("fact_year", value=value)
    return render(f"fact_{fact.value}", value=value or render("fact_unknown"))
