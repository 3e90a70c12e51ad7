"""The "Tạo câu hỏi" tab: build a quiz from the indexed documents, review, edit, export.

Callbacks are thin: they call the same functions as ``hoidap quiz`` (generate_quiz,
regenerate_question, edit_question, delete_question, export_quiz). The quiz lives in a
per-session ``gr.State``. Every text from documents and questions is HTML-escaped.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from hoidap.config import Settings
from hoidap.errors import QuizError
from quiz import (
    ExportFormat,
    Question,
    QuestionType,
    Quiz,
    delete_question,
    edit_question,
    export_quiz,
    generate_quiz,
    regenerate_question,
)
from quiz.generate import DEFAULT_COUNT
from service import Service
from ui.errors import friendly
from ui.render import document_choices, escape

logger = logging.getLogger(__name__)

INTRO = (
    "### Tạo bộ câu hỏi ôn tập\n"
    "Chọn văn bản, loại câu hỏi và số câu rồi bấm **Tạo bộ câu hỏi**. Mỗi câu hỏi được lập từ "
    "một điều khoản (cơ quan chủ trì, thời hạn, số hiệu văn bản, tỉ lệ) và ghi rõ điều khoản "
    "đó; có thể sửa, xóa, tạo lại từng câu và tải về dạng Moodle XML, GIFT, CSV hoặc JSON."
)
MAX_COUNT_UI = 100
CHOICE_CHARS = 90
TRUE, FALSE = "Đúng", "Sai"
EXPORT_NAME = "bo-cau-hoi"


@dataclass(frozen=True)
class EditorFields:
    """What the editor shows for one question."""

    clause: str  # HTML of the cited clause
    stem: str
    options: str  # one option a line
    correct: int | None  # 1-based
    truth: str | None
    answer: str
    qtype: QuestionType


def make_quiz(
    service: Service, *, sources: Sequence[str] | None, types: Sequence[str], count: int, seed: int
) -> Quiz:
    """Generate a quiz from the service's clauses (the CLI's ``quiz make``)."""
    if not types:
        raise QuizError("Hãy chọn ít nhất một loại câu hỏi.")
    return generate_quiz(
        service.clauses(),
        service.documents(),
        n=int(count),
        types=[QuestionType(t) for t in types],
        seed=int(seed),
        sources=list(sources) or None,
    )


def _clause_html(question: Question) -> str:
    return (
        '<div class="hd-quiz-clause">'
        f"<div><strong>Căn cứ:</strong> {escape(question.citation)} "
        f"(<code>{escape(question.clause_path)}</code>)</div>"
        f'<blockquote style="white-space: pre-line">{escape(question.clause_text)}</blockquote>'
        "</div>"
    )


def _letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else str(index + 1)


def _answer_html(question: Question) -> str:
    if question.type is QuestionType.TRUEFALSE:
        verdict = TRUE if question.truth else FALSE
        note = ""
        if question.replacement:
            note = (
                f" (văn bản ghi “{escape(question.answer)}”, câu hỏi thay bằng "
                f"“{escape(question.replacement)}”)"
            )
        return f"<p><strong>Đáp án:</strong> {verdict}{note}</p>"
    items = "".join(
        f"<li>{_letter(i)}. <strong>{escape(o.text)}</strong> (đúng)</li>"
        if o.correct
        else f"<li>{_letter(i)}. {escape(o.text)}</li>"
        for i, o in enumerate(question.options)
    )
    listing = f'<ul style="list-style: none; padding-left: 0">{items}</ul>' if items else ""
    if question.type is QuestionType.CLOZE:
        return listing + f"<p><strong>Đáp án:</strong> {escape(question.answer)}</p>"
    return listing


def preview_html(quiz: Quiz | None) -> str:
    """Every question with its options, answer and cited clause."""
    if quiz is None or not quiz.questions:
        return "<p>Chưa có câu hỏi nào.</p>"
    cards = []
    for number, q in enumerate(quiz.questions, start=1):
        edited = " · đã sửa" if q.edited else ""
        cards.append(
            '<div class="hd-quiz-card" style="margin-bottom:1em">'
            f"<p><strong>Câu {number}</strong> · {escape(q.type.label)} · "
            f"{escape(q.fact.label)}{edited}</p>"
            f"<p>{escape(q.stem)}</p>"
            f"{_answer_html(q)}"
            f"<details><summary>Căn cứ: {escape(q.document)} › {escape(q.clause_path)}</summary>"
            f"{_clause_html(q)}</details>"
            "</div>"
        )
    return "".join(cards)


def status_markdown(quiz: Quiz, message: str, warnings: Sequence[str] = ()) -> str:
    """A one-line summary plus any warnings, escaped for Markdown/HTML."""
    lines = [escape(message)]
    lines += [f"- ⚠️ {escape(w)}" for w in (*quiz.warnings, *warnings)]
    return "\n".join(lines)


def question_choices(quiz: Quiz | None) -> list[tuple[str, str]]:
    """(label, id) for the question picker: "3. Theo Kế hoạch…"."""
    if quiz is None:
        return []
    choices = []
    for number, q in enumerate(quiz.questions, start=1):
        stem = q.stem if len(q.stem) <= CHOICE_CHARS else q.stem[:CHOICE_CHARS].rsplit(" ", 1)[0]
        choices.append((f"{number}. {stem}{'…' if stem != q.stem else ''}", q.id))
    return choices


def editor_fields(quiz: Quiz, question_id: str) -> EditorFields:
    """The editable fields of one question."""
    q = quiz.questions[quiz.index_of(question_id)]
    correct = q.correct_index
    return EditorFields(
        clause=_clause_html(q),
        stem=q.stem,
        options="\n".join(o.text for o in q.options),
        correct=None if correct is None else correct + 1,
        truth=None if q.truth is None else (TRUE if q.truth else FALSE),
        answer=q.answer,
        qtype=q.type,
    )


def apply_edit(
    quiz: Quiz,
    question_id: str,
    *,
    stem: str,
    options: str,
    correct: float | None,
    truth: str | None,
    answer: str,
) -> Quiz:
    """Save the editor's fields into the quiz (raises QuizError when unsound)."""
    q = quiz.questions[quiz.index_of(question_id)]
    if q.type is QuestionType.TRUEFALSE:
        return edit_question(quiz, question_id, stem=stem, truth=truth == TRUE)
    lines = [line for line in options.split("\n") if line.strip()]
    if q.type is QuestionType.CLOZE and not lines:
        return edit_question(quiz, question_id, stem=stem, options=[], answer=answer)
    if correct is None or not float(correct).is_integer():
        raise QuizError("Hãy nhập số thứ tự của phương án đúng (1, 2, 3…).")
    return edit_question(
        quiz,
        question_id,
        stem=stem,
        options=lines,
        correct=int(correct) - 1,
        answer=answer if q.type is QuestionType.CLOZE else None,
    )


