"""Packs of segments: what is read back equals what was written; small packs merge without
losing a clause or a Chroma row, and a change that dies while merging keeps the index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hoidap.config import Settings
from hoidap.types import Clause, ClauseKind, Document
from index import store
from index.dense import client
from index.packs import PACKS, load_pack, write_pack
from index.store import (
    FileEntry,
    Manifest,
    NewSegment,
    Passage,
    as_segment,
    commit_generation,
    current_generation_path,
    load_generation,
    new_collection_name,
    read_manifest,
)

WORDS = "phòng kinh tế chủ trì phối hợp xã tỉnh kế hoạch 06-ctr/tu 80/2025/nđ-cp".split()


def _new(source: str, rng: np.random.Generator) -> NewSegment:
    clauses = [
        Clause(
            f"{source}#{i}", source, source, str(i), str(i), f"UBND việc {i}", ClauseKind.SECTION, i
        )
        for i in range(int(rng.integers(1, 6)))
    ]
    passages = []
    for clause in clauses:
        for j in range(int(rng.integers(1, 3))):
            terms = tuple(rng.choice(WORDS, size=int(rng.integers(0, 6))))
            passages.append(Passage(f"{clause.id}/{j}", clause.id, source, "", terms, terms))
    return NewSegment(
        document=Document(source=source, title=source, sha256=source, clause_count=len(clauses)),
        clauses=clauses,
        passages=passages,
        vectors=rng.normal(size=(len(passages), 8)).astype(np.float32),
        offices=("Phòng Kinh tế",),
    )


def test_a_pack_reads_back_what_was_written(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    news = [_new(f"doc{i}.txt", rng) for i in range(6)]
    written = [as_segment(f"seg{i}", new) for i, new in enumerate(news)]
    write_pack(tmp_path, "p1", written)
    loaded = load_pack(tmp_path / "p1")
    assert list(loaded) == [s.name for s in written]
    for new, want in zip(news, written, strict=True):
        got = loaded[want.name]
        assert (got.document, got.clauses, got.offices) == (new.document, new.clauses, new.offices)
        assert got.words == [f"ủy ban nhân dân việc {c.order}" for c in new.clauses]  # as indexed
        np.testing.assert_array_equal(got.owner, want.owner)
        np.testing.assert_allclose(got.vectors(), store.unit_rows(new.vectors))
        for field, table in want.tables.items():
            for part in ("lengths", "passage", "term", "count"):
                np.testing.assert_array_equal(
                    getattr(got.tables[field], part), getattr(table, part)
                )


def _commit(settings: Settings, source: str, rng: np.random.Generator) -> Path:
    """Add one document (one pack) on top of the current generation."""
    active = current_generation_path(settings.index_dir)
    previous = read_manifest(active) if active else None
    files = dict(previous.files) if previous else {}
    new = _new(source, rng)
    files[source] = FileEntry(source, source, source, len(new.clauses))
    manifest = Manifest(
        embedding=settings.embedding_id,
        collection=previous.collection if previous else new_collection_name(),
        files=files,
    )
    return commit_generation(
        settings,
        settings.index_dir,
        manifest=manifest,
        new={source: new},
        previous=previous,
        keep=[active] if active else [],
    )


def _state(settings: Settings) -> tuple[list[Clause], np.ndarray, int]:
    generation = load_generation(current_generation_path(settings.index_dir))
    vectors = np.concatenate([s.vectors() for s in generation.segments])
    collection = client(settings, settings.index_dir).get_collection(generation.manifest.collection)
    return generation.clauses, vectors, collection.count()


def _merging_at(
    packs: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Settings, np.random.Generator]:
    """An empty index whose changes merge small packs once more than ``packs`` pile up."""
    monkeypatch.setattr(store, "PACK_MERGE_AT", packs)
    return Settings(index_dir=tmp_path / "index"), np.random.default_rng(packs)


def test_small_packs_merge_and_the_old_ones_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, rng = _merging_at(3, tmp_path, monkeypatch)
    for i in range(3):
        _commit(settings, f"doc{i}.txt", rng)
    first = read_manifest(current_generation_path(settings.index_dir)).files
    assert len({e.pack for e in first.values()}) == 3  # one pack per change
    clauses, vectors, _ = _state(settings)

    final = _commit(settings, "doc3.txt", rng)  # a fourth small pack: all four merge
    files = read_manifest(final).files
    merged = {e.pack for e in files.values()}
    assert len(merged) == 1 and not merged & {e.pack for e in first.values()}
    assert {s: e.segment for s, e in first.items()} == {
        s: e.segment for s, e in files.items() if s in first
    }  # segments keep their names (and Chroma rows)
    got_clauses, got_vectors, rows = _state(settings)
    assert got_clauses[: len(clauses)] == clauses
    np.testing.assert_array_equal(got_vectors[: len(vectors)], vectors)
    assert rows == sum(e.passages for e in files.values())

    _commit(settings, "doc4.txt", rng)  # the four old packs are no generation's any more
    live = {
        e.pack for e in read_manifest(current_generation_path(settings.index_dir)).files.values()
    }
    assert {p.name for p in (settings.index_dir / PACKS).iterdir()} == live | merged


def test_a_change_that_dies_while_merging_keeps_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, rng = _merging_at(1, tmp_path, monkeypatch)
    before = _commit(settings, "doc0.txt", rng)
    clauses, _, rows = _state(settings)
    written = store.write_pack

    def dies_merging(root: Path, name: str, segments: list) -> None:
        if len(segments) > 1:  # the merge, after the change's own pack and Chroma rows
            raise KeyboardInterrupt
        written(root, name, segments)

    monkeypatch.setattr(store, "write_pack", dies_merging)
    with pytest.raises(KeyboardInterrupt):
        _commit(settings, "doc1.txt", rng)
    assert current_generation_path(settings.index_dir) == before
    assert _state(settings)[0] == clauses

    monkeypatch.setattr(store, "write_pack", written)
    final = _commit(settings, "doc2.txt", rng)
    files = read_manifest(final).files
    assert set(files) == {"doc0.txt", "doc2.txt"}
    got_clauses, _, rows = _state(settings)
    assert got_clauses[: len(clauses)] == clauses
    assert rows == sum(e.passages for e in files.values())  # the dead change's rows are gone
