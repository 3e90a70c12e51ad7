"""The "Văn bản" tab: indexed documents, each one's outline and clauses, upload and removal."""

import logging
from dataclasses import dataclass

import gradio as gr

from hoidap.config import Settings
from hoidap.errors import HoidapError, InputError
from service import IndexReport, Service
from ui.auth import require_admin
from ui.errors import friendly, warn
from ui.render import (
    DOCUMENT_HEADERS,
    clause_html,
    clause_title,
    document_choices,
    document_html,
    document_rows,
    outline_html,
    plain_markdown,
)
from ui.uploads import any_type, uploaded_file

logger = logging.getLogger(__name__)

# A click on an outline line tells Python which clause it is.
OUTLINE_JS = """
const pick = (event) => {
  const item = event.target.closest("[data-clause]");
  if (item) { trigger("click", {clause: item.dataset.clause}); }
};
element.addEventListener("click", pick);
element.addEventListener("keydown", (event) => {
  if (event.key === "Enter" || event.key === " ") { event.preventDefault(); pick(event); }
});
"""


@dataclass(frozen=True)
class DocumentsTab:
    """Events after which the set of documents may have changed (the app refreshes others)."""

    changed: tuple[gr.events.Dependency, ...]


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


def build_documents_tab(service: Service, settings: Settings) -> DocumentsTab:
    """Lay out the documents tab inside the caller's Blocks and wire its events."""
    documents = service.documents()
    first = documents[0].source if documents else None
    gr.Markdown(
        "Các văn bản đã lập chỉ mục. Chọn một văn bản để xem mục lục; bấm vào một dòng của "
        "mục lục để đọc nguyên văn điều khoản."
    )
    table = gr.Dataframe(
        value=document_rows(documents),
        headers=DOCUMENT_HEADERS,
        interactive=False,
        wrap=True,
        max_height=360,
        elem_id="hd-doc-table",
    )
    with gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=300):
            doc_select = gr.Dropdown(
                choices=document_choices(documents),
                value=first,
                label="Văn bản",
                elem_id="hd-doc-select",
                # the callbacks check the name against the index themselves, with a Vietnamese
                # message; Gradio's own check uses the choices the page was first built with
                allow_custom_value=True,
            )
            card = gr.HTML(
                document_html(documents[0] if documents else None), elem_id="hd-doc-card"
            )
            outline = gr.HTML(
                outline_html(service.clauses(first) if first else []),
                js_on_load=OUTLINE_JS,
                elem_id="hd-outline",
            )
        with gr.Column(scale=3, min_width=300):
            clause_select = gr.Dropdown(
                choices=[(clause_title(c), c.id) for c in service.clauses(first)] if first else [],
                value=None,
                label="Điều khoản",
                elem_id="hd-clause-select",
            )
            clause_view = gr.HTML(clause_html(None), elem_id="hd-clause")
    with gr.Accordion("Thêm hoặc xóa văn bản", open=True, elem_id="hd-manage"):
        file_types = service.file_types()
        kinds = ", ".join(f"{suffix} ({label})" for suffix, label in file_types.items())
        gr.Markdown(
            f"Tải lên {kinds}; tối đa {settings.max_file_mb:g} MB mỗi tệp. "
            "Văn bản mới được lập chỉ mục ngay và có thể hỏi đáp ngay sau đó."
        )
        with gr.Row():
            upload = any_type(
                gr.UploadButton(
                    "Tải lên văn bản (" + ", ".join(file_types) + ")",
                    file_types=list(file_types),
                    file_count="multiple",
                    variant="primary",
                    elem_id="hd-upload",
                )
            )
            remove = gr.Button("Xóa văn bản đang chọn", variant="stop", elem_id="hd-remove")
        with gr.Row(visible=False) as confirm_row:
            confirm_text = gr.Markdown("")
            confirm = gr.Button("Xác nhận xóa", variant="stop", elem_id="hd-remove-confirm")
            cancel = gr.Button("Hủy", elem_id="hd-remove-cancel")
        upload_status = gr.Markdown("", elem_id="hd-upload-status")

    def refreshed(selected: str | None):
        docs = service.documents()
        sources = {d.source for d in docs}
        if selected not in sources:
            selected = docs[0].source if docs else None
        return document_rows(docs), gr.update(choices=document_choices(docs), value=selected)

    def show_document(source: str | None):
        document = next((d for d in service.documents() if d.source == source), None)
        clauses = service.clauses(source) if document else []
        return (
            document_html(document),
            outline_html(clauses),
            gr.update(choices=[(clause_title(c), c.id) for c in clauses], value=None),
            clause_html(None),
        )

    doc_select.change(show_document, [doc_select], [card, outline, clause_select, clause_view])

    def pick_row(evt: gr.SelectData):
        row = evt.row_value or []
        return row[-1] if row else gr.skip()

    table.select(pick_row, None, [doc_select])

    def pick_clause(evt: gr.EventData):
        return getattr(evt, "clause", None) or gr.skip()

    outline.click(pick_clause, None, [clause_select])
    clause_select.change(
        lambda cid: clause_html(service.clause(cid) if cid else None),
        [clause_select],
        [clause_view],
    )

    def refuse(message: str):
        # A toast and the status line, not gr.Error: the table stays usable afterwards.
        warn(message)
        return plain_markdown(message), gr.skip(), gr.skip()

    @friendly
    def add_files(
        files: list[str] | None,
        request: gr.Request,
        progress=gr.Progress(),  # noqa: B008 (Gradio's idiom)
    ):
        require_admin(request)
        if not files:
            return gr.skip(), gr.skip(), gr.skip()
        stored, rejected = service.store_uploads([uploaded_file(name) for name in files])
        if not stored:
            reasons = "; ".join(f"{name}: {reason}" for name, reason in rejected)
            return refuse(f"Không tải lên được tệp nào ({reasons}).")

        def step(done: int, total: int, message: str) -> None:
            progress((done, total) if total else None, desc=message)

        try:
            report = service.add_files(stored, progress=step)
        except HoidapError as exc:
            return refuse(str(exc))
        logger.info("upload: %d indexed, %d skipped", report.indexed, len(report.skipped))
        rows, choices = refreshed(stored[-1].name)
        return report_markdown(report, rejected), rows, choices

    uploaded = upload.upload(add_files, [upload], [upload_status, table, doc_select])

    def ask_removal(source: str | None):
        if not source:
            warn("Hãy chọn một văn bản trước.")
            return gr.skip(), gr.skip()
        name = dict((s, label) for label, s in document_choices(service.documents())).get(source)
        return gr.update(visible=True), f"Xóa **{plain_markdown(name or source)}** khỏi chỉ mục?"

    remove.click(ask_removal, [doc_select], [confirm_row, confirm_text])
    cancel.click(lambda: gr.update(visible=False), None, [confirm_row])

    @friendly
    def remove_document(source: str | None, request: gr.Request):
        require_admin(request)
        if not source:
            raise InputError("Chưa chọn văn bản cần xóa.")
        service.remove_document(source)
        rows, choices = refreshed(None)
        return gr.update(visible=False), f"Đã xóa văn bản {plain_markdown(source)}.", rows, choices

    removed = confirm.click(
        remove_document, [doc_select], [confirm_row, upload_status, table, doc_select]
    )
    return DocumentsTab(changed=(uploaded, removed))
