"""Assemble the Gradio Blocks: chat, documents, and (when their modules exist) quiz and
evaluation tabs. Callbacks only call the public Service API shared with the CLI.

Every list of documents (the documents table and each tab's document picker) is read from the
service when the page loads, when the user opens a tab, after an upload or a removal, and
every ``REFRESH_SECONDS`` when another browser changed the documents, so no list goes stale.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence

import gradio as gr

from hoidap.config import Settings
from service import Service
from ui.feedback import FeedbackStore
from ui.render import document_choices, documents_table_html
from ui.tabs.chat import build_chat_tab
from ui.tabs.documents import build_documents_tab

logger = logging.getLogger(__name__)

TITLE = "Hỏi đáp văn bản kế hoạch, nghị quyết"
OPTIONAL_TABS = (
    ("Tạo câu hỏi", "quiz", "ui.tabs.quiz", "build_quiz_tab"),
    ("Đánh giá", "evaluation", "ui.tabs.evaluation", "build_evaluation_tab"),
)
CONCURRENCY = 8  # simultaneous chat answers; Service.ask is thread-safe
REFRESH_SECONDS = 20  # how soon a page sees documents another browser added or removed
# Once the saved conversation and the lists are in, the page says so (tests wait for it).
READY_JS = "() => { document.body.dataset.hdReady = 'true'; }"


def _optional_builder(module: str, name: str) -> Callable[..., object] | None:
    """The tab builder ``module.name``, or None when that module is not part of this install."""
    try:
        return getattr(importlib.import_module(module), name)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        logger.info("tab module %s not found; tab skipped", module)
        return None


def _header() -> None:
    gr.Markdown(
        f"# {TITLE}\n"
        "Trả lời có trích dẫn từ các văn bản đã lập chỉ mục. Câu trả lời chỉ dựa vào văn"
        " bản; khi văn bản không đề cập, hệ thống nói rõ.",
        elem_id="hd-header",
    )


def _footer() -> None:
    gr.Markdown(
        "[Tài liệu API (OpenAPI)](/docs) · Văn bản và góp ý được lưu trên máy chủ này; các"
        " cuộc hội thoại chỉ được lưu trong trình duyệt của bạn.",
        elem_id="hd-footer",
    )


def _picker_update(picker: gr.Dropdown, choices: list[tuple[str, str]], selected: object):
    """New choices for a picker, keeping what is still there (a single picker falls back to
    the first document)."""
    known = [source for _, source in choices]
    if picker.multiselect:
        kept = [s for s in selected or [] if s in known] if isinstance(selected, list) else []
        return gr.update(choices=choices, value=kept)
    value = selected if selected in known else (known[0] if known else None)
    return gr.update(choices=choices, value=value)


def wire_document_lists(
    service: Service,
    *,
    table: gr.HTML,
    pickers: Sequence[gr.Dropdown],
    loaded: gr.events.Dependency,
    triggers: Sequence[object],
    changed: Sequence[gr.events.Dependency],
) -> None:
    """Keep ``table`` and ``pickers`` equal to the service's documents (see module doc): read
    them after ``loaded`` (then mark the page ready), on ``triggers`` and after ``changed``."""
    seen = gr.State("")

    def lists(force: bool, signature: str, selected: Sequence[object]):
        documents = service.documents()
        current = "\n".join(f"{d.source}:{d.clause_count}:{d.title}" for d in documents)
        if current == signature and not force:
            return (gr.skip(),) * (2 + len(pickers))
        choices = document_choices(documents)
        updates = [_picker_update(p, choices, s) for p, s in zip(pickers, selected)]
        return (current, documents_table_html(documents), *updates)

    def refresh(signature: str, *selected: object):
        return lists(True, signature, selected)

    def refresh_if_changed(signature: str, *selected: object):
        return lists(False, signature, selected)

    inputs = [seen, *pickers]
    outputs = [seen, table, *pickers]
    loaded.then(refresh, inputs, outputs, show_progress="hidden", queue=False).then(
        None, js=READY_JS
    )
    gr.on(triggers, refresh, inputs, outputs, show_progress="hidden", queue=False)
    gr.Timer(REFRESH_SECONDS).tick(refresh_if_changed, inputs, outputs, show_progress="hidden")
    for event in changed:
        event.then(refresh, inputs, outputs, show_progress="hidden")


def build_blocks(service: Service, settings: Settings, store: FeedbackStore) -> gr.Blocks:
    """The whole app; theme, CSS, head script and translations are applied when mounted."""
    with gr.Blocks(title=TITLE, analytics_enabled=False) as blocks:
        _header()
        pickers: list[gr.Dropdown] = []
        with gr.Tabs() as tabs:
            with gr.Tab("Hỏi đáp", id="chat"):
                chat = build_chat_tab(service, store, blocks)
                pickers += chat.document_pickers
            with gr.Tab("Văn bản", id="documents"):
                docs_tab = build_documents_tab(service, settings)
                pickers += docs_tab.document_pickers
            for label, tab_id, module, name in OPTIONAL_TABS:
                builder = _optional_builder(module, name)
                if builder is not None:
                    with gr.Tab(label, id=tab_id):
                        built = builder(service, settings)
                        pickers += getattr(built, "document_pickers", ())
        _footer()
        wire_document_lists(
            service,
            table=docs_tab.table,
            pickers=pickers,
            loaded=chat.loaded,
            triggers=[tabs.select],
            changed=docs_tab.changed,
        )
    blocks.queue(default_concurrency_limit=CONCURRENCY)
    return blocks
