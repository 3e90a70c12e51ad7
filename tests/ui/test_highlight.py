"""Highlighting the question's words in clause text, with and without diacritics."""

from ui.highlight import highlight, terms_for


def test_words_typed_without_diacritics_match_any_spelling():
    html = highlight(
        "Phòng Kinh tế chủ trì, phối hợp.", terms_for("phong kinh te chiu trach nhiem gi")
    )
    assert html == "<mark>Phòng Kinh tế</mark> chủ trì, phối hợp."


def test_words_typed_with_diacritics_match_only_that_word():
    terms = terms_for("Cơ quan nào có trách nhiệm?")
    html = highlight("Cơ quan chủ trì có trách nhiệm báo cáo; có quan hệ", terms)
    assert html.count("<mark>") == 2
    assert "<mark>Cơ quan</mark>" in html and "<mark>trách nhiệm</mark>" in html


def test_a_compound_is_marked_only_where_all_its_syllables_are():
    html = highlight(
        "Phòng Kinh tế bảo đảm kinh phí, nhiệm vụ và trách nhiệm",
        terms_for("Phòng Kinh tế chịu trách nhiệm gì?"),
    )
    assert html == (
        "<mark>Phòng Kinh tế</mark> bảo đảm kinh phí, nhiệm vụ và <mark>trách nhiệm</mark>"
    )


def test_tone_mark_styles_are_unified():
    assert highlight("Phòng Văn hoá", terms_for("văn hóa")) == "Phòng <mark>Văn hoá</mark>"


def test_function_words_and_question_words_are_not_marked():
    html = highlight("Việc gì của ai là gì", terms_for("là gì của ai"))
    assert "<mark>" not in html


def test_text_is_escaped_even_when_marked():
    html = highlight("<script>alert(1)</script> kinh tế", terms_for("script kinh te"))
    assert "<script>" not in html
    assert "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;" in html
    assert html.endswith("<mark>kinh tế</mark>")


def test_no_terms_only_escapes():
    assert highlight("a < b & c", terms_for("")) == "a &lt; b &amp; c"
