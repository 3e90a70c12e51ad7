"""The app as officials use it all day, in a real Chromium: every tab fits a phone, speaks
Vietnamese (Gradio's own words included), passes axe-core; lists follow uploads and removals
across reloads; conversations stay in the browser that had them; evaluation tables read as
the report does; errors show inline."""

from __future__ import annotations

import importlib.resources
import re
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from hoidap.config import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

TABS = ("Hỏi đáp", "Văn bản", "Tạo câu hỏi", "Đánh giá")
ANSWER_TIMEOUT = 60_000
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# Gradio's own English words and accessible names (none of them is Vietnamese or a term the
# app uses on purpose, such as hybrid, BM25, hit@5, API or Moodle XML).
ENGLISH = re.compile(
    r"\b(?:Clear|Drop|Upload|Click|Like|Dislike|Textbox|chatbot|conversation|steps|Error|"
    r"Invalid|Submit|Loading|Dropdown|Checkbox|Slider|Radio|Number|Download|Copy|Copied|"
    r"Retry|Undo|Remove|Settings|Image|Empty|More tabs|Close|Fullscreen|Here|allowed|"
    r"queue|Built with)\b"
)
AXE_JS = (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text("utf-8")


def open_app(browser: Browser, url: str, viewport: dict[str, int] = DESKTOP) -> Page:
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(url)
    wait_ready(page)
    return page


def wait_ready(page: Page) -> None:
    """Until the saved conversation and the document lists are in (and the page is in vi)."""
    expect(page.locator("body")).to_have_attribute("data-hd-ready", "true", timeout=60_000)
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def show_tab(page: Page, name: str) -> None:
    tab = page.get_by_role("tab", name=name)
    if not tab.is_visible():  # a narrow screen may keep some tabs in Gradio's "more" menu
        page.get_by_role("button", name="Các thẻ khác").click()
        page.locator(".overflow-dropdown button", has_text=name).click()
    else:
        tab.click()
    expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")
    page.wait_for_timeout(300)  # the panel renders after the tab is selected


def ask(page: Page, question: str, turn: int) -> None:
    box = page.locator("#hd-question textarea")
    expect(box).to_be_editable()
    box.fill(question)
    box.press("Enter")
    page.locator(f"#hd-cite-{turn}-1").wait_for(timeout=ANSWER_TIMEOUT)


def options(page: Page, elem_id: str) -> list[str]:
    """The choices a dropdown offers (it is opened, read and closed)."""
    page.locator(f"#{elem_id} input").click()
    page.wait_for_timeout(300)
    texts = [t.strip() for t in page.locator("[role=listbox] [role=option]").all_inner_texts()]
    page.keyboard.press("Escape")
    page.locator("#hd-header").click()
    return texts


def serious_axe_violations(page: Page) -> list[str]:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_JS)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]} "
        f"{v['nodes'][0]['failureSummary']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def english_words(page: Page) -> set[str]:
    """English words in what is shown and what a screen reader reads (names, roles)."""
    heard = page.locator("body").aria_snapshot()
    names = page.evaluate(
        """() => [...document.querySelectorAll('[title], [placeholder], [aria-label]')]
          .filter((el) => el.checkVisibility())
          .map((el) => [el.title, el.placeholder, el.getAttribute('aria-label')].join(' '))
          .join('\\n')"""
    )
    shown = page.locator("body").inner_text()
    return set(ENGLISH.findall("\n".join([heard, names, shown])))


def test_every_tab_fits_speaks_vietnamese_and_passes_axe(ui_server, browser):
    page = open_app(browser, ui_server)
    box = page.locator("#hd-question textarea").bounding_box()
    assert box and box["y"] + box["height"] <= DESKTOP["height"], "question box below the fold"
    ask(page, "Phòng Kinh tế chịu trách nhiệm gì?", turn=0)
    problems = {}
    for tab in TABS:
        show_tab(page, tab)
        found = serious_axe_violations(page) + sorted(english_words(page))
        if found:
            problems[tab] = found
    assert problems == {}
    page.context.close()

    for width in (360, 430):
        phone = open_app(browser, ui_server, {"width": width, "height": 800})
        for tab in TABS:
            show_tab(phone, tab)
            scroll = phone.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{tab} is {scroll} px wide on a {width} px screen"
        phone.context.close()


