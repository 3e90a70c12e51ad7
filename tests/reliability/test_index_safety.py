"""The index survives typos, a second writer and kill -9: `hoidap index` only adds unless told
to replace, one build at a time across processes, generations in use are never deleted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from hoidap.errors import IndexBusyError
from index.build import build_index
from index.store import current_generation_path, writer_lock
from service import Service

from ..plans import write_plan
from .conftest import small_settings

pytestmark = [pytest.mark.e2e, pytest.mark.reliability]


@pytest.fixture
def indexed(tmp_path: Path, embedder):
    """Settings over an index of the three-plan corpus."""
    settings = small_settings(tmp_path)
    build_index(settings, [settings.corpus_dir], embedder=embedder)
    return settings


def _env(settings) -> dict[str, str]:
    return {
        "HOIDAP_INDEX_DIR": str(settings.index_dir),
        "HOIDAP_CORPUS_DIR": str(settings.corpus_dir),
        "HOIDAP_UPLOAD_DIR": str(settings.upload_dir),
    }


def _sources(settings, embedder) -> set[str]:
    service = Service.open(settings, build_if_missing=False, embedder=embedder)
    return {d.source for d in service.documents()}


def test_typo_in_path_changes_nothing(indexed, embedder, tmp_path: Path) -> None:
    before = current_generation_path(indexed.index_dir)
    result = CliRunner().invoke(
        main, ["index", str(tmp_path / "missing_typo.txt")], env=_env(indexed)
    )
    assert result.exit_code == 2
    assert "Không tìm thấy" in result.output and "giữ nguyên" in result.output
    assert current_generation_path(indexed.index_dir) == before
    assert len(_sources(indexed, embedder)) == 3


def test_index_adds_unless_told_to_replace(indexed, embedder, tmp_path: Path) -> None:
    extra = write_plan(tmp_path / "more", "phu_loc", "giảm nghèo")
    runner = CliRunner()
    added = runner.invoke(main, ["index", str(extra)], env=_env(indexed))
    assert added.exit_code == 0 and "0 đã gỡ" in added.output
    assert len(_sources(indexed, embedder)) == 4
    unreadable = tmp_path / "rong.txt"
    unreadable.write_bytes(b"")
    refused = runner.invoke(main, ["index", "--replace", str(unreadable)], env=_env(indexed))
    assert refused.exit_code == 2 and "chỉ mục giữ nguyên" in refused.output
    assert len(_sources(indexed, embedder)) == 4
    replaced = runner.invoke(main, ["index", "--replace", str(extra)], env=_env(indexed))
    assert replaced.exit_code == 0 and "3 đã gỡ" in replaced.output
    assert _sources(indexed, embedder) == {"phu_loc.txt"}


def _cli_process(settings, *args: str, wait: float) -> subprocess.Popen:
    env = {**os.environ, **_env(settings), "HOIDAP_INDEX_LOCK_WAIT": str(wait)}
    return subprocess.Popen(
        [sys.executable, "-m", "cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_second_writer_waits_then_explains(indexed, tmp_path: Path) -> None:
    extra = write_plan(tmp_path / "more", "phu_loc", "giảm nghèo")
    before = current_generation_path(indexed.index_dir)
    with writer_lock(indexed.index_dir, wait_s=0):  # this process is building
        proc = _cli_process(indexed, "index", str(extra), wait=1.0)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, out + err
    assert "Một tiến trình khác đang cập nhật chỉ mục" in err and "Traceback" not in err
    assert current_generation_path(indexed.index_dir) == before


def _lock_held(index_dir: Path) -> bool:
    try:
        with writer_lock(index_dir, wait_s=0):
            return False
    except IndexBusyError:
        return True


def test_kill_9_mid_build_releases_the_lock(indexed, embedder, tmp_path: Path) -> None:
    big = tmp_path / "big"
    for i in range(12):
        write_plan(big, f"xa_so_{i}", f"nhiệm vụ riêng số {i}")
    before = current_generation_path(indexed.index_dir)
    proc = _cli_process(indexed, "index", str(big), wait=5.0)
    give_up = time.monotonic() + 30
    while proc.poll() is None and time.monotonic() < give_up and not _lock_held(indexed.index_dir):
        time.sleep(0.05)
    time.sleep(0.5)  # into reading and embedding
    assert proc.poll() is None, "the build finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert current_generation_path(indexed.index_dir) == before
    assert not _lock_held(indexed.index_dir)  # an flock dies with its process
    extra = write_plan(tmp_path / "more", "phu_loc", "giảm nghèo")
    build_index(indexed, [extra], embedder=embedder, keep_existing=True)
    assert len(_sources(indexed, embedder)) == 4
    assert all((p / "manifest.json").exists() for p in indexed.index_dir.glob("gen-*"))


def test_builds_never_delete_a_generation_in_use(indexed, embedder, tmp_path: Path) -> None:
    reader = Service.open(indexed, build_if_missing=False, embedder=embedder)
    in_use = reader.state.generation.path
    for i in range(3):
        extra = write_plan(tmp_path / "more", f"xa_{i}", f"nhiệm vụ {i}")
        build_index(indexed, [extra], embedder=embedder, keep_existing=True)
    assert in_use.is_dir()
    answer = reader.ask("Ai bố trí kinh phí chuyển đổi số?")  # dense search reads its Chroma
    assert not answer.refused and answer.citations[0].source == "an_binh.txt"
    reader.add_files([write_plan(tmp_path / "more", "xa_cuoi", "môi trường")])
    assert reader.state.generation.path != in_use
    build_index(
        indexed,
        [write_plan(tmp_path / "more", "xa_sau", "y tế")],
        embedder=embedder,
        keep_existing=True,
    )
    assert not in_use.exists()  # released by the reader, so pruned by the next build
    assert len(list(indexed.index_dir.glob("gen-*"))) <= 3


def test_uploads_through_the_server_survive_a_cli_index(indexed, embedder, tmp_path: Path) -> None:
    server = Service.open(indexed, build_if_missing=False, embedder=embedder)
    server.add_files([write_plan(indexed.upload_dir, "tai_len", "an sinh xã hội")])
    other = write_plan(tmp_path / "more", "phu_loc", "giảm nghèo")
    result = CliRunner().invoke(main, ["index", str(other)], env=_env(indexed))
    assert result.exit_code == 0, result.output
    assert {"tai_len.txt", "phu_loc.txt"} <= _sources(indexed, embedder)
    assert not server.ask("an sinh xã hội do ai chủ trì?").refused  # the server still answers
