"""Questions typed the way officials type them (issue 9), on the bundled corpus and real stack.

Every example is asked as written and again without diacritics: both must behave alike.
"""

from __future__ import annotations

import pytest

from hoidap import vntext

pytestmark = pytest.mark.e2e

CHI_MINH = "000_67870b5209ee9c3b.txt"
HAI_PHONG = "004_868287148acd756b.txt"


def both_ways(question: str) -> list[str]:
    return [question, vntext.fold(vntext.normalize(question))]


def cited(answer) -> set[str]:
    return {c.clause_id for c in answer.citations}


@pytest.mark.parametrize("question", ["Ủy ban MTTQ có nhiệm vụ gì?", "UBMTTQVN có nhiệm vụ gì?"])
def test_the_front_abbreviated_is_answered_like_its_full_name(service, question):
    full = service.ask("Ủy ban Mặt trận Tổ quốc Việt Nam có nhiệm vụ gì?")
    assert not full.refused
    for asked in both_ways(question):
        answer = service.ask(asked)
        assert not answer.refused, asked
        assert cited(answer) & cited(full), asked


@pytest.mark.parametrize(
    ("question", "clause_words", "understood"),
    [
        (
            "kinh phis thực hiện kế hoạch ở Thiệu Trung lấy từ đâu",
            "bảo đảm nguồn kinh phí",
            "kinh phí",
        ),
        ("sở tài chính làm gì ở hải phoong", "Sở Tài chính", "hải phòng"),
        ("bao giờ phải xong báo cáo đánh giá thực trạng ở Hải Phoong", "Tháng 5/2026", "phòng"),
    ],
)
def test_slips_are_repaired_and_the_notice_shows_the_question_understood(
    service, question, clause_words, understood
):
    for asked in both_ways(question):
        answer = service.ask(asked)
        assert not answer.refused, asked
        assert clause_words in answer.answer, asked
        folded = vntext.fold(vntext.normalize(answer.notice))
        assert "cau hoi duoc hieu la" in folded and vntext.fold(understood) in folded, asked


def test_words_typed_without_some_marks_are_completed(service):
    answer = service.ask(
        "tỉnh yêu cầu bao nhiu phần trăm cán bộ tham mưu xây dựng pháp luât được tập huấn"
    )
    assert not answer.refused and "100%" in answer.answer
    assert "pháp luật" in answer.notice and "bao nhiêu" in answer.notice


def test_a_misspelt_unknown_office_is_refused_like_the_spelt_one(service):
    spelt = service.ask("Phòng Tư pháp làm gì?")
    assert spelt.refused and "Phòng Tư pháp" in spelt.answer
    for asked in ("phongf tu phap lam gi", "phòngf tư pháp làm gì"):
        answer = service.ask(asked)
        assert answer.refused and "Phòng Tư pháp" in answer.answer, asked


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("ở xã Thiệu Trung ai lo tiền thực hiện kế hoạch?", "Phòng Kinh tế"),
        ("tiền lấy ở đâu để làm kế hoạch của xã Thiệu Trung?", "nguồn kinh phí"),
        ("ai cầm trịch tổng rà soát văn bản quy phạm pháp luật ở Hải Phòng?", "Sở Tư pháp"),
        ("bao giờ phải xong tổng rà soát văn bản quy phạm pháp luật ở Hải Phòng?", "11/2026"),
        ("chính sách ở xã Chí Minh làm không tốt thì ai chịu?", "chịu trách nhiệm"),
        # a document kind glued to its number, "phòng nào" asking which office
        ("kinh phí làm nq66 ở xã Thiệu Trung do phòng nào bố trí?", "Phòng Kinh tế"),
        ("tiền đâu ra để làm kế hoạch ở xã Thiệu Trung?", "nguồn kinh phí"),
        ("phường ở Cần Thơ cho dân được làm tới đâu", "pháp luật không cấm"),
        ("ở phường, thủ trưởng có phải đích thân lo tham mưu xây dựng pháp luật", "trực tiếp"),
        ("xã Chí Minh nói gì về quyền làm ăn của doanh nghiệp", "kinh doanh"),
        ("kế hoạch xã Chí Minh thực hiện KH số mấy của thành phố, ngày bao nhiêu", "272/KH-UBND"),
        ("xã Chí Minh triển khai theo KH 272 của UBND TP ban hành ngày nào", "13/10/2025"),
        # "100%" is read as "100 phần trăm"
        ("tỉnh yêu cầu bao nhiêu phần trăm cán bộ tham mưu xây dựng pháp luật tập huấn", "100%"),
        ("STP tỉnh có trách nhiệm gì", "Sở Tư pháp"),
        # words that only ask for a list ("kể ra", "liệt kê")
        (
            "kế hoạch của tỉnh nêu những việc gì để đổi mới tư duy xây dựng pháp luật, kể ra",
            "Đổi mới",
        ),
    ],
)
def test_everyday_words_reach_the_clauses_written_in_the_documents_words(
    service, question, expected
):
    for asked in both_ways(question):
        answer = service.ask(asked)
        assert not answer.refused, asked
        assert expected in answer.answer, asked


