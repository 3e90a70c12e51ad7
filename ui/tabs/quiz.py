"""The "Tạo câu hỏi" tab: build a quiz from the indexed documents, review, edit, export.

Three small parts: ``_layout`` creates the components, ``QuizCallbacks`` holds the thin
callbacks (they call the same functions as ``hoidap quiz``: generate_quiz,
regenerate_question, edit_question, delete_question, export_quiz) and ``_wire`` connects them.
A callback never raises into Gradio: a problem is shown in Vietnamese in a line under the
status, above the preview and the editor (no red error badges over the fields), and the quiz
and the editor keep what they had.
The quiz lives in a per-session ``gr.State``. Every text from documents and questions is
HTML-escaped.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from hoidap.config import Settings
from hoidap.errors import HoidapError, QuizError
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
from quiz.scope import offices, sections
from service import Service
from ui.errors import UNEXPECTED
from ui.render import document_choices, escape

logger = logging.getLogger(__name__)

INTRO = (
    "### Tạo bộ câu hỏi ôn tập\n"
    "Chọn văn bản (có thể chọn một phần hoặc một cơ quan), loại câu hỏi và số câu rồi bấm "
    "**Tạo bộ câu hỏi**. Mỗi câu hỏi được lập từ một điều khoản — ai chủ trì, phối hợp, nhiệm "
    "vụ được giao, thời hạn, mục đích và yêu cầu, chỉ tiêu, văn bản nào quy định, số hiệu văn "
    "bản — ghi rõ điều khoản đó, độ khó và điểm chất lượng; có thể sửa, xóa, tạo lại từng câu "
    "và tải về cho Kahoot, Quizizz, Azota, Word, Moodle."
)
MAX_COUNT_UI = 100
CHOICE_CHARS = 90
TRUE, FALSE = "Đúng", "Sai"
EXPORT_NAME = "bo-cau-hoi"
ERROR_STYLE = (
    "margin:0.25em 0;padding:0.5em 0.75em;border-left:4px solid #b45309;"
    "background:#fffbeb;color:#78350f;border-radius:4px"
)


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


# helpers shared with tests ------------------------------------------------------------------


def make_quiz(
    service: Service,
    *,
    sources: Sequence[str] | None,
    types: Sequence[str],
    count: int,
    seed: int,
    section: str = "",
    office: str = "",
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
        section=section or "",
        office=office or "",
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
    """Every question with its kind, difficulty, quality, options, answer and clause."""
    if quiz is None or not quiz.questions:
        return "<p>Chưa có câu hỏi nào.</p>"
    cards = []
    for number, q in enumerate(quiz.questions, start=1):
        edited = " · đã sửa" if q.edited else ""
        cards.append(
            '<div class="hd-quiz-card" style="margin-bottom:1em">'
            f"<p><strong>Câu {number}</strong> · {escape(q.type.label)} · "
            f"{escape(q.fact.label)} · độ khó: {escape(q.difficulty.value)} · "
            f"chất lượng: {q.quality}/100{edited}</p>"
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


def error_html(message: str) -> str:
    """A problem shown inline above the editor (empty message: nothing shown)."""
    if not message:
        return ""
    return f'<div role="alert" style="{ERROR_STYLE}">⚠️ {escape(message)}</div>'


def export_notes(fmt: ExportFormat, count: int, total: int, notes: Sequence[str]) -> str:
    """What the download holds and every question changed or skipped, shown before it."""
    lines = [escape(f"Tệp {fmt.label}: {count}/{total} câu hỏi.")]
    if notes:
        lines.append(escape("Những câu đã thay đổi hoặc bỏ qua — xem lại trước khi tải về:"))
        lines += [f"- {escape(n)}" for n in notes]
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


def write_export(
    quiz: Quiz, fmt: ExportFormat, directory: Path
) -> tuple[Path, tuple[str, ...], int]:
    """Write the quiz in ``fmt`` under ``directory``: the path, the changes and skips, and
    how many questions the file holds."""
    result = export_quiz(quiz, fmt)
    path = directory / f"{EXPORT_NAME}{fmt.suffix}"
    path.write_bytes(result.data)
    return path, result.warnings, result.count


def _require(quiz: Quiz | None) -> Quiz:
    if quiz is None or not quiz.questions:
        raise QuizError("Chưa có bộ câu hỏi: hãy bấm “Tạo bộ câu hỏi” trước.")
    return quiz


# layout -------------------------------------------------------------------------------------


@dataclass
class QuizLayout:
    """The components of the tab."""

    docs: Any
    section: Any
    office: Any
    types: Any
    count: Any
    seed: Any
    make_button: Any
    status: Any
    error: Any
    quiz_state: Any
    preview: Any
    pick: Any
    clause: Any
    stem: Any
    options: Any
    correct: Any
    truth: Any
    answer: Any
    save_button: Any
    regenerate_button: Any
    delete_button: Any
    export_format: Any
    export_button: Any
    export_notes: Any
    download: Any

    @property
    def editor(self) -> list[Any]:
        return [self.clause, self.stem, self.options, self.correct, self.truth, self.answer]

    @property
    def listing(self) -> list[Any]:
        """What a change of the quiz updates, the inline error last."""
        return [self.quiz_state, self.status, self.preview, self.pick, *self.editor, self.error]


def _scope_controls(service: Service) -> tuple[Any, Any, Any]:
    with gr.Row():
        docs = gr.Dropdown(
            choices=document_choices(service.documents()),
            multiselect=True,
            label="Văn bản (để trống: tất cả)",
            scale=3,
            elem_id="hd-quiz-docs",
        )
        section = _narrowing(
            sections(service.clauses()), "Chỉ hỏi trong phần (để trống: cả văn bản)"
        )
        office = _narrowing(
            offices(service.clauses()), "Chỉ hỏi về nhiệm vụ của cơ quan (để trống: mọi cơ quan)"
        )
    return docs, section, office


def _narrowing(choices: list[str], label: str) -> gr.Dropdown:
    """A dropdown narrowing the quiz: one of ``choices`` or the user's own words; empty: all."""
    return gr.Dropdown(choices=choices, value=None, allow_custom_value=True, label=label, scale=2)


