"""Ingestion front end: find files, check they are what they claim, and read them as NFC text.

Reasons for skipping a file are short Vietnamese phrases (shown as "tệp: lý do").
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import os
import stat
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from hoidap.config import LIMITS
from hoidap.errors import IngestError

logger = logging.getLogger(__name__)


REASON_EMPTY = "tệp rỗng"
REASON_BLANK = "tệp không có nội dung văn bản (chỉ có khoảng trắng)"
REASON_BINARY = "tệp nhị phân, không phải văn bản"
REASON_UNDECODABLE = "không nhận ra bảng mã của tệp văn bản (hãy lưu lại dưới dạng UTF-8)"
REASON_PERMISSION = "không có quyền đọc tệp"
REASON_MISSING = "không tìm thấy tệp hoặc thư mục"
REASON_NOT_REGULAR = "không phải tệp thông thường"
REASON_DOCX_CORRUPT = "tệp .docx hỏng hoặc không đọc được"
REASON_DOCX_NOT_DOCX = "nội dung không phải tệp Word .docx dù có phần mở rộng .docx"
REASON_DOCX_OLD_DOC = "đây là tệp Word cũ (.doc) bị đổi tên; hãy lưu lại dưới dạng .docx"
REASON_SYMLINK = (
    "là liên kết tượng trưng (symlink): chỉ đọc tệp thật nằm trong thư mục, không theo liên kết"
)
REASON_PDF_NOT_PDF = "nội dung không phải tệp PDF dù có phần mở rộng .pdf"
REASON_PDF_CORRUPT = "tệp PDF hỏng hoặc không đọc được"
REASON_PDF_ENCRYPTED = "tệp PDF được bảo vệ bằng mật khẩu; hãy gỡ mật khẩu rồi nạp lại"
REASON_PDF_NO_TEXT = "không có lớp văn bản (bản quét?)"
REASON_PDF_NO_PAGES = "tệp PDF không có trang nào"

_BOMS = (  # UTF-32 first: its little-endian BOM starts with the UTF-16 one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_MAX_CONTROL_RATIO = 0.01
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls
_DOCX_MAX_UNZIPPED_RATIO = 10  # uncompressed .docx may be this many times the size limit
_PARAGRAPH_TAGS = (b"<w:p>", b"<w:p ", b"<w:p/>")  # not <w:pPr>, <w:pStyle>…
_SCAN_CHUNK = 1 << 20
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng


@dataclass(frozen=True)
class LoadedFile:
    """One file read as text."""

    path: Path
    source: str  # base file name (NFC), used as the document id
    text: str  # decoded text, NFC, otherwise as in the file
    sha256: str  # of the raw bytes


@dataclass(frozen=True)
class SkippedFile:
    """A file that was not read, and why (Vietnamese)."""

    source: str
    reason: str


def format_size(n_bytes: int) -> str:
    """A size for people, Vietnamese style: ``20 MB``, ``1,5 KB``, ``300 byte``."""
    for unit, scale in (("MB", 1024**2), ("KB", 1024)):
        if n_bytes >= scale:
            number = f"{n_bytes / scale:.1f}".removesuffix(".0").replace(".", ",")
            return f"{number} {unit}"
    return f"{n_bytes} byte"


def source_name(path: Path) -> str:
    """The document id of ``path``: its base name in NFC."""
    return unicodedata.normalize("NFC", path.name)


def unsupported_reason(suffix: str) -> str:
    """Why a file with ``suffix`` is not read."""
    accepted = ", ".join(SUPPORTED_SUFFIXES)
    if not suffix:
        return f"tệp không có phần mở rộng (chỉ nhận {accepted})"
    return f"định dạng {suffix} không được hỗ trợ (chỉ nhận {accepted})"


def discover(paths: Sequence[Path]) -> tuple[list[Path], list[SkippedFile]]:
    """Expand files and folders into the supported files to read, in a stable order.

    Folders are walked recursively in sorted order; hidden entries (".x") and Office lock
    files ("~$x") inside them are ignored, and symbolic links are skipped with a reason, so
    nothing outside the folder is read (a file named directly is read even through a link).
    Missing paths, unsupported extensions and a second file with an already seen base name
    are reported as skipped. The same file reached twice is listed once.
    """
    files: list[Path] = []
    skipped: list[SkippedFile] = []
    seen_files: set[Path] = set()
    sources: dict[str, Path] = {}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates = _walk(path)
            links = [c for c in candidates if c.is_symlink()]
            skipped.extend(SkippedFile(source_name(c), REASON_SYMLINK) for c in links)
            candidates = [c for c in candidates if c not in links]
        elif path.is_file():
            candidates = [path]
        else:
            reason = REASON_NOT_REGULAR if path.exists() else REASON_MISSING
            skipped.append(SkippedFile(source_name(path) or str(path), f"{reason}: {path}"))
            continue
        for candidate in candidates:
            source = source_name(candidate)
            suffix = candidate.suffix.lower()
            if suffix not in SUPPORTED_SUFFIXES:
                skipped.append(SkippedFile(source, unsupported_reason(suffix)))
                continue
            resolved = candidate.resolve()
            if resolved in seen_files:
                continue
            seen_files.add(resolved)
            if source in sources:
                reason = (
                    f"trùng tên với tệp {sources[source]} trong cùng lô (tên tệp phải duy nhất);"
                    f" hãy đổi tên {candidate} để nạp cả hai"
                )
                skipped.append(SkippedFile(source, reason))
                continue
            sources[source] = candidate
            files.append(candidate)
    return files, skipped


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, names in os.walk(folder):  # symlinked folders are not followed: no loops
        dirs[:] = [d for d in dirs if not _is_hidden(d)]
        found.extend(Path(root) / n for n in names if not _is_hidden(n))
    return sorted(p for p in found if p.is_file() or p.is_symlink())


def _is_hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def file_digest(path: Path) -> str:
    """SHA-256 (hex) of the file's bytes, streamed; raises IngestError if it cannot be read."""
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        raise IngestError(_os_reason(exc)) from exc


