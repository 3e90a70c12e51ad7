"""The "Văn bản" tab: indexed documents, each one's outline and clauses, upload and removal.

The table and the document picker start empty: the app fills them from the service when the
page loads and after every change (``ui.app.wire_document_lists``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import gradio as gr

from hoidap.config import Settings
from hoidap.errors import HoidapError, InputError
from service import IndexReport, Service
from ui.auth import require_admin
from ui.errors import Tone, inline_errors, notice
from ui.render import (
    clause_html,
    clause_title,
    document_choices,
    document_html,
    documents_table_html,
    outline_html,
    plain_markdown,
)
from ui.uploads import uploaded_file

logger = logging.getLogger(__name__)

# A click on a document title (in the table) or an outline line says which one it is; both
# are buttons, so Enter and Space click them too.
PICK_JS = """
element.addEventListener("click", (event) => {
  const item = event.target.closest("[data-source], [data-clause]");
  if (item) { trigger("click", {source: item.dataset.source, clause: item.dataset.clause}); }
});
"""


@dataclass(frozen=True)
class DocumentsTab:
    """What the app keeps in step with the service: the table, the picker, and the events
    after which the set of documents may have changed."""

    table: gr.HTML
    document_pickers: tuple[gr.Dropdown, ...]
    changed: tuple[gr.events.Dependency, ...]


@dataclass(frozen=True)
class DocumentsView:
    """The tab's components."""

    table: gr.HTML
    doc_select: gr.Dropdown
    card: gr.HTML
    outline: gr.HTML
    clause_select: gr.Dropdown
    clause_view: gr.HTML
    upload: gr.UploadButton
    remove: gr.Button
    confirm_row: gr.Row
    confirm_text: gr.Markdown
    confirm: gr.Button
    cancel: gr.Button
    upload_status: gr.Markdown


def report_markdown(report: IndexReport, rejected: list[tuple[str, str]]) -> str:
    """A Vietnamese summary of an upload: what was added, kept, and why files were skipped."""
    lines = [
        f"**Đã thêm {report.indexed} văn bản** ({report.unchanged} văn bản không thay đổi) "
        f"trong {report.seconds:.1f} giây. Chỉ mục hiện có {report.files} văn bản, "
        f"{report.clauses} điều khoản; có thể hỏi ngay ở thẻ *Hỏi đáp*."
    ]
    skipped = [*rejected, *report.skipped]
    if skipped:
        lines.append("\nKhông dùng được các tệp sau:")
        lines += [f"- {plain_markdown(name)}: {plain_markdown(reason)}" for name, reason in skipped]
    return "\n".join(lines)


def _browser() -> tuple:
    """The table, then the picked document (card, outline) beside the picked clause."""
    gr.Markdown(
        "Các văn bản đã lập chỉ mục. Chọn một văn bản để xem mục lục; bấm vào một dòng của "
        "mục lục để đọc nguyên văn điều khoản."
    )
    table = gr.HTML(documents_table_html([]), js_on_load=PICK_JS, elem_id="hd-doc-table")
    with gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=280):
            doc_select = gr.Dropdown(
                choices=[],
                value=None,
                label="Văn bản",
                elem_id="hd-doc-select",
                # the callbacks check the name against the index themselves, with a Vietnamese
                # message; Gradio's own check uses the choices this session was last sent
                allow_custom_value=True,
            )
            card = gr.HTML(document_html(None), elem_id="hd-doc-card")
            outline = gr.HTML(outline_html([]), js_on_load=PICK_JS, elem_id="hd-outline")
        with gr.Column(scale=3, min_width=280):
            clause_select = gr.Dropdown(
                choices=[], value=None, label="Điều khoản", elem_id="hd-clause-select"
            )
            clause_view = gr.HTML(clause_html(None), elem_id="hd-clause")
    return table, doc_select, card, outline, clause_select, clause_view


def _manager(service: Service, settings: Settings) -> tuple:
    """Upload and (confirmed) removal, with their inline status line."""
    with gr.Accordion("Thêm hoặc xóa văn bản", open=True, elem_id="hd-manage"):
        file_types = service.file_types()
        kinds = ", ".join(f"{suffix} ({label})" for suffix, label in file_types.items())
        gr.Markdown(
            f"Tải lên {kinds}; tối đa {settings.max_file_mb:g} MB mỗi tệp. "
            "Văn bản mới được lập chỉ mục ngay và có thể hỏi đáp ngay sau đó."
        )
        with gr.Row():
            # No ``file_types``: Gradio would refuse other files with an English toast; the
            # service checks them and the reason shows, in Vietnamese, in the status line.
            upload = gr.UploadButton(
                "Tải lên văn bản (" + ", ".join(file_types) + ")",
                file_count="multiple",
                variant="primary",
                elem_id="hd-upload",
            )
            remove = gr.Button("Xóa văn bản đang chọn", variant="stop", elem_id="hd-remove")
        with gr.Row(visible=False) as confirm_row:
            confirm_text = gr.Markdown("")
            confirm = gr.Button("Xác nhận xóa", variant="stop", elem_id="hd-remove-confirm")
            cancel = gr.Button("Hủy", elem_id="hd-remove-cancel")
        upload_status = gr.Markdown("", elem_id="hd-upload-status")
    return upload, remove, confirm_row, confirm_text, confirm, cancel, upload_status


