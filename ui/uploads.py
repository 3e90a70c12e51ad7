"""Files the app accepts from browsers: only those Gradio stored from an upload.

Every Gradio event is also an API route, so a client can send any server path where the page
would send an uploaded file. Gradio refuses such paths itself (see ``ui.server``); callbacks
check again here (defence in depth) before reading a file. The upload widgets set no
``file_types`` (Gradio would refuse other files in English, in the browser and on the server):
the service checks each file and a wrong one gets a Vietnamese reason.
"""

from __future__ import annotations

from pathlib import Path

from gradio.utils import get_upload_folder

from hoidap.errors import InputError

NOT_UPLOADED = "Không nhận tệp “{name}”: chỉ nhận tệp được tải lên qua giao diện."


def uploaded_file(name: str) -> Path:
    """``name`` as a path if it is a regular file in Gradio's upload folder; else InputError."""
    path = Path(name)
    root = Path(get_upload_folder()).resolve()
    resolved = path.resolve()
    if path.is_symlink() or not resolved.is_relative_to(root) or not resolved.is_file():
        raise InputError(NOT_UPLOADED.format(name=path.name[:100]))
    return resolved
