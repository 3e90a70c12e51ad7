"""Document metadata read from the bundled plans and from small texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.metadata import read_metadata, sentence_case, shorten
from index.parse import parse_document

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"


def _document(name: str):
    return parse_document((CORPUS / name).read_text(encoding="utf-8"), source=name)[0]


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        (
            "000_67870b5209ee9c3b.txt",
            dict(
                kind="Kế hoạch",
                issuer="UBND xã Chí Minh",
                number="",
                date="",
                locality="xã Chí Minh",
                signer="Nguyễn Thị Thanh",
                signer_title="Phó Chủ tịch",
            ),
        ),
        (
            "001_0237cf243acf0a50.txt",
            dict(
                kind="Kế hoạch",
                issuer="UBND tỉnh",
                number="",
                date="",
                locality="",
                signer="Võ Trọng Hải",
                signer_title="Chủ tịch",
            ),
        ),
        (
            "002_e46043b8fff5d138.txt",
            dict(
                kind="Kế hoạch",
                issuer="UBND phường",
                number="",
                date="",
                locality="thành phố Cần Thơ",
                signer="Nguyễn Thị Trúc Linh",
                signer_title="Chủ tịch",
            ),
        ),
        (
            "003_26a0c6bdda95c869.txt",
            dict(
                kind="Kế hoạch",
                issuer="UBND xã Thiệu Trung",
                number="",
                date="2026",
                locality="xã Thiệu Trung",
                signer="Trần Ngọc Tùng",
                signer_title="Phó Chủ tịch",
            ),
        ),
        (
            "004_868287148acd756b.txt",
            dict(
                kind="Kế hoạch hành động",
                issuer="UBND thành phố Hải Phòng",
                number="",
                date="2026",
                locality="thành phố Hải Phòng",
                signer="Nguyễn Minh Hùng",
                signer_title="Phó Chủ tịch",
            ),
        ),
    ],
)
def test_bundled_metadata(name: str, fields: dict[str, str]) -> None:
    doc = _document(name)
    assert {k: getattr(doc, k) for k in fields} == fields
    assert doc.short_title == f"{fields['kind']} của {fields['issuer']}"
    assert doc.title.startswith(fields["kind"] + " ")
    assert len(doc.title) <= 200


def test_titles_read_below_the_kind_line() -> None:
    assert _document("000_67870b5209ee9c3b.txt").title.startswith(
        "Kế hoạch thực hiện Nghị quyết số 140/NQ-CP ngày 17/5/2025 của Chính phủ"
    )
    # a title listing documents continues after each ";"
    assert _document("001_0237cf243acf0a50.txt").title.endswith(
        "Chương trình hành động số… -CTr/TU ngày/6/2025 của Tỉnh ủy"
    )
    assert _document("003_26a0c6bdda95c869.txt").title == (
        "Kế hoạch triển khai thực hiện Chương trình công tác năm 2026 của Ban Chỉ đạo tỉnh "
        "thực hiện Nghị quyết số 66-NQ/TW của Bộ Chính trị"
    )


def test_cited_plans_are_not_the_issuer() -> None:
    # 000 cites "Kế hoạch số 272/KH-UBND … của Ủy ban nhân dân thành phố Hải Phòng" first
    assert _document("000_67870b5209ee9c3b.txt").issuer == "UBND xã Chí Minh"
    assert "115/KH-UBND" not in _document("002_e46043b8fff5d138.txt").number


def test_header_block_number_and_full_date() -> None:
    preamble = [
        "ỦY BAN NHÂN DÂN",
        "XÃ HÒA BÌNH",
        "Số: 115/KH-UBND",
        "Hòa Bình, ngày 14 tháng 10 năm 2025",
        "KẾ HOẠCH",
        "Tuyên truyền phổ biến pháp luật",
        "Ủy ban nhân dân xã ban hành Kế hoạch như sau:",
    ]
    fields = read_metadata(preamble, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn Bình"])
    assert fields.number == "115/KH-UBND"
    assert fields.date == "14/10/2025"
    assert fields.issuer == "UBND xã Hòa Bình"
    assert fields.locality == "xã Hòa Bình"
    assert fields.signer == "Lê Văn Bình"
    assert fields.signer_title == "Chủ tịch"
    assert fields.title == "Kế hoạch tuyên truyền phổ biến pháp luật"


def test_nothing_claimed_from_plain_text() -> None:
    fields = read_metadata(["Ghi chú cuộc họp chiều nay."], [])
    assert (fields.kind, fields.issuer, fields.number, fields.date, fields.signer) == ("",) * 5
    assert fields.title == "Ghi chú cuộc họp chiều nay."


def test_sentence_case_and_shorten() -> None:
    assert sentence_case("MỤC ĐÍCH, YÊU CẦU") == "Mục đích, yêu cầu"
    assert sentence_case("TRÁCH NHIỆM CỦA UBND XÃ VỀ NGHỊ QUYẾT 66-NQ/TW") == (
        "Trách nhiệm của UBND xã về nghị quyết 66-NQ/TW"
    )
    assert sentence_case("Phòng Kinh tế") == "Phòng Kinh tế"
    assert shorten("một hai ba bốn năm", 12) == "một hai ba…"
    assert shorten("ngắn", 12) == "ngắn"
