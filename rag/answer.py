"""The extractive answerer: a short Vietnamese answer composed from the retrieved clauses.

Every statement is a passage of a cited clause followed by its ``[n]`` marker; statements are
grouped by document when several documents answer. No language model is involved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from hoidap import vntext
from hoidap.types import Citation, Clause, ClauseKind, Document, Hit, SentenceCheck
from prompts import render
from rag.neutral import without_markers
from rag.query import Query

STATEMENT_CHARS = 600  # longer clauses are reduced to their most relevant sentences
DUTIES_CHARS = 1500  # … but the duties of an office asked about are shown whole up to this
_SENTENCE = re.compile(r"(?<=[.;:!?])\s+(?=[A-ZĐÀ-Ỹ\-“\"(])")


@dataclass(frozen=True)
class Composed:
    """Answer text and the citations its markers refer to."""

    text: str
    citations: tuple[Citation, ...]
    answerer: str = "extractive"
    sentences: tuple[SentenceCheck, ...] = ()  # generated answers: each sentence, checked
    notice: str = ""  # e.g. why a generated answer was replaced by the extractive one


def statement(hit: Hit, query: Query) -> str:
    """The part of a clause that answers the query, at most about STATEMENT_CHARS long
    (DUTIES_CHARS for a clause tasking the office the question is about)."""
    clause = hit.clause
    if clause.kind is ClauseKind.TABLE_ROW and clause.columns:
        cols = {
            key: clause.columns.get(key) or "—"
            for key in ("task", "lead", "coordinate", "result", "deadline")
        }
        return render("answer_table_row", **cols)
    units = _units(clause.text)
    if not units:
        return clause.heading or clause.label
    whole = " ".join(units)
    budget = DUTIES_CHARS if hit.office_match else STATEMENT_CHARS
    if len(whole) <= budget:
        return _close(whole)
    required = _required(units, clause.kind, query)
    wanted = set(vntext.content_terms(query.text))
    fold = not query.accented

    def relevance(unit: str) -> int:
        words = {vntext.fold(w) if fold else w for w in vntext.syllables(unit)}
        return len(wanted & words)

    chosen = set(required)
    used = sum(len(units[i]) for i in chosen)
    for i in sorted(range(len(units)), key=lambda i: (-relevance(units[i]), i)):
        if i in chosen or (used and used + len(units[i]) > STATEMENT_CHARS):
            continue
        chosen.add(i)
        used += len(units[i])
    parts: list[str] = ["…"] if min(chosen) != 0 else []
    previous = None
    for i in sorted(chosen):
        if previous is not None and i != previous + 1:
            parts.append("…")
        parts.append(_shorten(units[i], STATEMENT_CHARS))
        previous = i
    return _close(" ".join(parts))


def _required(units: list[str], kind: ClauseKind, query: Query) -> list[int]:
    """Units a statement must keep: the office heading of a list of duties; the signature
    block (and the recipients when asked) of a closing block."""
    required = [0] if units[0].endswith(";") and ": " in units[0][:82] else []
    if kind is ClauseKind.CLOSING and query.asks_signature:
        recipients = next(
            (i for i, u in enumerate(units) if u.lower().startswith("nơi nhận")), None
        )
        signature = next(
            (i for i, u in enumerate(units) if re.match(r"(TM|KT|Q)\.|CHỦ TỊCH", u)), len(units)
        )
        required += list(range(signature, len(units)))
        if recipients is not None and "nhận" in query.text.lower() or "gửi" in query.text.lower():
            required += list(range(recipients or 0, signature))
    return required


def _units(text: str) -> list[str]:
    """Sentences of a clause; an office heading followed by bullets reads "Office: a; b"."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    bullets = [line.lstrip("-+• ").strip() for line in lines[1:] if line[:1] in "-+•"]
    if len(lines) > 1 and len(bullets) == len(lines) - 1 and len(lines[0]) <= 80:
        lead = lines[0].rstrip(" :")
        return [
            f"{lead}: {bullets[0].rstrip(' ;.')};",
            *[b.rstrip(" ;.") + ";" for b in bullets[1:]],
        ]
    return [u.strip(" -+•\t") for line in lines for u in _SENTENCE.split(line) if u.strip(" -+•\t")]


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _close(text: str) -> str:
    text = text.rstrip(" ;,:")
    return text if text.endswith((".", "…", "!", "?", "./.")) else text + "."


def compose(query: Query, hits: Sequence[Hit], documents: dict[str, Document]) -> Composed:
    """Group the hits by document (in order of their best hit) and number the citations."""
    lines: list[str] = []
    if query.offices and any(h.office_match for h in hits):
        lines.append(render("answer_office_intro", office=query.offices[0]))
    items = [
        (hit.clause, without_markers(statement(hit, query)), round(hit.relevance, 3))
        for hit in hits
    ]
    return by_document(lines, items, documents)


def by_document(
    lines: Sequence[str],
    items: Sequence[tuple[Clause, str, float]],
    documents: dict[str, Document],
) -> Composed:
    """``lines``, then the ``(clause, statement, score)`` items under a heading per document
    (documents in order of their first item), each statement with its citation marker."""
    by_doc: dict[str, list[tuple[Clause, str, float]]] = {}
    for item in items:
        by_doc.setdefault(item[0].source, []).append(item)
    lines = list(lines)
    citations: list[Citation] = []
    for source, doc_items in by_doc.items():
        document = documents.get(source)
        title = document.short_title if document else source
        lines.append(render("answer_document_heading", doc_title=title))
        for clause, text, score in doc_items:
            n = len(citations) + 1
            citations.append(Citation.of(clause, n=n, doc_title=title, score=score))
            lines.append(f"- {text} [{n}]")
    return Composed("\n".join(lines), tuple(citations))