@pytest.mark.parametrize(
    "question",
    [
        "Lương cơ sở năm 2026 là bao nhiêu?",
        "Mức bồi thường khi Nhà nước thu hồi đất nông nghiệp là bao nhiêu?",
        "boi thuong khi thu hoi dat nong nghiep la bao nhieu",
        "hoc phi nam hoc 2026-2027 la bao nhieu",
        "Nghị quyết 57-NQ/TW giao cho xã nhiệm vụ gì?",
        "nghi quyet 57 giao cho xa nhiem vu gi",
        "Sở Ngoại vụ Hải Phòng được giao nhiệm vụ gì?",
        # compounds no plan writes, whose words the plans use apart ("hóa", "giải quyết")
        "Công tác hòa giải ở cơ sở do ai phụ trách theo kế hoạch?",
        "cong tac hoa giai o co so do ai phu trach theo ke hoach",
        "Đăng ký khai sinh cho trẻ ở xã Chí Minh làm thế nào?",
        # a value no plan states: a person holding a post, a contact, a count, progress
        "Chủ tịch UBMTTQ tỉnh hiện nay là ai?",
        "số điện thoại của Văn phòng HĐND và UBND xã Thiệu Trung là gì",
        "xã Chí Minh có bao nhiêu công chức làm công tác tư pháp?",
        "Hải Phòng đã rà soát xong văn bản quy phạm pháp luật chưa?",
        "gặp vướng mắc thì phải báo Sở Tư pháp trong vòng mấy ngày?",
        "Kế hoạch của tỉnh bắt sơ kết mấy tháng một lần?",
        "Chuyển ngạch pháp chế viên ở Hải Phòng hạn chót khi nào?",  # a task with no deadline
        "KH 97 của UBND tỉnh Thanh Hóa ai ký?",  # a plan cited, not indexed
        "Kế hoạch của UBND tỉnh giao Sở Nội vụ làm những việc gì?",
        "UBND phường bên Cần Thơ giao Công an phường làm gì?",  # and typed in lower case below
        "ubnd phuong ben can tho giao cong an phuong lam gi",
        "hội đồng nhân dân tỉnh họp kỳ nào để thông qua các văn bản theo kế hoạch",
        "Trường đại học nào liên kết với tỉnh mở lớp đào tạo dài hạn?",
        "trưởng phòng kinh tế xã thiệu trung tên là gì",
        "Sở Tư pháp Hải Phòng có bao nhiêu biên chế?",
        "Hải Phòng đã bãi bỏ được bao nhiêu văn bản quy phạm pháp luật?",
        "Sở Tư pháp tỉnh phải mở mấy lớp tập huấn mỗi năm?",
    ],
)
def test_uncovered_questions_are_refused(service, question):
    assert service.ask(question).refused


def test_the_document_filter_refuses_a_department_the_document_never_names(service):
    for asked in both_ways("Phòng Kinh tế có nhiệm vụ gì?"):
        assert not service.ask(asked, docs=[CHI_MINH]).refused, asked
        assert service.ask(asked, docs=[HAI_PHONG]).refused, asked