def read_bytes(path: Path, *, max_bytes: int) -> bytes:
    """The bytes of a regular, non-empty file no larger than ``max_bytes``; else IngestError."""
    try:
        with path.open("rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise IngestError(REASON_NOT_REGULAR)
            if info.st_size > max_bytes:
                raise IngestError(_oversize_reason(info.st_size, max_bytes))
            data = fh.read(max_bytes + 1)  # the file may have grown since fstat
    except OSError as exc:
        raise IngestError(_os_reason(exc)) from exc
    if len(data) > max_bytes:
        raise IngestError(_oversize_reason(len(data), max_bytes))
    if not data:
        raise IngestError(REASON_EMPTY)
    return data


def _oversize_reason(size: int, max_bytes: int) -> str:
    return f"vượt quá giới hạn {format_size(max_bytes)} (tệp có {format_size(size)})"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return REASON_PERMISSION
    if isinstance(exc, FileNotFoundError):
        return REASON_MISSING
    if isinstance(exc, IsADirectoryError):
        return REASON_NOT_REGULAR
    return f"không đọc được tệp ({exc.strerror or exc})"


def check_content(data: bytes, suffix: str) -> None:
    """Raise IngestError when ``data`` is not what its extension ``suffix`` promises."""
    reader = READERS.get(suffix.lower())
    if reader is None:
        raise IngestError(unsupported_reason(suffix))
    reader.check(data)


def _check_pdf(data: bytes) -> None:
    if b"%PDF-" not in data[:1024]:  # the header may follow a little junk
        raise IngestError(REASON_PDF_NOT_PDF)


def _check_docx(data: bytes) -> None:
    _open_docx_zip(data).close()


def _check_plain(data: bytes) -> None:
    if b"\x00" in data and not data.startswith(tuple(bom for bom, _ in _BOMS)):
        raise IngestError(REASON_BINARY)


def read_text(path: Path, *, max_bytes: int) -> LoadedFile:
    """Read one supported file as NFC text; raises IngestError with a Vietnamese reason."""
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise IngestError(unsupported_reason(suffix))
    data = read_bytes(path, max_bytes=max_bytes)
    reader.check(data)
    text = unicodedata.normalize("NFC", reader.read(data, max_bytes))
    if not text.strip():
        raise IngestError(REASON_PDF_NO_TEXT if suffix == ".pdf" else REASON_BLANK)
    return LoadedFile(path, source_name(path), text, hashlib.sha256(data).hexdigest())


def load_paths(
    paths: Sequence[Path], *, max_bytes: int
) -> tuple[list[LoadedFile], list[SkippedFile]]:
    """Discover and read every file under ``paths``; unreadable files are skipped with a reason."""
    files, skipped = discover(paths)
    loaded: list[LoadedFile] = []
    for path in files:
        try:
            loaded.append(read_text(path, max_bytes=max_bytes))
        except IngestError as exc:
            logger.info("Bỏ qua %s: %s", path, exc)
            skipped.append(SkippedFile(source_name(path), str(exc)))
    return loaded, skipped


# -- plain text ---------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """Decode a text file: BOM (UTF-8/16/32), UTF-8, Windows-1258, then charset detection."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec))
            except UnicodeDecodeError as exc:
                raise IngestError(REASON_UNDECODABLE) from exc
    if b"\x00" in data:
        raise IngestError(REASON_BINARY)
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return _checked(_decode_legacy(data))


def _decode_legacy(data: bytes) -> str:
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for ch in lenient if ord(ch) > 127) - bad
    # Legacy 8-bit text almost never forms valid UTF-8 sequences, so mostly valid UTF-8 is
    # UTF-8 with a few damaged bytes: keep it, the damage shows as "�".
    if good >= 4 * bad:
        logger.warning("Tệp UTF-8 có %d byte lỗi, đã thay bằng ký tự �", bad)
        return lenient
    try:
        cp1258 = data.decode("cp1258")
    except UnicodeDecodeError:
        cp1258 = None
    if cp1258 is not None and _is_vietnamese_cp1258(cp1258):
        return cp1258
    from charset_normalizer import from_bytes  # only needed for unusual files

    match = from_bytes(data).best()
    if match is None:
        raise IngestError(REASON_UNDECODABLE)
    logger.info("Bảng mã đoán được: %s", match.encoding)
    return str(match)


