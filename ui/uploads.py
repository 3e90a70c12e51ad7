"""Files the app accepts from browsers: only those Gradio stored from an upload.

Every Gradio event is also an API route, so a client can send any server path where the page
would send an uploaded file. Gradio refuses such paths itself (see ``ui.server``); callbacks
check again here (defence in depth) before reading a file. The upload widgets leave the
extension check to the service, so a wrong file gets a Vietnamese reason, not Gradio's English.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, TypeVar

from gradio.components import File, UploadButton
from gradio.data_classes import ListFiles
from gradio.utils import NamedString, get_upload_folder

from hoidap.errors import InputError

C = TypeVar("C", File, UploadButton)
NOT_UPLOADED = "Không nhận tệp “{name}”: chỉ nhận tệp được tải lên qua giao diện."


def uploaded_file(name: str) -> Path:
    """``name`` as a path if it is a regular file in Gradio's upload folder; else InputError."""
    path = Path(name)
    root = Path(get_upload_folder()).resolve()
    resolved = path.resolve()
    if path.is_symlink() or not resolved.is_relative_to(root) or not resolved.is_file():
        raise InputError(NOT_UPLOADED.format(name=path.name[:100]))
    return resolved


def _filepaths(component: Any, payload: Any) -> Any:
    """What Gradio's ``type="filepath"`` preprocess returns, without its English type check."""
    if payload is None:
        return None
    files = list(payload.root) if isinstance(payload, ListFiles) else [payload]
    paths = [NamedString(f.path) for f in files]
    return paths[0] if component.file_count == "single" else paths


def any_type(component: C) -> C:
    """Make an upload widget's ``file_types`` only filter the browser's file picker.

    Gradio's own check fails the whole batch with an English message and a logged
    traceback; the service checks each file instead and says why in Vietnamese. (A subclass
    would do, but Gradio writes a ``.pyi`` stub beside the module of every component class.)
    """
    component.preprocess = functools.partial(_filepaths, component)  # type: ignore[method-assign]
    return component
