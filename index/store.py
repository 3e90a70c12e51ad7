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

    .readers             shared flock held by every process reading this generation
    .lock                writer lock (exclusive flock): one build at a time across processes

A build writes a new generation beside the active one and only then points ``CURRENT`` at it,
so an error or a kill mid-build leaves the previous index usable. Readers validate a generation
fully before use and fall back to the newest complete one when the active one is damaged; a
build never deletes a generation some process still reads.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hoidap.config import Settings
from hoidap.errors import (
    IndexBusyError,
    IndexDamagedError,
    IndexMismatchError,
    IndexMissingError,
)
from hoidap.types import Clause, Document

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 4
TOKENIZER_ID = "underthesea-9.5.0:syllables+segments"
CURRENT_FILE = "CURRENT"
COLLECTION = "clauses"
WRITER_FILE = ".writer-pid"
LOCK_FILE = ".lock"
LEASE_FILE = ".readers"
CHROMA_DB = "chroma/chroma.sqlite3"
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
    recovered_from: tuple[str, ...] = ()  # newer generations skipped because they are damaged
    _vector_store: Any = None
    _lease: int | None = None  # file descriptor holding a shared flock on LEASE_FILE

    @property
    def name(self) -> str:
        return self.path.name


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _pointer(index_dir: Path) -> str | None:
    """The generation name ``CURRENT`` holds, or None when it is missing or unreadable."""
    try:
        name = (index_dir / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if name.startswith("gen-") and "/" not in name else None


def current_generation_path(index_dir: Path) -> Path | None:
    """The folder ``CURRENT`` names if it is complete (has a manifest), else None."""
    name = _pointer(index_dir)
    path = index_dir / name if name else None
    return path if path is not None and (path / "manifest.json").is_file() else None


def generation_candidates(index_dir: Path) -> list[Path]:
    """Complete generations: the one ``CURRENT`` names first, then the others newest first."""
    try:
        complete = sorted(
            (p for p in index_dir.glob("gen-*") if (p / "manifest.json").is_file()), reverse=True
        )
    except OSError:
        return []
    named = _pointer(index_dir)
    return sorted(complete, key=lambda p: p.name != named)  # stable: newest first otherwise


def read_manifest(path: Path) -> Manifest:
    """A generation's manifest; IndexDamagedError when it cannot be read."""
    try:
        return Manifest.from_dict(json.loads((path / "manifest.json").read_text("utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IndexDamagedError(f"{path.name}/manifest.json không đọc được ({exc!r})") from exc


def load_generation(path: Path, manifest: Manifest | None = None) -> Generation:
    """Read and cross-check a generation's records (not its Chroma collection).

    Raises IndexDamagedError when a file is missing, truncated or disagrees with the others.
    """
    manifest = manifest or read_manifest(path)
    try:
        documents = [
            Document(**d) for d in json.loads((path / "documents.json").read_text("utf-8"))
        ]
        with (path / "clauses.jsonl").open(encoding="utf-8") as fh:
            clauses = [Clause.from_dict(json.loads(line)) for line in fh if line.strip()]
        with (path / "passages.jsonl").open(encoding="utf-8") as fh:
            passages = [Passage.from_dict(json.loads(line)) for line in fh if line.strip()]
        vectors = np.load(path / "vectors.npy", allow_pickle=False)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError) as exc:
        raise IndexDamagedError(f"{path.name}: tệp dữ liệu hỏng hoặc thiếu ({exc!r})") from exc
    problem = _inconsistency(manifest, documents, clauses, passages, vectors)
    if problem:
        raise IndexDamagedError(f"{path.name}: {problem}")
    return Generation(path, manifest, documents, clauses, passages, vectors)


def _inconsistency(
    manifest: Manifest,
    documents: list[Document],
    clauses: list[Clause],
    passages: list[Passage],
    vectors: np.ndarray,
) -> str | None:
    """What makes these records disagree (a truncated or mixed-up file), or None."""
    sources = {d.source for d in documents}
    if sources != set(manifest.files) or len(sources) != len(documents):
        return "danh sách văn bản khác với manifest"
    counts: dict[str, int] = {}
    for clause in clauses:
        counts[clause.source] = counts.get(clause.source, 0) + 1
    if counts != {s: e.clauses for s, e in manifest.files.items() if e.clauses}:
        return "số điều khoản khác với manifest"
    clause_ids = {c.id for c in clauses}
    covered = {p.clause_id for p in passages}
    if not covered <= clause_ids or (clauses and not passages):
        return "đoạn tìm kiếm không khớp với điều khoản"
    rows = vectors.shape[0] if vectors.ndim == 2 else -1
    if passages and rows != len(passages):
        return f"có {rows} vector cho {len(passages)} đoạn"
    return None


def open_latest(settings: Settings, *, lease: bool = False) -> Generation:
    """The newest complete generation (``CURRENT``'s first) that passes every check.

    Damaged generations are skipped (named in ``recovered_from``); the first readable manifest
    built with other settings raises IndexMismatchError. With ``lease`` the generation is held
    against pruning until ``release`` (or the process ends).
    """
    index_dir = settings.index_dir
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexDamagedError(
            f"Đường dẫn chỉ mục {index_dir} là một tệp, không phải thư mục. "
            "Hãy chọn thư mục khác (--index-dir) hoặc xóa tệp đó."
        )
    damaged: list[str] = []
    for path in generation_candidates(index_dir):
        fd = _take_lease(path) if lease else None
        try:
            manifest = read_manifest(path)
            if not manifest.compatible_with(settings.embedding_id):
                raise IndexMismatchError(
                    f"Chỉ mục trong {index_dir} được tạo với mô hình hoặc phiên bản khác. "
                    "Hãy chạy `hoidap index` để tạo lại."
                )
            generation = load_generation(path, manifest)
            if not settings.chroma_host:
                _check_chroma(path)
        except IndexDamagedError as exc:
            _close(fd)
            logger.warning("bỏ qua bản chỉ mục hỏng %s", exc)
            damaged.append(path.name)
            continue
        except BaseException:
            _close(fd)
            raise
        generation.recovered_from = tuple(damaged)
        generation._lease = fd
        return generation
    if damaged or (index_dir / CURRENT_FILE).exists():
        raise IndexDamagedError(
            f"Chỉ mục trong {index_dir} bị hỏng và không còn bản hoàn chỉnh nào. "
            "Hãy chạy `hoidap index --replace` để tạo lại."
        )
    raise IndexMissingError(f"Chưa có chỉ mục trong {index_dir}. Hãy chạy `hoidap index` trước.")


def _check_chroma(path: Path) -> None:
    db = path / CHROMA_DB
    if not db.is_file() or db.stat().st_size == 0:
        raise IndexDamagedError(f"{path.name}: thiếu cơ sở dữ liệu vector Chroma")


def _take_lease(path: Path) -> int | None:
    """A shared flock on the generation's lease file: builds will not delete it meanwhile."""
    try:
        fd = os.open(path / LEASE_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:  # a read-only index: nobody can prune it either
        return None
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def _close(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def release(generation: Generation) -> None:
    """Stop holding ``generation`` against pruning."""
    _close(generation._lease)
    generation._lease = None


def _leased(path: Path) -> bool:
    try:
        fd = os.open(path / LEASE_FILE, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


@contextmanager
def writer_lock(
    index_dir: Path, *, wait_s: float, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the index's writer lock (one build at a time across processes).

    Waits up to ``wait_s`` seconds for another writer (calling ``on_wait`` once), then raises
    IndexBusyError. The lock is an flock, so a killed writer releases it at once.
    """
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(index_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except (FileExistsError, NotADirectoryError) as exc:
        raise IndexDamagedError(
            f"Đường dẫn chỉ mục {index_dir} là một tệp, không phải thư mục. "
            "Hãy chọn thư mục khác (--index-dir) hoặc xóa tệp đó."
        ) from exc
    except OSError as exc:
        raise IndexDamagedError(
            f"Không ghi được vào thư mục chỉ mục {index_dir}: {exc.strerror or exc}."
        ) from exc
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusyError(
                        f"Một tiến trình khác đang cập nhật chỉ mục {index_dir}. "
                        "Hãy thử lại khi tiến trình đó xong."
                    ) from None
                if on_wait is not None:
                    on_wait()
                    on_wait = None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)


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

        try:
            client = chroma_client(settings, generation.path)
            collection = client.get_collection(collection_name(settings, generation.path))
        except Exception as exc:  # chromadb raises its own types for a missing/broken store
            raise IndexDamagedError(
                f"Không mở được cơ sở dữ liệu vector của chỉ mục {generation.name} ({exc}). "
                "Hãy chạy `hoidap index` để khôi phục."
            ) from exc
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
    keep: Sequence[Path] = (),
) -> Path:
    """Write a complete generation, then make it the active one by replacing ``CURRENT``.

    The caller holds ``writer_lock``; ``keep`` names generations pruning must spare (the one
    the build started from).
    """
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
    prune_generations(index_dir, keep=[final, *keep])
    return final


def prune_generations(index_dir: Path, keep: Sequence[Path] = ()) -> None:
    """Delete abandoned partial builds and complete generations nobody needs.

    Kept: ``keep`` (by default the active generation and its predecessor) and every generation
    a process still reads (holds a lease on).
    """
    complete = generation_candidates(index_dir)
    kept = set(keep or complete[:KEEP_GENERATIONS])
    for path in complete:
        if path not in kept and not _leased(path):
            shutil.rmtree(path, ignore_errors=True)
    partial = [p for p in index_dir.glob("gen-*") if p.is_dir() and p not in complete]
    for path in sorted(partial):
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
