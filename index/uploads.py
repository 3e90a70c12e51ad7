"""Safe storage of uploaded files: a sanitised base name, checked content, never an overwrite."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from hoidap.errors import IngestError, InputError
from index.loaders import (
    SUPPORTED_SUFFIXES,
    check_content,
    file_digest,
    read_bytes,
    unsupported_reason,
)

logger = logging.getLogger(__name__)

MAX_NAME_BYTES = 180  # room under the usual 255-byte limit for the "-<hash>-<n>" suffix
_SEPARATORS = re.compile(r"[/\\]")
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
_RESERVED_STEMS = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)


def sanitize_filename(name: str) -> str:
    """A safe base name from a user-supplied file name; raises InputError if nothing is left.

    Directories (``/`` and ``\\``), control and invisible format characters (e.g. right-to-left
    overrides), characters Windows forbids, leading dots and trailing dots/spaces are removed;
    Windows device names get a ``_`` prefix; Vietnamese letters are kept (NFC); the name is cut
    to ``MAX_NAME_BYTES`` UTF-8 bytes keeping the extension.
    """
    text = unicodedata.normalize("NFC", name)
    text = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cf", "Co", "Cs", "Cn")
    )
    base = _SEPARATORS.split(text)[-1]
    base = " ".join(_WINDOWS_FORBIDDEN.sub("_", base).split())
    base = base.lstrip(" .-").rstrip(" .")
    stem, ext = os.path.splitext(base)
    stem, ext = stem.rstrip(" ."), ext[:16]
    if stem.split(".")[0].upper() in _RESERVED_STEMS:
        stem = "_" + stem
    stem = stem[:MAX_NAME_BYTES]  # each character takes at least one byte
    while stem and len((stem + ext).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1].rstrip(" .")
    if not stem:
        raise InputError(
            f"Tên tệp “{_shown(name)}” không hợp lệ: không còn ký tự dùng được sau khi làm sạch."
            " Hãy đổi tên tệp rồi tải lại."
        )
    return stem + ext


def _shown(name: str) -> str:
    """``name`` fit for a message: control characters visible, length bounded."""
    visible = "".join("�" if unicodedata.category(ch)[0] == "C" else ch for ch in name)
    return visible if len(visible) <= 80 else visible[:77] + "…"


def store_upload(src: Path, original_name: str, upload_dir: Path, *, max_bytes: int) -> Path:
    """Copy an uploaded file into ``upload_dir`` under a safe name and return the stored path.

    The extension must be supported and the content must match it; the size must be within
    ``max_bytes``. An existing file is never overwritten: a different file with the same name
    is stored as ``name-<hash8>.ext``; the very same content already stored is reused.
    Raises InputError with a Vietnamese message naming the problem.
    """
    name = sanitize_filename(original_name)
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(f"Không nhận tệp “{name}”: {unsupported_reason(suffix)}.")
    try:
        data = read_bytes(Path(src), max_bytes=max_bytes)
        check_content(data, suffix)
    except IngestError as exc:
        raise InputError(f"Không nhận tệp “{name}”: {exc}.") from exc
    digest = hashlib.sha256(data).hexdigest()
    try:
        upload_dir.mkdir(parents=True, exist_ok=True)
        stored = _install(data, digest, name, upload_dir)
    except OSError as exc:
        raise InputError(
            f"Không lưu được tệp “{name}” vào {upload_dir}: {exc.strerror or exc}."
        ) from exc
    logger.info("Đã lưu tệp tải lên %s", stored)
    return stored


def _candidates(name: str, digest: str) -> Iterator[str]:
    stem, ext = os.path.splitext(name)
    yield name
    yield f"{stem}-{digest[:8]}{ext}"
    for n in range(2, 1000):
        yield f"{stem}-{digest[:8]}-{n}{ext}"


def _install(data: bytes, digest: str, name: str, upload_dir: Path) -> Path:
    """Write a hidden temp file, then give it the first free candidate name atomically."""
    fd, tmp_name = tempfile.mkstemp(dir=upload_dir, prefix=".upload-", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        for candidate in _candidates(name, digest):
            target = upload_dir / candidate
            if target.exists():
                if _same_content(target, digest):
                    return target  # the same file uploaded again
                continue
            # os.link fails if the name was taken meanwhile, so a concurrent upload can never
            # be overwritten; where hard links are unsupported, fall back to os.replace.
            try:
                os.link(tmp, target)
            except FileExistsError:
                continue
            except OSError:
                os.replace(tmp, target)
            return target
        raise InputError(f"Đã có quá nhiều tệp tên “{name}” trong {upload_dir}; hãy đổi tên tệp.")
    finally:
        tmp.unlink(missing_ok=True)


def _same_content(path: Path, digest: str) -> bool:
    try:
        return path.is_file() and file_digest(path) == digest
    except IngestError:  # an unreadable file there is simply not ours to reuse
        return False
