"""Repair of slips and Telex/VNI leftovers against an index's own words."""

from __future__ import annotations

import pytest

from hoidap import vntext
from rag.spelling import Speller

ACCENTED = {
    "phòng": 9, "tư": 8, "pháp": 9, "kinh": 6, "phí": 5, "tập": 3, "huấn": 3, "hút": 2,
    "giám": 4, "sát": 4, "số": 7, "sở": 6, "báo": 5, "cáo": 5, "đánh": 3, "giá": 3,
    "báo_cáo": 5, "đánh_giá": 3, "phòng_kinh": 1, "kinh_tế": 4, "tế": 4, "tâm": 2,
}  # fmt: skip
FOLDED: dict[str, int] = {}
for term, count in ACCENTED.items():
    FOLDED[vntext.fold(term)] = FOLDED.get(vntext.fold(term), 0) + count
SPELLER = Speller(ACCENTED, FOLDED, keep={"ubnd", "nv", "ko"})


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("phongf", "phong"),  # Telex tone key left at the end
        ("phis", "phi"),
        ("phapj", "phap"),
        ("huaan", "huan"),  # doubled vowel (Telex for â)
        ("hutt", "hut"),
        ("phoong", "phong"),  # spelled like a syllable, but one letter doubled
        ("giams", "giam"),
        ("sso", "so"),
        ("pha1p", "phap"),  # VNI digit
        ("phòngf", "phòng"),  # accented question
        ("naof", "nao"),  # a question word the documents need not contain
        ("phapp", "phap"),
    ],
)
def test_slips_are_repaired(typed, meant):
    assert SPELLER.word(typed) == meant


@pytest.mark.parametrize("word", ["lương", "luong", "tram", "thai", "ubnd", "nv", "ko", "2026"])
def test_real_words_and_aliases_are_left_alone(word):
    assert SPELLER.word(word) == word


def test_repair_keeps_codes_abbreviations_and_punctuation():
    repaired = SPELLER.repair("So NV, phongf tu phapj (66-NQ/TW)?")
    assert repaired == "So NV, phong tu phap (66-NQ/TW)?"
    assert SPELLER.repair("Phongf Kinh te") == "Phong Kinh te"


def test_a_repaired_word_in_an_accented_question_gets_diacritics():
    assert SPELLER.repair("kinh phis của Phòng Kinh tế") == "kinh phí của Phòng Kinh tế"


def test_diacritics_are_restored_for_the_dense_query():
    assert SPELLER.accent("bao cao danh gia phong kinh te") == "báo cáo đánh giá phòng kinh tế"


def test_a_syllable_is_read_as_the_index_writes_it_alone():
    counts = {"cơ": 9, "cơ_quan": 9, "quan": 9, "có": 4, "chất": 3, "lượng": 3, "chất_lượng": 3}
    folded: dict[str, int] = {}
    for term, count in counts.items():
        folded[vntext.fold(term)] = folded.get(vntext.fold(term), 0) + count
    speller = Speller(counts, folded)
    # "cơ" is more frequent, but only inside "cơ quan": alone, "co" is "có"
    assert speller.accent("co co quan nao") == "có cơ quan nao"
    # "luong" matches only the "lượng" of "chất lượng": no evidence for "lương"
    assert speller.unattested("luong co so") == ["luong"]
    assert speller.unattested("chat luong co quan") == []
    assert speller.readings("chat luong") == [("chat luong", "chất_lượng")]


def test_the_neighbouring_words_choose_between_repairs():
    accented = {"quan": 5, "chức": 9, "chúng": 2, "quần": 2, "quần_chúng": 2}
    folded = {vntext.fold(t): n for t, n in accented.items()}
    speller = Speller(accented, folded, pairs={"quần chúng"})
    assert speller.word("chug") == "chuc"  # alone: the more frequent word one letter away
    assert speller.repair("ra tan quan chug nhan dan") == "ra tan quan chung nhan dan"


def test_a_word_missing_its_marks_is_completed_from_its_compound():
    accented = {"kế": 5, "hoạch": 5, "kế_hoạch": 5, "pháp": 4, "luật": 4, "pháp_luật": 4,
                "cơ": 3, "sở": 3, "cơ_sở": 3}  # fmt: skip
    folded = {vntext.fold(t): n for t, n in accented.items()}
    speller = Speller(accented, folded)
    assert speller.repair("kế hoach và pháp luât") == "kế hoạch và pháp luật"
    assert speller.repair("kế hoạc") == "kế hoạch"  # a letter left out
    # a word the documents never use stays, whatever its neighbours: "lương" is not "lượng"
    assert speller.repair("lương cơ sở là bao nhiêu") == "lương cơ sở là bao nhiêu"
    # a question typed without diacritics is read by its own rules
    assert speller.repair("ke hoach") == "ke hoach"