def _is_vietnamese_cp1258(decoded: str) -> bool:
    """Windows-1258 writes tones as combining marks: they must be there and compose in NFC."""
    tones = sum(1 for ch in decoded if ch in _TONE_MARKS)
    loose = sum(1 for ch in unicodedata.normalize("NFC", decoded) if ch in _TONE_MARKS)
    return tones > 0 and loose <= tones * 0.02


def _checked(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    controls = sum(
        1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS
    )
    if controls > 2 and controls > len(text) * _MAX_CONTROL_RATIO:
        raise IngestError(REASON_BINARY)
    return text


# -- Word ---------------------------------------------------------------------------------


def _open_docx_zip(data: bytes) -> zipfile.ZipFile:
    """The archive of a .docx, checked against decompression bombs; IngestError otherwise."""
    if data.startswith(_OLE_MAGIC):
        raise IngestError(REASON_DOCX_OLD_DOC)
    if not data.startswith(_ZIP_MAGIC):
        raise IngestError(REASON_DOCX_NOT_DOCX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise IngestError(REASON_DOCX_NOT_DOCX)
        _check_docx_limits(archive)
    except IngestError:
        archive.close()
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise IngestError(REASON_DOCX_CORRUPT) from exc
    return archive


def _check_docx_limits(archive: zipfile.ZipFile) -> None:
    """Refuse a .docx whose XML unpacks beyond ``LIMITS.docx_xml_bytes`` or which holds more
    than ``LIMITS.docx_paragraphs`` paragraphs, before any XML is parsed.

    Sizes come from the zip directory; reading never yields more than the declared size
    (zipfile stops there), so a lying directory cannot get past the limit either.
    """
    xml = [i for i in archive.infolist() if i.filename.endswith((".xml", ".rels"))]
    unpacked = sum(i.file_size for i in xml)
    if unpacked > LIMITS.docx_xml_bytes:
        raise IngestError(
            f"tệp .docx giải nén ra {format_size(unpacked)} XML, vượt giới hạn "
            f"{format_size(LIMITS.docx_xml_bytes)} (có thể là tệp nén độc hại)"
        )
    paragraphs, pending = 0, b""
    with archive.open("word/document.xml") as fh:
        while chunk := fh.read(_SCAN_CHUNK):
            pending += chunk
            cut = pending.rfind(b"<")  # a tag cut by the chunk end is counted with the next
            cut = len(pending) if cut <= 0 else cut
            paragraphs += sum(pending.count(tag, 0, cut) for tag in _PARAGRAPH_TAGS)
            pending = pending[cut:]
            if paragraphs > LIMITS.docx_paragraphs:
                raise IngestError(
                    f"tệp .docx có hơn {LIMITS.docx_paragraphs} đoạn văn, vượt giới hạn"
                    " (có thể là tệp nén độc hại)"
                )


def _docx_text(data: bytes, *, max_bytes: int) -> str:
    import docx
    from docx.document import Document as WordDocument

    with _open_docx_zip(data) as archive:
        unzipped = sum(info.file_size for info in archive.infolist())
    if unzipped > _DOCX_MAX_UNZIPPED_RATIO * max_bytes:  # far beyond the limit, e.g. media
        raise IngestError(
            f"tệp .docx giải nén ra {format_size(unzipped)}, vượt giới hạn "
            f"{format_size(_DOCX_MAX_UNZIPPED_RATIO * max_bytes)}"
        )
    try:
        document: WordDocument = docx.Document(io.BytesIO(data))
        return "\n".join(_block_lines(document.element.body, document))
    except Exception as exc:  # python-docx/lxml raise many types on malformed parts
        logger.info("python-docx không đọc được tệp: %r", exc)
        raise IngestError(REASON_DOCX_CORRUPT) from exc


def _block_lines(container, parent) -> Iterator[str]:
    """Paragraph texts and table rows of a body or cell, in their real order."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent).text
        elif child.tag == qn("w:tbl"):
            yield from _table_lines(Table(child, parent))
        elif child.tag == qn("w:sdt"):  # content control wrapping paragraphs or tables
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _block_lines(content, parent)


def _table_lines(table) -> Iterator[str]:
    """One line per row, cells joined by a tab; a merged cell counts once per row."""
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            if cell._tc is previous:  # a horizontal span repeats the same cell
                continue
            previous = cell._tc
            cells.append(_cell_text(cell))
        if any(cells):
            yield "\t".join(cells)


def _cell_text(cell) -> str:
    """The cell on one line: its paragraphs, line breaks and nested tables joined by spaces."""
    return " ".join(" ".join(_block_lines(cell._tc, cell)).split())


# -- PDF ----------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")  # many PDFs only restrict printing/copying
            except DependencyError:
                unlocked = 0
            if not unlocked:
                raise IngestError(REASON_PDF_ENCRYPTED)
        if not reader.pages:
            raise IngestError(REASON_PDF_NO_PAGES)
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many types on malformed input
        logger.info("pypdf không đọc được tệp: %r", exc)
        raise IngestError(REASON_PDF_CORRUPT) from exc


# -- the reader table ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    """How one kind of file is checked and read, and what users call it."""

    label: str  # Vietnamese, shown next to the extension in the upload widget and messages
    check: Callable[[bytes], None]  # raises IngestError when the bytes are not of this kind
    read: Callable[[bytes, int], str]  # (data, max_bytes) -> text


READERS: dict[str, Reader] = {
    ".txt": Reader("văn bản thuần", _check_plain, lambda data, _: decode_text(data)),
    ".md": Reader("văn bản Markdown", _check_plain, lambda data, _: decode_text(data)),
    ".docx": Reader("tệp Word", _check_docx, lambda data, limit: _docx_text(data, max_bytes=limit)),
    ".pdf": Reader("tệp PDF có lớp chữ", _check_pdf, lambda data, _: _pdf_text(data)),
}
SUPPORTED_SUFFIXES = tuple(READERS)
