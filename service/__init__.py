"""The question-answering service: one per process, shared by the CLI, the UI and evaluation.

The floor above ``index/`` and ``rag/``: it opens the stores, wires retrieval and answering
together and applies document changes. ``ui/``, ``eval/``, ``quiz/`` and ``cli/`` stand on it.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from hoidap.config import RetrieverMode, Settings
from hoidap.errors import (
    IndexDamagedError,
    IndexMismatchError,
    IndexMissingError,
    IngestError,
    InputError,
)
from hoidap.types import Answer, Clause, Document, Hit
from index.build import IndexReport, Progress, build_index
from index.embedding import make_embedding
from index.loaders import READERS, source_name
from index.offices import OfficeMatcher
from index.store import Generation, open_latest, release
from index.uploads import store_upload
from rag.answerer import Answerer, OnText
from rag.llm import make_answerer
from rag.pipeline import answer_question, understand
from rag.retrieve import ClauseRetriever
from rag.scope import DocumentScope
from rag.structured import FieldIndex

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

logger = logging.getLogger(__name__)

__all__ = ["IndexReport", "Progress", "Service", "open_service"]


class _State:
    """Everything derived from one index generation, swapped as a whole after a build."""

    def __init__(self, generation: Generation, settings: Settings, embedder: BaseEmbedding) -> None:
        self.generation = generation
        self.retriever = ClauseRetriever(generation, settings, embedder)
        self.matcher = OfficeMatcher({o for s in generation.segments for o in s.offices})
        self.scope = DocumentScope(generation.documents)
        self.documents = {d.source: d for d in generation.documents}
        self.positions = {d.source: i for i, d in enumerate(generation.documents)}
        self.by_id = {c.id: c for c in generation.clauses}
        self.fields = FieldIndex(generation.clauses)


class Service:
    """Opens the index once, answers questions, and applies document changes atomically."""

    def __init__(
        self,
        settings: Settings,
        embedder: BaseEmbedding | None = None,
        answerer: Answerer | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder or make_embedding(settings)
        self.answerer = answerer or make_answerer(settings)
        self._write_lock = threading.Lock()
        self._state: _State | None = None

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        build_if_missing: bool = True,
        progress: Progress | None = None,
        embedder: BaseEmbedding | None = None,
    ) -> Service:
        """Load the index in ``settings.index_dir`` (the newest complete generation when the
        active one is damaged); build it from the bundled corpus if there is none."""
        service = cls(settings, embedder)
        try:
            service._load()
        except (IndexMissingError, IndexMismatchError, IndexDamagedError):
            if not build_if_missing:
                raise
            service.rebuild(settings.default_sources(), progress=progress)
        return service

    def sharing_index(self, settings: Settings) -> Service:
        """A service over this one's loaded index that answers as ``settings`` say (e.g. with a
        language model), without loading the index again."""
        other = Service(settings, self.embedder)
        other._state = self.state
        return other

    def _load(self) -> None:
        """Switch to the newest usable generation, holding it against pruning by builds."""
        generation = open_latest(self.settings, lease=True)
        if generation.recovered_from:
            logger.warning(
                "chỉ mục %s hỏng; dùng bản hoàn chỉnh %s",
                ", ".join(generation.recovered_from),
                generation.name,
            )
        try:
            state = _State(generation, self.settings, self.embedder)
        except BaseException:
            release(generation)
            raise
        old, self._state = self._state, state
        if old is not None:
            release(old.generation)

    @property
    def state(self) -> _State:
        if self._state is None:
            self._load()
        assert self._state is not None
        return self._state

    def warm_up(self) -> None:
        """Load the tokeniser, tagger, embedding model and vector store before the first user."""
        self.ask("Kế hoạch giao nhiệm vụ gì?")

    # questions -----------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        *,
        k: int | None = None,
        docs: Sequence[str] | None = None,
        history: Sequence[Answer | str] = (),
        mode: RetrieverMode = RetrieverMode.HYBRID,
        on_text: OnText | None = None,
    ) -> Answer:
        """Answer a question with cited clauses, or refuse; never raises for a bad question.

        ``history`` holds the previous turns (their answers are context for a follow-up);
        ``on_text`` receives the answer text as it is written, before it is checked.
        """
        state = self.state
        return answer_question(
            question,
            retriever=state.retriever,
            matcher=state.matcher,
            scope=state.scope,
            documents=state.documents,
            k=k or self.settings.top_k,
            docs=docs,
            history=history,
            mode=mode,
            max_chars=self.settings.max_question_chars,
            answerer=self.answerer,
            on_text=on_text,
            fields=state.fields,
        )

    def ask_stream(
        self,
        question: str,
        *,
        k: int | None = None,
        docs: Sequence[str] | None = None,
        history: Sequence[Answer | str] = (),
    ) -> Iterator[str | Answer]:
        """Pieces of answer text as they are written, then the checked ``Answer`` (whose text
        replaces what was streamed: unsupported sentences may have been dropped)."""
        events: queue.SimpleQueue[str | Answer | BaseException] = queue.SimpleQueue()

        def work() -> None:
            try:
                events.put(self.ask(question, k=k, docs=docs, history=history, on_text=events.put))
            except BaseException as exc:  # re-raised in the caller's thread below
                events.put(exc)

        threading.Thread(target=work, name="hoidap-answer", daemon=True).start()
        while True:
            event = events.get()
            if isinstance(event, BaseException):
                raise event
            yield event
            if isinstance(event, Answer):
                return

    def retrieve(
        self,
        question: str,
        *,
        k: int = 10,
        docs: Sequence[str] | None = None,
        mode: RetrieverMode = RetrieverMode.HYBRID,
    ) -> list[Hit]:
        """Ranked clauses for a question (empty for an unusable question)."""
        state = self.state
        try:
            query, _ = understand(
                question,
                history=(),
                matcher=state.matcher,
                scope=state.scope,
                max_chars=self.settings.max_question_chars,
                vocabulary=state.retriever.vocabulary,
                speller=state.retriever.speller,
            )
        except InputError:
            return []
        return state.retriever.search(query, k=k, docs=docs, mode=mode).hits

    # documents -----------------------------------------------------------------------------
    def documents(self) -> list[Document]:
        """The indexed documents with their metadata and clause counts."""
        return list(self.state.documents.values())

    def require_documents(self, sources: Sequence[str], *, hint: str) -> None:
        """Raise InputError naming the sources that are not indexed; ``hint`` says where to look."""
        known = self.state.documents
        unknown = [s for s in sources if s not in known]
        if unknown:
            names = ", ".join(f"“{s[:100]}”" for s in unknown[:5])
            raise InputError(
                f"Không có văn bản {names} trong chỉ mục. Xem danh sách tên tệp ở {hint}."
            )

    def clauses(self, source: str | None = None) -> list[Clause]:
        """Clauses in document order, of one document or of all."""
        state = self.state
        if source is None:
            return list(state.generation.clauses)
        position = state.positions.get(source)
        return [] if position is None else list(state.generation.document_clauses(position))

    def clause(self, clause_id: str) -> Clause | None:
        return self.state.by_id.get(clause_id)

    # changes -------------------------------------------------------------------------------
    @staticmethod
    def file_types() -> dict[str, str]:
        """The file extensions that can be indexed, each with its Vietnamese name."""
        return {suffix: reader.label for suffix, reader in READERS.items()}

    def store_uploads(self, files: Sequence[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
        """Copy uploaded files into the upload folder under safe names.

        Returns the stored paths and, for each refused file, its name and the reason.
        """
        stored: list[Path] = []
        refused: list[tuple[str, str]] = []
        for path in files:
            try:
                stored.append(
                    store_upload(
                        path,
                        path.name,
                        self.settings.upload_dir,
                        max_bytes=self.settings.max_file_bytes,
                    )
                )
            except InputError as exc:
                refused.append((path.name, str(exc)))
        return stored, refused

    def rebuild(self, paths: Sequence[Path], *, progress: Progress | None = None) -> IndexReport:
        """Make the index hold exactly the files under ``paths`` (incremental by content hash)."""
        return self._change(
            lambda: build_index(self.settings, paths, embedder=self.embedder, progress=progress)
        )

    def add_files(self, paths: Sequence[Path], *, progress: Progress | None = None) -> IndexReport:
        """Add or update documents, keeping the others; raises IngestError if none was read.

        Files of the upload folder that could not be indexed are deleted, so no later
        ``hoidap index`` retries them.
        """
        try:
            report = self._change(
                lambda: build_index(
                    self.settings,
                    paths,
                    embedder=self.embedder,
                    keep_existing=True,
                    progress=progress,
                )
            )
        except BaseException:
            self._discard_uploads(paths)
            raise
        refused = {name for name, _ in report.skipped}
        self._discard_uploads([p for p in paths if source_name(p) in refused])
        if report.indexed == 0 and report.unchanged == 0 and report.skipped:
            reasons = "; ".join(f"{name}: {why}" for name, why in report.skipped)
            raise IngestError(f"Không thêm được văn bản nào ({reasons}).")
        return report

    def _discard_uploads(self, paths: Sequence[Path]) -> None:
        upload_dir = self.settings.upload_dir.resolve()
        for path in paths:
            if path.resolve().parent == upload_dir and not path.is_symlink():
                path.unlink(missing_ok=True)
                logger.info("removed rejected upload %s", path.name)

    def remove_document(self, source: str) -> None:
        """Remove one document from the index (and its uploaded file, if it was uploaded)."""
        missing = InputError(f"Không có văn bản “{source[:100]}” trong chỉ mục (có thể đã bị xóa).")
        if source not in self.state.documents:
            raise missing
        report = self._change(
            lambda: build_index(
                self.settings, (), embedder=self.embedder, keep_existing=True, remove=[source]
            )
        )
        if not report.removed:  # removed meanwhile by another request
            raise missing
        (self.settings.upload_dir / source).unlink(missing_ok=True)

    def _change(self, build: Callable[[], IndexReport]) -> IndexReport:
        with self._write_lock:
            report = build()
            if report.changed or self._state is None:
                self._load()
            return report


def open_service(settings: Settings) -> Service:
    """The service over the configured index, built from the bundled corpus (with a progress
    bar on the terminal) when missing."""
    from hoidap.console import progress_bar

    with progress_bar("Đang lập chỉ mục") as update:
        return Service.open(settings, progress=update)
