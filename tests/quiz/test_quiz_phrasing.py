"""Phrases cut from clause text: short, clean, never cut inside a word."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz import facts, phrasing

SENTENCE = (
    "Tham mưu UBND xã: Theo dõi, hướng dẫn, kiểm tra việc thực hiện công tác theo dõi thi hành "
    "pháp luật, truyền thông chính sách, phổ biến giáo dục pháp luật; thực hiện trợ giúp pháp lý."
)
SYLLABLES = st.sampled_from(
    "pháp luật thi hành Phòng Kinh tế Sở Tư pháp chủ trì phối hợp xây dựng kế hoạch năm 2026 "
    "Điều 5: 8:00 Nghị quyết số 66-NQ/TW, và của các cơ quan, đơn vị; văn bản".split()
)


def test_shorten_takes_the_first_part_and_marks_the_cut() -> None:
    phrase = phrasing.shorten(SENTENCE, max_words=12)
    assert phrase.endswith("…")
    assert len(phrase.rstrip("…").split()) <= 12
    assert SENTENCE.startswith(phrase.rstrip("…"))
    # the first part ends at ";": a short limit never reaches "trợ giúp"
    assert "trợ giúp" not in phrasing.shorten(SENTENCE, max_words=60)


def test_shorten_never_splits_a_compound_word() -> None:
    # 16 words would end on "pháp" of "pháp luật": the cut moves back to a word boundary
    phrase = phrasing.shorten(SENTENCE, max_words=16)
    assert not phrase.rstrip("…").endswith("pháp")


def test_shorten_drops_dangling_function_words() -> None:
    text = "Bố trí kinh phí thực hiện các nhiệm vụ của Kế hoạch này"
    # 9 words end on "của": dropped; 7 words end inside "nhiệm vụ", then on "các": dropped
    assert phrasing.shorten(text, max_words=9) == "Bố trí kinh phí thực hiện các nhiệm vụ…"
    assert phrasing.shorten(text, max_words=7) == "Bố trí kinh phí thực hiện…"


def test_find_term_ignores_case_and_tone_style() -> None:
    text = "Văn Phòng HĐND và UBND chủ trì thể chế hoá"
    assert phrasing.find_term(text, "Văn phòng HĐND và UBND") == (0, 22)
    assert phrasing.find_term(text, "thể chế hóa") is not None
    assert phrasing.find_term("Nghị quyết số 166-NQ/TW", "66-NQ/TW") is None


def test_window_keeps_the_term_and_the_spacing() -> None:
    text = "Sở Nội vụ: Phối hợp với các sở, ban, ngành thực hiện rà soát, quyết định chuyển ngạch."
    window = phrasing.window(text, "Sở Nội vụ", max_words=8)
    assert window.startswith("Sở Nội vụ: Phối hợp")
    assert window.endswith("…")
    blanked = phrasing.blank_out(window, "Sở Nội vụ", "_____")
    assert blanked.startswith("_____: Phối hợp")


def test_window_around_a_blank() -> None:
    text = "đảm bảo 100% cán bộ làm công tác tham mưu xây dựng pháp luật được bồi dưỡng"
    blanked = phrasing.blank_out(text, "100%", "_____")
    assert "_____" in phrasing.window(blanked, "_____", max_words=5)


@settings(max_examples=60, deadline=None)
@given(st.lists(SYLLABLES, min_size=1, max_size=40), st.integers(min_value=8, max_value=80))
def test_fit_chars_is_a_prefix_of_whole_words(words: list[str], limit: int) -> None:
    text = " ".join(words)
    fitted = phrasing.fit_chars(text, limit)
    assert len(fitted) <= limit
    if fitted == text or len(words[0]) + 1 > limit:
        return  # fits as is, or a single word longer than the limit had to be cut
    assert fitted.endswith("…")
    kept = fitted[:-1].split()
    # whole words of the text, the last one possibly without its trailing punctuation
    assert kept[:-1] == words[: len(kept) - 1]
    assert kept[-1] == words[len(kept) - 1].rstrip(",;:.")


def test_document_numbers_and_their_kind() -> None:
    found = facts.doc_numbers(
        "Nghị quyết số 66- NQ/TW, Nghị quyết số 197/2025/QH15, Nghị định số 289/2025/NĐ-CP, "
        "Chương trình số 06-Ctr/TU ngày 17/5/2025 và Nghị quyết 66/NQQ-TW"
    )
    assert [(n.canonical, n.level, n.family, n.clean) for n in found] == [
        ("66-NQ/TW", "nghị quyết", "NQ/TW", False),
        ("197/2025/QH15", "nghị quyết", "QH15", True),
        ("289/2025/NĐ-CP", "nghị định", "NĐ-CP", True),
        ("06-CTr/TU", "chương trình", "CTr/TU", False),
    ]


def test_office_levels_and_identity() -> None:
    assert facts.office_level("Sở Văn hóa, Thể thao và Du lịch") == "sở"
    assert facts.office_level("Văn Phòng HĐND và UBND") == "phòng"
    assert facts.office_level("Các sở, ban, ngành") == ""
    assert facts.office_level("UBND cấp xã") == ""
    assert facts.same_office(
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường", "Văn phòng HĐND và UBND"
    )
    assert facts.same_office("Sở Tư pháp TP", "Sở Tư pháp")
    assert not facts.same_office("UBND xã", "UBND tỉnh")


def test_deadline_overlap() -> None:
    assert facts.deadlines_overlap("Năm 2026", "Tháng 5/2026")
    assert facts.deadlines_overlap("Quý II/2026", "Tháng 5/2026")
    assert facts.deadlines_overlap("trước ngày 30/6/2026", "Năm 2025")
    assert not facts.deadlines_overlap("Tháng 5/2026", "Tháng 11/2026")
    assert not facts.deadlines_overlap("Thường xuyên", "Năm 2026")
