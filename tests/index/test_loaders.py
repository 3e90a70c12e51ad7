"""index.loaders on real files built in tmp_path: encodings, Word, PDF, bad files, folders."""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter

from hoidap.config import bytes_from_mb
from hoidap.errors import IngestError
from index.loaders import (
    REASON_BINARY,
    REASON_BLANK,
    REASON_DOCX_CORRUPT,
    REASON_DOCX_NOT_DOCX,
    REASON_DOCX_OLD_DOC,
    REASON_EMPTY,
    REASON_PDF_CORRUPT,
    REASON_PDF_ENCRYPTED,
    REASON_PDF_NO_TEXT,
    REASON_PDF_NOT_PDF,
    REASON_PERMISSION,
    decode_text,
    discover,
    file_digest,
    format_size,
    load_paths,
    read_text,
)

LIMIT = bytes_from_mb(20)
SENTENCE = (
    "Kế hoạch thực hiện Nghị quyết số 66-NQ/TW của Ủy ban nhân dân xã Chí Minh.\n"
    "Phòng Kinh tế chủ trì, phối hợp với các cơ quan, đơn vị liên quan; hoàn thành trước "
    "ngày 31/12/2025. Đẩy mạnh ứng dụng công nghệ số, bảo đảm tiến độ."
)
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def reason_of(path: Path, *, max_bytes: int = LIMIT) -> str:
    with pytest.raises(IngestError) as caught:
        read_text(path, max_bytes=max_bytes)
    return str(caught.value)


def windows_1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters (â, ơ, đ…) precomposed, tones combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(base + "".join(c for c in parts if c in TONE_MARKS))
    return "".join(out).encode("cp1258")


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH triển khai")
    document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    table = document.add_table(rows=3, cols=4)
    for cell, text in zip(table.rows[0].cells, ["TT", "Nhiệm vụ", "Chủ trì", "Thời gian"]):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["1", "Rà soát văn bản", "Phòng Tư pháp", "2025"]):
        cell.text = text
    merged = table.cell(2, 1).merge(table.cell(2, 2))  # one cell spanning two columns
    merged.text = "Nhiệm vụ chung\ncủa các phòng"
    table.cell(2, 0).text = "2"
    table.cell(2, 3).text = "Quý IV"
    document.add_paragraph("II. TỔ CHỨC THỰC HIỆN")
    document.save(str(path))
    return path


def make_pdf(path: Path, pages: list[str]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(path) as pdf:
        for text in pages:
            figure = plt.figure(figsize=(6, 2))
            figure.text(0.05, 0.5, text)
            pdf.savefig(figure)
            plt.close(figure)
    return path


# -- plain text encodings -------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(SENTENCE.encode("utf-8"), id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), id="utf-8-bom"),
        pytest.param(SENTENCE.encode("utf-16"), id="utf-16-native-bom"),
        pytest.param(codecs.BOM_UTF16_LE + SENTENCE.encode("utf-16-le"), id="utf-16-le"),
        pytest.param(codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be"), id="utf-16-be"),
        pytest.param(unicodedata.normalize("NFD", SENTENCE).encode("utf-8"), id="utf-8-decomposed"),
    ],
)
def test_text_encodings_decode_to_the_same_nfc_text(tmp_path: Path, data: bytes) -> None:
    loaded = read_text(write(tmp_path / "kehoach.txt", data), max_bytes=LIMIT)
    assert loaded.text == SENTENCE
    assert not loaded.text.startswith("\ufeff")
    assert loaded.sha256 == hashlib.sha256(data).hexdigest()
    assert loaded.source == "kehoach.txt"


