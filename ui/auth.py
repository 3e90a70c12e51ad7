"""Optional HTTP Basic authentication in front of the whole server (Gradio and the API).

One middleware protects both: browsers show their own login box and then send the
credentials with every request, fetch and stream of the Gradio page; API clients send the
``Authorization: Basic`` header themselves.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import secrets

from starlette.types import ASGIApp, Receive, Scope, Send

from hoidap.errors import InputError

logger = logging.getLogger(__name__)

REALM = "hoidap"
UNAUTHORIZED = "Cần đăng nhập: hãy nhập tên đăng nhập và mật khẩu được cấp."


def parse_credentials(value: str) -> tuple[str, str]:
    """``"user:pass"`` → ``("user", "pass")``; the password may itself contain ``:``."""
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise InputError(
            "Giá trị xác thực phải có dạng “tên:mật_khẩu” (ví dụ --auth canbo:matkhau);"
            " cả tên và mật khẩu đều không được để trống."
        )
    return user, password


class BasicAuthMiddleware:
    """Let a request through only with the configured user name and password."""

    def __init__(self, app: ASGIApp, *, credentials: tuple[str, str]) -> None:
        self.app = app
        user, password = credentials
        self._expected = f"{user}:{password}".encode()

    def _authorized(self, scope: Scope) -> bool:
        header = dict(scope.get("headers") or ()).get(b"authorization", b"")
        scheme, _, encoded = header.partition(b" ")
        if scheme.lower() != b"basic":
            return False
        try:
            given = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        return secrets.compare_digest(given, self._expected)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self._authorized(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = json.dumps({"message": UNAUTHORIZED}, ensure_ascii=False).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", f'Basic realm="{REALM}", charset="UTF-8"'.encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