def test_sources_under_the_answer_on_a_phone(ui_server, browser, screenshot_dir):
    phone = open_app(browser, ui_server, PHONE)
    ask(phone, "phong kinh te chiu trach nhiem gi", turn=0)
    chat = phone.locator("#hd-chat").bounding_box()
    sources = phone.locator("#hd-sources").bounding_box()
    assert chat and sources and sources["y"] >= chat["y"] + chat["height"]
    assert sources["x"] >= 0 and sources["x"] + sources["width"] <= PHONE["width"]
    phone.screenshot(path=str(screenshot_dir / "chat-phone.png"), full_page=True)
    phone.context.close()


def _plan(folder: Path, name: str, place: str) -> Path:
    path = folder / name
    path.write_text(
        f"ỦY BAN NHÂN DÂN XÃ {place.upper()}\nKẾ HOẠCH\nTrồng rừng ngập mặn năm 2027\n"
        "I. TỔ CHỨC THỰC HIỆN\n1. Phòng Nông nghiệp\n"
        f"Chủ trì trồng 12 ha rừng ngập mặn tại xã {place} trước ngày 30/6/2027.\n",
        encoding="utf-8",
    )
    return path


def test_lists_follow_uploads_and_removals_across_reloads(
    private_server, private_service, browser, tmp_path
):
    plan = _plan(tmp_path, "rung-ngap-man.txt", "Tân Thành")
    page = open_app(browser, private_server)
    other = page.context.new_page()  # a second tab of the same browser, opened before
    other.goto(private_server)
    wait_ready(other)
    show_tab(page, "Văn bản")
    page.locator("#hd-manage input[type=file]").set_input_files(str(plan))
    expect(page.locator("#hd-upload-status")).to_contain_text("Đã thêm 1 văn bản", timeout=120_000)
    title = next(d.short_title for d in private_service.documents() if d.source == plan.name)

    show_tab(other, "Văn bản")  # the other tab reads the documents again when a tab opens
    expect(other.locator("#hd-doc-table")).to_contain_text(plan.name)
    other.close()

    def listed_everywhere() -> list[bool]:
        page.reload()
        wait_ready(page)
        in_filter = title in options(page, "hd-doc-filter")
        show_tab(page, "Văn bản")
        expect(page.locator("#hd-doc-table table, #hd-doc-table .hd-empty")).to_be_visible()
        in_table = plan.name in page.locator("#hd-doc-table").inner_text()
        in_picker = title in options(page, "hd-doc-select")
        show_tab(page, "Tạo câu hỏi")
        in_quiz = title in options(page, "hd-quiz-docs")
        return [in_filter, in_table, in_picker, in_quiz]

    assert listed_everywhere() == [True] * 4
    show_tab(page, "Văn bản")
    page.locator("#hd-doc-table tr", has_text=plan.name).get_by_role("button").click()
    expect(page.locator("#hd-doc-card")).to_contain_text("rừng ngập mặn năm 2027")
    page.locator("#hd-remove").click()
    page.locator("#hd-remove-confirm").click()
    expect(page.locator("#hd-upload-status")).to_contain_text(f"Đã xóa văn bản {plan.name}")
    expect(page.locator("#hd-doc-table")).not_to_contain_text(plan.name)
    assert plan.name not in {d.source for d in private_service.documents()}
    assert listed_everywhere() == [False] * 4
    page.context.close()


