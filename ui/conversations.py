"""Past conversations kept in the user's own browser (``gr.BrowserState``, i.e. localStorage).

The server keeps nothing of them: each browser holds its own list, so one official never sees
another's questions. What is stored is plain JSON, read back leniently: an entry written by an
older version, or damaged by hand, is dropped rather than breaking the page.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from hoidap.types import Answer, Citation

logger = logging.getLogger(__name__)

STORAGE_KEY = "hoidap-hoi-thoai"
# The browser holds this key as well (Gradio encrypts in the page), so it hides nothing from
# the user; it is fixed only so that conversations stay readable after a server restart.
STORAGE_SECRET = "hoidap-luu-hoi-thoai-trong-trinh-duyet"
MAX_CONVERSATIONS = 30  # oldest dropped first: localStorage holds about 5 MB per site
TITLE_CHARS = 60
UNTITLED = "Cuộc hội thoại mới"


@dataclass(frozen=True)
class Conversation:
    """One conversation: its questions and answers, newest last."""

    id: str
    started: str  # ISO 8601, local time of the server
    turns: tuple[Answer, ...] = ()

    @classmethod
    def new(cls, now: datetime | None = None) -> Conversation:
        moment = now or datetime.now()
        return cls(id=uuid.uuid4().hex[:12], started=moment.isoformat(timespec="minutes"))

    @property
    def title(self) -> str:
        """The first question, shortened at a word boundary."""
        if not self.turns:
            return UNTITLED
        text = " ".join(self.turns[0].question.split())
        if len(text) > TITLE_CHARS:
            text = text[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"
        return text

    def label(self) -> str:
        """ "29/11 20:15 · Phòng Kinh tế chịu trách nhiệm gì? (3 câu)"."""
        try:
            when = datetime.fromisoformat(self.started).strftime("%d/%m %H:%M")
        except ValueError:
            when = self.started
        return f"{when} · {self.title} ({len(self.turns)} câu)"

    def with_turn(self, answer: Answer) -> Conversation:
        return replace(self, turns=(*self.turns, answer))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started": self.started,
            "turns": [a.to_dict() for a in self.turns],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Conversation:
        return cls(
            id=str(data["id"]),
            started=str(data["started"]),
            turns=tuple(_answer_from(t) for t in data["turns"]),
        )


def _answer_from(data: dict[str, Any]) -> Answer:
    """What re-drawing a turn needs (the answer, its sources and status line)."""
    return Answer(
        question=str(data["question"]),
        answer=str(data["answer"]),
        refused=bool(data["refused"]),
        citations=tuple(Citation(**c) for c in data["citations"]),
        latency_ms=int(data.get("latency_ms", 0)),
        notice=str(data.get("notice", "")),
    )


def load(raw: object) -> list[Conversation]:
    """Conversations from the browser's stored value, newest first; bad entries dropped."""
    conversations = []
    for item in raw if isinstance(raw, list) else []:
        try:
            conversations.append(Conversation.from_dict(item))
        except (KeyError, TypeError, ValueError):
            logger.info("dropped an unreadable stored conversation")
    return conversations


def dump(conversations: Sequence[Conversation]) -> list[dict[str, Any]]:
    """The value to store in the browser."""
    return [c.to_dict() for c in conversations[:MAX_CONVERSATIONS]]


def upsert(conversations: Sequence[Conversation], conversation: Conversation) -> list[Conversation]:
    """``conversation`` first (most recently used), replacing its older version."""
    return [conversation, *(c for c in conversations if c.id != conversation.id)]


def without(
    conversations: Sequence[Conversation], conversation_id: str | None
) -> list[Conversation]:
    return [c for c in conversations if c.id != conversation_id]


def find(conversations: Sequence[Conversation], conversation_id: str | None) -> Conversation | None:
    return next((c for c in conversations if c.id == conversation_id), None)


def choices(conversations: Sequence[Conversation]) -> list[tuple[str, str]]:
    """(label, id) pairs for the conversation picker, newest first."""
    return [(c.label(), c.id) for c in conversations]
