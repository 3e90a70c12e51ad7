"""HTML and Markdown rendering: escaping, citation links."""

import re

from hoidap.types import Answer, Citation, Clause, ClauseKind, Document
from ui.render import (
    answer_markdown,
    answer_plain_text,
    clause_html,
    document_choices,
    document_html,
    outline_html,
    plain_markdown,
    sources_html,
    status_markdown,
)

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"


def _citation(n: int, text: str = "Phòng Kinh tế chủ trì thực hiện.") -> Citation:
    return Citation(
        n=n,
        source="000_a.txt",
        doc_title='Kế hoạch "số 1" <b>',
        path="IV.2",
        label="IV. Tổ chức thực hiện › 2. Phòng Kinh tế",
        text=text,
        score=0.83,
        clause_id=f"c{n}",
    )


def _answer(**kw) -> Answer:
    values = dict(
        question="Phòng Kinh tế chịu trách nhiệm gì?",
        answer="Phòng Kinh tế chủ trì [1].\n- Phối hợp [2].",
        refused=False,
        citations=(_citation(1), _citation(2, XSS)),
        latency_ms=42,
    )
    values.update(kw)
    return Answer(**values)


def test_answer_markdown_links_markers_and_escapes_everything_else():
    md = answer_markdown(f"Làm *ngay* {XSS} [1] [x](javascript:alert(1)) [2]", turn=3)
    assert '<a class="hd-ref" href="#hd-cite-3-1"' in md
    assert '<a class="hd-ref" href="#hd-cite-3-2"' in md
    assert "<script" not in md and "<img" not in md
    assert "&lt;script&gt;" in md
    assert r"\*ngay\*" in md
    assert "](javascript" not in md  # the markdown link is broken up by escapes
    assert len(re.findall(r"<a ", md)) == 2


def test_a_list_ends_before_the_next_heading_line():
    md = answer_markdown("Theo A:\n- x [1]\n- y\nTheo B:\n- z", turn=0)
    assert md.startswith("Theo A:\n- x <a ")
    assert md.endswith("\n- y\n\nTheo B:\n- z")


def test_plain_markdown_keeps_quotes_readable():
    assert plain_markdown('Điều "5": a & b') == 'Điều "5": a &amp; b'


def test_sources_panel_escapes_document_text_and_highlights_question_words():
    html = sources_html(_answer(), turn=0, doc_names={"000_a.txt": "Kế hoạch của UBND <xã>"})
    assert 'id="hd-cite-0-1"' in html and 'id="hd-cite-0-2"' in html
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Kế hoạch của UBND &lt;xã&gt;" in html
    assert 'title="Kế hoạch &quot;số 1&quot; &lt;b&gt;"' in html
    assert "<mark>Phòng Kinh tế</mark>" in html
    assert "IV. Tổ chức thực hiện › 2. Phòng Kinh tế" in html


def test_sources_panel_states():
    assert "khi bạn đặt câu hỏi" in sources_html(None, turn=0)
    refused = _answer(answer="Không tìm thấy…", refused=True, citations=())
    assert "không trích dẫn" in sources_html(refused, turn=1)
    assert "không có nguồn phù hợp" in status_markdown(refused)
    assert status_markdown(_answer()).startswith("Thời gian trả lời: 42 ms · 2 nguồn")


def test_plain_text_lists_sources():
    text = answer_plain_text(_answer())
    assert text.startswith("Phòng Kinh tế chủ trì [1].")
    assert "[2] Kế hoạch" in text and "(IV.2)" in text


def _clause(path: str, text: str, **kw) -> Clause:
    return Clause(
        id=f"id-{path}",
        source="x.txt",
        doc_title="KH",
        path=path,
        label=f"{path} label",
        text=text,
        kind=kw.pop("kind", ClauseKind.SECTION),
        order=0,
        **kw,
    )


def test_outline_and_clause_are_escaped():
    clauses = [
        _clause("I", XSS, kind=ClauseKind.PART, heading="MỤC ĐÍCH <b>"),
        _clause("I.1", "x" * 200),
        _clause("PL.1", "", kind=ClauseKind.TABLE_ROW, columns={"task": XSS, "lead": "UBND"}),
    ]
    outline = outline_html(clauses)
    assert outline.count("<li") == 3
    assert "<script" not in outline and "<img" not in outline and "<b>" not in outline
    assert 'data-clause="id-I.1"' in outline and "hd-depth-1" in outline
    assert "…" in outline  # long text shortened at a word boundary for the list
    detail = clause_html(clauses[2], question="script")
    assert "<script" not in detail and "<img" not in detail
    assert "Nhiệm vụ" in detail
    assert "Dòng bảng phụ lục" in detail


def test_documents_are_escaped_and_choices_unique():
    doc = Document(source="a.txt", title=XSS, kind="Kế hoạch", issuer="UBND xã A", number="1/KH")
    twin = Document(source="b.txt", title="t", kind="Kế hoạch", issuer="UBND xã A", number="2/KH")
    assert "<script" not in document_html(doc)
    assert document_choices([doc, twin]) == [
        ("Kế hoạch của UBND xã A (1/KH)", "a.txt"),
        ("Kế hoạch của UBND xã A (2/KH)", "b.txt"),
    ]
