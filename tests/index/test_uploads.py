"""index.uploads: hostile file names, content checks, size limit, never overwriting."""

from __future__ import annotations

import io
import os
import unicodedata
from pathlib import Path

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoidap.errors import InputError
from index.loaders import read_text
from index.uploads import MAX_NAME_BYTES, sanitize_filename, store_upload

LIMIT = 1024 * 1024
TEXT = "Kế hoạch số 115/KH-UBND: Phòng Kinh tế chủ trì.".encode()
PDF_HEAD = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"  # only the signature is checked on upload


def source(tmp_path: Path, data: bytes, name: str = "tam") -> Path:
    """The temporary file a web framework hands over (its own name is meaningless)."""
    path = tmp_path / "gradio-tmp" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Kế hoạch số 115/KH-UBND")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("original", "stored", "data"),
    [
        ("../../x.txt", "x.txt", TEXT),
        ("..\\..\\x.docx", "x.docx", None),
        ("a/b/c.pdf", "c.pdf", PDF_HEAD),
        ("C:\\Users\\cb\\Desktop\\kh.txt", "kh.txt", TEXT),
        ("/tmp/../etc/kh.md", "kh.md", TEXT),
        ("kh\x00.txt", "kh.txt", TEXT),
        ("kế\nhoạch\t2025.txt", "kế hoạch 2025.txt", TEXT),
        ("bao\u202ecod.txt", "baocod.txt", TEXT),  # right-to-left override removed
        ("  .ẩn.txt  ", "ẩn.txt", TEXT),
        ('kh<1>:"2"|?*.txt', "kh_1___2____.txt", TEXT),
        ("CON.txt", "_CON.txt", TEXT),
        ("Kế hoạch 115-KH-UBND (bản cuối).docx", "Kế hoạch 115-KH-UBND (bản cuối).docx", None),
    ],
)
def test_hostile_names_stay_inside_upload_dir(
    tmp_path: Path, original: str, stored: str, data: bytes | None
) -> None:
    data = docx_bytes() if data is None else data
    upload_dir = tmp_path / "uploads"
    path = store_upload(source(tmp_path, data), original, upload_dir, max_bytes=LIMIT)
    assert path == upload_dir / stored
    assert path.read_bytes() == data
    assert tree(upload_dir) == {stored}
    assert tree(tmp_path) == {"gradio-tmp/tam", f"uploads/{stored}"}  # nothing written elsewhere


def test_vietnamese_name_is_kept_in_nfc(tmp_path: Path) -> None:
    name = unicodedata.normalize("NFD", "Nghị quyết Hội đồng.txt")
    path = store_upload(source(tmp_path, TEXT), name, tmp_path / "up", max_bytes=LIMIT)
    assert path.name == "Nghị quyết Hội đồng.txt"
    assert unicodedata.is_normalized("NFC", path.name)


def test_very_long_name_is_shortened_keeping_extension(tmp_path: Path) -> None:
    path = store_upload(
        source(tmp_path, TEXT), "ế" * 500 + ".txt", tmp_path / "up", max_bytes=LIMIT
    )
    assert path.suffix == ".txt"
    assert len(path.name.encode()) <= MAX_NAME_BYTES
    assert path.stem == "ế" * len(path.stem)


@pytest.mark.parametrize("original", ["..", "../..", "/", "...", "\x00\x01", "   ", "\u200b"])
def test_names_with_nothing_left_are_refused(tmp_path: Path, original: str) -> None:
    with pytest.raises(InputError, match="Tên tệp .* không hợp lệ"):
        store_upload(source(tmp_path, TEXT), original, tmp_path / "up", max_bytes=LIMIT)
    assert not (tmp_path / "up").exists()


