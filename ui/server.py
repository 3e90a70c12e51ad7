"""One FastAPI app serving the REST API and, at ``/``, the Gradio app; run with uvicorn."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import gradio as gr
import uvicorn
from fastapi import FastAPI

import hoidap
from hoidap.config import Settings
from service import Service
from ui.api import BodyLimitMiddleware, build_router, install_error_handlers
from ui.app import TITLE, build_blocks
from ui.auth import BasicAuthMiddleware
from ui.feedback import FeedbackStore
from ui.i18n import make_i18n
from ui.theme import CSS, HEAD, make_theme

logger = logging.getLogger(__name__)

DESCRIPTION = (
    "Hỏi đáp có trích dẫn trên các kế hoạch, nghị quyết đã lập chỉ mục. "
    "Mọi lỗi trả về JSON có trường `message` bằng tiếng Việt."
)


def create_app(
    service: Service, settings: Settings, *, auth: Sequence[tuple[str, str]] = ()
) -> FastAPI:
    """The API routes and the Gradio app over one already opened service.

    ``auth`` lists the accounts (none: open to this machine, its user is the admin); the
    names in ``settings.admins`` may upload and remove documents.
    """
    app = FastAPI(title=f"{TITLE} — API", description=DESCRIPTION, version=hoidap.__version__)
    install_error_handlers(app)
    app.include_router(build_router(service))
    blocks = build_blocks(service, settings, FeedbackStore(settings.feedback_db))
    # Gradio's own cap is a backstop above the upload limit, so the usual oversize case
    # gets the Vietnamese message of index.uploads rather than Gradio's English one.
    upload_cap = 2 * settings.max_file_bytes + 1024 * 1024
    gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        footer_links=[],
        run_history=False,
        ssr_mode=False,
        mcp_server=False,
        show_error=False,
        max_file_size=upload_cap,
        theme=make_theme(),
        css=CSS,
        head=HEAD,
        i18n=make_i18n(),
    )
    # Gradio checks that a file path sent to an event was uploaded through it (not any server
    # file) only once the Blocks "has launched", which mount_gradio_app never marks.
    blocks.has_launched = True
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(BasicAuthMiddleware, credentials=auth, admins=settings.admins)
    return app


def serve(
    service: Service,
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: Sequence[tuple[str, str]] = (),
) -> None:
    """Serve until interrupted (blocking)."""
    app = create_app(service, settings, auth=auth)
    logger.info("serving on http://%s:%d (auth %s)", host, port, "on" if auth else "off")
    uvicorn.run(app, host=host, port=port, log_level="info")
