"""Conversations as stored in the browser: round trip, order, limits, damaged entries."""

from datetime import datetime

from hoidap.types import Answer, Citation
from ui import conversations as saved
from ui.conversations import Conversation


def _answer(question: str) -> Answer:
    citation = Citation(
        n=1,
        source="000_a.txt",
        doc_title="Kế hoạch của UBND xã Chí Minh",
        path="IV.2",
        label="IV. Tổ chức thực hiện › 2. Phòng Kinh tế",
        text="Phòng Kinh tế: cân đối, bố trí chi thường xuyên.",
        score=0.83,
        clause_id="000_a.txt#IV.2",
    )
    return Answer(
        question=question,
        answer="Phòng Kinh tế cân đối chi thường xuyên. [1]",
        refused=False,
        citations=(citation,),
        latency_ms=42,
        notice="câu hỏi đã được rút gọn",
    )


def test_round_trip_keeps_what_the_chat_redraws():
    conversation = Conversation.new(datetime(2026, 11, 29, 20, 15)).with_turn(
        _answer("Phòng Kinh tế chịu trách nhiệm gì?")
    )
    [back] = saved.load(saved.dump([conversation]))
    assert back == conversation
    assert back.label() == "29/11 20:15 · Phòng Kinh tế chịu trách nhiệm gì? (1 câu)"


def test_most_recent_first_and_oldest_dropped_past_the_limit():
    conversations: list[Conversation] = []
    for i in range(saved.MAX_CONVERSATIONS + 3):
        conversation = Conversation.new().with_turn(_answer(f"Câu hỏi số {i}"))
        conversations = saved.upsert(conversations, conversation)
    first = conversations[-1]
    conversations = saved.upsert(conversations, first.with_turn(_answer("Còn gì nữa?")))
    assert conversations[0].id == first.id and len(conversations[0].turns) == 2
    stored = saved.load(saved.dump(conversations))
    assert len(stored) == saved.MAX_CONVERSATIONS and stored[0].id == first.id
    assert saved.find(stored, first.id) == stored[0]
    assert first.id not in {c.id for c in saved.without(stored, first.id)}


def test_long_titles_are_cut_at_a_word_and_empty_ones_named():
    question = "Phòng Văn hóa - Xã hội " * 6
    title = Conversation.new().with_turn(_answer(question)).title
    assert title.endswith("…") and len(title) <= saved.TITLE_CHARS + 1
    assert question.startswith(title[:-1])
    assert Conversation.new().title == saved.UNTITLED


def test_damaged_or_foreign_values_are_dropped_not_fatal():
    good = saved.dump([Conversation.new().with_turn(_answer("Câu hỏi?"))])
    damaged = [{"id": "x"}, "chuỗi", {"id": "y", "started": "?", "turns": [{"question": 1}]}]
    assert len(saved.load([*damaged, *good])) == 1
    assert saved.load(None) == [] and saved.load({"khác": 1}) == []
    assert Conversation(id="z", started="không phải ngày").label().startswith("không phải ngày")
