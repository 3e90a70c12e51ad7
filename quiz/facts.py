"""Askable terms of a clause (offices, deadlines, document numbers, percentages) and their level.

A term's *level* decides which other terms may stand in for it as a distractor: a Sở for a Sở,
a Phòng for a Phòng, a Nghị quyết number for a Nghị quyết number, a date for a date.
Terms are compared by *key* (normalised, abbreviations expanded), so "Văn Phòng HĐND và UBND"
and "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân" count as one office.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from hoidap import vntext
from hoidap.types import Clause, ClauseKind
from quiz.model import FactKind

logger = logging.getLogger(__name__)

_ABBREVIATIONS = (
    (re.compile(r"\bhđnd\b"), "hội đồng nhân dân"),
    (re.compile(r"\bubnd\b"), "ủy ban nhân dân"),
    (re.compile(r"\bmttq\b"), "mặt trận tổ quốc"),
    (re.compile(r"\btp\b"), "thành phố"),
)
# trailing words naming where an office sits; "Sở Tư pháp TP" is "Sở Tư pháp"
_LOCALITY_TAIL = re.compile(r"(\s+(xã|phường|tỉnh|thành phố|huyện|quận|thị xã|cấp xã))+$")
# bodies that exist at every level: "UBND xã" and "UBND tỉnh" are different offices
_BODIES_BY_LOCALITY = frozenset({"ủy ban nhân dân", "hội đồng nhân dân", "công an", ""})
_COLLECTIVE = re.compile(r"^(các|những|mọi|toàn thể)\b|\bvà các\b|\bcấp (xã|huyện|tỉnh)$")
_OFFICE_TYPES = (
    ("văn phòng", "phòng"),
    ("phòng", "phòng"),
    ("sở", "sở"),
    ("ủy ban nhân dân", "ủy ban nhân dân"),
    ("ủy ban mặt trận", "mặt trận"),
    ("hội đồng", "hội đồng"),
    ("ban", "ban"),
    ("bộ", "bộ"),
    ("công an", "công an"),
    ("trung tâm", "trung tâm"),
    ("đài", "đài"),
)

_CODES = {
    "NQ": "nghị quyết",
    "NĐ": "nghị định",
    "QĐ": "quyết định",
    "KH": "kế hoạch",
    "CTR": "chương trình",
    "KL": "kết luận",
    "CT": "chỉ thị",
    "TT": "thông tư",
    "HD": "hướng dẫn",
}
_DOC_NUMBER = re.compile(
    r"(?<![\w/.-])(?P<num>\d{1,4})\s?(?P<sep>[-/])\s?(?:(?P<year>\d{4})/)?"
    r"(?P<code>[A-ZĐ][A-Za-zĐđ]{1,3})(?P<digits>\d{0,2})"
    r"(?:\s?(?P<sep2>[-/])\s?(?P<issuer>[A-ZĐ][A-ZĐa-z]{1,5}))?(?![\w/])"
)
_DOC_TYPE_BEFORE = re.compile(
    r"(nghị quyết|nghị định|quyết định|kế hoạch(?: hành động)?|chương trình(?: hành động)?|"
    r"kết luận|chỉ thị|thông tư|luật|hướng dẫn)(?:\s+số)?\s*$"
)
_PERCENT = re.compile(r"(?<![\w.,])\d{1,3}(?:[.,]\d+)?\s?%")
_DEADLINE_NOISE = re.compile(r"^(hoàn thành |trong |trước |chậm nhất |muộn nhất )+")


def office_key(name: str) -> str:
    """The comparison form of an office name (normalised, abbreviations expanded)."""
    key = vntext.normalize(name).strip(" .,;:")
    for pattern, expansion in _ABBREVIATIONS:
        key = pattern.sub(expansion, key)
    bare = _LOCALITY_TAIL.sub("", key)
    return key if bare in _BODIES_BY_LOCALITY else bare


def office_level(name: str) -> str:
    """The type of an office ("sở", "phòng", "ban"…); "" for a list of offices."""
    key = office_key(name)
    if not key or _COLLECTIVE.search(key):
        return ""
    for prefix, level in _OFFICE_TYPES:
        if key == prefix or key.startswith(prefix + " "):
            return level
    return key.split()[0]


def same_office(a: str, b: str) -> bool:
    """True when two names denote the same office ("Sở Tư pháp" and "Sở Tư pháp TP")."""
    ka, kb = office_key(a), office_key(b)
    return bool(ka and kb) and (ka == kb or ka.startswith(kb + " ") or kb.startswith(ka + " "))


def deadline_key(text: str) -> str:
    """The comparison form of a deadline ("trong năm 2026" and "Năm 2026" are one)."""
    return _DEADLINE_NOISE.sub("", vntext.normalize(text)).strip(" .,;:")


_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONTH = re.compile(r"tháng (\d{1,2})(?:/| năm )(\d{4})")
_QUARTER = re.compile(r"quý (iv|iii|ii|i|[1-4])(?:/| năm )(\d{4})")
_YEAR = re.compile(r"(?<![\d/])(\d{4})(?![\d/])")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def deadline_span(text: str) -> tuple[int, int] | None:
    """The months a dated deadline covers (as year*12+month-1), "trước…" from the start of time."""
    norm = vntext.normalize(text)
    if m := _DAY.search(norm):
        first = last = int(m[3]) * 12 + int(m[2]) - 1
    elif m := _MONTH.search(norm):
        first = last = int(m[2]) * 12 + int(m[1]) - 1
    elif m := _QUARTER.search(norm):
        quarter = _QUARTERS.get(m[1]) or int(m[1])
        first = int(m[2]) * 12 + 3 * quarter - 3
        last = first + 2
    elif m := _YEAR.search(norm):
        first, last = int(m[1]) * 12, int(m[1]) * 12 + 11
    else:
        return None
    if re.search(r"\b(trước|chậm nhất|muộn nhất)\b", norm):
        first = 0
    return first, last


def deadlines_overlap(a: str, b: str) -> bool:
    """True when two dated deadlines share a month ("Năm 2026" and "Tháng 5/2026"): one
    cannot serve as a wrong answer for the other."""
    span_a, span_b = deadline_span(a), deadline_span(b)
    return bool(span_a and span_b) and span_a[0] <= span_b[1] and span_b[0] <= span_a[1]


def deadline_level(text: str) -> str:
    """ "date" for a calendar deadline (has a number), "event" for "Thường xuyên" and the like."""
    return "date" if any(ch.isdigit() for ch in text) else "event"


def display(term: str) -> str:
    """A term as an option: collapsed, first letter upper case, no trailing punctuation."""
    text = vntext.collapse(term).strip(" .,;:")
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class DocNumber:
    """A document number found in text, e.g. 66-NQ/TW."""

    canonical: str  # "66-NQ/TW"
    written: str  # as in the text, e.g. "66- NQ/TW"
    level: str  # "nghị quyết", "kế hoạch"…
    family: str  # who issues it: "NQ/TW" (Bộ Chính trị), "NQ-CP" (Chính phủ), "QH15"…
    start: int
    end: int

    @property
    def clean(self) -> bool:
        """Written exactly in canonical form, so it can be quoted as an answer."""
        return self.written == self.canonical


def doc_numbers(text: str) -> list[DocNumber]:
    """Document numbers in ``text`` with the kind of document they name."""
    found: list[DocNumber] = []
    for m in _DOC_NUMBER.finditer(text):
        code = m["code"].upper()
        if code not in _CODES and not (code == "QH" and m["digits"]):
            continue
        canonical = f"{m['num']}{m['sep']}{m['year'] + '/' if m['year'] else ''}"
        family = ("CTr" if code == "CTR" else code) + m["digits"]
        if m["sep2"]:
            family += m["sep2"] + m["issuer"].upper()
        canonical += family
        before = _DOC_TYPE_BEFORE.search(vntext.normalize(text[max(0, m.start() - 30) : m.start()]))
        level = _CODES.get(code, "nghị quyết")
        if code == "QH" and before and before.group(1) == "luật":
            level = "luật"
        found.append(DocNumber(canonical, m.group(0), level, family, m.start(), m.end()))
    return found


def percentages(text: str) -> list[str]:
    """Percentages as written ("100%")."""
    return [m.group(0) for m in _PERCENT.finditer(text)]


def row_offices(cell: str) -> list[str]:
    """Offices of a table cell; a cell naming several ("Sở Tư pháp Sở Nội vụ") is split."""
    parts = re.split(r"\s*[;\n]\s*|\s+(?=(?:Sở|Phòng|Văn phòng|Ban|Bộ|Công an)\s+[A-ZĐ])", cell)
    return [vntext.collapse(p).strip(" .,;:") for p in parts if p and p.strip(" .,;:")]


def leads(clause: Clause) -> list[str]:
    """Offices that lead the clause's task (the clause's own, else the row's lead column)."""
    names = list(clause.lead_offices) or row_offices(clause.columns.get("lead", ""))
    return vntext.unique(vntext.collapse(n) for n in names if n.strip())