def test_conversations_stay_in_their_own_browser(ui_server, browser):
    page = open_app(browser, ui_server)
    page.locator("#hd-send").click()  # nothing typed: said inline, nothing to close
    expect(page.locator("#hd-status [role=alert]")).to_contain_text("Hãy nhập câu hỏi")
    expect(page.locator('[data-testid="toast-body"]')).to_have_count(0)

    ask(page, "Phòng Kinh tế chịu trách nhiệm gì?", turn=0)
    page.reload()
    wait_ready(page)
    expect(page.locator("#hd-chat")).to_contain_text("Phòng Kinh tế chịu trách nhiệm gì?")
    expect(page.locator("#hd-sources .hd-cite").first).to_be_visible()

    page.locator("#hd-new").click()
    expect(page.locator("#hd-chat a.hd-ref")).to_have_count(0)
    expect(page.locator("#hd-sources")).to_contain_text("khi bạn đặt câu hỏi")
    ask(page, "Thời hạn hoàn thành rà soát văn bản quy phạm pháp luật?", turn=0)
    saved = options(page, "hd-conversation")
    assert len(saved) == 2 and "Phòng Kinh tế" in saved[1]

    page.locator("#hd-conversation input").click()
    page.get_by_role("option", name=saved[1]).click()
    expect(page.locator("#hd-chat")).to_contain_text("Phòng Kinh tế chịu trách nhiệm gì?")
    page.locator("#hd-delete").click()
    expect(page.locator("#hd-chat")).to_contain_text("Thời hạn hoàn thành")
    page.reload()
    wait_ready(page)
    expect(page.locator("#hd-chat")).to_contain_text("Thời hạn hoàn thành")
    assert len(options(page, "hd-conversation")) == 1

    stranger = open_app(browser, ui_server)  # another browser: its own, empty storage
    expect(stranger.locator("#hd-chat")).not_to_contain_text("Thời hạn hoàn thành")
    assert options(stranger, "hd-conversation") == []
    stranger.context.close()
    page.context.close()


def _report_rows(markdown: str, header: str) -> list[list[str]]:
    """Rows (cells) of the Markdown table whose header line starts with ``header``."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip().replace("\\|", "|") for c in line.strip("|").split(" | ")])
    return rows


def test_evaluation_tables_read_as_the_report(ui_server, browser, tmp_path):
    gold = tmp_path / "nho.jsonl"
    lines = (REPO_ROOT / "eval" / "gold" / "plans.jsonl").read_text("utf-8").splitlines()
    gold.write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    wrong = tmp_path / "cau-hoi.txt"
    wrong.write_text("không phải JSONL", encoding="utf-8")

    page = open_app(browser, ui_server)
    show_tab(page, "Đánh giá")
    upload = page.locator("#hd-eval-upload input[type=file]")
    upload.set_input_files(str(wrong))
    page.locator("#hd-eval-start").click()
    expect(page.locator("#hd-eval-status [role=alert]")).to_contain_text(
        "“cau-hoi.txt” không phải tệp câu hỏi chuẩn"
    )
    expect(page.locator('[data-testid="toast-body"]')).to_have_count(0)

    page.locator("#hd-eval-upload button[aria-label='Xóa']").click()
    page.locator("#hd-eval-upload input[type=file]").set_input_files(str(gold))
    page.locator("#hd-eval-start").click()
    expect(page.locator("#hd-eval-status")).to_contain_text("Đã đánh giá 6 câu hỏi")
    link = page.locator("#hd-eval-files a[download='report.md']")
    report = page.request.get(link.get_attribute("href")).text()
    assert english_words(page) == set()  # the filled tables and file list included

    for table_id, header in (("hd-eval-headline", "Chỉ số"), ("hd-eval-types", "Loại câu hỏi")):
        table = page.locator(f"#{table_id}")
        shown = [line.strip() for line in table.inner_text().splitlines() if line.strip()]
        assert all(unicodedata.is_normalized("NFC", line) for line in shown)
        cells = [cell for row in _report_rows(report, header) for cell in row]
        assert cells and all(unicodedata.is_normalized("NFC", cell) for cell in cells)
        position = 0
        for cell in cells:  # every cell of the report, in the report's order
            assert cell in shown[position:], f"{cell!r} missing from {table_id}"
            position = shown.index(cell, position)
        font = table.locator("td").first.evaluate("(el) => getComputedStyle(el).fontFamily")
        assert "mono" not in font.lower(), font
    page.context.close()
