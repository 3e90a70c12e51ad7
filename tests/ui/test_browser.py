"""The app in a real Chromium: cited answers, sources, feedback, documents, upload, XSS."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from hoidap import vntext
from ui.feedback import FeedbackStore, Rating

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

ANSWER_TIMEOUT = 60_000
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture
def dialogs() -> list[str]:
    return []


@pytest.fixture
def page(browser, dialogs):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(20_000)

    def record(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    yield page
    context.close()


def ask(page: Page, question: str, turn: int) -> None:
    box = page.locator("#hd-question textarea")
    expect(box).to_be_editable()  # after a tab switch the box can still be hidden
    box.fill(question)
    expect(box).to_have_value(question)
    box.press("Enter")
    try:
        page.locator(f"#hd-cite-{turn}-1").wait_for(timeout=ANSWER_TIMEOUT)
    except PlaywrightTimeoutError:
        chat = page.locator("#hd-chat").inner_text()
        raise AssertionError(f"no cited answer to {question!r}; the chat shows: {chat}") from None


def folded(text: str) -> str:
    return vntext.fold(vntext.normalize(text))


def test_chat_sources_feedback_and_documents(
    ui_server, page, dialogs, corpus_settings, screenshot_dir
):
    page.goto(ui_server)
    ask(page, "Phòng Kinh tế chịu trách nhiệm gì?", turn=0)

    cards = page.locator("#hd-sources .hd-cite")
    assert cards.count() >= 2
    for i in range(cards.count()):
        text = cards.nth(i).locator(".hd-text")
        expect(text).to_be_visible()
        assert len(text.inner_text().strip()) > 20
        expect(cards.nth(i).locator(".hd-label")).to_contain_text("›")
    expect(page.locator("#hd-sources mark").first).to_be_visible()
    assert "phong kinh te" in folded(page.locator("#hd-sources").inner_text())
    expect(page.locator("#hd-status")).to_contain_text("Thời gian trả lời")

    # [2] in the answer scrolls to (and flashes) the second source card, in this page.
    page.locator('#hd-chat a[href="#hd-cite-0-2"]').first.click()
    expect(page.locator("#hd-cite-0-2")).to_have_class("hd-cite hd-flash")
    expect(page.locator("#hd-cite-0-2")).to_be_in_viewport()
    assert len(page.context.pages) == 1
    page.screenshot(path=str(screenshot_dir / "chat.png"), full_page=True)
    page.locator("#hd-sources").screenshot(path=str(screenshot_dir / "sources.png"))

    # A follow-up uses the previous question.
    ask(page, "Còn Phòng Văn hóa - Xã hội thì sao?", turn=1)
    assert "van hoa - xa hoi" in folded(page.locator("#hd-sources").inner_text())

    # Thumbs up, then a comment, land in the SQLite store.
    page.locator('#hd-chat button[aria-label="Câu trả lời tốt"]').last.click()
    expect(page.locator("#hd-feedback-status")).to_contain_text("Cảm ơn")
    page.locator("#hd-comment textarea").fill("Thiếu thời hạn cụ thể.")
    page.locator("#hd-send-comment").click()
    expect(page.locator("#hd-feedback-status")).to_contain_text("Đã lưu góp ý")
    record = FeedbackStore(corpus_settings.feedback_db).records()[-1]
    assert record.question == "Còn Phòng Văn hóa - Xã hội thì sao?"
    assert record.rating is Rating.UP and record.comment == "Thiếu thời hạn cụ thể."
    assert record.citations

    # Copy puts the answer and its numbered sources on the clipboard.
    page.locator("#hd-copy").click()
    expect(page.locator("#hd-status")).to_contain_text("Đã sao chép câu trả lời")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "[1]" in copied and "Nguồn:" in copied

    # An example question is asked with one click; a new conversation empties chat and sources.
    page.locator(".hd-example").first.click()
    page.locator("#hd-cite-2-1").wait_for(timeout=ANSWER_TIMEOUT)
    page.locator("#hd-new").click()
    expect(page.locator("#hd-sources")).to_contain_text("khi bạn đặt câu hỏi")
    expect(page.locator("#hd-chat a.hd-ref")).to_have_count(0)

    # Documents: the table lists the corpus, a click in the outline shows that clause.
    page.get_by_role("tab", name="Văn bản").click()
    expect(page.locator("#hd-doc-table")).to_contain_text("000_67870b5209ee9c3b.txt")
    expect(page.locator("#hd-doc-table")).to_contain_text("004_868287148acd756b.txt")
    item = page.locator("#hd-outline li[data-clause$='#IV.2']")
    item.click()
    expect(page.locator("#hd-clause .hd-label")).to_contain_text("Phòng Kinh tế")
    expect(page.locator("#hd-clause .hd-text")).to_contain_text("chi thường xuyên")
    page.screenshot(path=str(screenshot_dir / "documents.png"), full_page=True)

    assert dialogs == []


def _plan_docx(path: Path) -> Path:
    document = docx.Document()
    for line in [
        "ỦY BAN NHÂN DÂN XÃ MINH TÂN",
        "KẾ HOẠCH",
        "Số hóa hồ sơ đất đai năm 2027",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "Hoàn thành số hóa toàn bộ hồ sơ địa chính của xã.",
        "II. TỔ CHỨC THỰC HIỆN",
        "1. Phòng Kinh tế",
        "Chủ trì xây dựng cơ sở dữ liệu địa chính số cho thôn Đồng Quýt trước ngày 15/3/2027.",
    ]:
        document.add_paragraph(line)
    document.save(path)
    return path


def _hostile_txt(folder: Path) -> Path:
    path = folder / f"kiem-thu-{XSS_IMG}.txt"
    path.write_text(
        "ỦY BAN NHÂN DÂN XÃ KIỂM THỬ\nKẾ HOẠCH\n"
        f"Kiểm thử an toàn hiển thị {XSS_SCRIPT}\n"
        "I. MỤC ĐÍCH\n"
        f"1. Tổ an toàn thông tin {XSS_IMG} rà soát chuỗi {XSS_SCRIPT} trong hệ thống Quế Lâm.\n"
        "II. TỔ CHỨC THỰC HIỆN\n1. Phòng Văn hóa - Xã hội\n"
        "Chủ trì kiểm tra phần mềm Quế Lâm {{constructor}} ${alert(1)} trước ngày 01/02/2027.\n",
        encoding="utf-8",
    )
    return path


def test_upload_then_ask_and_hostile_text_stays_text(
    private_server, private_service, page, dialogs, tmp_path, screenshot_dir
):
    files = [_plan_docx(tmp_path / "so-hoa-dat-dai.docx"), _hostile_txt(tmp_path)]
    page.goto(private_server)
    page.get_by_role("tab", name="Văn bản").click()
    page.locator("#hd-upload").wait_for()
    page.locator("#hd-manage input[type=file]").set_input_files([str(f) for f in files])
    expect(page.locator("#hd-upload-status")).to_contain_text("Đã thêm 2 văn bản", timeout=120_000)
    expect(page.locator("#hd-doc-table")).to_contain_text("so-hoa-dat-dai.docx")
    sources = {d.source for d in private_service.documents()}
    assert "so-hoa-dat-dai.docx" in sources
    hostile = next(s for s in sources if s.startswith("kiem-thu-"))
    assert "<" not in hostile and ">" not in hostile  # the stored name is sanitised

    # A file whose content does not match its extension, or of another kind, is refused in
    # Vietnamese, in the status line under the upload button (no toast to close).
    fake = tmp_path / "gia-mao.pdf"
    fake.write_text("không phải PDF", encoding="utf-8")
    image = tmp_path / "anh.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    for refused in (fake, image):
        page.locator("#hd-manage input[type=file]").set_input_files(str(refused))
        status = page.locator("#hd-upload-status [role=alert]")
        expect(status).to_contain_text("Không tải lên được tệp nào")
        expect(status).to_contain_text(refused.name)
    expect(page.locator('[data-testid="toast-body"]')).to_have_count(0)
    assert "gia-mao.pdf" not in {d.source for d in private_service.documents()}

    # The hostile document in the documents tab: title, outline and clause are plain text.
    page.locator("#hd-doc-table tr", has_text=hostile).get_by_role("button").click()
    expect(page.locator("#hd-doc-card")).to_contain_text(XSS_SCRIPT)
    page.locator("#hd-outline li", has_text="Tổ an toàn thông tin").click()
    expect(page.locator("#hd-clause .hd-text")).to_contain_text(
        f"{XSS_IMG} rà soát chuỗi {XSS_SCRIPT}"
    )
    page.screenshot(path=str(screenshot_dir / "documents-upload.png"), full_page=True)

    page.get_by_role("tab", name="Hỏi đáp").click()
    ask(page, "Cơ sở dữ liệu địa chính thôn Đồng Quýt do ai xây dựng?", turn=0)
    card = page.locator("#hd-cite-0-1")
    expect(card).to_contain_text("thôn Đồng Quýt trước ngày 15/3/2027")
    expect(card).to_contain_text("so-hoa-dat-dai.docx")

    ask(page, "hệ thống Quế Lâm", turn=1)
    expect(page.locator("#hd-sources")).to_contain_text(f"{XSS_IMG} rà soát chuỗi {XSS_SCRIPT}")
    expect(page.locator("#hd-chat")).to_contain_text(XSS_SCRIPT)
    ask(page, "Phần mềm Quế Lâm được kiểm tra khi nào?", turn=2)
    expect(page.locator("#hd-sources")).to_contain_text("{{constructor}} ${alert(1)}")
    page.wait_for_timeout(500)  # give any injected handler the chance to fire
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("script", has_text="alert(1)").count() == 0

    # Removing the selected document takes it out of the index and the table.
    page.get_by_role("tab", name="Văn bản").click()
    page.locator("#hd-remove").click()
    page.locator("#hd-remove-confirm").click()
    expect(page.locator("#hd-upload-status")).to_contain_text("Đã xóa văn bản")
    expect(page.locator("#hd-doc-table")).not_to_contain_text(hostile)
    assert hostile not in {d.source for d in private_service.documents()}
    assert dialogs == []
