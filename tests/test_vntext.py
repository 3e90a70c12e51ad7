"""Properties of the Vietnamese text forms: repair (shown), normalize (matched), fold (typed)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hoidap import vntext

# Vietnamese letters in both compositions, markdown marks, odd spaces and the Ð look-alike.
_VIET = st.sampled_from(
    list("aăâeêioôơuưyđAĂÂEÊIOÔƠUƯYĐÐðqQhH ")
    + [
        "\u0300",
        "\u0301",
        "\u0303",
        "\u0309",
        "\u0323",
        "*",
        "**",
        "_",
        "__",
        "\u00a0",
        "\t",
        "\n",
        "\ufeff",
        "oa",
        "oe",
        "uy",
        "Uỷ",
        "hoá",
        "quý",
        "-",
        "/",
        "66-NQ/TW",
    ]
)
_TEXT = st.one_of(st.lists(_VIET, max_size=30).map("".join), st.text(max_size=40))


def _letters(text: str) -> list[str]:
    """Base letters (tone and vowel marks apart), so composition does not matter."""
    return [ch for ch in unicodedata.normalize("NFD", text) if ch.isalpha()]


@settings(max_examples=400)
@given(_TEXT)
@example("*a\na*")  # emphasis across a line break
def test_normalize_is_idempotent(text: str) -> None:
    once = vntext.normalize(text)
    assert vntext.normalize(once) == once


@settings(max_examples=400)
@given(_TEXT)
def test_fold_of_normalize_is_idempotent(text: str) -> None:
    folded = vntext.fold(vntext.normalize(text))
    assert vntext.fold(vntext.normalize(folded)) == folded
    assert vntext.fold(folded) == folded


@settings(max_examples=400)
@given(_TEXT)
def test_repair_keeps_letters_and_returns_nfc(text: str) -> None:
    repaired = vntext.repair(text)
    assert unicodedata.is_normalized("NFC", repaired)
    expected = unicodedata.normalize("NFC", text).replace("\u00d0", "Đ").replace("\u00f0", "đ")
    assert _letters(repaired) == _letters(expected)
    assert "\u00d0" not in repaired


@settings(max_examples=200)
@given(_TEXT)
def test_repair_is_idempotent(text: str) -> None:
    once = vntext.repair(text)
    assert vntext.repair(once) == once


def test_repair_fixes_encoding_and_markup_but_keeps_style() -> None:
    assert vntext.repair("ÐẢNG và Ðảng") == "ĐẢNG và Đảng"
    assert vntext.repair("**KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH**") == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    assert (
        vntext.repair("(*sau đây gọi tắt là Chương trình*);")
        == "(sau đây gọi tắt là Chương trình);"
    )
    assert vntext.repair("Uỷ ban hoá") == "Uỷ ban hoá"  # tone style kept as written
    assert vntext.repair("***a***") == vntext.repair(vntext.repair("***a***")) == "a"
    decomposed = unicodedata.normalize("NFD", "Phòng Kinh tế")
    assert vntext.repair(decomposed) == "Phòng Kinh tế"


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("hoá", "hóa"),
        ("hóa", "hóa"),
        ("Uỷ ban", "ủy ban"),
        ("Ủy ban", "ủy ban"),
        ("THUỶ LỢI", "thủy lợi"),
        ("khoẻ", "khỏe"),
        ("Hoà Bình", "hòa bình"),
        ("quý II", "quý ii"),
        ("Quý", "quý"),
        ("hoàn thành", "hoàn thành"),
        ("tuyên  truyền\n\tpháp luật", "tuyên truyền pháp luật"),
    ],
)
def test_one_tone_style(written: str, normal: str) -> None:
    assert vntext.normalize(written) == normal


def test_fold() -> None:
    assert vntext.fold(vntext.normalize("Phòng Văn hoá - Xã hội")) == "phong van hoa - xa hoi"
    assert vntext.fold("đường Đảng") == "duong Dang"
    assert not vntext.has_diacritics("phong kinh te")
    assert vntext.has_diacritics("phòng")


def test_syllables_keep_document_codes_whole() -> None:
    assert vntext.syllables("Nghị quyết số 66-NQ/TW") == ["nghị", "quyết", "số", "66-nq/tw"]