def layout(service: Service, settings: Settings) -> DocumentsView:
    """Lay out the tab inside the caller's Blocks."""
    return DocumentsView(*_browser(), *_manager(service, settings))


class DocumentsCallbacks:
    """What the tab's events do; each one calls the service only."""

    def __init__(self, service: Service) -> None:
        self.service = service

    def show_document(self, source: str | None):
        """Card, outline, clause picker and (emptied) clause view of the picked document."""
        document = next((d for d in self.service.documents() if d.source == source), None)
        clauses = self.service.clauses(source) if document else []
        return (
            document_html(document),
            outline_html(clauses),
            gr.update(choices=[(clause_title(c), c.id) for c in clauses], value=None),
            clause_html(None),
        )

    def show_clause(self, clause_id: str | None) -> str:
        return clause_html(self.service.clause(clause_id) if clause_id else None)

    @staticmethod
    def pick_document(evt: gr.EventData):
        return getattr(evt, "source", None) or gr.skip()

    @staticmethod
    def pick_clause(evt: gr.EventData):
        return getattr(evt, "clause", None) or gr.skip()

    def add_files(
        self,
        files: list[str] | None,
        request: gr.Request,
        progress=gr.Progress(),  # noqa: B008 (Gradio's idiom)
    ):
        """Store, then index the uploaded files; outputs the status line and the picker."""
        require_admin(request)
        if not files:
            return gr.skip(), gr.skip()
        stored, rejected = self.service.store_uploads([uploaded_file(name) for name in files])
        if not stored:
            reasons = "; ".join(f"{name}: {reason}" for name, reason in rejected)
            raise InputError(f"Không tải lên được tệp nào ({reasons}).")

        def step(done: int, total: int, message: str) -> None:
            progress((done, total) if total else None, desc=message, unit="tệp")

        try:
            report = self.service.add_files(stored, progress=step)
        except HoidapError as exc:
            return notice(str(exc), Tone.ERROR), gr.skip()
        logger.info("upload: %d indexed, %d skipped", report.indexed, len(report.skipped))
        choices = document_choices(self.service.documents())
        return report_markdown(report, rejected), gr.update(choices=choices, value=stored[-1].name)

    def ask_removal(self, source: str | None):
        if not source:
            raise InputError("Hãy chọn một văn bản trước.")
        name = dict((s, label) for label, s in document_choices(self.service.documents())).get(
            source
        )
        question = f"Xóa **{plain_markdown(name or source)}** khỏi chỉ mục?"
        return gr.update(visible=True), question, ""

    def remove_document(self, source: str | None, request: gr.Request):
        require_admin(request)
        if not source:
            raise InputError("Chưa chọn văn bản cần xóa.")
        self.service.remove_document(source)
        return gr.update(visible=False), notice(f"Đã xóa văn bản {source}.", Tone.OK)


def wire(view: DocumentsView, calls: DocumentsCallbacks) -> tuple[gr.events.Dependency, ...]:
    """Connect the components to the callbacks; the events that change the documents."""
    view.doc_select.change(
        calls.show_document,
        [view.doc_select],
        [view.card, view.outline, view.clause_select, view.clause_view],
    )
    view.table.click(calls.pick_document, None, [view.doc_select])
    view.outline.click(calls.pick_clause, None, [view.clause_select])
    view.clause_select.change(calls.show_clause, [view.clause_select], [view.clause_view])
    uploaded = view.upload.upload(
        inline_errors(outputs=2, at=0)(calls.add_files),
        [view.upload],
        [view.upload_status, view.doc_select],
    )
    view.remove.click(
        inline_errors(outputs=3, at=2)(calls.ask_removal),
        [view.doc_select],
        [view.confirm_row, view.confirm_text, view.upload_status],
    )
    view.cancel.click(lambda: gr.update(visible=False), None, [view.confirm_row])
    removed = view.confirm.click(
        inline_errors(outputs=2, at=1)(calls.remove_document),
        [view.doc_select],
        [view.confirm_row, view.upload_status],
    )
    return uploaded, removed


def build_documents_tab(service: Service, settings: Settings) -> DocumentsTab:
    """Lay out the documents tab inside the caller's Blocks and wire its events."""
    view = layout(service, settings)
    changed = wire(view, DocumentsCallbacks(service))
    return DocumentsTab(table=view.table, document_pickers=(view.doc_select,), changed=changed)
