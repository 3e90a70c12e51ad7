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


def test_whole_phrase_cuts_only_where_a_phrase_ends() -> None:
    # the first part ends at ";": "trợ giúp" never shows; no cut is marked with "…"
    phrase = phrasing.whole_phrase(SENTENCE, max_words=40)
    assert SENTENCE.startswith(phrase) and "trợ giúp" not in phrase and "…" not in phrase
    text = (
        "Cân đối, bố trí chi thường xuyên trong dự toán ngân sách nhà nước hằng năm để triển "
        "khai thực hiện các nhiệm vụ, giải pháp của Kế hoạch này theo quy định"
    )
    assert phrasing.whole_phrase(text, max_words=16) == (
        "Cân đối, bố trí chi thường xuyên trong dự toán ngân sách nhà nước hằng năm"
    )


def test_whole_phrase_never_cuts_inside_a_list_or_after_an_adverbial() -> None:
    verbs = "Chủ trì, phối hợp với các cơ quan liên quan theo dõi, đôn đốc, tổng hợp kết quả sơ kết"
    assert phrasing.whole_phrase(verbs, max_words=10) == ""  # no end of a phrase within 10
    opening = (
        "Trên cơ sở quy định pháp luật và hướng dẫn của cấp có thẩm quyền, nâng cao chất lượng "
        "nguồn nhân lực tham gia các nhiệm vụ xây dựng pháp luật của phường"
    )
    assert phrasing.whole_phrase(opening, max_words=14) == ""
    quoted = "Phối hợp với Bộ Tư pháp xây dựng Đề án “Tiêu chí đánh giá hiệu quả văn bản”"
    assert phrasing.whole_phrase(quoted).endswith("văn bản”")


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
