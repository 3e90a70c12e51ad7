"""Incremental, atomic index builds: unchanged files are reused, never re-embedded."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from hoidap import vntext
from hoidap.config import Settings
from hoidap.errors import IndexDamagedError, IndexMismatchError, IndexMissingError, IngestError
from hoidap.vocab import Vocabulary, harvest_definitions
from index import dense
from index.loaders import discover, file_digest, read_text, source_name
from index.offices import extract_offices
from index.parse import parse_document
from index.passages import clause_passages
from index.store import (
    FileEntry,
    Generation,
    Manifest,
    NewSegment,
    commit_generation,
    new_collection_name,
    open_latest,
    writer_lock,
)

if TYPE_CHECKING:  # llama-index is slow to import; a no-change re-index never needs it
    from llama_index.core.base.embeddings.base import BaseEmbedding

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


@dataclass
class IndexReport:
    """What a build did, for the CLI summary and the UI."""

    files: int = 0
    indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    clauses: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    changed: bool = False
    warnings: list[str] = field(default_factory=list)  # Vietnamese, about the old index


@dataclass(frozen=True)
class ParsedFile:
    """One changed document, parsed; vectors are added when it is embedded."""

    entry: FileEntry
    segment: NewSegment


def previous_generation(settings: Settings, report: IndexReport) -> Generation | None:
    """The newest complete, compatible generation to build on (damage is noted in ``report``)."""
    try:
        previous = open_latest(settings)
    except IndexMissingError:
        return None
    except (IndexMismatchError, IndexDamagedError) as exc:
        report.warnings.append(f"{exc} Chỉ mục được tạo lại từ các tệp đã cho.")
        return None
    if previous.recovered_from:
        report.warnings.append(
            f"Bản chỉ mục mới nhất bị hỏng ({', '.join(previous.recovered_from)}); "
            f"đã khôi phục từ bản hoàn chỉnh {previous.name}."
        )
    return previous


def parse_file(path: Path, source: str, max_bytes: int) -> ParsedFile:
    """Read and parse one file into its clauses and passages (not yet embedded)."""
    loaded = read_text(path, max_bytes=max_bytes)
    document, clauses = parse_document(loaded.text, source=source, sha256=loaded.sha256)
    if not any(c.text.strip() for c in clauses):
        raise IngestError("không có nội dung văn bản")
    definitions = tuple(harvest_definitions("\n".join(c.text for c in clauses)))
    document = replace(document, clause_count=len(clauses), definitions=definitions)
    vocabulary = Vocabulary.bundled().with_definitions(definitions)
    offices = vntext.unique(o for c in clauses for o in (*c.offices, *extract_offices(c.text)))
    return ParsedFile(
        entry=FileEntry(source, str(path.resolve()), loaded.sha256, len(clauses)),
        segment=NewSegment(
            document=document,
            clauses=clauses,
            passages=[p for c in clauses for p in clause_passages(document, c, vocabulary)],
            vectors=np.zeros((0, 0), np.float32),
            offices=tuple(offices),
        ),
    )


def embed_parts(
    parts: Sequence[ParsedFile],
    embedder: BaseEmbedding,
    progress: Progress | None,
    *,
    batch: int,
) -> dict[str, NewSegment]:
    """Embed the passages of the parsed documents, ``batch`` passages per model call."""
    texts = [passage.embedded for part in parts for passage in part.segment.passages]
    vectors: list[list[float]] = []
    for start in range(0, len(texts), batch):
        vectors.extend(embedder.get_text_embedding_batch(texts[start : start + batch]))
        if progress:
            done = min(start + batch, len(texts))
            progress(done, len(texts), f"Đang tạo vector: {done}/{len(texts)} đoạn")
    out, offset = {}, 0
    for part in parts:
        n = len(part.segment.passages)
        block = np.asarray(vectors[offset : offset + n], dtype=np.float32).reshape(n, -1)
        out[part.entry.source] = replace(part.segment, vectors=block)
        offset += n
    return out


def build_index(
    settings: Settings,
    paths: Sequence[Path] = (),
    *,
    embedder: BaseEmbedding | None = None,
    keep_existing: bool = False,
    remove: Sequence[str] = (),
    progress: Progress | None = None,
) -> IndexReport:
    """Bring the index in line with ``paths``; write a new generation only if something changed.

    With ``keep_existing`` the documents already indexed stay (adding files); otherwise the
    index holds exactly the files found under ``paths`` and documents of removed files vanish
    (but a build that read no file at all never empties an index). The embedding model is
    created from the settings, only if something must be embedded, unless one is passed.
    The whole build holds the index's writer lock, so it starts from the latest generation.
    """

    def waiting() -> None:
        if progress:
            progress(0, 0, "Đang chờ tiến trình khác lập chỉ mục xong…")

    with writer_lock(settings.index_dir, wait_s=settings.index_lock_wait_s, on_wait=waiting):
        return _build(settings, paths, embedder, keep_existing, remove, progress)


def _build(
    settings: Settings,
    paths: Sequence[Path],
    embedder: BaseEmbedding | None,
    keep_existing: bool,
    remove: Sequence[str],
    progress: Progress | None,
) -> IndexReport:
    started = time.perf_counter()
    report = IndexReport()
    generation = previous_generation(settings, report)
    previous = generation.manifest if generation else None
    old = previous.files if previous else {}

    files, skipped = discover(list(paths))
    report.skipped.extend((s.source, s.reason) for s in skipped)
    entries = {s: e for s, e in old.items() if s not in remove} if keep_existing else {}
    changed: list[ParsedFile] = []
    max_bytes = settings.max_file_bytes
    for done, path in enumerate(files, start=1):
        source = source_name(path)  # discover() already skipped duplicate names
        if progress:
            progress(done, len(files), f"Đang đọc {source}")
        try:
            known = old.get(source)
            if known is not None and known.sha256 == file_digest(path):
                entries[source] = known
                report.unchanged += 1
                continue
            part = parse_file(path, source, max_bytes)
            entries[source] = part.entry
            changed.append(part)
            report.indexed += 1
        except IngestError as exc:
            report.skipped.append((source, str(exc)))
        except OSError as exc:
            report.skipped.append((source, f"không đọc được tệp ({exc.strerror or exc})"))

    if not entries and old and not keep_existing:
        reasons = "; ".join(f"{name}: {why}" for name, why in report.skipped) or "không có tệp"
        raise IngestError(f"Không đọc được tệp nào ({reasons}); chỉ mục giữ nguyên.")
    report.files = len(entries)
    report.removed = len(set(old) - set(entries))
    report.changed = previous is None or report.indexed > 0 or report.removed > 0
    if not report.changed and dense.collection_lost(settings, settings.index_dir, previous):
        report.changed = True  # the commit re-creates the collection from the segments
    if report.changed:
        if embedder is None and changed:
            from index.embedding import make_embedding

            embedder = make_embedding(settings)
        batch = settings.embed_batch
        new = embed_parts(changed, embedder, progress, batch=batch) if changed else {}
        commit_generation(
            settings,
            settings.index_dir,
            manifest=Manifest(
                embedding=settings.embedding_id,
                collection=previous.collection if previous else new_collection_name(),
                files=entries,
            ),
            new=new,
            previous=previous,
            keep=[generation.path] if generation else [],
        )
    report.clauses = sum(e.clauses for e in entries.values())
    report.seconds = time.perf_counter() - started
    return report
