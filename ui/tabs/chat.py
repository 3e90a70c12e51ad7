"""The "Hỏi đáp" tab: streamed, cited answers, a sources panel, feedback, and past
conversations kept in the user's browser.

The open conversation lives in a per-session ``gr.State`` list of ``Answer`` objects; the chat
messages are always re-drawn from it, so the text shown is exactly what was escaped here. Every
conversation is also written to the browser's own storage (``gr.BrowserState``) after each
answer, and read back when the page loads.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import gradio as gr

from hoidap.config import LIMITS
from hoidap.errors import InputError
from hoidap.types import Answer
from service import Service
from ui import conversations as saved
from ui.conversations import Conversation
from ui.errors import Tone, inline_errors, notice
from ui.examples import example_questions
from ui.feedback import FeedbackStore, Rating
from ui.render import (
    answer_markdown,
    answer_plain_text,
    plain_markdown,
    sources_html,
    status_markdown,
)

logger = logging.getLogger(__name__)

PENDING = "Đang tìm trong các văn bản…"
PLACEHOLDER = (
    "**Hỏi đáp về kế hoạch, nghị quyết**\n\n"
    "Đặt câu hỏi bằng tiếng Việt (có dấu hoặc không dấu). Mỗi ý của câu trả lời đều có số "
    "trích dẫn như **[1]**; bấm vào số đó để xem điều khoản gốc ở khung *Nguồn trích dẫn*. "
    "Các cuộc hội thoại được lưu trong trình duyệt này."
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

    document_pickers: tuple[gr.Dropdown, ...]
    loaded: gr.events.Dependency  # the saved conversation is shown (on page load)


@dataclass(frozen=True)
class ChatView:
    """The tab's components."""

    stored: gr.BrowserState  # list of conversation dicts, in this browser only
    conversation_id: gr.State
    turns: gr.State  # list[Answer] of the open conversation
    rated: gr.State  # turn -> feedback id
    last_rated: gr.State
    picker: gr.Dropdown
    new: gr.Button
    delete: gr.Button
    doc_filter: gr.Dropdown
    chatbot: gr.Chatbot
    question: gr.Textbox
    send: gr.Button
    status: gr.Markdown
    copy: gr.Button
    copy_text: gr.Textbox
    sources: gr.HTML
    examples: list[gr.Button]
    feedback_box: gr.Accordion
    comment: gr.Textbox
    send_comment: gr.Button
    feedback_status: gr.Markdown

    @property
    def conversation_outputs(self) -> list[gr.components.Component]:
        """What showing another conversation changes (see ``ChatCallbacks.show``)."""
        return [
            self.picker,
            self.conversation_id,
            self.turns,
            self.chatbot,
            self.sources,
            self.status,
            self.copy_text,
            self.rated,
            self.last_rated,
            self.feedback_status,
        ]


def messages(turns: list[Answer], pending: str | None = None) -> list[dict[str, str]]:
    """Chat messages of the turns (and of a question still being answered)."""
    shown = []
    for turn, answer in enumerate(turns):
        shown.append({"role": "user", "content": plain_markdown(answer.question)})
        shown.append({"role": "assistant", "content": answer_markdown(answer.answer, turn=turn)})
    if pending is not None:
        shown.append({"role": "user", "content": plain_markdown(pending)})
        shown.append({"role": "assistant", "content": PENDING})
    return shown


def _turn_of(index: object) -> int:
    """The turn a chat message belongs to (messages alternate question, answer)."""
    if isinstance(index, (list, tuple)):
        index = index[0]
    return int(index) // 2  # type: ignore[call-overload]


def _question_row() -> tuple[gr.Textbox, gr.Button]:
    with gr.Row(equal_height=True, elem_id="hd-ask-row"):
        question = gr.Textbox(
            label="Câu hỏi",
            show_label=False,
            placeholder="Nhập câu hỏi, ví dụ: Phòng Kinh tế chịu trách nhiệm gì?",
            lines=1,
            max_lines=4,
            max_length=LIMITS.question_chars,
            scale=5,
            min_width=160,
            elem_id="hd-question",
        )
        send = gr.Button("Gửi", variant="primary", scale=1, min_width=64, elem_id="hd-send")
    return question, send


