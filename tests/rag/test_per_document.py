"""Metadata answers, comparisons and questions naming no plan, end to end on the bundled corpus
(with and without diacritics)."""

from __future__ import annotations

import pytest

from .conftest import asked_both_ways

pytestmark = pytest.mark.e2e

CHI_MINH = "000_67870b5209ee9c3b.txt"
PHUONG = "002_e46043b8fff5d138.txt"
THIEU_TRUNG = "003_26a0c6bdda95c869.txt"
NOTE = "Câu hỏi không nêu kế hoạch nào; dưới đây là câu trả lời theo từng kế hoạch."


def cited(answer) -> list[tuple[str, str]]:
    return [(c.source, c.path) for c in answer.citations]


@asked_both_ways("Ai ký kế hoạch của xã Chí Minh?")
def test_signer_is_answered_with_the_field(answer) -> None:
    assert answer.answer == "Người ký: Nguyễn Thị Thanh, Phó Chủ tịch UBND xã Chí Minh [1]"
    assert cited(answer) == [(CHI_MINH, "KT")]


@asked_both_ways("Ai ký kế hoạch hành động bổ sung nhiệm vụ của Hải Phòng, chức vụ gì?")
def test_a_plan_titled_with_tasks_still_has_a_signer(answer) -> None:
    assert answer.answer.startswith("Người ký: Nguyễn Minh Hùng, Phó Chủ tịch")


@pytest.mark.parametrize(
    ("question", "line", "path"),
    [
        (
            "Kế hoạch triển khai Nghị quyết 66-NQ/TW, 140/NQ-CP và Chương trình hành động của "
            "Tỉnh ủy do cơ quan nào ban hành?",
            "Cơ quan ban hành: Ủy ban nhân dân tỉnh [1]",
            "MD",
        ),
        ("ke hoach cua xa thieu trung ban hanh nam nao", "Năm ban hành: 2026 [1]", "MD"),
    ],
)
def test_issuer_and_date_are_answered_with_the_field(service, question, line, path) -> None:
    answer = service.ask(question)
    assert answer.answer == line
    assert [c.path for c in answer.citations] == [path]


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("Kế hoạch của xã Chí Minh ký ngày nào?", "Kế hoạch của UBND xã Chí Minh — Ngày ban hành"),
        ("ke hoach cua xa chi minh ky ngay nao", "Kế hoạch của UBND xã Chí Minh — Ngày ban hành"),
        (
            "Kế hoạch thực hiện NQ 66 của phường ký ban hành ngày mấy?",
            "Kế hoạch của UBND phường — Ngày ban hành",
        ),
        # the title's "nhiệm vụ" names the plan; "Số: /KH-UBND" is left blank in it
        (
            "số hiệu KH bổ sung nhiệm vụ của UBND TP Hải Phòng là số bao nhiêu",
            "Kế hoạch hành động của UBND thành phố Hải Phòng — Số hiệu",
        ),
    ],
)
def test_a_field_the_plan_does_not_state_is_said_plainly(service, question, said) -> None:
    answer = service.ask(question)
    assert answer.refused and not answer.citations
    assert answer.answer == f"{said}: văn bản không ghi."


@asked_both_ways("Kế hoạch của UBND phường ở Cần Thơ là của phường tên gì?")
def test_a_place_asked_by_its_name_is_said_plainly_too(answer) -> None:
    assert answer.refused and "Địa phương ban hành: văn bản không ghi" in answer.answer


@asked_both_ways("Kế hoạch bên Cần Thơ là của phường nào, tên phường là gì?")
def test_a_place_the_issuer_leaves_blank_is_said_plainly(answer) -> None:
    assert answer.refused and not answer.citations
    assert answer.answer == "Kế hoạch của UBND phường — Địa phương ban hành: văn bản không ghi."


@asked_both_ways("Kế hoạch thực hiện Chương trình công tác năm 2026 của BCĐ tỉnh là của xã nào?")
def test_the_issuers_place_is_answered_with_the_field(answer) -> None:
    assert answer.answer == "Địa phương ban hành: xã Thiệu Trung [1]"
    assert cited(answer) == [(THIEU_TRUNG, "MD")]


