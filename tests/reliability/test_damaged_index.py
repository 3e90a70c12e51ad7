"""Damaged index folders: every command explains in Vietnamese, none shows a traceback, and
reading or indexing falls back to the newest complete generation."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from hoidap.errors import IndexDamagedError
from index.build import build_index
from index.packs import PACKS
from index.store import CURRENT_FILE, current_generation_path
from service import Service

from .conftest import small_settings

pytestmark = [pytest.mark.e2e, pytest.mark.reliability]

GOOD = {"an_binh.txt", "tan_lap.txt"}  # the older generation
NEWEST = GOOD | {"hoa_binh.txt"}  # the active one, which each case damages


def _pack(gen: Path) -> Path:
    """The pack of the document only the newest generation has (hoa_binh.txt)."""
    manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    return gen.parent / PACKS / manifest["files"]["hoa_binh.txt"]["pack"]


def _truncate(name: str) -> Callable[[Path], None]:
    def damage(gen: Path) -> None:
        target = _pack(gen) / name
        data = target.read_bytes()
        target.write_bytes(data[: len(data) // 2])

    return damage


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda gen: (_pack(gen) / name).write_bytes(data)


def _remove(name: str) -> Callable[[Path], None]:
    return lambda gen: (_pack(gen) / name).unlink()


def _current_dir(gen: Path) -> None:
    pointer = gen.parent / CURRENT_FILE
    pointer.unlink()
    pointer.mkdir()


# cases that leave the newest generation's own records intact: it stays in use
INTACT = ("CURRENT", "chroma")
CASES: dict[str, Callable[[Path], None]] = {
    "CURRENT random bytes": lambda gen: (gen.parent / CURRENT_FILE).write_bytes(os.urandom(64)),
    "CURRENT a directory": _current_dir,
    "CURRENT missing": lambda gen: (gen.parent / CURRENT_FILE).unlink(),
    "manifest random bytes": lambda gen: (gen / "manifest.json").write_bytes(os.urandom(300)),
    "manifest {}": lambda gen: (gen / "manifest.json").write_bytes(b"{}"),
    "manifest a list": lambda gen: (gen / "manifest.json").write_bytes(b"[1, 2]"),
    "members truncated": _truncate("members.json"),
    "clauses truncated": _truncate("clauses.json"),
    "terms truncated": _truncate("terms/accented_term.npy"),
    "vectors truncated": _truncate("vectors.npy"),
    "members missing": _remove("members.json"),
    "clauses missing": _remove("clauses.json"),
    "terms missing": _remove("terms/folded_count.npy"),
    "vocabulary truncated": _truncate("terms/vocabulary.json"),
    "words truncated": _truncate("words.json"),
    "vectors missing": _remove("vectors.npy"),
    "clauses empty": _write("clauses.json", b""),
    "vectors random bytes": _write("vectors.npy", os.urandom(2000)),
    "pack missing": lambda gen: shutil.rmtree(_pack(gen)),
    # Chroma is derived from the segments' vectors: small indexes search them exactly, and
    # the next change re-creates a lost collection from them
    "chroma missing": lambda gen: shutil.rmtree(gen.parent / "chroma"),
    "chroma empty": lambda gen: (gen.parent / "chroma" / "chroma.sqlite3").write_bytes(b""),
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    """An index folder with two complete generations: GOOD, then NEWEST (active)."""
    root = tmp_path_factory.mktemp("pristine")
    settings = small_settings(root)
    corpus = settings.corpus_dir
    build_index(settings, [corpus / "an_binh.txt", corpus / "tan_lap.txt"], embedder=embedder)
    build_index(settings, [corpus / "hoa_binh.txt"], embedder=embedder, keep_existing=True)
    return root


def _copy(pristine: Path, tmp_path: Path):
    shutil.copytree(pristine, tmp_path, dirs_exist_ok=True)
    return small_settings(tmp_path)


def _cli(settings, *args: str):
    env = {
        "HOIDAP_INDEX_DIR": str(settings.index_dir),
        "HOIDAP_CORPUS_DIR": str(settings.corpus_dir),
        "HOIDAP_UPLOAD_DIR": str(settings.upload_dir),
    }
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("case", list(CASES))
def test_damaged_newest_generation_falls_back(case: str, pristine: Path, tmp_path: Path, embedder):
    settings = _copy(pristine, tmp_path)
    CASES[case](current_generation_path(settings.index_dir))

    pointer_only = case.startswith(INTACT)  # the newest generation itself is intact
    service = Service.open(settings, build_if_missing=False, embedder=embedder)
    assert {d.source for d in service.documents()} == (NEWEST if pointer_only else GOOD)
    answer = service.ask("Ai bố trí kinh phí chuyển đổi số?")
    assert not answer.refused and answer.citations[0].source == "an_binh.txt"

    docs = _cli(settings, "docs")
    assert docs.exit_code == 0 and "an_binh.txt" in docs.output

    index = _cli(settings, "index")  # adds the corpus again on top of the last good generation
    assert index.exit_code == 0, index.output
    if not pointer_only:
        assert "khôi phục từ bản hoàn chỉnh" in index.output
    reopened = Service.open(settings, build_if_missing=False, embedder=embedder)
    assert {d.source for d in reopened.documents()} == NEWEST


def test_only_generation_damaged_explains(pristine: Path, tmp_path: Path, embedder) -> None:
    settings = _copy(pristine, tmp_path)
    for gen in settings.index_dir.glob("gen-*"):
        (gen / "manifest.json").write_bytes(b"{}")
    with pytest.raises(IndexDamagedError, match="hoidap index --replace"):
        Service.open(settings, build_if_missing=False, embedder=embedder)
    result = _cli(settings, "index", "--replace")
    assert result.exit_code == 0 and "Lưu ý" in result.output
    rebuilt = Service.open(settings, build_if_missing=False, embedder=embedder)
    assert {d.source for d in rebuilt.documents()} == NEWEST


def test_index_folder_that_is_a_file(tmp_path: Path) -> None:
    settings = small_settings(tmp_path)
    settings.index_dir.write_text("không phải thư mục", encoding="utf-8")
    for args in (["docs"], ["index"], ["ask", "Ai chủ trì?"], ["show", "a.txt#I.1"]):
        result = _cli(settings, *args)
        assert result.exit_code == 2, (args, result.output)
        assert "là một tệp, không phải thư mục" in result.output
