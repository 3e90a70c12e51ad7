"""The index on disk: immutable packs of document versions and a small manifest per
generation, swapped atomically.

Layout of ``index_dir``::

    CURRENT                    name of the active generation (replaced atomically)
    gen-<stamp>/manifest.json  schema, embedding model, tokeniser, Chroma collection and, per
                               file, its hash, its segment (document version) and the pack
                               that holds it
    packs/<stamp>/             segments written together, never changed (``index.packs``)
    chroma/                    the embedded Chroma store (on the server when one is configured)
    .lock                      writer lock (exclusive flock): one change at a time across processes
    gen-*/.readers             shared flock held by every process reading that generation

A change writes the segments of the changed documents as one pack, adds their vectors to the
one Chroma collection of the index, and only then writes a new manifest and points
``CURRENT`` at it. When more than ``PACK_MERGE_AT`` small packs have piled up (one-document
changes), the smallest are copied into one pack of at most about ``PACK_FULL`` passages in the
same change: the work a change does is bounded by that, never by the size of the index. Packs
no kept generation names any more are deleted (their segments' Chroma rows first) by the next
writer, so a kill at any step leaves the previous index usable and the debris is collected
later; readers ignore Chroma rows of segments their manifest does not name. Readers check a
generation's packs before use and fall back to the newest complete one when the active one is
damaged; no change deletes a generation (or its packs) that some process reads.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import numpy as np

from hoidap import vntext, vocab
from hoidap.config import Settings
from hoidap.errors import (
    IndexBusyError,
    IndexDamagedError,
    IndexMismatchError,
    IndexMissingError,
)
from hoidap.types import Clause, Document
from hoidap.vocab import Vocabulary
from index.lexical import TermTable
from index.packs import (
    PACKS,
    WRITER_FILE,
    Segment,
    forget_packs,
    load_pack,
    member_names,
    write_pack,
)

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 10  # 10: heads of offices lead; 9: clause words; 8: term arrays; 7: rows
# the vocabulary tables rewrite indexed text: a change to them rebuilds the index
TOKENIZER_ID = f"underthesea-9.5.0:syllables+segments+vocab-{vocab.fingerprint()}"
CURRENT_FILE = "CURRENT"
LEGACY_SEGMENTS = "segments"  # schema 5's folders, deleted once no kept generation is older
LOCK_FILE = ".lock"
LEASE_FILE = ".readers"
KEEP_GENERATIONS = 2  # the active one and its predecessor, which an open reader may still use
PACK_FULL = 8_192  # live passages from which a pack is left alone by merges
PACK_MERGE_AT = 16  # more packs below PACK_FULL than this: the smallest are merged


@dataclass(frozen=True)
class FileEntry:
    """What the manifest remembers of one indexed file."""

    source: str
    path: str
    sha256: str
    clauses: int
    segment: str = ""
    passages: int = 0
    pack: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Manifest:
    """Settings an index was built with; a mismatch with the current ones forces a rebuild."""

    embedding: str
    collection: str = ""  # the Chroma collection holding every passage vector of this index
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

    @property
    def passages(self) -> int:
        return sum(e.passages for e in self.files.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "embedding": self.embedding,
            "tokenizer": self.tokenizer,
            "collection": self.collection,
            "created": self.created,
            "files": {k: v.to_dict() for k, v in self.files.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        return cls(
            embedding=data["embedding"],
            collection=data.get("collection", ""),
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


@dataclass(frozen=True)
class NewSegment:
    """A document version ready to be written: records, passages and their vectors."""

    document: Document
    clauses: list[Clause]
    passages: list[Passage]
    vectors: np.ndarray
    offices: tuple[str, ...]  # every office its clauses name (for the question matcher)


@dataclass
class Generation:
    """One complete index: the manifest and its segments in source order, with the flat
    arrays retrieval needs (built with numpy from the segments; nothing per passage in Python).
    """

    path: Path
    manifest: Manifest
    segments: list[Segment]
    recovered_from: tuple[str, ...] = ()  # newer generations skipped because they are damaged
    _lease: int | None = None  # file descriptor holding a shared flock on LEASE_FILE
    documents: list[Document] = field(init=False)
    clauses: list[Clause] = field(init=False)
    clause_words: list[str] = field(init=False)  # per clause, its words as indexed
    passage_owner: np.ndarray = field(init=False)  # passage row → clause position
    clause_doc: np.ndarray = field(init=False)  # clause position → document position
    passage_doc: np.ndarray = field(init=False)  # passage row → document position
    passage_start: dict[str, int] = field(init=False)  # segment name → its first passage row
    clause_start: list[int] = field(init=False)  # document position → its first clause

    def __post_init__(self) -> None:
        self.documents = [s.document for s in self.segments]
        self.clauses = [c for s in self.segments for c in s.clauses]
        self.clause_words = [w for s in self.segments for w in s.words]
        clause_counts = np.array([len(s.clauses) for s in self.segments], dtype=np.int64)
        passage_counts = np.array([s.passages for s in self.segments], dtype=np.int64)
        clause_start = np.concatenate([[0], np.cumsum(clause_counts)])
        passage_start = np.concatenate([[0], np.cumsum(passage_counts)])
        self.clause_start = clause_start.tolist()
        self.passage_start = {
            s.name: int(start) for s, start in zip(self.segments, passage_start, strict=False)
        }
        docs = np.arange(len(self.segments))
        self.clause_doc = np.repeat(docs, clause_counts)
        self.passage_doc = np.repeat(docs, passage_counts)
        owners = [s.owner + start for s, start in zip(self.segments, clause_start, strict=False)]
        self.passage_owner = np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def passages(self) -> int:
        return len(self.passage_owner)

    def document_clauses(self, position: int) -> list[Clause]:
        return self.segments[position].clauses


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


# segments --------------------------------------------------------------------------------
def as_segment(name: str, new: NewSegment) -> Segment:
    """A document version ready to be written into a pack: term tables counted, vectors unit."""
    position = {c.id: i for i, c in enumerate(new.clauses)}
    owner = np.array([position[p.clause_id] for p in new.passages], dtype=np.int32)
    clause_terms: list[list[str]] = [[] for _ in new.clauses]
    clause_folded: list[list[str]] = [[] for _ in new.clauses]
    for passage, pos in zip(new.passages, owner, strict=True):
        clause_terms[pos].extend(passage.terms)
        clause_folded[pos].extend(passage.folded)
    tables = {
        "accented": TermTable.build([p.terms for p in new.passages]),
        "folded": TermTable.build([p.folded for p in new.passages]),
        "clause_accented": TermTable.build(clause_terms, placeholder=False),
        "clause_folded": TermTable.build(clause_folded, placeholder=False),
    }
    vocabulary = Vocabulary.bundled().with_definitions(new.document.definitions)
    return Segment(
        name=name,
        path=Path(),
        document=new.document,
        clauses=new.clauses,
        words=[clause_words(c.text, vocabulary) for c in new.clauses],
        offices=new.offices,
        owner=owner,
        tables={f: t.compact() for f, t in tables.items()},
        vector_block=unit_rows(new.vectors),
    )


def clause_words(text: str, vocabulary: Vocabulary) -> str:
    """A clause's words in order as the index reads them (aliases spelled out, the document's
    own short names), computed once when it is written: 100k clauses take minutes."""
    return " ".join(vntext.syllables(vocabulary.canonical(text, lexical=True)))


def entry_segment(index_dir: Path, entry: FileEntry) -> Segment:
    """The segment a manifest entry names, read from its pack (cached per process)."""
    return load_pack(index_dir / PACKS / entry.pack)[entry.segment]


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (cosine similarity becomes a dot product)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.size == 0:
        return vectors.reshape(len(vectors), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _stamp() -> str:
    now = time.time_ns()  # names sort in creation order, also within one second
    return time.strftime("%Y%m%dT%H%M%S", time.localtime(now // 10**9)) + f"-{now % 10**9:09d}"


# generations ----------------------------------------------------------------------------
def load_generation(path: Path, manifest: Manifest | None = None) -> Generation:
    """Read a generation: its manifest and segments (packs cached per process), vectors mapped.

    Raises IndexDamagedError when a pack is missing, truncated or disagrees with the manifest.
    """
    manifest = manifest or read_manifest(path)
    segments = []
    for source in sorted(manifest.files):
        entry = manifest.files[source]
        try:
            segment = entry_segment(path.parent, entry)
        except (
            OSError,
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
            EOFError,
            BadZipFile,
        ) as exc:
            raise IndexDamagedError(
                f"{path.name}: tệp dữ liệu của {source} hỏng hoặc thiếu ({exc!r})"
            ) from exc
        if (len(segment.clauses), segment.passages, segment.vector_rows) != (
            entry.clauses,
            entry.passages,
            entry.passages,
        ) or segment.document.source != source:
            raise IndexDamagedError(f"{path.name}: dữ liệu của {source} khác với manifest")
        segments.append(segment)
    return Generation(path, manifest, segments)


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
        if lease:  # a serving process: segments of older generations leave the cache
            forget_packs(s.path for s in generation.segments)
        return generation
    if damaged or (index_dir / CURRENT_FILE).exists():
        raise IndexDamagedError(
            f"Chỉ mục trong {index_dir} bị hỏng và không còn bản hoàn chỉnh nào. "
            "Hãy chạy `hoidap index --replace` để tạo lại."
        )
    raise IndexMissingError(f"Chưa có chỉ mục trong {index_dir}. Hãy chạy `hoidap index` trước.")


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


def new_collection_name() -> str:
    """A Chroma collection name unique to one index (a shared server holds many)."""
    return f"hoidap-{uuid.uuid4().hex[:16]}"


def commit_generation(
    settings: Settings,
    index_dir: Path,
    *,
    manifest: Manifest,
    new: dict[str, NewSegment],
    previous: Manifest | None,
    keep: Sequence[Path] = (),
) -> Path:
    """Write the new segments as one pack, add their vectors to Chroma, merge small packs if
    too many have piled up, then swap in the new manifest.

    The caller holds ``writer_lock``. ``manifest`` lists every file; entries of files in
    ``new`` get their segment and pack names here. Unchanged documents are not re-embedded,
    and only those in small packs being merged (at most about ``PACK_FULL`` passages) are
    read and copied. ``keep`` names generations pruning must spare (the one the change
    started from).
    """
    from index import dense

    index_dir.mkdir(parents=True, exist_ok=True)
    prune_generations(settings, index_dir, keep=keep)  # a killed writer's debris goes first
    collection = dense.writable_collection(settings, index_dir, manifest, previous)
    files = dict(manifest.files)
    if new:
        pack = _stamp()
        segments = [as_segment(f"{pack}-{i:05d}", new[s]) for i, s in enumerate(sorted(new))]
        write_pack(index_dir / PACKS, pack, segments)  # before its rows: pruning finds them
        rows = dense.RowBuffer(collection)
        for source, segment in zip(sorted(new), segments, strict=True):
            files[source] = replace(
                files[source], segment=segment.name, passages=segment.passages, pack=pack
            )
            rows.add(segment.name, source, segment.vector_block)
        rows.flush()
    files = merge_small_packs(index_dir, files)
    final = index_dir / f"gen-{_stamp()}"
    partial = index_dir / f".{final.name}.partial"
    partial.mkdir()
    _write_json(
        partial / "manifest.json",
        Manifest(
            embedding=manifest.embedding, collection=manifest.collection, files=files
        ).to_dict(),
    )
    os.rename(partial, final)
    pointer_tmp = index_dir / f".{CURRENT_FILE}.{os.getpid()}.tmp"
    pointer_tmp.write_text(final.name, encoding="utf-8")
    os.replace(pointer_tmp, index_dir / CURRENT_FILE)
    if previous is not None and previous.collection != manifest.collection:
        dense.drop_collection(settings, index_dir, previous.collection)
    prune_generations(settings, index_dir, keep=[final, *keep])
    return final


def merge_small_packs(index_dir: Path, files: dict[str, FileEntry]) -> dict[str, FileEntry]:
    """``files`` with the segments of the smallest packs moved into one new pack, when more
    than ``PACK_MERGE_AT`` packs hold fewer than ``PACK_FULL`` live passages.

    Smallest first, until the merged pack reaches ``PACK_FULL`` passages: a merge copies a
    bounded amount whatever the size of the index, and replaced segments inside a large
    pack are dropped once its live part falls below ``PACK_FULL``.
    """
    live: dict[str, int] = {}
    for entry in files.values():
        live[entry.pack] = live.get(entry.pack, 0) + entry.passages
    small = sorted((n, pack) for pack, n in live.items() if n < PACK_FULL)
    if len(small) <= PACK_MERGE_AT:
        return files
    chosen: set[str] = set()
    total = 0
    for n, pack in small:
        if total >= PACK_FULL:
            break
        chosen.add(pack)
        total += n
    moved = sorted(s for s, e in files.items() if e.pack in chosen)
    name = _stamp()
    write_pack(index_dir / PACKS, name, [entry_segment(index_dir, files[s]) for s in moved])
    return {s: replace(e, pack=name) if s in moved else e for s, e in files.items()}


def prune_generations(settings: Settings, index_dir: Path, keep: Sequence[Path] = ()) -> None:
    """Delete old generations, partial writes of dead writers, and packs no kept generation
    names (the Chroma rows of segments no kept generation names first, so a kill in between
    only leaves rows readers ignore).

    Kept: ``keep`` (by default the active generation and its predecessor) and every generation
    a process still reads (holds a lease on), with their packs.
    """
    complete = generation_candidates(index_dir)
    kept = set(keep or complete[:KEEP_GENERATIONS])
    for path in complete:
        if path in kept or _leased(path):
            kept.add(path)
        else:
            shutil.rmtree(path, ignore_errors=True)
    for path in index_dir.glob(".gen-*.partial"):
        shutil.rmtree(path, ignore_errors=True)
    manifests = []
    for path in kept:
        try:
            manifests.append(read_manifest(path))
        except IndexDamagedError:
            continue
    if all(m.schema_version == SCHEMA_VERSION for m in manifests):
        shutil.rmtree(index_dir / LEGACY_SEGMENTS, ignore_errors=True)
    packs = index_dir / PACKS
    if not packs.is_dir():
        return
    for path in packs.glob(".*.partial"):
        if not _writer_alive(path):
            shutil.rmtree(path, ignore_errors=True)
    active = current_generation_path(index_dir)
    if active is None:
        return
    live_packs = {e.pack for m in manifests for e in m.files.values()}
    # a pack newer than the active generation may belong to a writer still at work
    written_before = active.name.removeprefix("gen-")
    dead = sorted(
        p.name
        for p in packs.iterdir()
        if p.name[0] != "." and p.name not in live_packs and p.name < written_before
    )
    if dead and not _delete_rows(settings, index_dir, active, manifests, dead):
        return
    for name in dead:
        shutil.rmtree(packs / name, ignore_errors=True)


def _delete_rows(
    settings: Settings,
    index_dir: Path,
    active: Path,
    manifests: Sequence[Manifest],
    dead: Sequence[str],
) -> bool:
    """Delete the Chroma rows of the dead packs' segments that no kept manifest names; False
    when the active manifest cannot be read (the packs stay for a later writer)."""
    from index import dense

    names: set[str] = set()
    for pack in dead:
        try:
            names |= set(member_names(index_dir / PACKS / pack))
        except (OSError, ValueError, KeyError, TypeError):  # unreadable: readers skip its rows
            continue
    names -= {e.segment for m in manifests for e in m.files.values()}
    try:
        collection = read_manifest(active).collection
    except IndexDamagedError:
        return False
    if names:
        dense.delete_segments(settings, index_dir, collection, sorted(names))
    return True


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
