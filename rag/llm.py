"""Generative answers from a language model, every sentence checked against its clauses.

The model (Ollama or any OpenAI-compatible server, through llama-index's LLM classes) sees
the question, the previous turns and the clauses numbered as the extractive answer numbers
its citations, as delimited data. Its text streams out as it arrives; when it ends, each
sentence is checked (``rag.support``) and unsupported ones are dropped. A server that fails,
stalls or writes too little that can be checked gives the extractive answer with a notice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from hoidap import vntext
from hoidap.config import LLMBackend, Settings
from hoidap.errors import InputError
from hoidap.types import Answer, Citation, Document
from prompts import render
from rag.answer import Composed
from rag.answerer import EXTRACTIVE, Answerer, AnswerRequest, OnText
from rag.neutral import as_data
from rag.support import MARKER, check_answer, split_sentences

if TYPE_CHECKING:
    from llama_index.core.llms import LLM, ChatMessage

logger = logging.getLogger(__name__)

OLLAMA_URL = "http://127.0.0.1:11434"
MAX_TOKENS = 600
TEMPERATURE = 0.1
MIN_SUPPORTED_SHARE = 0.5  # below this share of supported sentences, the extractive answer
TOTAL_TIMEOUTS = 5  # a whole answer may take this many times HOIDAP_LLM_TIMEOUT (a slow drip)
_MISSING_EXTRA = "Chưa cài gói cho mô hình ngôn ngữ: hãy chạy pip install 'hoidap[llm]'."


def make_llm(settings: Settings) -> LLM:
    """The llama-index LLM client that ``settings`` describes (nothing is contacted yet)."""
    if not settings.llm_model:
        raise InputError("Hãy đặt HOIDAP_LLM_MODEL (tên mô hình trên máy chủ) khi dùng HOIDAP_LLM.")
    try:
        if settings.llm is LLMBackend.OLLAMA:
            from llama_index.llms.ollama import Ollama

            return Ollama(
                model=settings.llm_model,
                base_url=settings.llm_url or OLLAMA_URL,
                request_timeout=settings.llm_timeout,
                temperature=TEMPERATURE,
                additional_kwargs={"num_predict": MAX_TOKENS},
                headers=_bearer(settings.llm_api_key),
            )
        from llama_index.llms.openai_like import OpenAILike
    except ImportError:
        raise InputError(_MISSING_EXTRA) from None
    if not settings.llm_url:
        raise InputError(
            "Hãy đặt HOIDAP_LLM_URL (ví dụ http://127.0.0.1:8000/v1) khi HOIDAP_LLM=openai."
        )
    return OpenAILike(
        model=settings.llm_model,
        api_base=settings.llm_url,
        api_key=settings.llm_api_key or "none",
        is_chat_model=True,
        timeout=settings.llm_timeout,
        max_retries=0,
        temperature=TEMPERATURE,
        max_tokens=MAX_TOKENS,
    )


def _bearer(api_key: str | None) -> dict[str, str] | None:
    return {"Authorization": f"Bearer {api_key}"} if api_key else None


def make_answerer(settings: Settings) -> Answerer:
    """The answerer ``settings`` ask for: extractive unless ``HOIDAP_LLM`` is set."""
    if settings.llm is None:
        return EXTRACTIVE
    return LLMAnswerer(
        make_llm(settings),
        history_chars=settings.llm_history_chars,
        deadline_s=TOTAL_TIMEOUTS * settings.llm_timeout,
    )


def _reason(exc: Exception) -> str:
    """Why the server gave no answer, in Vietnamese (never the exception's own text)."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    if "Timeout" in name:
        return "quá thời gian chờ"
    if isinstance(status, int) and status >= 400:
        return f"máy chủ báo lỗi {status}"
    if "Connect" in name:
        return "không kết nối được máy chủ"
    return "phản hồi không đọc được"


class LLMAnswerer:
    """Answers through a llama-index LLM; falls back to ``fallback`` (the extractive one)."""

    name = "llm"

    def __init__(
        self,
        llm: LLM,
        *,
        history_chars: int = 2000,
        deadline_s: float = 300.0,
        fallback: Answerer = EXTRACTIVE,
    ) -> None:
        self.llm = llm
        self.history_chars = history_chars
        self.deadline_s = deadline_s
        self.fallback = fallback

    def answer(self, request: AnswerRequest, on_text: OnText | None = None) -> Composed:
        base = self.fallback.answer(request)  # its numbering is the one the model sees
        try:
            text = self._generate(request, base.citations, on_text)
        except Exception as exc:  # any failure of the client or the server means: fall back
            logger.warning("language model gave no answer (%s)", type(exc).__name__)
            return replace(base, notice=render("notice_llm_unavailable", reason=_reason(exc)))
        return self._checked(text, request, base)

    def messages(self, request: AnswerRequest, citations: Sequence[Citation]) -> list[ChatMessage]:
        """The chat messages sent to the model: rules, then history, clauses and question."""
        from llama_index.core.llms import ChatMessage, MessageRole

        clauses = "\n".join(
            render(
                "llm_clause",
                n=c.n,
                document=as_data(c.doc_title),
                label=as_data(c.label),
                text=as_data(c.text),
            )
            for c in citations
        )
        user = render(
            "llm_user",
            history=history_block(request.history, self.history_chars),
            clauses=clauses,
            question=as_data(request.query.text),
        )
        return [
            ChatMessage(role=MessageRole.SYSTEM, content=render("llm_system")),
            ChatMessage(role=MessageRole.USER, content=user),
        ]

    def _generate(
        self, request: AnswerRequest, citations: Sequence[Citation], on_text: OnText | None
    ) -> str:
        text = ""
        deadline = time.monotonic() + self.deadline_s
        for chunk in self.llm.stream_chat(self.messages(request, citations)):
            if time.monotonic() > deadline:
                raise TimeoutError("the answer took longer than its deadline")
            delta = chunk.delta or ""
            text += delta
            if delta and on_text is not None:
                on_text(delta)
        return text

    def _checked(self, text: str, request: AnswerRequest, base: Composed) -> Composed:
        support = {c.n: support_text(c, request.documents) for c in base.citations}
        lines = [split_sentences(line) for line in text.splitlines()]
        checks = check_answer(
            [s for line in lines for s in line],
            support,
            allowed=vntext.content_terms(request.query.text),
        )
        supported = [c for c in checks if c.supported and c.cites]
        if not supported or len(supported) < MIN_SUPPORTED_SHARE * len(checks):
            return replace(base, sentences=tuple(checks), notice=render("notice_llm_unsupported"))
        verdict = iter(checks)
        kept_lines = [" ".join(s for s in line if next(verdict).supported) for line in lines]
        dropped = sum(not c.supported for c in checks)
        return Composed(
            "\n".join(line for line in kept_lines if line),
            base.citations,
            answerer=self.name,
            sentences=tuple(checks),
            notice=render("notice_llm_dropped", count=dropped) if dropped else "",
        )


def support_text(citation: Citation, documents: Mapping[str, Document]) -> str:
    """What a citation vouches for: the clause, its headings and its document's identity."""
    document = documents.get(citation.source)
    identity = (
        [document.title, document.number, document.date, document.issuer, document.signer]
        if document
        else []
    )
    return "\n".join([citation.text, citation.label, citation.doc_title, *identity])


def history_block(turns: Sequence[Answer], budget: int) -> str:
    """The latest turns (question and answer, markers removed) that fit in ``budget`` chars."""
    parts: list[str] = []
    left = budget
    for turn in reversed(turns):
        if left <= 0:
            break
        answer = vntext.collapse(MARKER.sub("", turn.answer))
        part = as_data(f"Hỏi: {turn.question}\nĐáp: {answer}")[:left]
        parts.insert(0, part)
        left -= len(part)
    if not parts:
        return ""
    return render("llm_history", turns="\n".join(parts)) + "\n\n"
