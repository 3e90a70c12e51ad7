"""Incremental, atomic index builds: unchanged files are reused, never re-embedded."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from hoidap import vntext
from hoidap.config import Settings
from hoidap.errors import IngestError
from hoidap.types import Clause, ClauseKind, Document
from index.embedding import embedding_id
from index.loaders import SkippedFile, discover, file_digest, read_text, source_name
from index.parse import parse_document
from index.store import (
    ClauseTerms,
    FileEntry,
    Generation,
    Manifest,
    current_generation_path,
    load_generation,
    write_generation,
)

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
EMBED_BATCH = 16
LABEL_SEPARATOR = " › "
EMBED_MAX_CHARS = 900  # e5 reads at most 512 tokens; longer text only costs time


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


@dataclass(frozen=True)
class _Part:
    """One document's contribution to a generation."""

    entry: FileEntry
    document: Document
    clauses: list[Clause]
    terms: list[ClauseTerms]
    vectors: np.ndarray | None  # None until embedded


def metadata_context(document: Document, clause: Clause) -> str:
    """Searchable words for the blocks that carry a document's metadata.

    The opening block names the issuer, number and date; the closing block holds the
    recipients and the signature. Their text rarely says "ký" or "ban hành", which is how
    people ask about them, so those words are indexed (never cited) with the values.
    """
    if clause.kind is ClauseKind.PREAMBLE:
        facts = [("Văn bản", f"{document.kind} {document.title}"),
                 ("Cơ quan ban hành", document.issuer), ("Số", document.number),
                 ("Ngày ban hành", document.date), ("Địa bàn", document.locality)]
    elif clause.kind is ClauseKind.CLOSING:
        facts = [("Người ký ban hành", document.signer), ("Cơ quan ban hành", document.issuer),
                 ("Nơi nhận, gửi tới", "các cơ quan, đơn vị")]
    else:
        return ""
    return ". ".join(f"{name}: {value}" for name, value in facts if value.strip())


def embedded_text(document: Document, clause: Clause) -> str:
    """The text the dense model sees: document, heading chain and the clause's own text."""
    extra = metadata_context(document, clause)
    text = f"{document.short_title}. {clause.label}\n{extra}\n{clause.text}"
    return text[:EMBED_MAX_CHARS]


def context_chain(clause: Clause) -> str:
    """The headings above a clause (its label without its own, last element)."""
    parts = clause.label.split(LABEL_SEPARATOR)
    return LABEL_SEPARATOR.join(parts[:-1])


def clause_terms(document: Document, clause: Clause) -> ClauseTerms:
    """Lexical terms of a clause: the headings above it and its own text (heading included)."""
    text = f"{context_chain(clause)}\n{metadata_context(document, clause)}\n{clause.text}"
    return ClauseTerms(
        tuple(vntext.index_terms(text)), tuple(vntext.index_terms(text, folded=True))
    )


def previous_generation(settings: Settings) -> Generation | None:
    """The active generation if it was built with compatible settings, else None."""
    path = current_generation_path(settings.index_dir)
    if path is None:
        return None
    generation = load_generation(path)
    if not generation.manifest.compatible_with(embedding_id(settings)):
        logger.warning("index at %s was built with other settings: rebuilding", path)
        return None
    return generation


def _reuse_parts(generation: Generation) -> dict[str, _Part]:
    parts: dict[str, _Part] = {}
    positions: dict[str, list[int]] = {}
    for i, clause in enumerate(generation.clauses):
        positions.setdefault(clause.source, []).append(i)
    documents = {d.source: d for d in generation.documents}
    for source, entry in generation.manifest.files.items():
        idx = positions.get(source, [])
        parts[source] = _Part(
            entry=entry,
            document=documents[source],
            clauses=[generation.clauses[i] for i in idx],
            terms=[generation.terms[i] for i in idx],
            vectors=generation.vectors[idx]
            if idx
            else np.zeros(
                (0, generation.vectors.shape[1] if generation.vectors.ndim == 2 else 0), np.float32
            ),
        )
    return parts


