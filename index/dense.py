"""Dense search over passage vectors: exact with numpy while that is cheap, else Chroma HNSW.

Every index keeps all its passage vectors in one Chroma collection (embedded on local disk,
or on a ``chroma run`` server), updated in place: a document's rows are added under its
segment name and deleted by it. Up to ``Settings.dense_exact_limit`` passages (20k × 384
floats: 30 MB, a few ms per scan) the search is exact over the segments' memory-mapped
vectors, and deterministic; above it Chroma's HNSW graph is searched with parameters chosen
for recall (``Tuning.hnsw_*``; ``hoidap bench`` measures it against exact search).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hoidap.config import Settings, Tuning
from hoidap.errors import IndexMissingError

logger = logging.getLogger(__name__)

ADD_BATCH = 4096  # rows per Chroma add: below its max batch size, embedded or server


@dataclass(frozen=True)
class DenseHits:
    """Passage rows (in the generation) and their cosine similarities, best first."""

    rows: np.ndarray
    similarities: np.ndarray


def _hnsw(tuning: Tuning) -> dict[str, Any]:
    return {
        "space": "cosine",
        "max_neighbors": tuning.hnsw_max_neighbors,
        "ef_construction": tuning.hnsw_ef_construction,
        "ef_search": tuning.hnsw_ef_search,
    }


def _searching_with(collection: Any, ef: int) -> Any:
    """The collection set to search with ``ef`` (one made with another value, by an older
    version, is changed before its first search in this process)."""
    hnsw = (collection.configuration or {}).get("hnsw") or {}
    if hnsw.get("ef_search") != ef:
        collection.modify(configuration={"hnsw": {"ef_search": ef}})
    return collection


def _client(settings: Settings, index_dir: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
        )
    return chromadb.PersistentClient(path=str(index_dir / "chroma"), settings=chroma_settings)


def _unreachable(settings: Settings, exc: Exception) -> IndexMissingError:
    where = f"{settings.chroma_host}:{settings.chroma_port}"
    return IndexMissingError(
        f"Không kết nối được máy chủ Chroma {where} ({type(exc).__name__}). "
        "Hãy kiểm tra `chroma run` và HOIDAP_CHROMA_HOST / HOIDAP_CHROMA_PORT."
    )


def client(settings: Settings, index_dir: Path) -> Any:
    """A Chroma client; an unreachable server is explained in Vietnamese."""
    try:
        return _client(settings, index_dir)
    except Exception as exc:  # noqa: BLE001 - chromadb raises plain ValueError/ConnectError
        raise _unreachable(settings, exc) from exc


def writable_collection(
    settings: Settings, index_dir: Path, manifest: Any, previous: Any | None
) -> Any:
    """The index's collection, created with the HNSW settings when the index is new.

    When a kept collection has gone missing (a server reset), it is created again and every
    segment of the previous generation re-added from its stored vectors.
    """
    from index.store import entry_segment

    chroma = client(settings, index_dir)
    try:
        return chroma.get_collection(manifest.collection, embedding_function=None)
    except Exception as exc:  # noqa: BLE001 - NotFoundError, or the server is down
        if settings.chroma_host and not _reachable(chroma):
            raise _unreachable(settings, exc) from exc
    collection = chroma.create_collection(
        manifest.collection,
        configuration={"hnsw": _hnsw(settings.tuning)},
        embedding_function=None,
    )
    if previous is not None and previous.collection == manifest.collection:
        logger.warning("Chroma collection %s was missing: re-adding vectors", manifest.collection)
        rows = RowBuffer(collection)
        for entry in previous.files.values():
            rows.add(entry.segment, entry.source, entry_segment(index_dir, entry).vectors())
        rows.flush()
    return collection


def collection_lost(settings: Settings, index_dir: Path, manifest: Any) -> bool:
    """True when searches need the index's collection and it is gone (a server reset)."""
    if not settings.chroma_host and manifest.passages <= settings.dense_exact_limit:
        return False
    chroma = client(settings, index_dir)
    try:
        chroma.get_collection(manifest.collection, embedding_function=None)
    except Exception as exc:  # noqa: BLE001 - NotFoundError, or the server is down
        if settings.chroma_host and not _reachable(chroma):
            raise _unreachable(settings, exc) from exc
        return True
    return False


def _reachable(chroma: Any) -> bool:
    try:
        chroma.heartbeat()
    except Exception:  # noqa: BLE001
        return False
    return True


class RowBuffer:
    """Collects segments' rows and adds them to Chroma in batches within its limit
    (5,461 rows for the embedded store), whatever the number of documents."""

    def __init__(self, collection: Any) -> None:
        self.collection = collection
        self._ids: list[str] = []
        self._meta: list[dict[str, str]] = []
        self._vectors: list[np.ndarray] = []

    def add(self, segment: str, source: str, vectors: np.ndarray) -> None:
        meta = {"source": source, "segment": segment}
        self._ids.extend(f"{segment}:{i}" for i in range(len(vectors)))
        self._meta.extend([meta] * len(vectors))
        self._vectors.append(vectors)
        if len(self._ids) >= ADD_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self._ids:
            return
        vectors = np.concatenate(self._vectors)
        for start in range(0, len(self._ids), ADD_BATCH):
            end = start + ADD_BATCH
            self.collection.add(
                ids=self._ids[start:end],
                embeddings=vectors[start:end],
                metadatas=self._meta[start:end],
            )
        self._ids, self._meta, self._vectors = [], [], []


