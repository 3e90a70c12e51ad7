"""The "Hỏi đáp" tab: streamed, cited answers, a sources panel, follow-ups and feedback.

The conversation lives in a per-session ``gr.State`` list of ``Answer`` objects; the chat
messages are always re-drawn from it, so the text shown is exactly what was escaped here.
"""

import logging
from dataclasses import dataclass

import gradio as gr

from hoidap.config import LIMITS
from hoidap.types import Answer
from service import Service
from ui.errors import friendly, info, warn
from ui.examples import example_questions
from ui.feedback import FeedbackStore, Rating
from ui.render import (
    answer_markdown,
    answer_plain_text,
    document_choices,
    plain_markdown,
    sources_html,
    status_markdown,
)

logger = logging.getLogger(__name__)

PENDING = "Đang tìm trong các văn bản…"
PLACEHOLDER = (
    "### Hỏi đáp về kế hoạch, nghị quyết\n"
    "Đặt câu hỏi bằng tiếng Việt (có dấu hoặc không dấu). Mỗi ý của câu trả lời đều có số "
    "trích dẫn như **[1]**; bấm vào số đó để xem điều khoản gốc ở khung *Nguồn trích dẫn*."
)
COPY_JS = """
(text) => {
  if (!text) { return text; }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text);
  } else {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  return text;
}
"""


@dataclass(frozen=True)
class ChatTab:
    """Handles the app needs after building the tab (to refresh the document filter)."""

    doc_filter: gr.Dropdown


def _messages(turns: list[Answer], pending: str | None = None) -> list[dict[str, str]]:
    messages = []
    for turn, answer in enumerate(turns):
        messages.append({"role": "user", "content": plain_markdown(answer.question)})
        messages.append({"role": "assistant", "content": answer_markdown(answer.answer, turn=turn)})
    if pending is not None:
        messages.append({"role": "user", "content": plain_markdown(pending)})
        messages.append({"role": "assistant", "content": PENDING})
    return messages


def _turn_of(index: object) -> int:
    """The turn a chat message belongs to (messages alternate question, answer)."""
    if isinstance(index, (list, tuple)):
        index = index[0]
    return int(index) // 2  # type: ignore[call-overload]


