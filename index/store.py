"""The index on disk: generations of clause stores, swapped atomically.

Layout of ``index_dir``::

    CURRENT              name of the active generation (replaced atomically)
    gen-<stamp>/         one complete, immutable index
        manifest.json    schema, embedding model, tokeniser, per-file hashes
        documents.json   Document metadata
        clauses.jsonl    Clause records in document order
        passages.jsonl   retrieval units (a clause or a window of a long one) with their terms
        vectors.npy      dense vectors, one row per passage
        chroma/          persistent Chroma collection (through llama-index's ChromaVectorStore)

A build writes a new generation beside the active one and only then points ``CURRENT`` at it,
so an error or a kill mid-build leaves the previous index usable.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hoidap.config import Settings
from hoidap.errors import IndexMismatchError, IndexMissingError
from hoidap.types import Clause, Document

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 3
TOKENIZER_ID = "underthesea-9.5.0:syllables+segments"
CURRENT_FILE = "CURRENT"
COLLECTION = "clauses"
WRITER_FILE = ".writer-pid"
KEEP_GENERATIONS = 2  # the active one and its predecessor, which an open reader may still use


@dataclass(frozen=True)
class FileEntry:
    """What the manifest remembers of one indexed file."""

    source: str
    path: str
    sha256: str
    clauses: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "path": self.path,
            "sha256": self.sha256,
            "clauses": self.clauses,
        }


@dataclass(frozen=True)
class Manifest:
    """Settings an index was built with; a mismatch with the current ones forces a rebuild."""

    embedding: str
    schema_version: int = SCHEMA_VERSION
    tokenizer: str = TOKENIZER_ID
    created: float = field(default_factory=time.time)
    files: dict[str, FileEntry] = field(default_factory=dict)

    def compatible_with(self, embedding: str) -> bool:
        return (
            self.schema_version == SCHEMA_VERSION
            and self.tokenizer == TOKENIZER_ID
            and self.embedding == embedding
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "embedding": self.embedding,
            "tokenizer": self.tokenizer,
            "created": self.created,
            "files": {k: v.to_dict() for k, v in self.files.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        return cls(
            embedding=data["embedding"],
            schema_version=data["schema_version"],
            tokenizer=data["tokenizer"],
            created=data.get("created", 0.0),
            files={k: FileEntry(**v) for k, v in data.get("files", {}).items()},
        )


@dataclass(frozen=True)
class Passage:
    """One retrieval unit of a clause: its dense text and lexical terms."""

    id: str
    clause_id: str
    source: str
    embedded: str  # what the dense model reads (with document and heading context)
    terms: tuple[str, ...]  # lexical terms, accented (normalised)
    folded: tuple[str, ...]  # lexical terms without diacritics

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "clause_id": self.clause_id,
            "source": self.source,
            "embedded": self.embedded,
            "terms": list(self.terms),
            "folded": list(self.folded),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Passage:
        return cls(
            data["id"],
            data["clause_id"],
            data["source"],
            data["embedded"],
            tuple(data["terms"]),
            tuple(data["folded"]),
        )


@dataclass
class Generation:
    """One complete index loaded into memory (Chroma is opened lazily)."""

    path: Path
    manifest: Manifest
    documents: list[Document]
    clauses: list[Clause]
    passages: list[Passage]
    vectors: np.ndarray  # one row per passage
    _vector_store: Any = None

    @property
    def name(self) -> str:
        return self.path.name


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def current_generation_path(index_dir: Path) -> Path | None:
    """The active generation's folder, or None when no complete index exists."""
    pointer = index_dir / CURRENT_FILE
    if not pointer.is_file():
        return None
    path = index_dir / pointer.read_text(encoding="utf-8").strip()
    return path if (path / "manifest.json").is_file() else None


def compatible_generation_path(index_dir: Path, embedding: str) -> Path | None:
    """The active generation if it was built with this embedding model and schema, else None."""
    path = current_generation_path(index_dir)
    if path is None or not read_manifest(path).compatible_with(embedding):
        return None
    return path


def read_manifest(path: Path) -> Manifest:
    """A generation's manifest, readable whatever the schema of the rest."""
    return Manifest.from_dict(json.loads((path / "manifest.json").read_text("utf-8")))


def load_generation(path: Path) -> Generation:
    """Read a generation's records from disk (not its Chroma collection)."""
    manifest = read_manifest(path)
    documents = [Document(**d) for d in json.loads((path / "documents.json").read_text("utf-8"))]
    with (path / "clauses.jsonl").open(encoding="utf-8") as fh:
        clauses = [Clause.from_dict(json.loads(line)) for line in fh if line.strip()]
    with (path / "passages.jsonl").open(encoding="utf-8") as fh:
        passages = [Passage.from_dict(json.loads(line)) for line in fh if line.strip()]
    vectors = np.load(path / "vectors.npy")
    return Generation(path, manifest, documents, clauses, passages, vectors)