def delete_segments(
    settings: Settings, index_dir: Path, collection_name: str, segments: Sequence[str]
) -> None:
    """Delete the rows of the given segments (absent rows or collection are fine)."""
    chroma = client(settings, index_dir)
    try:
        collection = chroma.get_collection(collection_name, embedding_function=None)
    except Exception:  # noqa: BLE001 - nothing to delete from
        return
    for start in range(0, len(segments), 100):
        collection.delete(where={"segment": {"$in": list(segments[start : start + 100])}})


def drop_collection(settings: Settings, index_dir: Path, name: str) -> None:
    """Delete a whole collection (an index rebuilt with other settings leaves none behind)."""
    try:
        client(settings, index_dir).delete_collection(name)
    except Exception:  # noqa: BLE001 - already gone
        logger.debug("collection %s already gone", name)


class DenseIndex:
    """Nearest passages of one generation, exact or through HNSW by corpus size."""

    def __init__(self, settings: Settings, generation: Any) -> None:
        self.settings = settings
        self.generation = generation
        self.exact = generation.passages <= settings.dense_exact_limit
        self._matrix: np.ndarray | None = None
        self._collection: Any = None
        self._lock = threading.Lock()

    def _vectors(self) -> np.ndarray:
        with self._lock:
            if self._matrix is None:
                blocks = [s.vectors() for s in self.generation.segments]
                self._matrix = np.concatenate(blocks) if blocks else np.zeros((0, 0), np.float32)
            return self._matrix

    def collection(self) -> Any:
        with self._lock:
            if self._collection is None:
                chroma = client(self.settings, self.generation.path.parent)
                name = self.generation.manifest.collection
                try:
                    self._collection = _searching_with(
                        chroma.get_collection(name, embedding_function=None),
                        self.settings.tuning.hnsw_ef_search,
                    )
                except Exception as exc:  # noqa: BLE001 - missing collection or server down
                    if self.settings.chroma_host and not _reachable(chroma):
                        raise _unreachable(self.settings, exc) from exc
                    raise IndexMissingError(
                        f"Không tìm thấy bộ vector “{name}” của chỉ mục trong Chroma. "
                        "Hãy chạy `hoidap index` để tạo lại."
                    ) from exc
            return self._collection

    def warm_up(self) -> None:
        if self.exact:
            self._vectors()
        else:
            self.collection()

    def search(self, query: Sequence[float], limit: int, allowed: np.ndarray | None) -> DenseHits:
        """The ``limit`` nearest passages (``allowed``: document mask, or None for all)."""
        vector = np.asarray(query, dtype=np.float32)
        vector = vector / max(float(np.linalg.norm(vector)), 1e-12)
        if self.exact:
            return self._exact(vector, limit, allowed)
        return self._approximate(vector, limit, allowed)

    def _exact(self, vector: np.ndarray, limit: int, allowed: np.ndarray | None) -> DenseHits:
        matrix = self._vectors()
        if not len(matrix):
            return DenseHits(np.zeros(0, int), np.zeros(0))
        sims = matrix @ vector
        if allowed is not None:
            sims = np.where(allowed[self.generation.passage_doc], sims, -np.inf)
        limit = min(limit, len(sims))
        top = np.argpartition(-sims, limit - 1)[:limit]
        top = top[np.lexsort((top, -sims[top]))]  # best first, ties by row
        top = top[np.isfinite(sims[top])]
        return DenseHits(top, sims[top].astype(np.float64))

    def _approximate(self, vector: np.ndarray, limit: int, allowed: np.ndarray | None) -> DenseHits:
        where = None
        if allowed is not None:
            sources = [d.source for d, ok in zip(self.generation.documents, allowed) if ok]
            where = {"source": {"$in": sources}}
        starts = self.generation.passage_start
        # rows of segments this generation does not name (a replaced document kept for older
        # readers, another writer's) are skipped; ask again, deeper, when too many were
        total = max(1, self.generation.passages)
        asked = min(limit + 16, total)
        while True:
            result = self.collection().query(
                query_embeddings=[vector], n_results=asked, where=where, include=["distances"]
            )
            rows, sims = [], []
            for pid, distance in zip(result["ids"][0], result["distances"][0], strict=True):
                segment, _, row = pid.rpartition(":")
                start = starts.get(segment)
                if start is not None:
                    rows.append(start + int(row))
                    sims.append(1.0 - float(distance))
            if len(rows) >= limit or len(result["ids"][0]) < asked:
                break
            asked *= 4
        return DenseHits(np.array(rows[:limit], dtype=int), np.array(sims[:limit]))