def _editor_controls() -> dict[str, Any]:
    controls = {
        "pick": gr.Dropdown(choices=[], label="Chọn câu hỏi để sửa", interactive=True),
        "clause": gr.HTML(),
        "stem": gr.Textbox(label="Câu hỏi", lines=3),
        "options": gr.Textbox(label="Phương án (mỗi dòng một phương án)", lines=4),
        # no ``minimum``: Gradio would frame the empty field in red; apply_edit checks it
        "correct": gr.Number(label="Phương án đúng là phương án số", precision=0),
        "truth": gr.Radio([TRUE, FALSE], label="Đáp án câu đúng/sai", visible=False),
        "answer": gr.Textbox(label="Đáp án câu điền khuyết", visible=False),
    }
    with gr.Row():
        controls["save_button"] = gr.Button("Lưu thay đổi", variant="primary")
        controls["regenerate_button"] = gr.Button("Tạo lại câu này")
        controls["delete_button"] = gr.Button("Xóa câu này", variant="stop")
    return controls


def _export_controls() -> dict[str, Any]:
    gr.Markdown("#### Tải về")
    with gr.Row():
        export_format = gr.Dropdown(
            choices=[(f.label, f.value) for f in ExportFormat],
            value=ExportFormat.KAHOOT.value,
            label="Định dạng",
            scale=3,
        )
        export_button = gr.Button("Chuẩn bị tệp tải về", scale=1)
    notes = gr.Markdown(elem_id="hd-quiz-export-notes")  # shown before the download button
    download = gr.File(label="Tệp tải về", interactive=False)
    return {
        "export_format": export_format,
        "export_button": export_button,
        "export_notes": notes,
        "download": download,
    }


def _layout(service: Service) -> QuizLayout:
    gr.Markdown(INTRO)
    docs, section, office = _scope_controls(service)
    with gr.Row():
        types = gr.CheckboxGroup(
            choices=[(t.label, t.value) for t in QuestionType],
            value=[t.value for t in QuestionType],
            label="Loại câu hỏi",
            scale=2,
        )
        count = gr.Slider(1, MAX_COUNT_UI, value=DEFAULT_COUNT, step=1, label="Số câu hỏi")
        seed = gr.Number(
            value=0, precision=0, label="Mã tạo ngẫu nhiên (cùng mã → cùng bộ câu hỏi)"
        )
    make_button = gr.Button("Tạo bộ câu hỏi", variant="primary")
    status = gr.Markdown(elem_id="hd-quiz-status")
    error = gr.HTML(elem_id="hd-quiz-error")  # problems, in Vietnamese, above the editor
    quiz_state = gr.State(None)
    with gr.Row():
        with gr.Column(scale=3):
            preview = gr.HTML(preview_html(None), elem_id="hd-quiz-preview")
        with gr.Column(scale=2):
            editor = _editor_controls()
    exports = _export_controls()
    return QuizLayout(
        docs=docs,
        section=section,
        office=office,
        types=types,
        count=count,
        seed=seed,
        make_button=make_button,
        status=status,
        error=error,
        quiz_state=quiz_state,
        preview=preview,
        **editor,
        **exports,
    )


# callbacks ----------------------------------------------------------------------------------


def _inline(outputs: int) -> Callable[[Callable[..., list]], Callable[..., list]]:
    """Run a callback whose last output is the inline error: on a problem, leave every other
    output as it was and show the problem in Vietnamese instead of raising into Gradio."""

    def decorate(fn: Callable[..., list]) -> Callable[..., list]:
        def run(*args: Any) -> list:
            try:
                return [*fn(*args), error_html("")]
            except HoidapError as err:
                message = str(err)
            except Exception:
                logger.exception("unexpected error in a quiz callback")
                message = UNEXPECTED
            return [gr.update()] * (outputs - 1) + [error_html(message)]

        return run

    return decorate