def open_compatible(index_dir: Path, embedding: str) -> Generation:
    """Load the active generation; explain when there is none or it was built differently."""
    path = compatible_generation_path(index_dir, embedding)
    if path is not None:
        return load_generation(path)
    if current_generation_path(index_dir) is not None:
        raise IndexMismatchError(
            f"Chỉ mục trong {index_dir} được tạo với mô hình hoặc phiên bản khác. "
            "Hãy chạy `hoidap index` để tạo lại."
        )
    raise IndexMissingError(f"Chưa có chỉ mục trong {index_dir}. Hãy chạy `hoidap index` trước.")


def chroma_client(settings: Settings, generation_path: Path) -> Any:
    """A Chroma client: embedded and persistent by default, HTTP when a host is configured."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
        )
    return chromadb.PersistentClient(path=str(generation_path / "chroma"), settings=chroma_settings)


def collection_name(settings: Settings, generation_path: Path) -> str:
    """Embedded stores keep one collection per folder; a shared server needs unique names."""
    return f"hoidap-{generation_path.name}" if settings.chroma_host else COLLECTION


def vector_store(settings: Settings, generation: Generation) -> Any:
    """llama-index's ChromaVectorStore over the generation's collection (opened once)."""
    if generation._vector_store is None:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        client = chroma_client(settings, generation.path)
        collection = client.get_collection(collection_name(settings, generation.path))
        generation._vector_store = ChromaVectorStore(chroma_collection=collection)
    return generation._vector_store


def write_generation(
    settings: Settings,
    index_dir: Path,
    *,
    manifest: Manifest,
    documents: Sequence[Document],
    clauses: Sequence[Clause],
    passages: Sequence[Passage],
    vectors: np.ndarray,
) -> Path:
    """Write a complete generation, then make it the active one by replacing ``CURRENT``."""
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    index_dir.mkdir(parents=True, exist_ok=True)
    now = time.time_ns()  # names sort in creation order, also within one second
    stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime(now // 10**9)) + f"-{now % 10**9:09d}"
    final = index_dir / f"gen-{stamp}"
    # Chroma files are written in place (a persistent client is tied to its path); the folder
    # only counts as an index once manifest.json exists and CURRENT names it.
    final.mkdir()
    (final / WRITER_FILE).write_text(str(os.getpid()), encoding="utf-8")
    try:
        _write_json(final / "documents.json", [d.to_dict() for d in documents])
        with (final / "clauses.jsonl").open("w", encoding="utf-8") as fh:
            for clause in clauses:
                fh.write(json.dumps(clause.to_dict(), ensure_ascii=False) + "\n")
        with (final / "passages.jsonl").open("w", encoding="utf-8") as fh:
            for passage in passages:
                fh.write(json.dumps(passage.to_dict(), ensure_ascii=False) + "\n")
        np.save(final / "vectors.npy", vectors.astype(np.float32))

        client = chroma_client(settings, final)
        name = collection_name(settings, final)
        if settings.chroma_host:
            try:
                client.delete_collection(name)
            except Exception:  # noqa: BLE001 - absent collection is the normal case
                logger.debug("no stale collection %s", name)
        collection = client.create_collection(name, metadata={"hnsw:space": "cosine"})
        store = ChromaVectorStore(chroma_collection=collection)
        nodes = [
            TextNode(
                id_=passage.id,
                text=passage.embedded,
                embedding=vector.tolist(),
                metadata={"source": passage.source, "clause_id": passage.clause_id},
            )
            for passage, vector in zip(passages, vectors, strict=True)
        ]
        if nodes:
            store.add(nodes)
        del store, collection, client
        # the manifest is written last: a folder without one is never treated as an index
        _write_json(final / "manifest.json", manifest.to_dict())
        (final / WRITER_FILE).unlink()
    except BaseException:
        shutil.rmtree(final, ignore_errors=True)
        raise
    pointer_tmp = index_dir / f".{CURRENT_FILE}.{os.getpid()}.tmp"
    pointer_tmp.write_text(final.name, encoding="utf-8")
    os.replace(pointer_tmp, index_dir / CURRENT_FILE)
    prune_generations(index_dir)
    return final


def prune_generations(index_dir: Path) -> None:
    """Delete abandoned partial builds and complete generations older than the previous one."""
    active = current_generation_path(index_dir)
    complete, partial = [], []
    for path in sorted(p for p in index_dir.glob("gen-*") if p.is_dir()):
        (complete if (path / "manifest.json").is_file() else partial).append(path)
    keep = set(complete[-KEEP_GENERATIONS:]) | ({active} if active else set())
    for path in complete:
        if path not in keep:
            shutil.rmtree(path, ignore_errors=True)
    for path in partial:
        if not _writer_alive(path):
            shutil.rmtree(path, ignore_errors=True)


def _writer_alive(path: Path) -> bool:
    try:
        pid = int((path / WRITER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return _process_alive(pid)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