def coordinators(clause: Clause) -> list[str]:
    """Offices that coordinate the clause's task."""
    names = list(clause.coord_offices) or row_offices(clause.columns.get("coordinate", ""))
    return vntext.unique(vntext.collapse(n) for n in names if n.strip())


def deadlines(clause: Clause) -> list[str]:
    """The clause's deadlines: the row's deadline column, else the dated ones found in text.

    Undated deadlines read from running text ("thường xuyên") are adverbs as often as
    deadlines, so only a table column vouches for them.
    """
    column = vntext.collapse(clause.columns.get("deadline", ""))
    if column:
        return [column]
    return vntext.unique(
        vntext.collapse(d) for d in clause.deadlines if deadline_level(d) == "date"
    )


def task_text(clause: Clause) -> str:
    """The text a question quotes: a row's task column, else the clause's own text."""
    return vntext.collapse(clause.columns.get("task", "")) or clause.text


def askable(clause: Clause) -> bool:
    """Clauses worth asking about: content, not title block or signature."""
    return clause.kind not in (ClauseKind.PREAMBLE, ClauseKind.CLOSING)


def mentions_text(text: str, term: str) -> bool:
    """True when ``text`` contains ``term`` as whole words (compared by key)."""
    key = office_key(term)
    pattern = rf"(?<![\w/-]){re.escape(key)}(?![\w/])"
    return bool(key) and re.search(pattern, office_key(text)) is not None


