"""The rag core on a tiny index built here from two made-up plans (real parser, BM25, e5, Chroma).

Each test asks the real service; nothing is mocked. The plans are short so that the whole
module (index build included) stays within a few seconds of embedding.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from hoidap.config import Settings, Tuning

PLAN_A = """ỦY BAN NHÂN DÂN XÃ AN BÌNH
Số: 12/KH-UBND
An Bình, ngày 05 tháng 3 năm 2026
KẾ HOẠCH
Triển khai chuyển đổi số năm 2026
Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa
học, công nghệ (sau đây gọi tắt là Nghị quyết 57), Ủy ban nhân dân xã ban hành Kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Đưa dịch vụ công trực tuyến chất lượng cao đến mọi người dân trong xã.
II. NHIỆM VỤ CỤ THỂ
1. Xây dựng cơ sở dữ liệu dân cư của xã, hoàn thành trong tháng 6/2026.
2. Tổ chức tập huấn kỹ năng số cho cán bộ, công chức của xã, nâng cao chất lượng phục vụ.
III. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa - Xã hội chủ trì, phối hợp với các thôn tuyên truyền về dịch vụ công trực tuyến.
2. Phòng Kinh tế chủ trì bảo đảm kinh phí thực hiện Kế hoạch từ nguồn ngân sách xã.
3. Ủy ban Mặt trận Tổ quốc Việt Nam xã giám sát việc thực hiện Kế hoạch.
Nơi nhận:
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lê Văn Minh
"""
PLAN_B = """ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHÚ
Số: 30/KH-UBND
Tân Phú, ngày 10 tháng 4 năm 2026
KẾ HOẠCH
Tuyên truyền, phổ biến pháp luật năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao chất lượng phổ biến pháp luật cho Nhân dân trên địa bàn phường.
II. TỔ CHỨC THỰC HIỆN
1. Văn phòng HĐND và UBND phường chủ trì theo dõi, đôn đốc việc thực hiện Kế hoạch, báo cáo
kết quả trước ngày 15/12/2026.
2. Phòng Văn hóa - Xã hội phối hợp phát tin tuyên truyền pháp luật trên hệ thống phát thanh.
Nơi nhận:
- Lưu: VT.
CHỦ TỊCH
Trần Thị Hoa
"""

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):
    """A service over the two plans, and its settings."""
    from service import Service

    root = tmp_path_factory.mktemp("tiny")
    (root / "docs").mkdir()
    (root / "docs" / "a.txt").write_text(PLAN_A, encoding="utf-8")
    (root / "docs" / "b.txt").write_text(PLAN_B, encoding="utf-8")
    settings = Settings(
        index_dir=root / "index",
        corpus_dir=root / "docs",
        feedback_db=root / "feedback.sqlite3",
        upload_dir=root / "uploads",
    )
    return Service.open(settings), settings


def cited(answer) -> str:
    return " ".join(c.text for c in answer.citations)


def test_abbreviations_and_full_forms_reach_the_same_clause(tiny):
    service, _ = tiny
    for question in (
        "UBMTTQ xã An Bình có nhiệm vụ gì?",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã An Bình có nhiệm vụ gì?",
        "mttq xa an binh lam gi",
    ):
        answer = service.ask(question)
        assert not answer.refused, question
        assert "giám sát việc thực hiện" in cited(answer), question


def test_slips_are_repaired_and_shown(tiny):
    service, _ = tiny
    answer = service.ask("phongf kinh te lo kinh phis tu dau")
    assert not answer.refused
    assert "bảo đảm kinh phí" in cited(answer)
    assert "Câu hỏi được hiểu là" in answer.notice and "kinh phi" in answer.notice


def test_everyday_words_reach_the_documents_words(tiny):
    service, _ = tiny
    answer = service.ask("bao giờ phải xong cơ sở dữ liệu dân cư?")
    assert "tháng 6/2026" in cited(answer)
    answer = service.ask("ở phường Tân Phú ai cầm trịch theo dõi kế hoạch?")
    assert "Văn phòng HĐND và UBND phường chủ trì" in cited(answer)


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch của xã An Bình căn cứ vào văn bản nào?",
        "ke hoach xa an binh can cu vao van ban nao",
    ],
)
def test_asking_for_the_basis_reaches_the_opening_block(tiny, question):
    service, _ = tiny
    answer = service.ask(question)
    assert "Nghị quyết số 57-NQ/TW" in cited(answer), question


def test_a_paraphrase_both_rankings_agree_on_is_answered(tiny):
    from service import Service

    service, settings = tiny
    question = "An Bình có mở lớp cho cán bộ không"  # "tổ chức tập huấn … cho cán bộ"
    answer = service.ask(question)
    assert not answer.refused
    assert "tập huấn kỹ năng số" in cited(answer)
    strict = Service.open(replace(settings, tuning=replace(settings.tuning, agreement_rank=0)))
    assert strict.ask(question).refused


@pytest.mark.parametrize(
    ("uncovered", "covered"),
    [
        (
            (
                "Lương cơ sở năm 2026 là bao nhiêu?",
                "luong co so nam 2026 la bao nhieu",  # "luong" folds like "lượng" (chất lượng)
                "Nghị quyết 99-NQ/TW giao gì?",
            ),
            "chat luong dich vu cong truc tuyen nam 2026",
        ),
        (  # a sum of money is answered only by a clause stating one
            (
                "Kinh phí thực hiện Kế hoạch chuyển đổi số là bao nhiêu tiền?",
                "kinh phi thuc hien ke hoach chuyen doi so la bao nhieu",
                "Mức hỗ trợ kinh phí thực hiện Kế hoạch chuyển đổi số?",
            ),
            "Kinh phí thực hiện Kế hoạch chuyển đổi số lấy từ nguồn nào?",
        ),
        (  # a number of things the plan does not count
            (
                "Xã An Bình có bao nhiêu thôn?",
                "xa an binh co bao nhieu can bo cong chuc",
            ),
            "Xã An Bình có bao nhiêu nhiệm vụ cụ thể?",
        ),
        (  # a day is answered by a clause stating one (or its month), not a cited document's
            (
                "Xã An Bình tổ chức tập huấn kỹ năng số cho cán bộ vào ngày nào?",
                "xa an binh tap huan ky nang so cho can bo vao ngay nao",
                # neither the date of the resolution cited nor the plan's own dateline
                "Hạn báo cáo kết quả thực hiện Nghị quyết 57 của xã An Bình là ngày nào?",
            ),
            "xã An Bình xây dựng cơ sở dữ liệu dân cư xong ngày nào?",
        ),
    ],
    ids=["unknown-words", "amounts", "counts", "days"],
)
def test_uncovered_questions_are_refused(tiny, uncovered, covered):
    service, _ = tiny
    for question in uncovered:
        assert service.ask(question).refused, question
    assert not service.ask(covered).refused


@pytest.mark.parametrize(
    ("question", "office"),
    [
        ("Sở Y tế có nhiệm vụ gì?", "Sở Y tế"),
        ("sở y tế có nhiệm vụ gì", "Sở Y tế"),
        ("so y te co nhiem vu gi", "Sở Y tế"),
        ("Trung tâm phục vụ hành chính công xã An Bình làm gì?", "Trung tâm Phục vụ"),
        ("trung tam phuc vu hanh chinh cong xa an binh lam gi", "Trung tâm Phục vụ"),
    ],
)
def test_a_department_no_plan_names_is_refused_by_name(tiny, question, office):
    service, _ = tiny
    answer = service.ask(question)
    assert answer.refused and office in answer.answer


@pytest.mark.parametrize(
    "question", ["loa phường Tân Phú phát tin gì?", "loa phuong tan phu phat tin gi"]
)
def test_everyday_words_for_broadcasting_reach_the_documents_words(tiny, question):
    service, _ = tiny
    answer = service.ask(question)
    assert "hệ thống phát thanh" in cited(answer), question


def test_document_filter_refuses_an_office_the_document_never_names(tiny):
    service, _ = tiny
    question = "Phòng Kinh tế có nhiệm vụ gì?"
    assert not service.ask(question, docs=["a.txt"]).refused
    assert service.ask(question, docs=["b.txt"]).refused
    assert service.ask("phong kinh te lam gi", docs=["b.txt"]).refused


def test_definitions_are_harvested_at_index_time(tiny):
    service, _ = tiny
    plan_a = next(d for d in service.documents() if d.source == "a.txt")
    assert ("Nghị quyết 57", "Nghị quyết số 57-NQ/TW") in plan_a.definitions


def test_tuning_is_passed_down_from_settings(tiny):
    from service import Service

    service, settings = tiny
    question = "Tổ chức tập huấn kỹ năng số cho ai?"
    assert not service.ask(question).refused
    strict = Tuning(
        minimum_coverage=1.01, coverage_with_dense_support=1.01, coverage_with_agreement=1.01
    )
    assert Service.open(replace(settings, tuning=strict)).ask(question).refused


def test_list_and_per_plan_limits_come_from_the_tuning(tiny):
    from service import Service

    service, settings = tiny
    question = "Phòng Văn hóa - Xã hội được giao những nhiệm vụ nào?"
    assert len(service.ask(question).citations) == 2
    short = Service.open(replace(settings, tuning=Tuning(list_limit=1, per_plan_limit=1)))
    answer = short.ask(question)
    assert answer.answer.startswith("Có 2 nhiệm vụ") and len(answer.citations) == 1
    assert len(service.ask("Ai ký kế hoạch?").citations) == 2
    assert len(short.ask("Ai ký kế hoạch?").citations) == 1
