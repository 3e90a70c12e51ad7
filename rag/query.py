"""Question handling before retrieval: validation, follow-up resolution, analysis."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hoidap import vntext
from hoidap.errors import InputError
from hoidap.vocab import Vocabulary
from prompts import render
from rag.asked import Value, asked_value

_FOREIGN_WORDS = frozenset(
    "the what which who whom whose how why when where is are was were does do did of for "
    "and to in on with about please tell me".split()
)
_FOLLOWUP_START = re.compile(r"^(vậy |thế |con |còn |vay |the )?(còn|con)\b", re.I)
_FOLLOWUP_END = re.compile(r"(thì sao|thi sao|thế nào|the nao|ra sao)\s*\??\s*$", re.I)
# questions about a document's metadata blocks, compared without diacritics
_SIGNATURE_WORDS = (
    "ai ky",
    "nguoi ky",
    "ky ban hanh",
    "ky ten",
    "chuc vu",
    "noi nhan",
    "gui toi",
    "gui den",
    "gui cho",
)
# a document kind glued to its number: "nq66", "KH272" read "nq 66", "KH 272"
_GLUED_NUMBER = re.compile(r"\b(nq|kh|qđ|qd|ctr|kl|nđ|nd)(\d+)\b", re.I)
_HEADER_WORDS = (
    "duoc ban hanh",
    "ban hanh o",
    "ban hanh tren co so",
    "ban hanh nam",
    "ban hanh ngay",
    "nao ban hanh",
    "ai ban hanh",
    "dia phuong nao",
    "so hieu",
    "can cu",
    "ban hanh de thuc hien",
)
# departments: offices whose tasks the plans assign; "UBND xã" and the like are authorities
# named in passing everywhere, so they neither prove nor disprove that a question is covered
DEPARTMENT_KINDS = ("Phòng ", "Sở ", "Ban ", "Trung tâm ", "Văn phòng ")


def is_department(office: str) -> bool:
    """True for a specialised office (Phòng, Sở, Ban, Trung tâm, Văn phòng)."""
    return office.startswith(DEPARTMENT_KINDS)


def is_specific(office: str) -> bool:
    """True for an office a plan may or may not name (a department, the police, the Front).

    Authorities ("UBND xã") and groups ("Các sở, ban, ngành") are named in passing
    everywhere, so naming them says nothing about which plan covers a question.
    """
    return not office.startswith(("UBND", "HĐND", "Các "))


@dataclass(frozen=True)
class Query:
    """A question ready for retrieval, in every form the retrievers need."""

    text: str  # the question as understood (follow-ups resolved), repaired
    accented: bool  # typed with diacritics
    terms: tuple[str, ...]  # lexical terms, accented
    folded_terms: tuple[str, ...]  # lexical terms without diacritics
    content: tuple[str, ...]  # meaningful syllables (folded when typed without diacritics)
    offices: tuple[str, ...]  # canonical offices the question names
    unknown_offices: tuple[str, ...]  # offices named in the question that no document has
    asks_deadline: bool
    nouns: tuple[str, ...] = ()  # nouns of a question typed with diacritics (topic evidence)
    compounds: tuple[str, ...] = ()  # its nouns and verbs of several syllables ("khai sinh")
    scope: tuple[str, ...] = ()  # documents the question names by place or issuer
    asks_signature: bool = False  # signer, recipients: the closing block
    asks_header: bool = False  # issuer, date, the plans it implements: the opening block
    asks_value: Value | None = None  # an amount, a day, a deadline…: only a clause stating one
    dense_text: str = ""  # what the dense query embeds when not ``text`` (diacritics restored)
    notions: tuple[str, ...] = ()  # notions named in any phrasing: "lead", "deadline", "funding"…
    # content words typed without diacritics that the index holds only inside other words
    # ("luong": the index has "chất lượng", never "lương"); no evidence that it is covered
    unattested: tuple[str, ...] = ()


@dataclass(frozen=True)
class CleanQuestion:
    """A validated question and any notice for the user (e.g. it was shortened)."""

    text: str
    notice: str = ""


def clean_question(question: object, *, max_chars: int) -> CleanQuestion:
    """Validate a raw question; raise InputError with the message to show when unusable."""
    if not isinstance(question, str) or not question.strip():
        raise InputError(render("refusal_empty"))
    text = "".join(
        ch if unicodedata.category(ch)[0] not in "CS" or ch in "\n\t" else " " for ch in question
    )
    text = _GLUED_NUMBER.sub(r"\1 \2", vntext.collapse(vntext.repair(text)))
    notice = ""
    if len(text) > max_chars:
        cut = text[:max_chars].rsplit(" ", 1)[0] or text[:max_chars]
        text, notice = cut, render("notice_truncated", limit=f"{max_chars:,}".replace(",", "."))
    if not vntext.syllables(text) or not any(ch.isalpha() for ch in text):
        raise InputError(render("refusal_no_content"))
    words = vntext.syllables(text)
    if not vntext.has_diacritics(vntext.normalize(text)) and (
        sum(w in _FOREIGN_WORDS for w in words) >= 2
    ):
        raise InputError(render("refusal_foreign"))
    return CleanQuestion(text, notice)


def resolve_followup(
    question: str, history: Sequence[str], *, offices_in: Callable[[str], list[str]]
) -> str:
    """Rewrite a short follow-up ("Còn Phòng Văn hóa - Xã hội thì sao?") using the last turn.

    ``offices_in`` maps a text to the canonical offices it names. When both turns name an
    office, the new one replaces the old in the previous question; otherwise the follow-up's
    words are added to the previous question.
    """
    if not history:
        return question
    previous = history[-1]
    norm = vntext.normalize(question)
    is_followup = bool(_FOLLOWUP_START.match(norm) or _FOLLOWUP_END.search(norm))
    if not is_followup or len(vntext.syllables(question)) > 14:
        return question
    new_offices, old_offices = offices_in(question), offices_in(previous)
    if new_offices and old_offices:
        rewritten = previous
        for old in old_offices:
            rewritten = _replace_folded(rewritten, old, new_offices[0])
        if rewritten != previous:
            return rewritten
        return f"{new_offices[0]} {_strip_offices(previous, old_offices)}"
    core = _FOLLOWUP_END.sub("", _FOLLOWUP_START.sub("", norm)).strip(" ?,.")
    return f"{previous.rstrip(' ?')} {core}".strip() + "?"


def _replace_folded(text: str, old: str, new: str) -> str:
    """Replace ``old`` in ``text`` comparing without diacritics or case."""
    folded_text = vntext.fold(vntext.normalize(text))
    folded_old = vntext.fold(vntext.normalize(old))
    normalized = vntext.normalize(text)
    at = folded_text.find(folded_old)
    if at < 0 or len(normalized) != len(folded_text):
        return text
    return normalized[:at] + new + normalized[at + len(folded_old) :]


def _strip_offices(text: str, offices: Sequence[str]) -> str:
    out = text
    for office in offices:
        out = _replace_folded(out, office, "")
    return vntext.collapse(out)


def analyze(
    text: str,
    *,
    offices: Sequence[str],
    unknown_offices: Sequence[str] = (),
    scope: Sequence[str] = (),
    topic: str | None = None,
    vocabulary: Vocabulary | None = None,
) -> Query:
    """Turn a cleaned question into the forms retrieval needs.

    ``text`` has been read through ``vocabulary`` already (``Vocabulary.canonical``), exactly
    as the indexed passages were. ``topic`` is the question without the names of the
    documents it is scoped to; lexical terms and content words come from it, the dense query
    from the whole question.
    """
    vocabulary = vocabulary or Vocabulary.bundled()
    topic = topic if topic is not None else text
    accented = vntext.has_diacritics(vntext.normalize(text))
    lexical = vocabulary.canonical(topic, lexical=True)  # as the index's words read
    content = vntext.content_terms(lexical)
    if not accented:  # typed without diacritics: compare against the folded index
        content = [vntext.fold(t) for t in content]
    content += vocabulary.references(topic)
    folded = vntext.fold(vntext.normalize(text))
    return Query(
        text=text,
        accented=accented,
        terms=tuple(vocabulary.index_terms(topic)),
        folded_terms=tuple(vocabulary.index_terms(topic, folded=True)),
        content=tuple(vntext.unique(content)),
        offices=tuple(offices),
        unknown_offices=tuple(unknown_offices),
        asks_deadline="deadline" in vocabulary.notions(text),
        notions=tuple(sorted(vocabulary.notions(text))),
        nouns=tuple(vntext.nouns(lexical)) if accented else (),
        compounds=tuple(vntext.compounds(lexical)) if accented else (),
        scope=tuple(scope),
        asks_signature=any(w in folded for w in _SIGNATURE_WORDS),
        asks_header=any(w in folded for w in _HEADER_WORDS),
        asks_value=asked_value(folded),
    )
