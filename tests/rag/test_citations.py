"""Citation selection on the real index: k is a ceiling that never drops a whole document."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_k_caps_office_citations_but_keeps_every_document(service) -> None:
    wide = service.ask("Sở Tư pháp chịu trách nhiệm gì?", k=10)
    assert len(wide.citations) > 3
    documents = {c.source for c in wide.citations}
    narrow = service.ask("Sở Tư pháp chịu trách nhiệm gì?", k=len(documents))
    assert len(narrow.citations) == len(documents)
    assert {c.source for c in narrow.citations} == documents


def test_question_naming_two_documents_cites_both(service) -> None:
    answer = service.ask(
        "Vai trò của Mặt trận Tổ quốc Việt Nam trong giám sát thi hành pháp luật ở xã Chí Minh "
        "và ở phường Cần Thơ?"
    )
    assert {c.source[:3] for c in answer.citations} >= {"000", "002"}