class QuizCallbacks:
    """The tab's callbacks over one service; thin calls to the quiz package."""

    EDITOR_OUTPUTS = 6
    LISTING_OUTPUTS = 4 + EDITOR_OUTPUTS + 1

    def __init__(self, service: Service) -> None:
        self.service = service

    @staticmethod
    def editor(quiz: Quiz | None, question_id: str | None) -> list:
        """The editor's fields for the chosen question (emptied when there is none)."""
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

    def _shown(self, quiz: Quiz, message: str, selected: str | None) -> list:
        choices = question_choices(quiz)
        ids = [qid for _, qid in choices]
        value = selected if selected in ids else (ids[0] if ids else None)
        return [
            quiz,
            status_markdown(quiz, message),
            preview_html(quiz),
            gr.update(choices=choices, value=value),
            *self.editor(quiz, value),
        ]

    def make(self, sources, wanted, how_many, seed_value, section, office) -> list:
        quiz = make_quiz(
            self.service,
            sources=sources or [],
            types=wanted or [],
            count=how_many,
            seed=int(seed_value or 0),
            section=section or "",
            office=office or "",
        )
        return self._shown(quiz, f"Đã tạo {len(quiz.questions)} câu hỏi.", None)

    def save(self, quiz, question_id, stem_text, options_text, correct, truth, term) -> list:
        quiz = apply_edit(
            _require(quiz),
            question_id or "",
            stem=stem_text,
            options=options_text,
            correct=correct,
            truth=truth,
            answer=term,
        )
        return self._shown(quiz, "Đã lưu thay đổi.", question_id)

    def delete(self, quiz, question_id) -> list:
        quiz = delete_question(_require(quiz), question_id or "")
        return self._shown(quiz, f"Đã xóa câu hỏi; còn {len(quiz.questions)} câu.", None)

    def regenerate(self, quiz, question_id) -> list:
        quiz = _require(quiz)
        position = quiz.index_of(question_id or "")
        quiz = regenerate_question(
            quiz, question_id, clauses=self.service.clauses(), documents=self.service.documents()
        )
        new_id = quiz.questions[position].id
        return self._shown(quiz, f"Đã tạo lại câu {position + 1}.", new_id)

    @staticmethod
    def export(quiz, fmt_value) -> list:
        quiz = _require(quiz)
        fmt = ExportFormat(fmt_value or ExportFormat.KAHOOT.value)
        directory = Path(tempfile.mkdtemp(prefix="hoidap-quiz-"))
        path, notes, count = write_export(quiz, fmt, directory)
        return [export_notes(fmt, count, len(quiz.questions), notes), str(path)]

    def refresh_scope(self, sources, section, office) -> tuple[Any, Any]:
        """The parts and offices of the chosen documents (all when none is chosen)."""
        clauses = self.service.clauses()
        chosen = list(sources or []) or None
        return (
            gr.update(choices=sections(clauses, chosen), value=section),
            gr.update(choices=offices(clauses, chosen), value=office),
        )

    def refresh_documents(self, selected) -> Any:
        choices = document_choices(self.service.documents())
        known = {source for _, source in choices}
        return gr.update(choices=choices, value=[s for s in selected or [] if s in known])


# wiring -------------------------------------------------------------------------------------


def _wire(layout: QuizLayout, callbacks: QuizCallbacks) -> None:
    listing = layout.listing
    n = QuizCallbacks.LISTING_OUTPUTS
    state, pick = layout.quiz_state, layout.pick
    layout.docs.focus(callbacks.refresh_documents, [layout.docs], [layout.docs])
    # parts and offices are read again when the documents change and when a picker opens,
    # so an upload or removal made elsewhere shows up without a reload
    for trigger in (layout.docs.change, layout.section.focus, layout.office.focus):
        trigger(
            callbacks.refresh_scope,
            [layout.docs, layout.section, layout.office],
            [layout.section, layout.office],
        )
    layout.make_button.click(
        _inline(n)(callbacks.make),
        [layout.docs, layout.types, layout.count, layout.seed, layout.section, layout.office],
        listing,
    )
    pick.input(callbacks.editor, [state, pick], layout.editor)
    layout.save_button.click(
        _inline(n)(callbacks.save),
        [state, pick, layout.stem, layout.options, layout.correct, layout.truth, layout.answer],
        listing,
    )
    layout.delete_button.click(_inline(n)(callbacks.delete), [state, pick], listing)
    layout.regenerate_button.click(_inline(n)(callbacks.regenerate), [state, pick], listing)
    layout.export_button.click(
        _inline(3)(callbacks.export),
        [state, layout.export_format],
        [layout.export_notes, layout.download, layout.error],
    )


@dataclass(frozen=True)
class QuizTab:
    """Handles the app needs after building the tab (to keep the document picker current)."""

    document_pickers: tuple[gr.Dropdown, ...]


def build_quiz_tab(service: Service, settings: Settings) -> QuizTab:
    """The "Tạo câu hỏi" tab content, created inside the caller's ``gr.Blocks``/``gr.Tab``."""
    logger.debug("quiz tab over %s", settings.index_dir)
    layout = _layout(service)
    _wire(layout, QuizCallbacks(service))
    return QuizTab(document_pickers=(layout.docs,))