def write_export(quiz: Quiz, fmt: ExportFormat, directory: Path) -> tuple[Path, tuple[str, ...]]:
    """Write the quiz in ``fmt`` under ``directory``; the path and the export's warnings."""
    result = export_quiz(quiz, fmt)
    path = directory / f"{EXPORT_NAME}{fmt.suffix}"
    path.write_bytes(result.data)
    return path, result.warnings


def _require(quiz: Quiz | None) -> Quiz:
    if quiz is None or not quiz.questions:
        raise QuizError("Chưa có bộ câu hỏi: hãy bấm “Tạo bộ câu hỏi” trước.")
    return quiz


def build_quiz_tab(service: Service, settings: Settings) -> None:
    """The "Tạo câu hỏi" tab content, created inside the caller's ``gr.Blocks``/``gr.Tab``."""
    logger.debug("quiz tab over %s", settings.index_dir)
    gr.Markdown(INTRO)
    with gr.Row():
        docs = gr.Dropdown(
            choices=document_choices(service.documents()),
            multiselect=True,
            label="Văn bản (để trống: tất cả)",
            scale=3,
        )
        types = gr.CheckboxGroup(
            choices=[(t.label, t.value) for t in QuestionType],
            value=[t.value for t in QuestionType],
            label="Loại câu hỏi",
            scale=2,
        )
    with gr.Row():
        count = gr.Slider(1, MAX_COUNT_UI, value=DEFAULT_COUNT, step=1, label="Số câu hỏi")
        seed = gr.Number(
            value=0, precision=0, label="Mã tạo ngẫu nhiên (cùng mã → cùng bộ câu hỏi)"
        )
    make_button = gr.Button("Tạo bộ câu hỏi", variant="primary")
    status = gr.Markdown(elem_id="hd-quiz-status")
    quiz_state = gr.State(None)
    with gr.Row():
        with gr.Column(scale=3):
            preview = gr.HTML(preview_html(None), elem_id="hd-quiz-preview")
        with gr.Column(scale=2):
            pick = gr.Dropdown(choices=[], label="Chọn câu hỏi để sửa", interactive=True)
            clause = gr.HTML()
            stem = gr.Textbox(label="Câu hỏi", lines=3)
            options = gr.Textbox(label="Phương án (mỗi dòng một phương án)", lines=4)
            correct = gr.Number(label="Phương án đúng là phương án số", precision=0, minimum=1)
            truth = gr.Radio([TRUE, FALSE], label="Đáp án câu đúng/sai", visible=False)
            answer = gr.Textbox(label="Đáp án câu điền khuyết", visible=False)
            with gr.Row():
                save_button = gr.Button("Lưu thay đổi", variant="primary")
                regenerate_button = gr.Button("Tạo lại câu này")
                delete_button = gr.Button("Xóa câu này", variant="stop")
    gr.Markdown("#### Tải về")
    with gr.Row():
        export_buttons = {fmt: gr.Button(fmt.label) for fmt in ExportFormat}
    download = gr.File(label="Tệp tải về", interactive=False)
    editor = [clause, stem, options, correct, truth, answer]

    def fill_editor(quiz: Quiz | None, question_id: str | None):
        if quiz is None or not question_id or question_id not in {q.id for q in quiz.questions}:
            return [
                "",
                "",
                gr.update(value="", visible=True),
                gr.update(value=None, visible=True),
                gr.update(value=None, visible=False),
                gr.update(value="", visible=False),
            ]
        fields = editor_fields(quiz, question_id)
        has_options = fields.qtype is not QuestionType.TRUEFALSE
        return [
            fields.clause,
            fields.stem,
            gr.update(value=fields.options, visible=has_options),
            gr.update(value=fields.correct, visible=has_options),
            gr.update(value=fields.truth, visible=fields.qtype is QuestionType.TRUEFALSE),
            gr.update(value=fields.answer, visible=fields.qtype is QuestionType.CLOZE),
        ]

    def shown(quiz: Quiz, message: str, selected: str | None, warnings: Sequence[str] = ()):
        choices = question_choices(quiz)
        ids = [qid for _, qid in choices]
        value = selected if selected in ids else (ids[0] if ids else None)
        return (
            quiz,
            status_markdown(quiz, message, warnings),
            preview_html(quiz),
            gr.update(choices=choices, value=value),
        )

    @friendly
    def on_make(sources, wanted, how_many, seed_value):
        quiz = make_quiz(
            service,
            sources=sources or [],
            types=wanted or [],
            count=how_many,
            seed=int(seed_value or 0),
        )
        return shown(quiz, f"Đã tạo {len(quiz.questions)} câu hỏi.", None)

    @friendly
    def on_save(quiz, question_id, stem_text, options_text, correct_number, truth_label, term):
        quiz = apply_edit(
            _require(quiz),
            question_id or "",
            stem=stem_text,
            options=options_text,
            correct=correct_number,
            truth=truth_label,
            answer=term,
        )
        return shown(quiz, "Đã lưu thay đổi.", question_id)

    @friendly
    def on_delete(quiz, question_id):
        quiz = delete_question(_require(quiz), question_id or "")
        return shown(quiz, f"Đã xóa câu hỏi; còn {len(quiz.questions)} câu.", None)

    @friendly
    def on_regenerate(quiz, question_id):
        quiz = _require(quiz)
        position = quiz.index_of(question_id or "")
        quiz = regenerate_question(
            quiz, question_id, clauses=service.clauses(), documents=service.documents()
        )
        return shown(quiz, f"Đã tạo lại câu {position + 1}.", quiz.questions[position].id)

    def on_export(fmt: ExportFormat):
        @friendly
        def export(quiz):
            path, warnings = write_export(
                _require(quiz), fmt, Path(tempfile.mkdtemp(prefix="hoidap-quiz-"))
            )
            message = f"Đã xuất {len(quiz.questions)} câu hỏi sang {fmt.label}."
            return str(path), status_markdown(quiz, message, warnings)

        return export

    def refresh_documents(selected):
        choices = document_choices(service.documents())
        known = {source for _, source in choices}
        return gr.update(choices=choices, value=[s for s in selected or [] if s in known])

    listing = [quiz_state, status, preview, pick]
    docs.focus(refresh_documents, [docs], [docs])
    make_button.click(on_make, [docs, types, count, seed], listing).success(
        fill_editor, [quiz_state, pick], editor
    )
    pick.change(fill_editor, [quiz_state, pick], editor)
    save_button.click(
        on_save, [quiz_state, pick, stem, options, correct, truth, answer], listing
    ).success(fill_editor, [quiz_state, pick], editor)
    delete_button.click(on_delete, [quiz_state, pick], listing).success(
        fill_editor, [quiz_state, pick], editor
    )
    regenerate_button.click(on_regenerate, [quiz_state, pick], listing).success(
        fill_editor, [quiz_state, pick], editor
    )
    for fmt, button in export_buttons.items():
        button.click(on_export(fmt), [quiz_state], [download, status])