def build_chat_tab(service: Service, store: FeedbackStore) -> ChatTab:
    """Lay out the chat tab inside the caller's Blocks and wire its events."""

    def names() -> dict[str, str]:
        return {d.source: d.short_title for d in service.documents()}

    turns = gr.State([])
    rated = gr.State({})  # turn -> feedback id
    last_rated = gr.State(None)
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=320):
            doc_filter = gr.Dropdown(
                choices=document_choices(service.documents()),
                value=[],
                multiselect=True,
                label="Lọc theo văn bản",
                info="Để trống để tìm trong tất cả văn bản.",
                elem_id="hd-doc-filter",
            )
            chatbot = gr.Chatbot(
                label="Hội thoại",
                show_label=False,
                height=520,
                buttons=[],
                feedback_options=("Like", "Dislike"),
                placeholder=PLACEHOLDER,
                latex_delimiters=[],
                sanitize_html=True,
                elem_id="hd-chat",
            )
            with gr.Row(equal_height=True):
                question = gr.Textbox(
                    show_label=False,
                    placeholder="Nhập câu hỏi, ví dụ: Phòng Kinh tế chịu trách nhiệm gì?",
                    lines=1,
                    max_lines=4,
                    max_length=LIMITS.question_chars,
                    scale=5,
                    elem_id="hd-question",
                )
                send = gr.Button("Gửi", variant="primary", scale=1, min_width=80, elem_id="hd-send")
            status = gr.Markdown("", elem_id="hd-status")
            with gr.Row(elem_classes="hd-actions"):
                copy = gr.Button("Sao chép câu trả lời", size="sm", elem_id="hd-copy")
                clear = gr.Button("Xóa hội thoại", size="sm", elem_id="hd-clear")
            copy_text = gr.Textbox(visible="hidden", elem_id="hd-copy-text")
            gr.Markdown("**Câu hỏi mẫu**")
            with gr.Row(elem_classes="hd-examples"):
                examples = [
                    gr.Button(q, size="sm", variant="secondary", elem_classes="hd-example")
                    for q in example_questions(service.clauses())
                ]
            with gr.Accordion(
                "Góp ý cho câu trả lời", open=False, elem_id="hd-feedback"
            ) as feedback_box:
                gr.Markdown(
                    "Bấm nút *thích* hoặc *không thích* dưới câu trả lời, rồi (nếu muốn) viết thêm"
                    " nhận xét ở đây."
                )
                comment = gr.Textbox(
                    show_label=False,
                    placeholder="Câu trả lời còn thiếu hoặc sai ở đâu? (không bắt buộc)",
                    lines=2,
                    elem_id="hd-comment",
                )
                send_comment = gr.Button("Gửi góp ý", size="sm", elem_id="hd-send-comment")
                feedback_status = gr.Markdown("", elem_id="hd-feedback-status")
        with gr.Column(scale=2, min_width=300):
            gr.Markdown("### Nguồn trích dẫn")
            sources = gr.HTML(sources_html(None, turn=0), elem_id="hd-sources")

    @friendly
    def ask(text: str, history: list[Answer], docs: list[str] | None):
        text = (text or "").strip()
        if not text:
            warn("Hãy nhập câu hỏi trước khi gửi.")
            yield _messages(history), "", history, gr.skip(), gr.skip(), gr.skip()
            return
        yield _messages(history, pending=text), "", history, gr.skip(), "Đang tìm…", gr.skip()
        turn = len(history)
        messages = _messages(history, pending=text)
        draft = ""
        for event in service.ask_stream(text, docs=list(docs or []) or None, history=history):
            if isinstance(event, Answer):
                answer = event
                break
            draft += event  # tokens as the answerer writes them; the checked answer follows
            messages[-1]["content"] = answer_markdown(draft, turn=turn)
            yield messages, "", history, gr.skip(), gr.skip(), gr.skip()
        history = [*history, answer]
        yield (
            _messages(history),
            "",
            history,
            sources_html(answer, turn=turn, doc_names=names()),
            status_markdown(answer),
            answer_plain_text(answer),
        )

    ask_outputs = [chatbot, question, turns, sources, status, copy_text]
    question.submit(ask, [question, turns, doc_filter], ask_outputs)
    send.click(ask, [question, turns, doc_filter], ask_outputs)
    for button in examples:
        button.click(ask, [button, turns, doc_filter], ask_outputs)

    def show_turn(history: list[Answer], evt: gr.SelectData):
        turn = _turn_of(evt.index)
        if not 0 <= turn < len(history):
            return gr.skip(), gr.skip()
        answer = history[turn]
        return sources_html(answer, turn=turn, doc_names=names()), answer_plain_text(answer)

    chatbot.select(show_turn, [turns], [sources, copy_text])

    def clear_chat():
        return [], [], sources_html(None, turn=0), "", "", {}, None, ""

    clear.click(
        clear_chat,
        None,
        [chatbot, turns, sources, status, copy_text, rated, last_rated, feedback_status],
    )

    def copied(text: str) -> None:
        if text:
            info("Đã sao chép câu trả lời.")
        else:
            warn("Chưa có câu trả lời để sao chép.")

    copy.click(None, [copy_text], None, js=COPY_JS).then(copied, [copy_text], None)

    @friendly
    def rate(history: list[Answer], ratings: dict, docs: list[str] | None, evt: gr.LikeData):
        turn = _turn_of(evt.index)
        if evt.liked not in (True, False) or not 0 <= turn < len(history):
            return ratings, gr.skip(), gr.skip(), gr.skip()
        rating = Rating.UP if evt.liked else Rating.DOWN
        answer = history[turn]
        ratings = dict(ratings)
        if turn in ratings:
            store.update(ratings[turn], rating=rating)
        else:
            ratings[turn] = store.add(
                question=answer.question,
                answer=answer.answer,
                rating=rating,
                citations=[f"{c.source} › {c.path}" for c in answer.citations],
                docs=list(docs or []),
                latency_ms=answer.latency_ms,
            )
        logger.info("feedback %s on turn %d stored as #%d", rating.name, turn, ratings[turn])
        thanks = "Cảm ơn bạn đã đánh giá! Có thể viết thêm nhận xét ở ô trên."
        return ratings, ratings[turn], thanks, gr.update(open=True)

    chatbot.like(
        rate, [turns, rated, doc_filter], [rated, last_rated, feedback_status, feedback_box]
    )

    @friendly
    def save_comment(text: str, feedback_id: int | None):
        if feedback_id is None:
            warn("Hãy bấm nút thích hoặc không thích dưới một câu trả lời trước.")
            return gr.skip(), gr.skip()
        if not (text or "").strip():
            warn("Góp ý đang để trống.")
            return gr.skip(), gr.skip()
        store.update(feedback_id, comment=text)
        return "", "Đã lưu góp ý. Cảm ơn bạn!"

    send_comment.click(save_comment, [comment, last_rated], [comment, feedback_status])
    return ChatTab(doc_filter=doc_filter)
