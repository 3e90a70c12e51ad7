"""Retrieval units: a clause, or windows of a long clause's lines.

A clause is what gets cited, but a long clause (an office heading with a dozen bullets) is
a poor retrieval unit: BM25 length normalisation and dense-vector dilution bury the one
bullet a question is about, and e5 reads only 512 tokens. Such clauses are searched as
windows of whole lines; a hit on any window ranks the clause, which is still cited whole.
"""

from __future__ import annotations

import re

from hoidap.types import Clause, ClauseKind, Document
from hoidap.vocab import Vocabulary
from index.store import Passage

WINDOW_CHARS = 600  # about 300 e5 tokens of Vietnamese
LABEL_SEPARATOR = " › "
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")


def metadata_context(document: Document, clause: Clause) -> str:
    """Searchable words for the blocks that carry a document's metadata.

    The opening block names the issuer, number and date; the closing block holds the
    recipients and the signature. Their text rarely says "ký" or "ban hành", which is how
    people ask about them, so those words are indexed (never cited) with the values.
    """
    if clause.kind is ClauseKind.PREAMBLE:
        facts = [
            ("Văn bản", f"{document.kind} {document.title}"),
            ("Cơ quan ban hành", document.issuer),
            ("Số", document.number),
            ("Ngày ban hành", document.date),
            ("Địa bàn", document.locality),
        ]
    elif clause.kind is ClauseKind.CLOSING:
        facts = [
            ("Người ký ban hành", document.signer),
            ("Cơ quan ban hành", document.issuer),
            ("Nơi nhận, gửi tới", "các cơ quan, đơn vị"),
        ]
    else:
        return ""
    return ". ".join(f"{name}: {value}" for name, value in facts if value.strip())


def context_chain(clause: Clause) -> str:
    """The headings above a clause (its label without its own, last element)."""
    return LABEL_SEPARATOR.join(clause.label.split(LABEL_SEPARATOR)[:-1])


def windows(text: str, limit: int = WINDOW_CHARS) -> list[str]:
    """Consecutive groups of whole lines (long lines split at sentence ends), each ≤ limit."""
    if len(text) <= limit:
        return [text]
    units: list[str] = []
    for line in text.split("\n"):
        units.extend(_SENTENCE_END.split(line) if len(line) > limit else [line])
    out: list[str] = []
    current = ""
    for unit in units:
        if current and len(current) + 1 + len(unit) > limit:
            out.append(current)
            current = unit
        else:
            current = f"{current}\n{unit}" if current else unit
    if current:
        out.append(current)
    return out


def clause_passages(
    document: Document, clause: Clause, vocabulary: Vocabulary | None = None
) -> list[Passage]:
    """The retrieval units of one clause, with their lexical terms and embedded text.

    Lexical terms are read through ``vocabulary`` (aliases spelled out, the document's own
    short names), exactly as questions are.
    """
    vocabulary = vocabulary or Vocabulary.bundled().with_definitions(document.definitions)
    chain = context_chain(clause)
    extra = metadata_context(document, clause)
    parts = windows(clause.text)
    passages = []
    for i, window in enumerate(parts):
        # later windows repeat the clause heading so they keep their subject ("Sở Tư pháp")
        body = window if i == 0 or not clause.heading else f"{clause.heading}\n{window}"
        lexical = f"{chain}\n{extra}\n{body}"
        passages.append(
            Passage(
                id=clause.id if len(parts) == 1 else f"{clause.id}@{i}",
                clause_id=clause.id,
                source=clause.source,
                embedded=f"{document.short_title}. {clause.label}\n{extra}\n{body}",
                terms=tuple(vocabulary.index_terms(lexical)),
                folded=tuple(vocabulary.index_terms(lexical, folded=True)),
            )
        )
    return passages