def _feedback_box() -> tuple[gr.Accordion, gr.Textbox, gr.Button, gr.Markdown]:
    with gr.Accordion("Góp ý cho câu trả lời", open=False, elem_id="hd-feedback") as box:
        gr.Markdown(
            "Bấm nút *câu trả lời tốt* hoặc *chưa tốt* dưới câu trả lời, rồi (nếu muốn) viết"
            " thêm nhận xét ở đây."
        )
        comment = gr.Textbox(
            label="Nhận xét",
            show_label=False,
            placeholder="Câu trả lời còn thiếu hoặc sai ở đâu? (không bắt buộc)",
            lines=2,
            elem_id="hd-comment",
        )
        send_comment = gr.Button("Gửi góp ý", size="sm", elem_id="hd-send-comment")
        feedback_status = gr.Markdown("", elem_id="hd-feedback-status")
    return box, comment, send_comment, feedback_status


def _picker(label: str, elem_id: str, *, multiselect: bool = False) -> gr.Dropdown:
    """A dropdown of the row above the chat: filled once the page loads, 240 px at least."""
    return gr.Dropdown(
        choices=[],
        value=[] if multiselect else None,
        multiselect=multiselect,
        label=label,
        min_width=240,
        elem_id=elem_id,
    )


def layout(service: Service) -> ChatView:
    """Lay out the tab: saved conversations and document filter on top, chat, question and
    actions, sources beside (under them on a phone), then example questions and feedback."""
    with gr.Row(equal_height=False, elem_id="hd-chat-row"):
        with gr.Column(scale=3, min_width=300, elem_id="hd-chat-col"):
            with gr.Row(elem_id="hd-chat-pickers"):
                picker = _picker("Cuộc hội thoại đã lưu", "hd-conversation")
                doc_filter = _picker(
                    "Lọc theo văn bản (để trống: tất cả)", "hd-doc-filter", multiselect=True
                )
            chatbot = gr.Chatbot(
                label="Hội thoại",
                show_label=False,
                buttons=[],
                feedback_options=("Like", "Dislike"),
                placeholder=PLACEHOLDER,
                latex_delimiters=[],
                sanitize_html=True,
                elem_id="hd-chat",
            )
            question, send = _question_row()
            status = gr.Markdown("", elem_id="hd-status")
            with gr.Row(elem_classes="hd-actions"):
                new = gr.Button("Hội thoại mới", size="sm", elem_id="hd-new")
                copy = gr.Button("Sao chép câu trả lời", size="sm", elem_id="hd-copy")
                delete = gr.Button(
                    "Xóa hội thoại này", size="sm", variant="stop", elem_id="hd-delete"
                )
            copy_text = gr.Textbox(visible="hidden", label="Câu trả lời", elem_id="hd-copy-text")
        with gr.Column(scale=2, min_width=300, elem_id="hd-sources-col"):
            gr.Markdown("## Nguồn trích dẫn", elem_id="hd-sources-title")
            sources = gr.HTML(sources_html(None, turn=0), elem_id="hd-sources")
    gr.Markdown("**Câu hỏi mẫu**")
    with gr.Row(elem_classes="hd-examples"):
        examples = [
            gr.Button(q, size="sm", variant="secondary", elem_classes="hd-example")
            for q in example_questions(service.clauses())
        ]
    feedback_box, comment, send_comment, feedback_status = _feedback_box()
    return ChatView(
        stored=gr.BrowserState([], storage_key=saved.STORAGE_KEY, secret=saved.STORAGE_SECRET),
        conversation_id=gr.State(None),
        turns=gr.State([]),
        rated=gr.State({}),
        last_rated=gr.State(None),
        picker=picker,
        new=new,
        delete=delete,
        doc_filter=doc_filter,
        chatbot=chatbot,
        question=question,
        send=send,
        status=status,
        copy=copy,
        copy_text=copy_text,
        sources=sources,
        examples=examples,
        feedback_box=feedback_box,
        comment=comment,
        send_comment=send_comment,
        feedback_status=feedback_status,
    )