def mentions(clause: Clause, term: str) -> bool:
    """True when the clause states ``term`` anywhere: text, heading or table columns."""
    return mentions_text(" \n ".join([clause.text, clause.heading, *clause.columns.values()]), term)


def iter_terms(clauses: Iterable[Clause], kind: FactKind) -> Iterator[tuple[str, str, str]]:
    """(term, level, source) for every term of ``kind`` in ``clauses``, for distractor pools."""
    for clause in clauses:
        if not askable(clause):
            continue
        if kind in (FactKind.TASK, FactKind.GOAL, FactKind.PLAN):
            return  # phrases and plans: drawn by the question builder, not from a term pool
        if kind in (FactKind.OFFICE, FactKind.COORDINATE):
            for name in leads(clause) + coordinators(clause):
                level = office_level(name)
                if level:
                    yield display(name), level, clause.source
        elif kind is FactKind.DEADLINE:
            for deadline in deadlines(clause):
                yield display(deadline), deadline_level(deadline), clause.source
        elif kind is FactKind.DOCUMENT:
            for number in doc_numbers(task_text(clause)):
                if number.clean:
                    yield number.canonical, number.level, clause.source
        else:
            for percent in percentages(task_text(clause)):
                yield percent.replace(" ", ""), "percent", clause.source
