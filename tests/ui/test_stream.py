"""Streaming: server-sent events from ``POST /api/ask/stream`` and tokens in a real Chromium,
with the scripted language-model server writing slowly."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import expect

from hoidap.config import LLMBackend

pytestmark = pytest.mark.e2e

QUESTION = "Phòng Kinh tế chịu trách nhiệm gì?"
TOKEN_DELAY = 0.08


@pytest.fixture(scope="module")
def llm_app(serve_app, service, _llm_server) -> Iterator[str]:
    """The whole app over a service answering through the scripted OpenAI-compatible server."""
    from ui.server import create_app

    settings = service.settings.with_overrides(
        llm=LLMBackend.OPENAI, llm_url=f"{_llm_server.url}/v1", llm_model="scripted", llm_timeout=5
    )
    with serve_app(create_app(service.sharing_index(settings), settings)) as url:
        yield url


def read_events(url: str, question: str) -> list[tuple[float, str, dict]]:
    """(arrival time, event name, data) of each server-sent event."""
    events, name = [], ""
    with httpx.stream(
        "POST", f"{url}/api/ask/stream", json={"question": question}, timeout=60
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                events.append((time.monotonic(), name, json.loads(line.removeprefix("data: "))))
    return events


def test_extractive_answers_stream_at_once(ui_server, service):
    events = read_events(ui_server, QUESTION)
    assert [name for _, name, _ in events] == ["token", "answer"]
    expected = service.ask(QUESTION)
    assert events[0][2]["text"] == expected.answer
    assert events[1][2]["answer"] == expected.answer
    assert events[1][2]["answerer"] == "extractive"


def test_llm_tokens_arrive_before_the_checked_answer(llm_app, llm_server):
    llm_server.script.token_delay = TOKEN_DELAY
    events = read_events(llm_app, QUESTION)
    names = [name for _, name, _ in events]
    assert names[-1] == "answer" and set(names[:-1]) == {"token"} and len(names) > 10
    first, last = events[0][0], events[-1][0]
    assert last - first > 5 * TOKEN_DELAY  # the first token came well before the end
    final = events[-1][2]
    assert final["answerer"] == "llm"
    assert final["answer"] == "".join(data["text"] for _, _, data in events[:-1])
    assert all(s["supported"] for s in final["sentences"])


@pytest.mark.browser
def test_chat_shows_the_first_tokens_before_the_answer_is_complete(browser, llm_app, llm_server):
    llm_server.script.token_delay = TOKEN_DELAY
    page = browser.new_page(locale="vi-VN")
    page.goto(llm_app)
    expect(page.locator("body")).to_have_attribute("data-hd-ready", "true", timeout=60_000)
    box = page.locator("#hd-question textarea")
    box.fill(QUESTION)
    box.press("Enter")
    bot = page.locator("#hd-chat .bot-row").last
    partial = ""
    deadline = time.monotonic() + 60
    while page.locator("#hd-cite-0-1").count() == 0 and time.monotonic() < deadline:
        if bot.count():
            text = bot.inner_text()
            if "[" not in text and len(text.split()) >= 2 and "Đang tìm" not in text:
                partial = partial or text  # words shown, not yet a single [n]
        time.sleep(0.05)
    page.locator("#hd-cite-0-1").wait_for(timeout=10_000)
    final = bot.inner_text()
    page.close()
    assert partial, "no partial answer was shown before the cited answer"
    assert final.startswith(partial.strip()) and len(final) > len(partial)
    assert "[1]" in final
