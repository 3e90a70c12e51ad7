"""The "Tạo câu hỏi" tab: its helpers (escaping, editing, export files) and a real browser run."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from hoidap.errors import QuizError
from quiz import ExportFormat, generate_quiz, load_quiz
from quiz.model import QuestionType

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def mini_quiz(mini_clauses, mini_documents):
    return generate_quiz(mini_clauses, mini_documents, n=9, seed=0)


def test_preview_escapes_document_text(mini_quiz) -> None:
    from ui.tabs.quiz import preview_html

    first = mini_quiz.questions[0]
    hostile = replace(first, stem=f"Câu {XSS}", clause_text=XSS, document=XSS)
    html = preview_html(replace(mini_quiz, questions=(hostile,)))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Căn cứ:" in html and "Câu 1" in html


def test_editor_round_trip(mini_quiz) -> None:
    from ui.tabs.quiz import FALSE, TRUE, apply_edit, editor_fields, question_choices

    choices = question_choices(mini_quiz)
    assert [qid for _, qid in choices] == [q.id for q in mini_quiz.questions]
    assert choices[0][0].startswith("1. ")
    mcq = next(q for q in mini_quiz.questions if q.type is QuestionType.MCQ)
    fields = editor_fields(mini_quiz, mcq.id)
    assert fields.options.split("\n") == [o.text for o in mcq.options]
    edited = apply_edit(
        mini_quiz,
        mcq.id,
        stem=fields.stem + " (đã sửa)",
        options=fields.options + "\nPhương án thêm",
        correct=len(mcq.options) + 1,
        truth=None,
        answer="",
    )
    question = edited.questions[edited.index_of(mcq.id)]
    assert question.answer == "Phương án thêm" and question.stem.endswith("(đã sửa)")
    tf = next(q for q in mini_quiz.questions if q.type is QuestionType.TRUEFALSE)
    flipped = apply_edit(
        mini_quiz,
        tf.id,
        stem=tf.stem,
        options="",
        correct=None,
        truth=FALSE if tf.truth else TRUE,
        answer="",
    )
    assert flipped.questions[flipped.index_of(tf.id)].truth is (not tf.truth)
    with pytest.raises(QuizError, match="số thứ tự của phương án đúng"):
        apply_edit(mini_quiz, mcq.id, stem="x", options="a\nb", correct=None, truth=None, answer="")


def test_export_files(mini_quiz, tmp_path: Path) -> None:
    from ui.tabs.quiz import write_export

    for fmt in ExportFormat:
        path, _, count = write_export(mini_quiz, fmt, tmp_path)
        assert path.name.endswith(fmt.suffix) and path.stat().st_size > 0
        assert 0 < count <= len(mini_quiz.questions)
    assert load_quiz(tmp_path / "bo-cau-hoi.json") == mini_quiz


@pytest.fixture(scope="module")
def quiz_app(service, corpus_settings, serve_blocks):
    """A Blocks holding only the quiz tab, served on a free local port."""
    import gradio as gr

    from ui.tabs.quiz import build_quiz_tab

    with gr.Blocks(analytics_enabled=False) as blocks:
        with gr.Tab("Tạo câu hỏi"):
            build_quiz_tab(service, corpus_settings)
    with serve_blocks(blocks) as url:
        yield url


@pytest.mark.e2e
@pytest.mark.browser
def test_make_edit_delete_and_download_in_a_browser(quiz_app: str, tmp_path: Path, browser) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(quiz_app)
    page.get_by_role("button", name="Tạo bộ câu hỏi").click()
    preview = page.locator("#hd-quiz-preview")
    expect(preview).to_contain_text("Câu 20", timeout=60_000)
    expect(preview).to_contain_text("Căn cứ:")
    expect(page.locator("#hd-quiz-status")).to_contain_text("Đã tạo 20 câu hỏi.")

    stem = page.get_by_label("Câu hỏi", exact=True)
    expect(stem).not_to_have_value("", timeout=30_000)
    stem.fill(stem.input_value() + " (đã sửa bởi giảng viên)")
    page.get_by_role("button", name="Lưu thay đổi").click()
    expect(preview).to_contain_text("(đã sửa bởi giảng viên)", timeout=30_000)
    expect(preview).to_contain_text("đã sửa")

    page.get_by_role("button", name="Tạo lại câu này").click()
    expect(page.locator("#hd-quiz-status")).to_contain_text("Đã tạo lại câu 1.", timeout=30_000)
    expect(preview).not_to_contain_text("(đã sửa bởi giảng viên)")

    page.get_by_role("button", name="Xóa câu này").click()
    expect(page.locator("#hd-quiz-status")).to_contain_text("còn 19 câu", timeout=30_000)
    expect(preview).not_to_contain_text("Câu 20")

    # a problem is said inline in Vietnamese; the editor keeps what the trainer typed
    correct = page.get_by_label("Phương án đúng là phương án số")
    if correct.is_visible():
        correct.fill("")
    else:
        page.get_by_label("Câu hỏi", exact=True).fill("")
    page.get_by_role("button", name="Lưu thay đổi").click()
    error = page.locator("#hd-quiz-error [role=alert]")
    expect(error).to_be_visible(timeout=30_000)
    expect(error).to_contain_text("Hãy nhập số thứ tự" if correct.is_visible() else "để trống")
    expect(page.locator(".toast-body.error, .error-badge, span.error")).to_have_count(0)

    page.get_by_label("Định dạng").click()
    page.get_by_role("option", name="Kahoot (.xlsx)").click()
    page.get_by_role("button", name="Chuẩn bị tệp tải về").click()
    notes = page.locator("#hd-quiz-export-notes")
    expect(notes).to_contain_text("Tệp Kahoot (.xlsx):", timeout=30_000)
    expect(error).to_have_count(0)

    page.get_by_label("Định dạng").click()
    page.get_by_role("option", name="Moodle XML").click()
    page.get_by_role("button", name="Chuẩn bị tệp tải về").click()
    expect(notes).to_contain_text("Tệp Moodle XML: 19/19 câu hỏi.", timeout=30_000)
    link = page.locator("a[download]").first
    expect(link).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        link.click()
    saved = tmp_path / "bo-cau-hoi.xml"
    info.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert text.count('<question type="') == 20  # category + 19 questions
    page.screenshot(path=str(tmp_path / "quiz.png"), full_page=True)
    page.close()
    assert dialogs == []
