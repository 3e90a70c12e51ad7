"""Packs: the files on disk holding document versions (segments), many to a pack.

A pack is a folder written once and never changed::

    packs/<stamp>/members.json   per segment: its name, Document, offices, clause and passage
                                 counts, in pack order
    packs/<stamp>/clauses.json   Clause records of every segment, in pack order: one JSON
                                 document, its field names then one row of values a line
    packs/<stamp>/words.json     per clause, its words in order as the index reads them
    packs/<stamp>/terms/         lexical term tables (index.lexical) of every segment: one
                                 vocabulary per field for the whole pack (vocabulary.json),
                                 and one .npy per array, memory-mapped when read
    packs/<stamp>/vectors.npy    dense vectors (float32, unit length), one row per passage,
                                 memory-mapped when read

A change writes the segments of its changed documents as one new pack, so loading an index
reads a few large files instead of four small files per document (100k clauses: 2,300
documents). Segment names outlive packs: merging small packs copies segments under their
names into a new pack (Chroma rows are keyed by them and stay). Which pack holds which
segment is the manifest's business (``index.store``).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from hoidap.types import Clause, ClauseKind, Document
from index.lexical import VOCABULARY, TermTable

PACKS = "packs"
WRITER_FILE = ".writer-pid"
TABLES = ("accented", "folded", "clause_accented", "clause_folded")
TABLE_PARTS = ("lengths", "passage", "term", "count", "pairs")
PASSAGE_TABLES = ("accented", "folded")  # one row per passage; the others one per clause
TERMS = "terms"  # folder of the term tables: one .npy per array, memory-mapped when read
ARRAYS = ("owner", *(f"{f}_{part}" for f in TABLES for part in TABLE_PARTS))
CLAUSE_FIELDS = [f.name for f in fields(Clause)]


@dataclass(frozen=True)
class Segment:
    """One document version as retrieval reads it (vectors stay memory-mapped)."""

    name: str
    path: Path  # the pack holding it
    document: Document
    clauses: list[Clause]
    words: list[str]  # per clause, its words in order as indexed (phrase look-ups)
    offices: tuple[str, ...]
    owner: np.ndarray  # passage → clause, positions within the document
    tables: dict[str, TermTable]  # compacted: process-wide term ids
    vector_block: np.ndarray  # one row per passage

    @property
    def passages(self) -> int:
        return len(self.owner)

    @property
    def vector_rows(self) -> int:
        return len(self.vector_block)

    def vectors(self) -> np.ndarray:
        return self.vector_block


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def write_pack(root: Path, name: str, segments: Sequence[Segment]) -> None:
    """Write ``segments`` as pack ``root/name``; the folder appears complete or not at all."""
    root.mkdir(parents=True, exist_ok=True)
    partial = root / f".{name}.partial"
    partial.mkdir()
    (partial / WRITER_FILE).write_text(str(os.getpid()), encoding="utf-8")
    rows = max((max(len(s.clauses), s.passages) for s in segments), default=0)
    row_type = np.uint16 if rows < 2**16 else np.int32  # row within its segment
    arrays: dict[str, np.ndarray] = {
        "owner": np.concatenate([s.owner.astype(np.int32) for s in segments])
    }
    vocabularies = {}
    for field in TABLES:
        tables = [s.tables[field] for s in segments]
        ids, local = np.unique(np.concatenate([t.term for t in tables]), return_inverse=True)
        vocabularies[field] = [VOCABULARY.term(int(i)) for i in ids]
        arrays |= {
            f"{field}_lengths": np.concatenate([t.lengths for t in tables]).astype(np.int32),
            f"{field}_passage": np.concatenate([t.passage for t in tables]).astype(row_type),
            f"{field}_term": local.astype(np.int32),
            f"{field}_count": np.concatenate([t.count for t in tables]).astype(np.uint16),
            f"{field}_pairs": np.cumsum([0] + [len(t.term) for t in tables]),
        }
    (partial / TERMS).mkdir()
    _write_json(partial / TERMS / "vocabulary.json", vocabularies)
    for key, array in arrays.items():
        np.save(partial / TERMS / f"{key}.npy", array)
    _write_json(
        partial / "members.json",
        [
            {
                "segment": s.name,
                "document": s.document.to_dict(),
                "offices": list(s.offices),
                "clauses": len(s.clauses),
                "passages": s.passages,
            }
            for s in segments
        ],
    )
    rows = [
        json.dumps([getattr(c, f) for f in CLAUSE_FIELDS], ensure_ascii=False)
        for s in segments
        for c in s.clauses
    ]
    _write_json(partial / "words.json", [w for s in segments for w in s.words])
    (partial / "clauses.json").write_text(
        f'{{"fields": {json.dumps(CLAUSE_FIELDS)},\n"rows": [\n' + ",\n".join(rows) + "\n]}\n",
        encoding="utf-8",
    )
    np.save(partial / "vectors.npy", np.concatenate([s.vector_block for s in segments]))
    (partial / WRITER_FILE).unlink()
    os.rename(partial, root / name)


# reading ---------------------------------------------------------------------------------
_CACHE: dict[Path, dict[str, Segment]] = {}
_CACHE_LOCK = threading.Lock()


def load_pack(path: Path) -> dict[str, Segment]:
    """The segments of a pack by name, read once per process (packs never change).

    Raises ValueError (or OSError, KeyError…) when a file is missing, truncated or disagrees
    with another; the caller turns that into IndexDamagedError.
    """
    with _CACHE_LOCK:
        cached = _CACHE.get(path)
    if cached is not None:
        return cached
    members = json.loads((path / "members.json").read_text("utf-8"))
    clauses = _clauses(json.loads((path / "clauses.json").read_text("utf-8")))
    words = json.loads((path / "words.json").read_text("utf-8"))
    vocabularies = json.loads((path / TERMS / "vocabulary.json").read_text("utf-8"))
    arrays = {key: np.load(path / TERMS / f"{key}.npy", mmap_mode="r") for key in ARRAYS}
    vectors = np.load(path / "vectors.npy", mmap_mode="r")
    starts = {
        "clauses": np.cumsum([0] + [int(m["clauses"]) for m in members]),
        "passages": np.cumsum([0] + [int(m["passages"]) for m in members]),
    }
    owner = arrays["owner"]
    clause_rows, passage_rows = starts["clauses"][-1], starts["passages"][-1]
    if (clause_rows, clause_rows, passage_rows, passage_rows) != (
        len(clauses),
        len(words),
        len(owner),
        len(vectors),
    ) or vectors.ndim != 2:
        raise ValueError(f"{path.name}: số điều, đoạn hoặc vector không khớp")
    tables = {f: _tables(arrays, vocabularies[f], f, starts[_rows(f)]) for f in TABLES}
    segments = {}
    for i, member in enumerate(members):
        c0, c1 = starts["clauses"][i : i + 2]
        p0, p1 = starts["passages"][i : i + 2]
        document = member["document"]
        segments[member["segment"]] = Segment(
            name=member["segment"],
            path=path,
            document=Document(
                **{**document, "definitions": tuple(tuple(p) for p in document["definitions"])}
            ),
            clauses=clauses[c0:c1],
            words=words[c0:c1],
            offices=tuple(member["offices"]),
            owner=owner[p0:p1],
            tables={f: tables[f][i] for f in TABLES},
            vector_block=vectors[p0:p1],
        )
    with _CACHE_LOCK:
        _CACHE[path] = segments
    return segments


def _clauses(data: dict[str, list]) -> list[Clause]:
    """Clause records from their rows (one JSON parse: 100k records in about a second)."""
    if data["fields"] != CLAUSE_FIELDS:
        raise ValueError("các trường của điều khoản khác phiên bản này")
    kind, lead, coord, deadlines = (
        CLAUSE_FIELDS.index(f) for f in ("kind", "lead_offices", "coord_offices", "deadlines")
    )
    out = []
    for row in data["rows"]:
        row[kind] = ClauseKind(row[kind])
        row[lead], row[coord], row[deadlines] = (
            tuple(row[lead]),
            tuple(row[coord]),
            tuple(row[deadlines]),
        )
        out.append(Clause(*row))
    return out


def _rows(field: str) -> str:
    return "passages" if field in PASSAGE_TABLES else "clauses"


def _tables(
    arrays: dict[str, np.ndarray], vocabulary: list[str], field: str, rows: np.ndarray
) -> list[TermTable]:
    """One field's table of every segment, with process-wide term ids (``TermTable.compact``);
    all but the term ids stay memory-mapped."""
    lengths, passage = arrays[f"{field}_lengths"], arrays[f"{field}_passage"]
    local, count = arrays[f"{field}_term"], arrays[f"{field}_count"]
    pairs = arrays[f"{field}_pairs"]
    sizes = np.diff(pairs)
    filled = np.flatnonzero(sizes > 0)
    if (
        len(lengths) != rows[-1]
        or len(pairs) != len(rows)
        or pairs[0] != 0
        or (sizes < 0).any()
        or not len(passage) == len(local) == len(count) == pairs[-1]
        or (len(local) and (local.min() < 0 or local.max() >= len(vocabulary)))
        or (len(filled) and passage.min() < 0)
        or (np.maximum.reduceat(passage, pairs[filled]) >= np.diff(rows)[filled]).any()
    ):
        raise ValueError(f"bảng từ {field} không khớp")
    term = VOCABULARY.ids(vocabulary)[local] if len(local) else np.zeros(0, np.int32)
    out = []
    for i in range(len(rows) - 1):
        lo, hi = pairs[i], pairs[i + 1]
        small = np.uint16 if rows[i + 1] - rows[i] < 2**16 else np.int32
        out.append(
            TermTable(
                (),
                lengths[rows[i] : rows[i + 1]],
                passage[lo:hi].astype(small, copy=False),
                term[lo:hi],
                count[lo:hi],
            )
        )
    return out


def member_names(path: Path) -> list[str]:
    """The segment names a pack holds (its Chroma rows are keyed by them)."""
    return [m["segment"] for m in json.loads((path / "members.json").read_text("utf-8"))]


def forget_packs(keep: Iterable[Path]) -> None:
    """Drop cached packs no loaded generation uses any more."""
    wanted = set(keep)
    with _CACHE_LOCK:
        for path in [p for p in _CACHE if p not in wanted]:
            del _CACHE[path]