@asked_both_ways("Xã Thiệu Trung phải nộp báo cáo về Sở Tư pháp trước ngày nào?")
def test_a_day_stated_in_another_plan_does_not_answer(answer) -> None:
    # Hải Phòng's plan gives Sở Tư pháp a deadline; Thiệu Trung's states no day
    assert answer.refused and not answer.citations


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("Kế hoạch của xã Chí Minh căn cứ Kế hoạch số mấy của thành phố?", "272/KH-UBND"),
        ("Kế hoạch của phường căn cứ vào kế hoạch số mấy, ban hành ngày nào?", "115/KH-UBND"),
    ],
)
def test_metadata_of_a_cited_document_is_left_to_retrieval(service, question, number) -> None:
    answer = service.ask(question)
    assert not answer.refused and not answer.answer.startswith(("Số hiệu", "Kế hoạch của"))
    assert number in answer.answer


@asked_both_ways("Ai ký kế hoạch?")
def test_signer_of_every_plan_when_none_is_named(answer) -> None:
    assert answer.answer.startswith(NOTE)
    assert [c.path for c in answer.citations] == ["KT"] * 5
    assert "Người ký: Trần Ngọc Tùng, Phó Chủ tịch UBND xã Thiệu Trung" in answer.answer


@asked_both_ways("Kế hoạch này nhằm mục đích gì?")
def test_this_plan_is_answered_per_plan(answer) -> None:
    assert not answer.refused
    assert answer.answer.startswith(NOTE)
    sources = [c.source for c in answer.citations]
    assert len(set(sources)) >= 3 and len(sources) == len(set(sources)), "one clause per plan"
    assert answer.answer.count("Theo ") == len(sources)
    for citation in answer.citations:
        assert len(citation.text) > 40, "a heading alone says nothing: its first point is cited"


def test_a_named_plan_gets_no_note(service) -> None:
    answer = service.ask("Kế hoạch của xã Thiệu Trung nhằm mục tiêu gì?")
    assert NOTE not in answer.answer
    assert {c.source for c in answer.citations} == {THIEU_TRUNG}


@asked_both_ways("Trách nhiệm của người đứng đầu ở phường và ở xã Chí Minh khác gì?")
def test_comparison_answers_each_document_side_by_side(answer) -> None:
    assert answer.answer.startswith("So sánh theo từng văn bản:")
    sources = [c.source for c in answer.citations]
    assert {CHI_MINH, PHUONG} == set(sources)
    assert sources == sorted(sources, key=sources.index), "grouped by document"
    if answer.question[0] == "T":  # typed with diacritics: each side's clause is on the topic
        assert all("người đứng đầu" in c.text.lower() for c in answer.citations)


def test_a_comparison_typed_without_diacritics_is_answered_per_side(service) -> None:
    # "nao giong" (nào giống) is a misreading of plain typing, not a noun no plan has
    answer = service.ask(
        "tro giup phap ly o phuong can tho va o xa thieu trung uu tien nhom nao, giong khac gi"
    )
    assert answer.answer.startswith("So sánh theo từng văn bản:")
    assert {PHUONG, THIEU_TRUNG} == {c.source for c in answer.citations}


def test_a_comparison_is_judged_on_each_side(service) -> None:
    answer = service.ask("xã Chí Minh và xã Thiệu Trung làm theo KH cấp trên nào, so sánh giúp")
    assert answer.answer.startswith("So sánh theo từng văn bản:")
    assert (CHI_MINH, "MD") in cited(answer)  # "Thực hiện Kế hoạch số 272/KH-UBND …"
    assert {THIEU_TRUNG, CHI_MINH} == {c.source for c in answer.citations}
    # a side word is not a question word typed with diacritics ("sổ" is no "so sánh")
    assert service.ask("thủ tục cấp sổ đỏ ở phường và ở xã Chí Minh khác gì").refused


def test_an_office_compared_lists_everything_each_side_assigns_it(service) -> None:
    answer = service.ask("So sánh nhiệm vụ Sở Tư pháp trong kế hoạch của tỉnh và của Hải Phòng")
    assert answer.answer.startswith("So sánh theo từng văn bản:")
    by_doc = {}
    for c in answer.citations:
        by_doc.setdefault(c.source[:3], []).append(c.path)
    assert by_doc["001"] == ["II.3.b", "III.1"]
    assert {"III.2.c", "PL.4", "PL.16"} <= set(by_doc["004"]) and len(by_doc["004"]) == 11


def test_a_bare_level_after_the_comparison_names_the_other_side(service) -> None:
    answer = service.ask(
        "Cơ chế tài chính cho xây dựng pháp luật: phường ở Cần Thơ khác tỉnh thế nào?"
    )
    assert answer.answer.startswith("So sánh theo từng văn bản:")
    assert {c.source[:3] for c in answer.citations} == {"001", "002"}
