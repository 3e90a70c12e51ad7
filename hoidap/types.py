"""Domain types shared by indexing, retrieval, the UI and the evaluation.

ui/ and eval/ depend on these dataclasses only, never on llama-index or Chroma classes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class ClauseKind(StrEnum):
    """The structural level a clause sits at."""

    PREAMBLE = "preamble"  # title block and opening paragraph before part I
    PART = "part"  # I., II. (Phần / Mục)
    SECTION = "section"  # 1., 2. (khoản)
    POINT = "point"  # a), b), đ) (điểm)
    TABLE_ROW = "row"  # one task row of an appendix table
    CLOSING = "closing"  # "Trên đây là…", recipients, signature


@dataclass(frozen=True)
class Document:
    """One indexed file and the metadata read from its text."""

    source: str  # file name, e.g. "000_67870b5209ee9c3b.txt"
    title: str
    kind: str = ""  # "Kế hoạch", "Kế hoạch hành động", "Nghị quyết"…
    issuer: str = ""
    number: str = ""  # e.g. "115/KH-UBND"
    date: str = ""  # as written, e.g. "14/10/2025"
    locality: str = ""
    signer: str = ""
    signer_title: str = ""  # e.g. "Phó Chủ tịch"
    sha256: str = ""
    clause_count: int = 0
    # short names the document defines ("sau đây gọi tắt là …") and the reference each stands for
    definitions: tuple[tuple[str, str], ...] = ()

    @property
    def short_title(self) -> str:
        """A one-line name for the document, e.g. "Kế hoạch của UBND xã Chí Minh"."""
        if self.issuer:
            return f"{self.kind or 'Văn bản'} của {self.issuer}"
        return self.title

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Clause:
    """The unit of knowledge: one numbered item, point, table row or text block."""

    id: str
    source: str
    doc_title: str
    path: str  # e.g. "III.6.a", "IV.2", "PL.12"
    label: str  # heading chain, e.g. "IV. Tổ chức thực hiện › 2. Phòng Kinh tế"
    text: str  # the clause's own text, NFC, hard wraps joined; what is cited
    kind: ClauseKind
    order: int  # position in the document
    heading: str = ""  # the clause's own heading (first line), e.g. "Phòng Kinh tế"
    parent_path: str = ""
    lead_offices: tuple[str, ...] = ()
    coord_offices: tuple[str, ...] = ()
    deadlines: tuple[str, ...] = ()
    columns: dict[str, str] = field(default_factory=dict)  # table rows only

    @property
    def offices(self) -> tuple[str, ...]:
        return self.lead_offices + tuple(
            o for o in self.coord_offices if o not in self.lead_offices
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Clause:
        data = dict(data)
        data["kind"] = ClauseKind(data["kind"])
        for key in ("lead_offices", "coord_offices", "deadlines"):
            data[key] = tuple(data.get(key) or ())
        data["columns"] = dict(data.get("columns") or {})
        return cls(**data)


@dataclass(frozen=True)
class Hit:
    """A clause returned by retrieval with its fused score and per-retriever ranks."""

    clause: Clause
    score: float  # ranking score: rank fusion plus structural priorities (offices first)
    relevance: float = 0.0  # rank fusion alone, 0–1 (1: first for every retriever)
    bm25_rank: int | None = None
    dense_rank: int | None = None
    dense_score: float | None = None
    office_match: bool = False


@dataclass(frozen=True)
class Citation:
    """One numbered source of an answer, as in the answer JSON of DESIGN.md."""

    n: int
    source: str
    doc_title: str
    path: str
    label: str
    text: str
    score: float
    clause_id: str = ""

    @classmethod
    def of(cls, clause: Clause, *, n: int, doc_title: str, score: float = 1.0) -> Citation:
        """Cite ``clause`` as source number ``n`` (its own text, as the document writes it)."""
        return cls(
            n=n,
            source=clause.source,
            doc_title=doc_title,
            path=clause.path,
            label=clause.label,
            text=clause.text,
            score=score,
            clause_id=clause.id,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SentenceCheck:
    """One sentence of an answer and whether the clauses it cites support it."""

    text: str
    cites: tuple[int, ...]
    supported: bool
    missing: tuple[str, ...] = ()  # what it asserts that its cited clauses do not contain

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """A grounded answer: text with [n] markers and the citations they point to."""

    question: str
    answer: str
    refused: bool
    citations: tuple[Citation, ...] = ()
    latency_ms: int = 0
    notice: str = ""  # e.g. "câu hỏi đã được rút gọn", shown beside the answer
    answerer: str = "extractive"  # who wrote the text: "extractive", "llm" or "structured"
    sentences: tuple[SentenceCheck, ...] = ()  # each sentence of a generated answer, checked

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations],
            "latency_ms": self.latency_ms,
            "answerer": self.answerer,
            "sentences": [s.to_dict() for s in self.sentences],
            "notice": self.notice,
        }
