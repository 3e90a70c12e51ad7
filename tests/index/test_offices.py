"""Office names, roles and deadlines read from clause text and from questions."""

from __future__ import annotations

import pytest

from index.offices import (
    KNOWN_OFFICES,
    OfficeMatcher,
    assign_roles,
    canonical_office,
    extract_deadlines,
    extract_offices,
    find_offices,
    heading_offices,
    match_offices,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2. Phòng Kinh tế", ["Phòng Kinh tế"]),
        ("Phòng Văn hóa - Xã hội", ["Phòng Văn hóa - Xã hội"]),
        ("Phòng Văn hoá – Xã hội chủ trì", ["Phòng Văn hóa - Xã hội"]),
        ("2. Sở Tài chính\n- Chủ trì, phối hợp với các sở", ["Sở Tài chính"]),  # a bullet
        ("Văn Phòng HĐND và UBND", ["Văn phòng HĐND và UBND"]),
        (
            "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường có trách nhiệm",
            ["Văn phòng HĐND và UBND"],
        ),
        ("- Văn phòng UBND TP;", ["Văn phòng UBND"]),
        ("Sở Tư pháp chủ trì", ["Sở Tư pháp"]),
        ("Sở Tư pháp Sở Nội vụ", ["Sở Tư pháp", "Sở Nội vụ"]),
        ("Sở Giáo dục và Đào tạo", ["Sở Giáo dục và Đào tạo"]),
        ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Sở Y tế", ["Sở Y tế"]),
        ("Sở Tài chính sẽ chủ động tham mưu", ["Sở Tài chính"]),
        ("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh tăng cường", ["Ủy ban MTTQ Việt Nam"]),
        ("- Uỷ ban MTTQ Việt Nam xã;", ["Ủy ban MTTQ Việt Nam"]),
        ("TT.ĐU, UBND, UBMTTQVN phường;", ["Ủy ban MTTQ Việt Nam"]),
        ("Công an xã phối hợp", ["Công an xã"]),
        (
            "Tham mưu Hội đồng Phối hợp phổ biến giáo dục pháp luật tỉnh",
            ["Hội đồng phối hợp phổ biến, giáo dục pháp luật"],
        ),
        ("báo cáo UBND tỉnh và Bộ Tư pháp theo quy định", ["UBND tỉnh", "Bộ Tư pháp"]),
        ("Ủy ban nhân dân xã Chí Minh ban hành", ["UBND xã"]),
        ("Uỷ ban nhân dân thành phố Cần Thơ", ["UBND thành phố"]),
        ("Các sở, ban, ngành và UBND cấp xã", ["Các sở, ban, ngành", "UBND cấp xã"]),
        (
            "Đối với các sở: Tư pháp, Tài chính, Nội vụ thực hiện",
            ["Sở Tư pháp", "Sở Tài chính", "Sở Nội vụ"],
        ),
        ("phòng, chống tham nhũng, lãng phí", []),
        ("Nghị quyết số 66-NQ/TW của Bộ Chính trị", []),
        ("", []),
    ],
)
def test_extract_offices(text: str, expected: list[str]) -> None:
    assert extract_offices(text) == expected


def test_every_known_office_is_its_own_canonical_name() -> None:
    for name in KNOWN_OFFICES:
        assert extract_offices(name) == [name], name
        assert canonical_office(name) == name


def test_mentions_carry_positions() -> None:
    text = "Giao Sở Tư pháp chủ trì"
    (mention,) = find_offices(text)
    assert text[mention.start : mention.end] == "Sở Tư pháp"


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Phòng Kinh tế", ["Phòng Kinh tế"]),
        ("Sở Tài chính:", ["Sở Tài chính"]),
        ("Thủ trưởng các phòng, ban, cơ quan, đơn vị tập trung", ["Các phòng, ban, ngành"]),
        (
            "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh tăng cường giám sát",
            ["Ủy ban MTTQ Việt Nam"],
        ),
        (
            "Đối với các sở: Tư pháp, Tài chính, Nội vụ thực hiện",
            ["Sở Tư pháp", "Sở Tài chính", "Sở Nội vụ"],
        ),
        ("Báo cáo kết quả thực hiện về Sở Tư pháp", []),
        ("Mục đích", []),
    ],
)
def test_heading_offices(heading: str, expected: list[str]) -> None:
    assert heading_offices(heading) == expected


