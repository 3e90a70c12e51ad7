"""One change larger than Chroma's batch limit, and HNSW search over what it wrote."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hoidap.config import Settings
from hoidap.types import Clause, ClauseKind, Document
from index.dense import DenseIndex, client
from index.store import (
    FileEntry,
    Manifest,
    NewSegment,
    Passage,
    commit_generation,
    current_generation_path,
    load_generation,
    new_collection_name,
)

pytestmark = pytest.mark.e2e

DOCUMENTS, CLAUSES = 3, 2000  # 6,000 passages: above the 5,461 rows Chroma takes at once


def _segment(source: str, rng: np.random.Generator) -> NewSegment:
    clauses = [
        Clause(
            f"{source}#{i}", source, source, str(i), str(i), f"nhiệm vụ {i}", ClauseKind.SECTION, i
        )
        for i in range(CLAUSES)
    ]
    passages = [
        Passage(c.id, c.id, source, c.text, ("nhiệm", "vụ", c.path), ("nhiem", "vu", c.path))
        for c in clauses
    ]
    return NewSegment(
        document=Document(source=source, title=source, sha256=source, clause_count=CLAUSES),
        clauses=clauses,
        passages=passages,
        vectors=rng.normal(size=(CLAUSES, 16)).astype(np.float32),
        offices=(),
    )


def test_a_change_above_chromas_batch_limit_is_written_and_searchable(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "index", dense_exact_limit=0)
    rng = np.random.default_rng(7)
    new = {f"doc{i}.txt": _segment(f"doc{i}.txt", rng) for i in range(DOCUMENTS)}
    manifest = Manifest(
        embedding=settings.embedding_id,
        collection=new_collection_name(),
        files={s: FileEntry(s, s, s, CLAUSES) for s in new},
    )
    commit_generation(settings, settings.index_dir, manifest=manifest, new=new, previous=None)

    generation = load_generation(current_generation_path(settings.index_dir))
    assert generation.passages == DOCUMENTS * CLAUSES
    chroma = client(settings, settings.index_dir)
    assert chroma.get_collection(manifest.collection).count() == DOCUMENTS * CLAUSES
    dense = DenseIndex(settings, generation)
    assert not dense.exact
    target = generation.passage_start[generation.segments[1].name] + 123
    query = generation.segments[1].vectors()[123]
    found = dense.search(query, 10, None)
    assert found.rows[0] == target and found.similarities[0] == pytest.approx(1.0, abs=1e-4)
    only_first = np.array([True, False, False])
    assert set(generation.passage_doc[dense.search(query, 10, only_first).rows]) == {0}
    # an index made with another search ef (an older version's) searches with Tuning's
    chroma.get_collection(manifest.collection).modify(configuration={"hnsw": {"ef_search": 16}})
    reopened = DenseIndex(settings, load_generation(current_generation_path(settings.index_dir)))
    reopened.search(query, 10, None)
    config = client(settings, settings.index_dir).get_collection(manifest.collection).configuration
    assert config["hnsw"]["ef_search"] == settings.tuning.hnsw_ef_search
    matrix = np.concatenate([s.vectors() for s in generation.segments])
    for row in range(0, DOCUMENTS * CLAUSES, 600):  # HNSW finds the exact 60 nearest
        exact = np.argsort(-(matrix @ matrix[row]))[:60]
        assert set(reopened.search(matrix[row], 60, None).rows) == set(exact)
