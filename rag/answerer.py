"""The answerer seam: cited clauses (and the conversation so far) in, a cited answer out.

Refusal is decided before an answerer is called: only covered questions reach one. The
extractive composer of ``rag.answer`` is the default; ``rag.llm`` adds a generative one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from hoidap.types import Answer, Document, Hit
from rag.answer import Composed, compose
from rag.query import Query

OnText = Callable[[str], None]  # receives each piece of answer text as it is written


@dataclass(frozen=True)
class AnswerRequest:
    """What an answerer works from: the question, the clauses to cite (in citation order) and
    the previous turns of the conversation (oldest first)."""

    query: Query
    hits: Sequence[Hit]
    documents: Mapping[str, Document]
    history: Sequence[Answer] = field(default_factory=tuple)


class Answerer(Protocol):
    """Writes an answer citing only ``request.hits``; streams its text through ``on_text``."""

    name: str

    def answer(self, request: AnswerRequest, on_text: OnText | None = None) -> Composed: ...


class ExtractiveAnswerer:
    """The default: statements cut from the cited clauses (no language model)."""

    name = "extractive"

    def answer(self, request: AnswerRequest, on_text: OnText | None = None) -> Composed:
        composed = compose(request.query, request.hits, dict(request.documents))
        if on_text is not None:
            on_text(composed.text)
        return composed


EXTRACTIVE = ExtractiveAnswerer()
