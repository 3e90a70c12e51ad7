"""Example questions drawn from the clauses, and the optional tabs of the app."""

import pytest

from hoidap.types import Clause, ClauseKind
from ui.app import _optional_builder
from ui.examples import example_questions


def _clause(source: str, lead: tuple[str, ...], deadlines: tuple[str, ...] = ()) -> Clause:
    return Clause(
        id=f"{source}#{lead}",
        source=source,
        doc_title="KH",
        path="IV.1",
        label="IV",
        text="x",
        kind=ClauseKind.SECTION,
        order=0,
        lead_offices=lead,
        deadlines=deadlines,
    )


def test_offices_in_more_documents_come_first_and_collectives_are_skipped():
    clauses = [
        _clause("a.txt", ("Sở Tư pháp",)),
        _clause("a.txt", ("Sở Tư pháp",)),
        _clause("a.txt", ("Các sở, ban, ngành",)),
        _clause("b.txt", ("Các sở, ban, ngành",)),
        _clause("a.txt", ("Phòng Kinh tế",), deadlines=("Thường xuyên",)),
        _clause("b.txt", ("Phòng kinh tế",), deadlines=("Quý IV/2026",)),
    ]
    assert example_questions(clauses, offices=2) == [
        "Phòng Kinh tế chịu trách nhiệm gì?",
        "Sở Tư pháp chịu trách nhiệm gì?",
        'Những nhiệm vụ nào có thời hạn hoàn thành là "Quý IV/2026"?',
    ]
    assert example_questions([]) == []


def test_optional_tabs_are_skipped_only_when_their_module_is_missing(tmp_path, monkeypatch):
    assert _optional_builder("ui.tabs.khong_co_tab_nay", "build") is None
    (tmp_path / "tab_with_broken_import.py").write_text("import khong_co_goi_nay\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError):  # a broken tab must not vanish silently
        _optional_builder("tab_with_broken_import", "build")
