"""The administrative vocabulary: aliases both ways, phrasings, references, definitions."""

from __future__ import annotations

import pytest

from hoidap import vntext
from hoidap.vocab import ABBREVIATIONS_FILE, PHRASINGS_FILE, Vocabulary, harvest_definitions

VOCAB = Vocabulary.bundled()


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("UBND xã", "Ủy ban nhân dân xã"),
        ("ubnd xa", "Uy ban nhan dan xa"),  # typed without diacritics, stays without
        ("Ủy ban MTTQ có nhiệm vụ gì", "Ủy ban Mặt trận Tổ quốc Việt Nam có nhiệm vụ gì"),
        ("UBMTTQVN tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("mttq phuong", "Uy ban Mat tran To quoc Viet Nam phuong"),
        ("VP HĐND-UBND xã", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"),
        ("VP HĐND và UBND xã", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"),
        ("Sở TP và Sở NV", "Sở Tư pháp và Sở Nội vụ"),
        ("UBND TP Hải Phòng", "Ủy ban nhân dân thành phố Hải Phòng"),
        ("CSDL VBQPPL của tỉnh", "cơ sở dữ liệu văn bản quy phạm pháp luật của tỉnh"),
        ("ai cầm trịch", "ai chủ trì"),
        ("tiền lấy ở đâu", "nguồn kinh phí"),
        ("STP và SNV", "Sở Tư pháp và Sở Nội vụ"),
        ("p.kt xa", "Phong Kinh te xa"),  # a dot between the letters
        ("bảo đảm 100% cán bộ", "bảo đảm 100 phần trăm cán bộ"),
        ("dat 100 % can bo", "dat 100 phan tram can bo"),
    ],
)
def test_aliases_and_phrasings_read_as_the_documents_write(written, read):
    assert VOCAB.canonical(written) == read


def test_codes_keep_their_letters_and_full_forms_stay_put():
    assert VOCAB.canonical("Nghị quyết số 66-NQ/TW, 244/QĐ-TTg") == (
        "Nghị quyết số 66-NQ/TW, 244/QĐ-TTg"
    )
    once = VOCAB.canonical("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và MTTQ xã")
    assert VOCAB.canonical(once) == once  # rewriting twice changes nothing
    assert once.count("Ủy ban") == 2


def test_both_spellings_give_the_same_lexical_terms():
    short = set(VOCAB.index_terms("Sở TP phối hợp với UBMTTQ", folded=True))
    full = set(VOCAB.index_terms("Sở Tư pháp phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam"))
    assert {vntext.fold(t) for t in full} <= short


def test_deadline_phrasings_mark_the_notion_and_leave_lexical_terms():
    question = "bao giờ phải xong báo cáo đánh giá"
    assert "deadline" in VOCAB.notions(question)
    assert VOCAB.canonical(question) == question  # the question as the user asked it
    assert "xong" not in VOCAB.index_terms(question)
    assert {"funding"} <= VOCAB.notions("kinh phis lay o dau".replace("phis", "phi"))


def test_references_are_shared_by_abbreviation_full_form_and_code():
    expected = "ref:nghiquyet:66"
    assert expected in VOCAB.references(VOCAB.canonical("NQ 66 nói gì"))
    assert expected in VOCAB.references("Nghị quyết số 66-NQ/TW ngày 30/4/2025")
    assert expected in VOCAB.references("thực hiện 66-NQ/TW")
    assert "ref:quyetdinh:244" in VOCAB.references(VOCAB.canonical("QĐ 244/QĐ-TTg"))
    assert VOCAB.references("Nghị quyết số 57-NQ/TW") == ["ref:nghiquyet:57"]


def test_definitions_a_document_makes_are_harvested_and_read():
    text = (
        "Thực hiện Nghị quyết số 12-NQ/TU ngày 01/2/2026 của Tỉnh ủy về chuyển đổi số "
        "(sau đây gọi tắt là Nghị quyết 12); Kế hoạch số 7/KH-UBND ngày 3/3/2026 "
        "(sau đây gọi tắt là Kế hoạch chuyển đổi số)."
    )
    found = harvest_definitions(text)
    assert ("Nghị quyết 12", "Nghị quyết số 12-NQ/TU") in found
    assert ("Kế hoạch chuyển đổi số", "Kế hoạch số 7/KH-UBND") in found
    vocab = VOCAB.with_definitions(found)
    assert "ref:kehoach:7" in vocab.index_terms("Kế hoạch chuyển đổi số giao việc gì")


def test_tables_are_well_formed():
    for path, columns in ((ABBREVIATIONS_FILE, (2, 3)), (PHRASINGS_FILE, (3,))):
        rows = [
            line.split("\t")
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
        assert rows and all(len(r) in columns and all(c.strip() for c in r) for r in rows), path