def test_windows_1258_with_combining_tones_reads_as_nfc(tmp_path: Path) -> None:
    data = windows_1258(SENTENCE)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert any(b in data for b in (b"\xcc", b"\xec", b"\xd2", b"\xde", b"\xf2"))  # tone bytes
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == SENTENCE  # round trip
    loaded = read_text(write(tmp_path / "cp1258.md", data), max_bytes=LIMIT)
    assert loaded.text == SENTENCE
    assert unicodedata.is_normalized("NFC", loaded.text)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Grüße aus München: schöne Straße, Äpfel und Bücher für alle Kinder.", "cp1252"),
        # decodes as Windows-1258 too, but its would-be tone marks do not compose: detected
        ("Привет, мир! Это тестовый текст на русском языке для проверки кодировки.", "cp1251"),
    ],
)
def test_other_legacy_encodings_fall_back_to_detection(text: str, codec: str) -> None:
    assert decode_text(text.encode(codec)) == text


def test_utf8_with_one_damaged_byte_is_kept_as_utf8() -> None:
    data = SENTENCE.encode("utf-8")
    damaged = data[:10] + b"\xff" + data[10:]
    text = decode_text(damaged)
    assert text.replace("\ufffd", "") == SENTENCE


def test_text_is_not_otherwise_normalised(tmp_path: Path) -> None:
    raw = "  Dòng 1  \r\nthực hiện\tnhiệm vụ   \n\n hoá / hóa \n"
    loaded = read_text(write(tmp_path / "a.txt", raw.encode()), max_bytes=LIMIT)
    assert loaded.text == raw


# -- bad files ------------------------------------------------------------------------------


def test_empty_and_blank_files(tmp_path: Path) -> None:
    assert reason_of(write(tmp_path / "rong.txt", b"")) == REASON_EMPTY
    assert reason_of(write(tmp_path / "trang.md", b" \n\t\n ")) == REASON_BLANK


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(bytes(range(256)) * 8, id="all-bytes"),
        pytest.param(b"PK\x03\x04\x14\x00\x00\x00" + os.urandom(64), id="zip-as-text"),
        pytest.param(b"abc" + bytes(range(1, 9)) * 20 + b"def", id="control-chars-no-nul"),
    ],
)
def test_binary_content_in_a_text_file_is_rejected(tmp_path: Path, data: bytes) -> None:
    assert reason_of(write(tmp_path / "nhiphan.txt", data)) == REASON_BINARY


def test_a_few_control_characters_are_tolerated(tmp_path: Path) -> None:
    data = SENTENCE.encode() + b"\x1a"  # DOS end-of-file marker
    assert read_text(write(tmp_path / "dos.txt", data), max_bytes=LIMIT).text.startswith("Kế")


def test_oversize_names_the_actual_limit(tmp_path: Path) -> None:
    small = write(tmp_path / "lon.txt", b"x" * 200)
    assert reason_of(small, max_bytes=100) == "vượt quá giới hạn 100 byte (tệp có 200 byte)"
    sparse = tmp_path / "rat-lon.txt"
    with sparse.open("wb") as fh:
        fh.truncate(LIMIT + 1)  # sparse: no 20 MB written
    assert reason_of(sparse).startswith("vượt quá giới hạn 20 MB")


def test_format_size_is_vietnamese() -> None:
    assert format_size(bytes_from_mb(20)) == "20 MB"
    assert format_size(1536) == "1,5 KB"
    assert format_size(bytes_from_mb(0.5)) == "512 KB"
    assert format_size(7) == "7 byte"


def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "khoa.txt", SENTENCE.encode())
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # root reads everything
            pytest.skip("đang chạy với quyền root: tệp chmod 000 vẫn đọc được")
        assert reason_of(path) == REASON_PERMISSION
        _, skipped = load_paths([path], max_bytes=LIMIT)
        assert [(s.source, s.reason) for s in skipped] == [("khoa.txt", REASON_PERMISSION)]
    finally:
        path.chmod(0o644)


