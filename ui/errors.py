"""Messages to the user at the UI edge: Vietnamese toasts, and exceptions inside Gradio
callbacks turned into them. Toast text is rendered as HTML by Gradio, so it is escaped here."""

from __future__ import annotations

import functools
import html
import inspect
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr

from hoidap.errors import HoidapError

logger = logging.getLogger(__name__)

UNEXPECTED = (
    "Đã xảy ra lỗi không mong đợi. Hãy thử lại; nếu lỗi còn lặp lại, hãy báo quản trị viên"
    " (chi tiết đã được ghi vào nhật ký máy chủ)."
)
F = TypeVar("F", bound=Callable[..., Any])


def warn(message: str) -> None:
    """A yellow toast headed "Lưu ý"."""
    gr.Warning(html.escape(message), title="Lưu ý")


def info(message: str) -> None:
    """A grey toast headed "Thông báo"."""
    gr.Info(html.escape(message), title="Thông báo", duration=4)


def as_gradio_error(exc: Exception) -> gr.Error:
    """A gr.Error whose (HTML) message is the escaped Vietnamese message of ``exc``."""
    if isinstance(exc, gr.Error):
        return exc
    if isinstance(exc, HoidapError):
        return gr.Error(html.escape(str(exc)), title="Lỗi", print_exception=False)
    logger.exception("unexpected error in a UI callback")
    return gr.Error(UNEXPECTED, title="Lỗi", print_exception=False)


def friendly(fn: F) -> F:
    """Wrap a callback (plain or generator) so every error reaches the user in Vietnamese.

    ``functools.wraps`` keeps the signature and annotations Gradio reads for ``gr.Progress``
    and event data; a generator stays a generator so Gradio still streams it.
    """
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def gen_wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                yield from fn(*args, **kwargs)
            except Exception as exc:
                raise as_gradio_error(exc) from exc

        return gen_wrapper  # type: ignore[return-value]

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise as_gradio_error(exc) from exc

    return wrapper  # type: ignore[return-value]