class ChatCallbacks:
    """What the tab's events do; each one calls the service (or the feedback store) only."""

    def __init__(self, service: Service, store: FeedbackStore) -> None:
        self.service = service
        self.store = store

    def _names(self) -> dict[str, str]:
        return {d.source: d.short_title for d in self.service.documents()}

    def show(self, conversations: list[Conversation], current: Conversation | None) -> tuple:
        """Outputs of ``ChatView.conversation_outputs`` for ``current`` (None: a new one)."""
        turns = list(current.turns) if current else []
        last = turns[-1] if turns else None
        return (
            gr.update(choices=saved.choices(conversations), value=current.id if current else None),
            current.id if current else None,
            turns,
            messages(turns),
            sources_html(last, turn=len(turns) - 1, doc_names=self._names()),
            status_markdown(last) if last else "",
            answer_plain_text(last) if last else "",
            {},
            None,
            "",
        )

    def restore(self, raw: object, conversation_id: str | None, turns: list[Answer]) -> tuple:
        """On page load: the most recent conversation of this browser (unless the user has
        already asked something, on a slow server, before the page finished loading)."""
        if conversation_id or turns:
            return (gr.skip(),) * 10
        conversations = saved.load(raw)
        return self.show(conversations, conversations[0] if conversations else None)

    def pick(self, raw: object, conversation_id: str | None) -> tuple:
        conversations = saved.load(raw)
        return self.show(conversations, saved.find(conversations, conversation_id))

    def start_over(self, raw: object) -> tuple:
        return self.show(saved.load(raw), None)

    def delete(self, raw: object, conversation_id: str | None) -> tuple:
        """Forget the open conversation in this browser and show the next most recent."""
        conversations = saved.without(saved.load(raw), conversation_id)
        shown = self.show(conversations, conversations[0] if conversations else None)
        return (saved.dump(conversations), *shown)

    def ask(
        self,
        text: str,
        history: list[Answer],
        docs: list[str] | None,
        raw: object,
        conversation_id: str | None,
    ):
        """Answer ``text``: outputs chatbot, question, turns, sources, status, copy text, stored
        conversations, picker, conversation id."""
        text = (text or "").strip()
        if not text:
            warning = notice("Hãy nhập câu hỏi trước khi gửi.")
            yield (gr.skip(), gr.skip(), gr.skip(), gr.skip(), warning, *[gr.skip()] * 4)
            return
        skip = [gr.skip()] * 3
        yield messages(history, pending=text), "", history, gr.skip(), "Đang tìm…", gr.skip(), *skip
        turn = len(history)
        shown = messages(history, pending=text)
        draft = ""
        stream = self.service.ask_stream(text, docs=list(docs or []) or None, history=history)
        for event in stream:
            if isinstance(event, Answer):
                answer = event
                break
            draft += event  # text as the answerer writes it; the checked answer follows
            shown[-1]["content"] = answer_markdown(draft, turn=turn)
            yield shown, "", history, gr.skip(), gr.skip(), gr.skip(), *skip
        history = [*history, answer]
        conversations = saved.load(raw)
        current = saved.find(conversations, conversation_id) or Conversation.new()
        conversations = saved.upsert(conversations, current.with_turn(answer))
        yield (
            messages(history),
            "",
            history,
            sources_html(answer, turn=turn, doc_names=self._names()),
            status_markdown(answer),
            answer_plain_text(answer),
            saved.dump(conversations),
            gr.update(choices=saved.choices(conversations), value=conversations[0].id),
            conversations[0].id,
        )

    def show_turn(self, history: list[Answer], evt: gr.SelectData):
        turn = _turn_of(evt.index)
        if not 0 <= turn < len(history):
            return gr.skip(), gr.skip()
        answer = history[turn]
        return sources_html(answer, turn=turn, doc_names=self._names()), answer_plain_text(answer)

    def copied(self, text: str) -> str:
        if text:
            return notice("Đã sao chép câu trả lời và các nguồn.", Tone.OK)
        return notice("Chưa có câu trả lời để sao chép.")

    def rate(self, history: list[Answer], ratings: dict, docs: list[str] | None, evt: gr.LikeData):
        """A thumb under an answer: stored (or changed) in the feedback store."""
        turn = _turn_of(evt.index)
        if evt.liked not in (True, False) or not 0 <= turn < len(history):
            return ratings, gr.skip(), gr.skip(), gr.skip()
        rating = Rating.UP if evt.liked else Rating.DOWN
        answer = history[turn]
        ratings = dict(ratings)
        if turn in ratings:
            self.store.update(ratings[turn], rating=rating)
        else:
            ratings[turn] = self.store.add(
                question=answer.question,
                answer=answer.answer,
                rating=rating,
                citations=[f"{c.source} › {c.path}" for c in answer.citations],
                docs=list(docs or []),
                latency_ms=answer.latency_ms,
            )
        logger.info("feedback %s on turn %d stored as #%d", rating.name, turn, ratings[turn])
        thanks = notice("Cảm ơn bạn đã đánh giá! Có thể viết thêm nhận xét ở ô trên.", Tone.OK)
        return ratings, ratings[turn], thanks, gr.update(open=True)

    def save_comment(self, text: str, feedback_id: int | None):
        if feedback_id is None:
            raise InputError("Hãy bấm nút đánh giá dưới một câu trả lời trước.")
        if not (text or "").strip():
            raise InputError("Góp ý đang để trống.")
        self.store.update(feedback_id, comment=text)
        return "", notice("Đã lưu góp ý. Cảm ơn bạn!", Tone.OK)