@pytest.mark.parametrize(
    ("heading", "text", "lead", "coord"),
    [
        (
            "Phòng Kinh tế",
            "Phòng Kinh tế\n- Cân đối, bố trí chi thường xuyên",
            ("Phòng Kinh tế",),
            (),
        ),
        (
            "Ngay sau khi văn bản được ban hành",
            "Sở Tư pháp chủ trì, phối hợp các sở, ban, ngành cấp tỉnh trình Thường trực HĐND tỉnh",
            ("Sở Tư pháp",),
            ("Các sở, ban, ngành",),
        ),
        (
            "Sở Nội vụ",
            "Sở Nội vụ: Phối hợp với các sở, ban, ngành thực hiện rà soát",
            ("Sở Nội vụ",),
            ("Các sở, ban, ngành",),
        ),
        (
            "Tổ chức hội nghị",
            "Tổ chức hội nghị; Sở Tư pháp phối hợp với Sở Nội vụ và Công an xã",
            (),
            ("Sở Tư pháp", "Sở Nội vụ", "Công an xã"),
        ),
        ("Nhiệm vụ", "Cơ quan chủ trì: Sở Y tế", ("Sở Y tế",), ()),
        (
            "Sở Tư pháp",
            "- Chủ trì, phối hợp với các cơ quan liên quan; báo cáo UBND tỉnh và Bộ Tư pháp",
            ("Sở Tư pháp",),
            (),
        ),
    ],
)
def test_assign_roles(heading: str, text: str, lead: tuple, coord: tuple) -> None:
    assert assign_roles(heading, text) == (lead, coord)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("phong kinh te chiu trach nhiem gi", ["Phòng Kinh tế"]),
        ("Phòng Kinh tế chịu trách nhiệm gì?", ["Phòng Kinh tế"]),
        ("so tu phap lam gi", ["Sở Tư pháp"]),
        ("SỞ TƯ PHÁP", ["Sở Tư pháp"]),
        ("van phong hdnd va ubnd", ["Văn phòng HĐND và UBND"]),
        ("văn phòng hội đồng nhân dân và ủy ban nhân dân", ["Văn phòng HĐND và UBND"]),
        ("phong van hoa xa hoi va so y te", ["Phòng Văn hóa - Xã hội", "Sở Y tế"]),
        ("mat tran to quoc co nhiem vu gi", ["Ủy ban MTTQ Việt Nam"]),
        ("uy ban nhan dan cap xa", ["UBND cấp xã"]),
        ("so van hoa the thao va du lich", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("thời hạn báo cáo là khi nào", []),
        ("phòng chống tham nhũng", []),
    ],
)
def test_match_offices_without_diacritics(query: str, expected: list[str]) -> None:
    assert match_offices(query) == expected


def test_office_matcher_knows_only_what_it_is_given() -> None:
    matcher = OfficeMatcher(["Phòng Kinh tế", "Sở Tư pháp"])
    assert matcher.match("so y te va phong kinh te") == ["Phòng Kinh tế"]
    assert matcher.match("Sở Tư pháp") == ["Sở Tư pháp"]
    assert OfficeMatcher([]).match("phong kinh te") == []
    # the longest known name wins over a shorter one inside it
    nested = OfficeMatcher(["UBND xã", "Văn phòng HĐND và UBND"])
    assert nested.match("van phong hdnd va ubnd xa") == ["Văn phòng HĐND và UBND"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quý II/2026", ["Quý II/2026"]),
        ("quý 2 năm 2026", ["Quý II/2026"]),
        ("Tháng 12/2026", ["Tháng 12/2026"]),
        ("tháng 05/2026", ["Tháng 5/2026"]),
        ("Năm 2026", ["Năm 2026"]),
        ("Thường xuyên", ["Thường xuyên"]),
        ("hoàn thành trong năm 2026.", ["Trong năm 2026"]),
        ("Khi có yêu cầu của Bộ Tư pháp", ["Khi có yêu cầu của Bộ Tư pháp"]),
        ("Theo chỉ đạo của các cơ quan Trung ương", ["Theo chỉ đạo của các cơ quan Trung ương"]),
        ("báo cáo trước ngày 30/6/2026", ["Trước ngày 30/6/2026"]),
        ("trước ngày 15 tháng 12 năm 2026", ["Trước ngày 15/12/2026"]),
        ("Kế hoạch số 115/KH-UBND ngày 14 tháng 10 năm 2025", []),
        ("tuyên truyền thường xuyên, sâu rộng", []),
        ("dự toán ngân sách nhà nước hằng năm", []),
        ("", []),
    ],
)
def test_extract_deadlines(text: str, expected: list[str]) -> None:
    assert extract_deadlines(text) == expected