@pytest.mark.parametrize(
    ("original", "data", "fragment"),
    [
        ("/etc/passwd", TEXT, "không có phần mở rộng"),
        ("virus.exe", b"MZ\x90\x00", "định dạng .exe không được hỗ trợ"),
        ("kh.txt.exe", TEXT, "định dạng .exe"),
        ("gia.pdf", TEXT, "không phải tệp PDF"),
        ("gia.docx", TEXT, "không phải tệp Word"),
        ("anh.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "nhị phân"),
        ("rong.txt", b"", "tệp rỗng"),
    ],
)
def test_bad_uploads_are_refused_with_a_vietnamese_reason(
    tmp_path: Path, original: str, data: bytes, fragment: str
) -> None:
    with pytest.raises(InputError) as caught:
        store_upload(source(tmp_path, data), original, tmp_path / "up", max_bytes=LIMIT)
    message = str(caught.value)
    assert fragment in message
    assert message.startswith(("Không nhận tệp “", "Tên tệp “"))
    assert not (tmp_path / "up").exists() or tree(tmp_path / "up") == set()


def test_oversize_upload_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="vượt quá giới hạn 100 byte"):
        store_upload(source(tmp_path, b"x" * 101), "lon.txt", tmp_path / "up", max_bytes=100)


def test_missing_source_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="không tìm thấy"):
        store_upload(tmp_path / "khong-co", "kh.txt", tmp_path / "up", max_bytes=LIMIT)


def test_same_name_never_overwrites(tmp_path: Path) -> None:
    upload_dir = tmp_path / "up"
    first = store_upload(source(tmp_path, TEXT, "1"), "kh.txt", upload_dir, max_bytes=LIMIT)
    other = TEXT + " Bản sửa đổi.".encode()
    second = store_upload(source(tmp_path, other, "2"), "kh.txt", upload_dir, max_bytes=LIMIT)
    third = store_upload(source(tmp_path, b"ba", "3"), "../kh.txt", upload_dir, max_bytes=LIMIT)
    assert len({first, second, third}) == 3
    assert first.read_bytes() == TEXT and second.read_bytes() == other
    assert third.read_bytes() == b"ba"
    assert second.name.startswith("kh-") and second.suffix == ".txt"
    again = store_upload(source(tmp_path, other, "4"), "kh.txt", upload_dir, max_bytes=LIMIT)
    assert again == second  # the same content uploaded again is not stored twice
    assert tree(upload_dir) == {first.name, second.name, third.name}  # and no temp files left


def test_an_existing_symlink_is_never_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "ngoai.txt"
    outside.write_bytes(b"khong duoc sua")
    upload_dir = tmp_path / "up"
    upload_dir.mkdir()
    (upload_dir / "kh.txt").symlink_to(outside)
    (upload_dir / "treo.txt").symlink_to(tmp_path / "khong-ton-tai")  # dangling
    a = store_upload(source(tmp_path, TEXT), "kh.txt", upload_dir, max_bytes=LIMIT)
    b = store_upload(source(tmp_path, TEXT, "2"), "treo.txt", upload_dir, max_bytes=LIMIT)
    assert outside.read_bytes() == b"khong duoc sua"
    assert not (tmp_path / "khong-ton-tai").exists()
    assert {a.name, b.name}.isdisjoint({"kh.txt", "treo.txt"})
    assert a.read_bytes() == b.read_bytes() == TEXT
    assert not a.is_symlink() and not b.is_symlink()


def test_stored_upload_reads_back(tmp_path: Path) -> None:
    path = store_upload(source(tmp_path, docx_bytes()), "kh.docx", tmp_path / "up", max_bytes=LIMIT)
    assert read_text(path, max_bytes=LIMIT).text == "Kế hoạch số 115/KH-UBND"
    assert os.stat(path).st_nlink == 1  # the temporary link is gone


@given(st.text(max_size=300))
def test_sanitized_names_are_plain_base_names(name: str) -> None:
    try:
        clean = sanitize_filename(name)
    except InputError:
        return
    assert clean and clean == clean.strip() and not clean.startswith((".", "-"))
    assert not any(ch in clean for ch in '/\\<>:"|?*')
    assert not any(unicodedata.category(ch).startswith("C") for ch in clean)
    assert len(clean.encode()) <= MAX_NAME_BYTES
    assert clean not in (".", "..")
    assert unicodedata.is_normalized("NFC", clean)
    assert sanitize_filename(clean) == clean
