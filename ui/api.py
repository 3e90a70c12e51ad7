"""The REST API (``/api/ask``, ``/api/ask/stream``, ``/api/docs``, ``/api/health``) and its JSON
error handling.

Every error leaves as JSON ``{"message": "<Vietnamese sentence>"}`` (plus ``errors`` for
validation problems); a stack trace never reaches the client.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import hoidap
from hoidap.config import LIMITS
from hoidap.errors import HoidapError, IndexMissingError
from hoidap.types import Answer
from service import Service
from ui.asgi import send_json_error

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
UNEXPECTED = "Lỗi máy chủ không mong đợi. Hãy thử lại; nếu lỗi lặp lại, hãy báo quản trị viên."
HTTP_MESSAGES = {
    401: "Cần đăng nhập: hãy gửi tên và mật khẩu (HTTP Basic).",
    404: "Không có địa chỉ này trong API.",
    405: "Phương thức HTTP này không được hỗ trợ ở địa chỉ này.",
    413: f"Nội dung yêu cầu vượt quá {MAX_BODY_BYTES // 1024} KB.",
}


class AskRequest(BaseModel):
    """A question for ``POST /api/ask``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    question: str = Field(
        min_length=1, max_length=LIMITS.question_chars, description="Câu hỏi tiếng Việt."
    )
    k: int | None = Field(
        default=None,
        ge=LIMITS.k_min,
        le=LIMITS.k_max,
        description="Số điều khoản tối đa được trích dẫn.",
    )
    docs: list[str] | None = Field(
        default=None,
        max_length=100,
        description="Chỉ tìm trong các văn bản này (tên tệp, xem GET /api/docs).",
    )


def build_router(service: Service) -> APIRouter:
    """The ``/api`` routes over one shared service."""
    router = APIRouter(prefix="/api", tags=["hoidap"])

    # Plain ``def`` routes run in the thread pool, so questions are answered concurrently.
    @router.post("/ask", summary="Hỏi một câu, nhận câu trả lời có trích dẫn")
    def ask(request: AskRequest) -> dict[str, Any]:
        if request.docs is not None:
            service.require_documents(request.docs, hint="GET /api/docs")
        answer = service.ask(request.question, k=request.k, docs=request.docs)
        return answer.to_dict()

    @router.post(
        "/ask/stream",
        summary="Hỏi một câu, nhận câu trả lời từng phần (server-sent events)",
        description=(
            'Sự kiện `token` (`{"text": …}`) mang từng phần câu trả lời khi được viết; sự kiện '
            "cuối `answer` mang câu trả lời đã kiểm tra trích dẫn (như `POST /api/ask`), thay cho "
            "các phần đã nhận."
        ),
        response_class=StreamingResponse,
    )
    def ask_stream(request: AskRequest) -> StreamingResponse:
        if request.docs is not None:
            service.require_documents(request.docs, hint="GET /api/docs")
        events = service.ask_stream(request.question, k=request.k, docs=request.docs)
        return StreamingResponse(
            server_sent_events(events),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    @router.get("/docs", summary="Các văn bản đã lập chỉ mục")
    def documents() -> dict[str, Any]:
        docs = [{**d.to_dict(), "short_title": d.short_title} for d in service.documents()]
        return {"count": len(docs), "documents": docs}

    @router.get("/health", summary="Tình trạng máy chủ")
    def health() -> dict[str, Any]:
        docs = service.documents()
        return {
            "status": "ok",
            "version": hoidap.__version__,
            "documents": len(docs),
            "clauses": sum(d.clause_count for d in docs),
        }

    # Without this, any other /api/… request would fall through to the Gradio app at "/".
    methods = {route.path: sorted(route.methods) for route in router.routes}

    @router.api_route(
        "/{rest:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
        include_in_schema=False,
    )
    def unknown(request: Request) -> None:
        allowed = methods.get(request.url.path.rstrip("/"))
        if allowed:
            raise StarletteHTTPException(405, headers={"Allow": ", ".join(allowed)})
        raise StarletteHTTPException(404)

    return router


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def server_sent_events(events: Iterable[str | Answer]) -> Iterator[str]:
    """``token`` events for the streamed text, then ``answer`` (or ``error`` if it failed)."""
    try:
        for event in events:
            if isinstance(event, Answer):
                yield _event("answer", event.to_dict())
            else:
                yield _event("token", {"text": event})
    except Exception:  # the response has started: report in the stream, not as a status
        logger.exception("streamed answer failed")
        yield _event("error", {"message": UNEXPECTED})


_FIELD_PROBLEMS = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không được hỗ trợ",
    "string_type": "phải là chuỗi ký tự",
    "int_type": "phải là số nguyên",
    "list_type": "phải là danh sách",
    "string_too_short": "không được để trống",
    "string_too_long": "quá dài (tối đa {max_length} ký tự)",
    "too_long": "quá nhiều phần tử (tối đa {max_length})",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "json_invalid": "không phải JSON hợp lệ",
    "model_type": "phải là một đối tượng JSON",
    "model_attributes_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
}


def _field_problem(error: dict[str, Any]) -> dict[str, str]:
    loc = [str(p) for p in error.get("loc", ()) if p != "body"]
    field = ".".join(loc) or "nội dung"
    template = _FIELD_PROBLEMS.get(error.get("type", ""), "giá trị không hợp lệ")
    ctx = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, (int, float, str))}
    try:
        problem = template.format(**ctx)
    except (KeyError, IndexError):
        problem = template.split(" (")[0]
    return {"field": field, "message": f"{field}: {problem}"}


def _validation_status(errors: list[dict[str, Any]]) -> int:
    too_long = any(
        e.get("type") == "string_too_long" and tuple(e.get("loc", ()))[-1:] == ("question",)
        for e in errors
    )
    return 413 if too_long else 422


def install_error_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` a JSON body with a Vietnamese ``message``."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        problems = [_field_problem(e) for e in errors]
        message = "Yêu cầu không hợp lệ: " + "; ".join(p["message"] for p in problems) + "."
        return JSONResponse(
            {"message": message, "errors": problems}, status_code=_validation_status(errors)
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = HTTP_MESSAGES.get(exc.status_code) or "Yêu cầu không thực hiện được."
        return JSONResponse({"message": message}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(IndexMissingError)
    async def no_index(request: Request, exc: IndexMissingError) -> JSONResponse:
        return JSONResponse({"message": str(exc)}, status_code=503)

    @app.exception_handler(HoidapError)
    async def bad_input(request: Request, exc: HoidapError) -> JSONResponse:
        return JSONResponse({"message": str(exc)}, status_code=400)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse({"message": UNEXPECTED}, status_code=500)


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` under ``prefix`` with a JSON 413.

    The body is read (up to the limit) before the route runs, so chunked uploads without a
    Content-Length are bounded too; paths outside ``prefix`` (Gradio uploads) pass untouched.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int = MAX_BODY_BYTES, prefix: str = "/api/"):
        self.app = app
        self.max_bytes = max_bytes
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        await send_json_error(send, 413, HTTP_MESSAGES[413], [(b"connection", b"close")])