def wire(view: ChatView, calls: ChatCallbacks) -> None:
    """Connect the components to the callbacks."""
    shown = view.conversation_outputs
    ask_inputs = [view.question, view.turns, view.doc_filter, view.stored, view.conversation_id]
    ask_outputs = [
        view.chatbot,
        view.question,
        view.turns,
        view.sources,
        view.status,
        view.copy_text,
        view.stored,
        view.picker,
        view.conversation_id,
    ]
    ask = inline_errors(outputs=len(ask_outputs), at=4)(calls.ask)
    view.question.submit(ask, ask_inputs, ask_outputs)
    view.send.click(ask, ask_inputs, ask_outputs)
    for button in view.examples:
        button.click(ask, [button, *ask_inputs[1:]], ask_outputs)
    view.chatbot.select(calls.show_turn, [view.turns], [view.sources, view.copy_text])
    view.picker.input(calls.pick, [view.stored, view.picker], shown)
    view.new.click(calls.start_over, [view.stored], shown)
    view.delete.click(calls.delete, [view.stored, view.conversation_id], [view.stored, *shown])
    view.copy.click(None, [view.copy_text], None, js=COPY_JS).then(
        calls.copied, [view.copy_text], [view.status]
    )
    rate_outputs = [view.rated, view.last_rated, view.feedback_status, view.feedback_box]
    view.chatbot.like(
        inline_errors(outputs=4, at=2)(calls.rate),
        [view.turns, view.rated, view.doc_filter],
        rate_outputs,
    )
    view.send_comment.click(
        inline_errors(outputs=2, at=1)(calls.save_comment),
        [view.comment, view.last_rated],
        [view.comment, view.feedback_status],
    )


def build_chat_tab(service: Service, store: FeedbackStore, blocks: gr.Blocks) -> ChatTab:
    """Lay out the chat tab inside ``blocks`` and wire its events (the saved conversations
    are read when the page loads)."""
    view = layout(service)
    calls = ChatCallbacks(service, store)
    wire(view, calls)
    loaded = blocks.load(
        calls.restore,
        [view.stored, view.conversation_id, view.turns],
        view.conversation_outputs,
        queue=False,
    )
    return ChatTab(document_pickers=(view.doc_filter,), loaded=loaded)