def _parse_file(path: Path, source: str, max_bytes: int) -> _Part:
    loaded = read_text(path, max_bytes=max_bytes)
    document, clauses = parse_document(loaded.text, source=source, sha256=loaded.sha256)
    if not any(c.text.strip() for c in clauses):
        raise IngestError("không có nội dung văn bản")
    return _Part(
        entry=FileEntry(source, str(path.resolve()), loaded.sha256, len(clauses)),
        document=document,
        clauses=clauses,
        terms=[clause_terms(document, c) for c in clauses],
        vectors=None,
    )


def _embed(
    parts: Iterable[_Part], embedder: BaseEmbedding, progress: Progress | None
) -> list[_Part]:
    todo = [p for p in parts if p.vectors is None]
    texts = [embedded_text(p.document, c) for p in todo for c in p.clauses]
    vectors: list[list[float]] = []
    for start in range(0, len(texts), EMBED_BATCH):
        vectors.extend(embedder.get_text_embedding_batch(texts[start : start + EMBED_BATCH]))
        if progress:
            done = min(start + EMBED_BATCH, len(texts))
            progress(done, len(texts), f"Đang tạo vector: {done}/{len(texts)} điều khoản")
    out, offset = [], 0
    for part in todo:
        n = len(part.clauses)
        block = np.asarray(vectors[offset : offset + n], dtype=np.float32).reshape(n, -1)
        out.append(_Part(part.entry, part.document, part.clauses, part.terms, block))
        offset += n
    return out


def build_index(
    settings: Settings,
    paths: Sequence[Path] = (),
    *,
    embedder: BaseEmbedding,
    keep_existing: bool = False,
    remove: Sequence[str] = (),
    progress: Progress | None = None,
) -> IndexReport:
    """Bring the index in line with ``paths``; write a new generation only if something changed.

    With ``keep_existing`` the documents already indexed stay (adding files); otherwise the
    index holds exactly the files found under ``paths`` and documents of removed files vanish.
    """
    started = time.perf_counter()
    report = IndexReport()
    previous = previous_generation(settings)
    old_parts = _reuse_parts(previous) if previous else {}

    files, skipped = discover(list(paths))
    report.skipped.extend((s.source, s.reason) for s in skipped)
    parts: dict[str, _Part] = (
        {s: p for s, p in old_parts.items() if s not in remove} if keep_existing else {}
    )
    for done, path in enumerate(files, start=1):
        source = source_name(path)  # discover() already skipped duplicate names
        if progress:
            progress(done, len(files), f"Đang đọc {source}")
        try:
            digest = file_digest(path)
            old = old_parts.get(source)
            if old is not None and old.entry.sha256 == digest:
                parts[source] = old
                report.unchanged += 1
                continue
            parts[source] = _parse_file(path, source, int(settings.max_file_mb * 1024 * 1024))
            report.indexed += 1
        except IngestError as exc:
            report.skipped.append((source, str(exc)))
        except OSError as exc:
            report.skipped.append((source, f"không đọc được tệp ({exc.strerror or exc})"))

    report.files = len(parts)
    report.removed = len(set(old_parts) - set(parts))
    report.changed = previous is None or report.indexed > 0 or report.removed > 0
    if report.changed:
        fresh = {p.document.source: p for p in _embed(parts.values(), embedder, progress)}
        ordered = [fresh.get(s, parts[s]) for s in sorted(parts)]
        dim = next(
            (p.vectors.shape[1] for p in ordered if p.vectors is not None and p.vectors.size), 0
        )
        vectors = (
            np.concatenate([p.vectors for p in ordered if p.vectors is not None and p.vectors.size])
            if dim
            else np.zeros((0, 0), np.float32)
        )
        documents = [_with_count(p.document, len(p.clauses)) for p in ordered]
        write_generation(
            settings,
            settings.index_dir,
            manifest=Manifest(
                embedding=embedding_id(settings), files={p.entry.source: p.entry for p in ordered}
            ),
            documents=documents,
            clauses=[c for p in ordered for c in p.clauses],
            terms=[t for p in ordered for t in p.terms],
            vectors=vectors,
            embedded_texts=[embedded_text(p.document, c) for p in ordered for c in p.clauses],
        )
    report.clauses = sum(len(p.clauses) for p in parts.values())
    report.seconds = time.perf_counter() - started
    return report


def _with_count(document: Document, count: int) -> Document:
    from dataclasses import replace

    return replace(document, clause_count=count)


__all__ = ["IndexReport", "Progress", "SkippedFile", "build_index", "embedded_text"]
