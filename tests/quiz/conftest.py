"""A small hand-written corpus of real Clause/Document objects for fast quiz tests.

The clauses copy the shape the parser produces for the bundled plans (office headings with
dash bullets, an inline "X chủ trì" clause, an appendix table with task rows), so the
generator can be tested without building an index; the end-to-end tests use the real
``service`` fixture.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from hoidap.types import Clause, ClauseKind, Document

COMMUNE = "a_xa_chi_minh.txt"
CITY = "b_hai_phong.txt"
COMMUNE_TITLE = "Kế hoạch của UBND xã Chí Minh"
CITY_TITLE = "Kế hoạch hành động của UBND thành phố Hải Phòng"


def _clause(source: str, path: str, text: str, kind: ClauseKind = ClauseKind.SECTION, **kw):
    title = COMMUNE_TITLE if source == COMMUNE else CITY_TITLE
    heading = kw.pop("heading", text.split("\n")[0][:60])
    return Clause(
        id=f"{source}#{path}",
        source=source,
        doc_title=title,
        path=path,
        label=kw.pop("label", f"{path}. {heading}"),
        text=text,
        kind=kind,
        order=kw.pop("order", 0),
        heading=heading,
        **kw,
    )


def _row(number: int, task: str, lead: str, deadline: str) -> Clause:
    columns = {
        "task": task,
        "lead": lead,
        "coordinate": "Các sở, ban, ngành và UBND cấp xã",
        "result": "Báo cáo",
        "deadline": deadline,
    }
    return _clause(
        CITY,
        f"PL.{number}",
        task,
        ClauseKind.TABLE_ROW,
        heading=task[:40],
        label=f"Phụ lục › {number}. {task[:40]}",
        lead_offices=(lead,),
        coord_offices=("Các sở, ban, ngành", "UBND cấp xã"),
        deadlines=(deadline,),
        columns=columns,
    )


def build_documents() -> list[Document]:
    """The two documents of the mini corpus."""
    return [
        Document(source=COMMUNE, title="Kế hoạch thực hiện Nghị quyết", kind="Kế hoạch",
                 issuer="UBND xã Chí Minh", clause_count=9),
        Document(source=CITY, title="Kế hoạch hành động bổ sung nhiệm vụ",
                 kind="Kế hoạch hành động", issuer="UBND thành phố Hải Phòng",
                 clause_count=12),
    ]


def build_clauses() -> list[Clause]:
    """The clauses of the mini corpus, in document order."""
    commune = [
        _clause(COMMUNE, "MD", "KẾ HOẠCH\nThực hiện Nghị quyết số 140/NQ-CP ngày 17/5/2025",
                ClauseKind.PREAMBLE),
        _clause(
            COMMUNE, "III.1.a",
            "Quán triệt, phổ biến đầy đủ Nghị quyết số 66-NQ/TW, Nghị quyết số 140/NQ-CP và "
            "Chương trình hành động số 06-CTr/TU, đa dạng hóa các hình thức truyền thông qua "
            "phát thanh, các nền tảng số, mạng xã hội và các phương tiện điện tử khác.",
            ClauseKind.POINT,
        ),
        _clause(
            COMMUNE, "III.5.c",
            "Tổ chức các lớp tập huấn chuyên sâu cho công chức tham mưu xây dựng pháp luật, "
            "đảm bảo 100% cán bộ làm công tác tham mưu xây dựng pháp luật trên địa bàn được "
            "bồi dưỡng, tập huấn, cập nhật kiến thức.",
            ClauseKind.POINT,
        ),
        _clause(
            COMMUNE, "III.7.a",
            "Áp dụng cơ chế, chính sách đặc biệt đúng đối tượng, công khai, minh bạch, hiệu "
            "quả, tiết kiệm trong thực hiện cơ chế, chính sách đặc biệt quy định tại Nghị "
            "quyết số 197/2025/QH15 về một số cơ chế, chính sách đặc biệt tạo đột phá.",
            ClauseKind.POINT,
        ),
        _clause(
            COMMUNE, "IV.2",
            "Phòng Kinh tế\n- Cân đối, bố trí chi thường xuyên trong dự toán ngân sách nhà "
            "nước hằng năm để triển khai thực hiện các nhiệm vụ, giải pháp của Kế hoạch này "
            "theo quy định.\n- Chủ trì tham mưu, đề xuất cơ chế phân bổ, quản lý và sử dụng "
            "ngân sách dành cho công tác xây dựng, tổ chức thi hành pháp luật.",
            heading="Phòng Kinh tế",
            lead_offices=("Phòng Kinh tế",),
        ),
        _clause(
            COMMUNE, "IV.3",
            "Phòng Văn hóa - Xã hội\nChủ trì, phối hợp với các cơ quan liên quan tiếp tục rà "
            "soát, tham mưu UBND xã đề nghị cấp có thẩm quyền hoàn thiện các quy định về "
            "tuyển dụng, sử dụng, quản lý cán bộ, công chức.",
            heading="Phòng Văn hóa - Xã hội",
            lead_offices=("Phòng Văn hóa - Xã hội",),
        ),
        _clause(
            COMMUNE, "IV.4",
            "Văn Phòng HĐND và UBND\n- Tham mưu UBND xã: Theo dõi, hướng dẫn, kiểm tra việc "
            "thực hiện công tác theo dõi thi hành pháp luật, truyền thông chính sách.\n- Chủ "
            "trì, phối hợp với các cơ quan có liên quan theo dõi, đôn đốc, tổng hợp kết quả "
            "sơ kết, tổng kết việc thực hiện Kế hoạch này.",
            heading="Văn Phòng HĐND và UBND",
            lead_offices=("Văn phòng HĐND và UBND",),
        ),
        _clause(
            COMMUNE, "IV.5",
            "Công an xã chủ trì, phối hợp với Phòng Kinh tế bảo đảm an ninh, trật tự trong tổ "
            "chức thi hành pháp luật trên địa bàn xã, hoàn thành trước ngày 30/6/2026.",
            heading="Công an xã chủ trì, phối hợp với Phòng Kinh tế",
            lead_offices=("Công an xã",),
            coord_offices=("Phòng Kinh tế",),
            deadlines=("Trước ngày 30/6/2026",),
        ),
        _clause(COMMUNE, "KT", "Trên đây là Kế hoạch của UBND xã./.\nNơi nhận:\n- Sở Tư pháp TP;",
                ClauseKind.CLOSING),
    ]
    city = [
        _clause(
            CITY, "III.1",
            "Sở Tư pháp\n- Hướng dẫn trình tự, thủ tục xây dựng văn bản quy phạm pháp luật "
            "theo thẩm quyền; nâng cao chất lượng thẩm định dự thảo văn bản.\n- Tổ chức tập "
            "huấn, bồi dưỡng, hướng dẫn nghiệp vụ cho người làm công tác pháp chế theo quy định.",
            heading="Sở Tư pháp",
            lead_offices=("Sở Tư pháp",),
        ),
        _clause(
            CITY, "III.2.a",
            "Sở Tài chính:\n- Chủ trì tham mưu, đề xuất cơ chế phân bổ, quản lý và sử dụng kinh "
            "phí từ ngân sách nhà nước dành cho công tác xây dựng, tổ chức thi hành pháp luật.",
            ClauseKind.POINT,
            heading="Sở Tài chính:",
            lead_offices=("Sở Tài chính",),
        ),
        _clause(
            CITY, "III.2.b",
            "Sở Nội vụ: Phối hợp với các sở, ban, ngành thực hiện rà soát, quyết định chuyển "
            "ngạch cho công chức đang thực hiện công tác pháp chế sang ngạch pháp chế viên.",
            ClauseKind.POINT,
            heading="Sở Nội vụ:",
            lead_offices=("Sở Nội vụ",),
        ),
        _clause(
            CITY, "I.1.b",
            "Bổ sung các nhiệm vụ, giải pháp trọng tâm theo Chương trình hành động của Chính "
            "phủ theo Nghị quyết số 97/NQ-CP ngày 06/4/2026 gắn với chức năng, nhiệm vụ.",
            ClauseKind.POINT,
        ),
        _row(1, "Tổ chức triển khai thực hiện, cụ thể hóa các cơ chế, chính sách thể chế hoá "
                "Nghị quyết số 68-NQ/TW của Bộ Chính trị về phát triển kinh tế tư nhân",
             "Sở Tài chính", "Theo chỉ đạo của các cơ quan Trung ương"),
        _row(2, "Tổ chức triển khai thực hiện, cụ thể hóa các cơ chế, chính sách thể chế hoá "
                "Nghị quyết số 71-NQ/TW ngày 22/8/2025 của Bộ Chính trị về đột phá phát triển "
                "giáo dục và đào tạo", "Sở Giáo dục và Đào tạo", "Năm 2026"),
        _row(3, "Tổ chức triển khai thực hiện, cụ thể hóa các cơ chế, chính sách thể chế hoá "
                "Nghị quyết số 72-NQ/TW của Bộ Chính trị về bảo vệ, chăm sóc và nâng cao sức "
                "khỏe nhân dân", "Sở Y tế", "Quý II/2026"),
        _row(4, "Báo cáo đánh giá thực trạng và đề xuất giải pháp hoàn thiện hệ thống pháp luật "
                "từ thực tiễn thành phố Hải Phòng", "Sở Tư pháp", "Tháng 5/2026"),
        _row(5, "Tham mưu Ủy ban nhân dân thành phố tổ chức thực hiện Kế hoạch triển khai tổng "
                "rà soát hệ thống văn bản quy phạm pháp luật", "Sở Tư pháp", "Tháng 11/2026"),
        _row(6, "Tổ chức triển khai thực hiện, cụ thể hóa các cơ chế, chính sách thể chế hoá "
                "Nghị quyết số 80-NQ/TW ngày 07/01/2026 của Bộ Chính trị về phát triển văn hóa "
                "Việt Nam", "Sở Văn hóa, Thể thao và Du lịch", "Thường xuyên"),
        _row(7, "Phối hợp với Bộ Tư pháp nghiên cứu giải pháp tạo đột phá trong công tác tổ "
                "chức thi hành pháp luật", "Sở Tư pháp", "Khi có yêu cầu của Bộ Tư pháp"),
        _row(8, "Tham mưu bố trí kinh phí thực hiện các cơ chế, chính sách đặc biệt theo Nghị "
                "định số 289/2025/NĐ-CP ngày 06/11/2025 của Chính phủ",
             "Sở Tài chính", "Thường xuyên"),
    ]
    return [replace(c, order=i) for i, c in enumerate(commune + city)]


@pytest.fixture(scope="session")
def mini_documents() -> list[Document]:
    return build_documents()


@pytest.fixture(scope="session")
def mini_clauses() -> list[Clause]:
    return build_clauses()
