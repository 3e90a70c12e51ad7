"""Assemble the Gradio Blocks: chat, documents, and (when their modules exist) quiz and
evaluation tabs. Callbacks only call the public Service API shared with the CLI."""

import importlib
import logging
from collections.abc import Callable

import gradio as gr

from hoidap.config import Settings
from service import Service
from ui.feedback import FeedbackStore
from ui.render import document_choices
from ui.tabs.chat import build_chat_tab
from ui.tabs.documents import build_documents_tab

logger = logging.getLogger(__name__)

TITLE = "Hỏi đáp văn bản kế hoạch, nghị quyết"
OPTIONAL_TABS = (
    ("Tạo câu hỏi", "ui.tabs.quiz", "build_quiz_tab"),
    ("Đánh giá", "ui.tabs.evaluation", "build_evaluation_tab"),
)
CONCURRENCY = 8  # simultaneous chat answers; Service.ask is thread-safe


def _optional_builder(module: str, name: str) -> Callable[[Service, Settings], None] | None:
    """The tab builder ``module.name``, or None when that module is not part of this install."""
    try:
        return getattr(importlib.import_module(module), name)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        logger.info("tab module %s not found; tab skipped", module)
        return None


def build_blocks(service: Service, settings: Settings, store: FeedbackStore) -> gr.Blocks:
    """The whole app; theme, CSS and head script are applied when it is mounted."""
    with gr.Blocks(title=TITLE, analytics_enabled=False) as blocks:
        gr.Markdown(
            f"# {TITLE}\n"
            "Trả lời có trích dẫn từ các văn bản đã lập chỉ mục. Câu trả lời chỉ dựa vào văn"
            " bản; khi văn bản không đề cập, hệ thống nói rõ.",
            elem_id="hd-header",
        )
        with gr.Tabs():
            with gr.Tab("Hỏi đáp", id="chat"):
                chat = build_chat_tab(service, store)
            with gr.Tab("Văn bản", id="documents"):
                docs_tab = build_documents_tab(service, settings)
            for label, module, name in OPTIONAL_TABS:
                builder = _optional_builder(module, name)
                if builder is not None:
                    with gr.Tab(label):
                        builder(service, settings)
        gr.Markdown(
            "[Tài liệu API (OpenAPI)](/docs) · Dữ liệu và góp ý được lưu trên máy chủ này.",
            elem_id="hd-footer",
        )

        def refresh_filter(selected: list[str] | None):
            choices = document_choices(service.documents())
            known = {source for _, source in choices}
            return gr.update(choices=choices, value=[s for s in selected or [] if s in known])

        for event in docs_tab.changed:
            event.then(refresh_filter, [chat.doc_filter], [chat.doc_filter])
    blocks.queue(default_concurrency_limit=CONCURRENCY)
    return blocks
