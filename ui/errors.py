"""Messages to the user at the UI edge, in Vietnamese.

Tabs show them inline, next to where they happen (``notice`` and ``inline_errors``): a line
with ``role="alert"`` that a screen reader announces and nothing has to be closed, never a
toast or an "Error" badge over the outputs. Every message is HTML-escaped here."""

from __future__ import annotations

import functools
import html
import inspect
import logging
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

import gradio as gr

from hoidap.errors import HoidapError

logger = logging.getLogger(__name__)

UNEXPECTED = (
    "Đã xảy ra lỗi không mong đợi. Hãy thử lại; nếu lỗi còn lặp lại, hãy báo quản trị viên"
    " (chi tiết đã được ghi vào nhật ký máy chủ)."
)
F = TypeVar("F", bound=Callable[..., Any])


class Tone(StrEnum):
    """How an inline notice looks (and whether it is announced at once)."""

    ERROR = "error"
    WARNING = "warning"
    OK = "ok"


def notice(message: str, tone: Tone = Tone.WARNING) -> str:
    """An inline notice (HTML inside a Markdown component), escaped; errors are alerts."""
    role = 'role="alert"' if tone is not Tone.OK else 'role="status"'
    return f'<div class="hd-notice hd-notice-{tone.value}" {role}>{html.escape(message)}</div>'


def user_message(exc: Exception) -> str:
    """The Vietnamese message to show for ``exc``; unexpected errors are logged in full."""
    if isinstance(exc, HoidapError):
        return str(exc)
    logger.exception("unexpected error in a UI callback")
    return UNEXPECTED


def inline_errors(*, outputs: int, at: int) -> Callable[[F], F]:
    """Wrap a callback with ``outputs`` outputs (plain or generator) so that an error shows as
    an inline notice in output number ``at`` and leaves the other outputs as they were."""

    def failed(exc: Exception) -> Any:
        shown = notice(user_message(exc), Tone.ERROR)
        if outputs == 1:
            return shown
        return tuple(shown if i == at else gr.skip() for i in range(outputs))

    return lambda fn: _guarded(fn, failed)


def _guarded(fn: F, failed: Callable[[Exception], Any]) -> F:
    """``fn`` with its exceptions handed to ``failed`` (whose result is the callback's).

    ``functools.wraps`` keeps the signature and annotations Gradio reads for ``gr.Progress``
    and event data; a generator stays a generator so Gradio still streams it.
    """
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def gen_wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                yield from fn(*args, **kwargs)
            except Exception as exc:
                yield failed(exc)

        return gen_wrapper  # type: ignore[return-value]

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            return failed(exc)

    return wrapper  # type: ignore[return-value]
