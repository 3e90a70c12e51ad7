"""Optional HTTP Basic authentication in front of the whole server (Gradio and the API), and
the role of each request.

One middleware protects both: browsers show their own login box and then send the
credentials with every request, fetch and stream of the Gradio page; API clients send the
``Authorization: Basic`` header themselves. The middleware writes the request's role into its
ASGI scope: with accounts, users named in ``Settings.admins`` are admins and the others
readers; without accounts the one local user is the admin. Gradio hands that scope to every
callback (``gr.Request``), where ``require_admin`` guards uploads and removals: each Gradio
event is an API route anyone can call, whatever the page shows.
"""

from __future__ import annotations

import base64
import binascii
import logging
import secrets
from collections.abc import Collection, Sequence
from enum import StrEnum
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from hoidap.errors import AccessError, InputError
from ui.asgi import send_json_error

logger = logging.getLogger(__name__)

REALM = "hoidap"
UNAUTHORIZED = "Cần đăng nhập: hãy nhập tên đăng nhập và mật khẩu được cấp."
ADMIN_ONLY = (
    "Chỉ quản trị viên mới được tải lên hoặc xóa văn bản. Hãy đăng nhập bằng tài khoản quản trị"
    " (danh sách trong HOIDAP_ADMINS)."
)
ROLE_KEY = "hoidap.role"  # in the ASGI scope
USER_KEY = "hoidap.user"


class Role(StrEnum):
    """What a request may do: admins also change the documents."""

    ADMIN = "admin"
    READER = "reader"


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
    """Let a request through only with a configured user name and password, and note its role.

    Without credentials every request passes as the (local) admin.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        credentials: Sequence[tuple[str, str]] = (),
        admins: Collection[str] = (),
    ) -> None:
        self.app = app
        self._expected = {user: f"{user}:{password}".encode() for user, password in credentials}
        self._admins = frozenset(admins)

    def _user(self, scope: Scope) -> str | None:
        """The user whose password the request carries, or None."""
        header = dict(scope.get("headers") or ()).get(b"authorization", b"")
        scheme, _, encoded = header.partition(b" ")
        if scheme.lower() != b"basic":
            return None
        try:
            given = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            return None
        user = given.partition(b":")[0].decode("utf-8", errors="replace")
        expected = self._expected.get(user)
        return user if expected and secrets.compare_digest(given, expected) else None

    def _admit(self, scope: Scope) -> bool:
        if not self._expected:
            scope[ROLE_KEY] = Role.ADMIN
            return True
        user = self._user(scope)
        if user is None:
            return False
        scope[USER_KEY] = user
        scope[ROLE_KEY] = Role.ADMIN if user in self._admins else Role.READER
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self._admit(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        challenge = f'Basic realm="{REALM}", charset="UTF-8"'.encode()
        await send_json_error(send, 401, UNAUTHORIZED, [(b"www-authenticate", challenge)])


def require_admin(request: Any) -> None:
    """Raise AccessError unless ``request`` (a ``gr.Request``) came from an admin.

    Fails closed: a request that did not pass the middleware has no role.
    """
    scope = getattr(getattr(request, "request", None), "scope", None) or {}
    if scope.get(ROLE_KEY) != Role.ADMIN:
        logger.warning("admin-only action refused for %s", scope.get(USER_KEY, "?"))
        raise AccessError(ADMIN_ONLY)
