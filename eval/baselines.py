"""Baselines the service is measured against.

* BM25 only and dense only: the service itself in ``RetrieverMode.BM25`` / ``RetrieverMode.DENSE``
  (see :func:`make_system`).
* Naive: what a first llama-index prototype would do. The raw text of each file is cut into
  ``SentenceSplitter`` chunks of 512 tokens, embedded with the same embedding model as the
  service, held in an in-memory ``VectorStoreIndex`` and searched dense top-k: no clause
  structure, no Vietnamese word segmentation, no refusal. Its "answer" is the top chunks joined
  and its citations are those chunks (source = file name, text = the chunk).

llama-index's global ``Settings`` are never touched: the embedding model is passed explicitly and
no LLM is involved (retrieval only).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.harness import Progress, ServiceSystem, System
from eval.metrics import Retrieved
from hoidap.config import RetrieverMode, Settings
from hoidap.errors import IngestError, InputError
from hoidap.types import Answer, Citation

if TYPE_CHECKING:
    from service import Service

logger = logging.getLogger(__name__)

NAIVE = "naive"
RETRIEVERS = (*(m.value for m in RetrieverMode), NAIVE)
CHUNK_SIZE = 512


class NaiveSystem:
    """Dense top-k over 512-token chunks of the raw files (llama-index, in memory)."""

    name = NAIVE

    def __init__(self, files: Sequence[Path], *, embed_model: Any, max_bytes: int) -> None:
        if not files:
            raise InputError("Đường cơ sở đơn giản cần ít nhất một tệp văn bản để lập chỉ mục.")
        self.files = list(files)
        self.embed_model = embed_model
        self.max_bytes = max_bytes
        self._index: Any = None
        self._sources: list[str] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> NaiveSystem:
        """Over the files of ``settings.corpus_dir``, with the service's embedding model."""
        from index.embedding import make_embedding
        from index.loaders import discover

        files, _ = discover([settings.corpus_dir])
        return cls(
            files,
            embed_model=make_embedding(settings),
            max_bytes=settings.max_file_bytes,
        )

    def warm_up(self, *, progress: Progress | None = None) -> None:
        """Read, chunk and embed the files (once); raises IngestError if none could be read."""
        if self._index is not None:
            return
        from llama_index.core import Document, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        from index.loaders import load_paths

        loaded, skipped = load_paths(self.files, max_bytes=self.max_bytes)
        for item in skipped:
            logger.warning("naive baseline skips %s: %s", item.source, item.reason)
        if not loaded:
            raise IngestError("Đường cơ sở đơn giản không đọc được tệp văn bản nào.")
        documents = [Document(text=f.text, metadata={"file_name": f.source}) for f in loaded]
        nodes = SentenceSplitter(chunk_size=CHUNK_SIZE).get_nodes_from_documents(documents)
        total = len(nodes)
        batch = 16
        for start in range(0, total, batch):
            part = nodes[start : start + batch]
            vectors = self.embed_model.get_text_embedding_batch([n.get_content() for n in part])
            for node, vector in zip(part, vectors, strict=True):
                node.embedding = vector
            if progress is not None:
                progress(min(start + batch, total), total, "Lập chỉ mục đường cơ sở")
        self._index = VectorStoreIndex(nodes, embed_model=self.embed_model)
        self._sources = [f.source for f in loaded]
        logger.info("naive baseline: %d chunks of %d files", total, len(loaded))

    def sources(self) -> list[str]:
        self.warm_up()
        return list(self._sources)

    def rank(self, question: str, *, k: int) -> list[Retrieved]:
        self.warm_up()
        retriever = self._index.as_retriever(similarity_top_k=k)
        return [
            Retrieved(
                source=hit.node.metadata.get("file_name", ""),
                text=hit.node.get_content(),
                path=f"đoạn {hit.node.node_id[:8]}",
                clause_id=hit.node.node_id,
                score=float(hit.score or 0.0),
            )
            for hit in retriever.retrieve(question)
        ]

    def ask(self, question: str, *, k: int) -> Answer:
        started = time.perf_counter()
        chunks = self.rank(question, k=k)
        citations = tuple(
            Citation(
                n=n,
                source=c.source,
                doc_title=c.source,
                path=c.path,
                label=c.path,
                text=c.text,
                score=c.score,
                clause_id=c.clause_id,
            )
            for n, c in enumerate(chunks, start=1)
        )
        text = "\n\n".join(f"{c.text} [{c.n}]" for c in citations)
        return Answer(
            question=question,
            answer=text,
            refused=False,
            citations=citations,
            latency_ms=round((time.perf_counter() - started) * 1000),
        )


def make_system(
    retriever: str,
    *,
    settings: Settings,
    service: Service | None = None,
    progress: Progress | None = None,
) -> System:
    """The system a ``--retriever`` value names: a service mode, or the naive pipeline."""
    if retriever == NAIVE:
        naive = NaiveSystem.from_settings(settings)
        naive.warm_up(progress=progress)
        return naive
    try:
        mode = RetrieverMode(retriever)
    except ValueError as exc:
        raise InputError(
            f"Bộ truy hồi “{retriever}” không có: dùng một trong {', '.join(RETRIEVERS)}."
        ) from exc
    if service is None:
        raise InputError(f"Bộ truy hồi “{retriever}” cần dịch vụ hỏi đáp đã mở.")
    service.warm_up()  # latencies are of a warm service, as users meet it after start-up
    return ServiceSystem(service, mode=mode)
