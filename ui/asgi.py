"""A JSON error reply sent straight from an ASGI middleware (no framework below it)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from starlette.types import Send


async def send_json_error(
    send: Send, status: int, message: str, headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    """Reply ``{"message": …}`` (UTF-8 JSON) with ``status`` and any extra ``headers``."""
    body = json.dumps({"message": message}, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
