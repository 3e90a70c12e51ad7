"""Hostile files: a .docx decompression bomb, a folder of symlinks pointing outside it, and
uploads the indexer refuses (never left on disk)."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import docx
import pytest

from hoidap.config import LIMITS
from hoidap.errors import IngestError
from index.loaders import REASON_SYMLINK, check_content, discover, read_text
from index.uploads import store_upload

pytestmark = pytest.mark.reliability

LIMIT = 20 * 1024 * 1024
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_with_body(body_chunks) -> bytes:
    """A real .docx (python-docx's template) whose document.xml body is streamed in."""
    template = io.BytesIO()
    docx.Document().save(template)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(template) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
        body = zipfile.ZipInfo("word/document.xml")
        body.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(body, "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0"?><w:document {W}><w:body>'.encode())
            for chunk in body_chunks:
                fh.write(chunk)
            fh.write(b"</w:body></w:document>")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """About 150 MB of tiny paragraphs, packed into a few hundred kB."""
    chunk = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 30_000  # ~1 MB
    return _docx_with_body(chunk for _ in range(150))


def test_docx_bomb_is_refused_quickly(bomb: bytes, tmp_path: Path) -> None:
    assert len(bomb) < 1024 * 1024
    path = tmp_path / "bom.docx"
    path.write_bytes(bomb)
    started = time.perf_counter()
    with pytest.raises(IngestError, match="vượt giới hạn"):
        check_content(bomb, ".docx")  # the upload check
    with pytest.raises(IngestError, match="vượt giới hạn"):
        read_text(path, max_bytes=LIMIT)  # indexing
    assert time.perf_counter() - started < 5


def test_docx_with_too_many_paragraphs_is_refused(tmp_path: Path) -> None:
    many = b"<w:p/>" * (LIMITS.docx_paragraphs + 1)  # small XML, but millions of elements
    data = _docx_with_body([many])
    with pytest.raises(IngestError, match=f"hơn {LIMITS.docx_paragraphs} đoạn văn"):
        check_content(data, ".docx")
    upload_dir = tmp_path / "uploads"
    src = tmp_path / "nhieu_doan.docx"
    src.write_bytes(data)
    with pytest.raises(Exception, match="đoạn văn"):
        store_upload(src, src.name, upload_dir, max_bytes=LIMIT)
    assert not upload_dir.exists() or not any(upload_dir.iterdir())


def test_a_normal_docx_passes_the_limits() -> None:
    document = docx.Document()
    for i in range(2000):
        document.add_paragraph(f"{i}. Phòng Kinh tế chủ trì nhiệm vụ số {i}.")
    buffer = io.BytesIO()
    document.save(buffer)
    check_content(buffer.getvalue(), ".docx")


def test_symlinks_never_leave_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd.txt").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "ke_hoach.txt").write_text("KẾ HOẠCH\n1. Phòng Kinh tế chủ trì.\n", "utf-8")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    os.symlink(outside / "passwd.txt", folder / "sub" / "mat_khau.txt")
    os.symlink(folder / "ke_hoach.txt", folder / "ban_sao.txt")  # even one pointing inside
    os.symlink(outside, folder / "thu_muc_ngoai")
    files, skipped = discover([folder])
    assert files == [folder / "ke_hoach.txt"]
    assert dict((s.source, s.reason) for s in skipped) == {
        "ban_sao.txt": REASON_SYMLINK,
        "passwd.txt": REASON_SYMLINK,
        "mat_khau.txt": REASON_SYMLINK,
    }