def test_unsupported_extension(tmp_path: Path) -> None:
    reason = reason_of(write(tmp_path / "bang.xlsx", b"PK\x03\x04"))
    assert ".xlsx" in reason and ".docx" in reason


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("gia.pdf", SENTENCE.encode(), REASON_PDF_NOT_PDF),
        ("gia.docx", SENTENCE.encode(), REASON_DOCX_NOT_DOCX),
        ("cu.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), REASON_DOCX_OLD_DOC),
        ("anh.pdf", b"\x89PNG\r\n\x1a\n" + bytes(64), REASON_PDF_NOT_PDF),
    ],
)
def test_content_not_matching_extension(tmp_path: Path, name: str, data: bytes, reason: str):
    assert reason_of(write(tmp_path / name, data)) == reason


def test_zip_that_is_not_a_word_file(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert reason_of(write(tmp_path / "bang.docx", buffer.getvalue())) == REASON_DOCX_NOT_DOCX


def test_corrupt_docx(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "tot.docx").read_bytes()
    truncated = write(tmp_path / "cut.docx", good[: len(good) // 2])
    assert reason_of(truncated) == REASON_DOCX_CORRUPT
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document><không đóng")
    assert reason_of(write(tmp_path / "xml.docx", buffer.getvalue())) == REASON_DOCX_CORRUPT


# -- Word -----------------------------------------------------------------------------------


def test_docx_keeps_tables_in_place_one_row_per_line(tmp_path: Path) -> None:
    loaded = read_text(make_docx(tmp_path / "kh.docx"), max_bytes=LIMIT)
    assert loaded.text.split("\n") == [
        "KẾ HOẠCH triển khai",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "TT\tNhiệm vụ\tChủ trì\tThời gian",
        "1\tRà soát văn bản\tPhòng Tư pháp\t2025",
        "2\tNhiệm vụ chung của các phòng\tQuý IV",  # merged cell once, its lines joined
        "II. TỔ CHỨC THỰC HIỆN",
    ]
    assert loaded.sha256 == file_digest(tmp_path / "kh.docx")


# -- PDF ------------------------------------------------------------------------------------


def test_text_pdf_pages_joined_in_order(tmp_path: Path) -> None:
    pages = ["Kế hoạch số 115/KH-UBND", "Phòng Kinh tế chủ trì thực hiện"]
    loaded = read_text(make_pdf(tmp_path / "kh.pdf", pages), max_bytes=LIMIT)
    assert loaded.text.split("\n") == pages


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    figure = plt.figure(figsize=(2, 2))
    figure.figimage(np.random.default_rng(0).random((40, 40)))  # a "scanned" page: pixels only
    figure.savefig(tmp_path / "scan.pdf")
    plt.close(figure)
    assert reason_of(tmp_path / "scan.pdf") == REASON_PDF_NO_TEXT

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with (tmp_path / "trang.pdf").open("wb") as fh:
        writer.write(fh)
    assert reason_of(tmp_path / "trang.pdf") == REASON_PDF_NO_TEXT


def test_encrypted_and_corrupt_pdf(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="bi-mat", owner_password="chu", algorithm="RC4-128")
    with (tmp_path / "khoa.pdf").open("wb") as fh:
        writer.write(fh)
    assert reason_of(tmp_path / "khoa.pdf") == REASON_PDF_ENCRYPTED
    garbage = write(tmp_path / "hong.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog\n")
    assert reason_of(garbage) == REASON_PDF_CORRUPT


def test_pdf_with_owner_password_only_is_read(tmp_path: Path) -> None:
    source = make_pdf(tmp_path / "goc.pdf", ["Kế hoạch số 115/KH-UBND"])
    writer = PdfWriter(clone_from=str(source))
    writer.encrypt(user_password="", owner_password="chu", algorithm="RC4-128")
    with (tmp_path / "han-che.pdf").open("wb") as fh:
        writer.write(fh)
    assert read_text(tmp_path / "han-che.pdf", max_bytes=LIMIT).text == "Kế hoạch số 115/KH-UBND"


# -- discovery and batches --------------------------------------------------------------------


def test_discover_walks_folders_sorted_and_skips_hidden(tmp_path: Path) -> None:
    root = tmp_path / "kho"
    write(root / "b.txt", b"b")
    write(root / "a.md", b"a")
    write(root / "con" / "sau" / "c.txt", b"c")
    write(root / "con" / "d.docx", b"d")
    write(root / ".an.txt", b"hidden")
    write(root / ".git" / "e.txt", b"hidden dir")
    write(root / "~$khoa.docx", b"office lock file")
    write(root / "anh.png", b"\x89PNG")
    write(root / "README", b"no suffix")
    files, skipped = discover([root])
    assert [p.relative_to(root).as_posix() for p in files] == [
        "a.md",
        "b.txt",
        "con/d.docx",
        "con/sau/c.txt",
    ]
    assert sorted(s.source for s in skipped) == ["README", "anh.png"]
    assert all(".txt" in s.reason for s in skipped)


def test_discover_missing_duplicates_and_case(tmp_path: Path) -> None:
    first = write(tmp_path / "x" / "kh.txt", b"1")
    second = write(tmp_path / "y" / "kh.txt", b"2")
    upper = write(tmp_path / "NQ.TXT", b"3")
    files, skipped = discover([first, tmp_path / "x", second, upper, tmp_path / "khong-co.pdf"])
    assert files == [first, upper]  # the same file twice is listed once; .TXT is supported
    reasons = {s.source: s.reason for s in skipped}
    assert set(reasons) == {"kh.txt", "khong-co.pdf"}
    assert str(first) in reasons["kh.txt"] and "trùng tên" in reasons["kh.txt"]
    assert reasons["khong-co.pdf"].startswith("không tìm thấy")


def test_source_name_is_nfc(tmp_path: Path) -> None:
    nfd_name = unicodedata.normalize("NFD", "kế hoạch.txt")
    path = write(tmp_path / nfd_name, SENTENCE.encode())
    loaded, _ = load_paths([tmp_path], max_bytes=LIMIT)
    assert [f.source for f in loaded] == ["kế hoạch.txt"]
    assert loaded[0].path == path


def test_load_paths_reads_good_files_and_reports_bad_ones(tmp_path: Path) -> None:
    write(tmp_path / "1.txt", SENTENCE.encode())
    write(tmp_path / "2.md", windows_1258(SENTENCE))
    make_docx(tmp_path / "3.docx")
    write(tmp_path / "4.txt", b"")
    write(tmp_path / "5.pdf", b"not a pdf")
    write(tmp_path / "6.doc", b"old word")
    loaded, skipped = load_paths([tmp_path], max_bytes=LIMIT)
    assert [f.source for f in loaded] == ["1.txt", "2.md", "3.docx"]
    assert loaded[0].text == loaded[1].text == SENTENCE
    assert {s.source: s.reason for s in skipped} == {
        "4.txt": REASON_EMPTY,
        "5.pdf": REASON_PDF_NOT_PDF,
        "6.doc": "định dạng .doc không được hỗ trợ (chỉ nhận .txt, .md, .docx, .pdf)",
    }


def test_file_digest(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)  # more than one read chunk
    path = write(tmp_path / "a.txt", data)
    assert file_digest(path) == hashlib.sha256(data).hexdigest()
    with pytest.raises(IngestError, match="không tìm thấy"):
        file_digest(tmp_path / "mat.txt")


def test_bundled_corpus_loads_cleanly(corpus_dir: Path) -> None:
    loaded, skipped = load_paths([corpus_dir], max_bytes=LIMIT)
    assert skipped == []
    assert [f.source for f in loaded] == sorted(p.name for p in corpus_dir.glob("*.txt"))
    assert all(unicodedata.is_normalized("NFC", f.text) and "Kế hoạch" in f.text for f in loaded)
