"""Structured questions: field filters on hand-made clauses, and the issue's list, count and
role questions end to end on the bundled corpus (with and without diacritics)."""

from __future__ import annotations

import re

import pytest

from hoidap.types import Clause, ClauseKind, Hit
from rag.query import analyze
from rag.structured import (
    FieldIndex,
    Role,
    deadline_keys,
    document_codes,
    expand_headings,
    parse_request,
)

from ..plans import clause
from .conftest import asked_both_ways, both_ways

PLAN = "a.txt"
OTHER = "b.txt"
HAI_PHONG = "004_868287148acd756b.txt"
THIEU_TRUNG = "003_26a0c6bdda95c869.txt"


def _clause(source: str, path: str, **fields) -> Clause:
    """A clause under the one its path names (I.1.a under I.1)."""
    return clause(source, path, parent_path=path.rpartition(".")[0], **fields)


def _row(path: str, lead: str, deadline: str, *coordinating: str) -> Clause:
    """A task row of the plan's appendix table."""
    return _clause(
        PLAN,
        path,
        kind=ClauseKind.TABLE_ROW,
        lead_offices=(lead,),
        coord_offices=coordinating,
        deadlines=(deadline,),
    )


@pytest.fixture(scope="module")
def index() -> FieldIndex:
    return FieldIndex(
        [
            _clause(PLAN, "I", kind=ClauseKind.PART, heading="TỔ CHỨC THỰC HIỆN"),
            _clause(PLAN, "I.1", lead_offices=("Sở Tư pháp", "Sở Nội vụ")),
            _clause(PLAN, "I.1.a", lead_offices=("Sở Nội vụ",), coord_offices=("Sở Tư pháp",)),
            _clause(PLAN, "I.2", lead_offices=("Sở Tư pháp",), deadlines=("Trong năm 2026",)),
            _row("PL.1", "Sở Tư pháp", "Tháng 11/2026", "UBND cấp xã"),
            _row("PL.2", "UBND cấp xã", "Thường xuyên"),
            _clause(OTHER, "II.3", lead_offices=("Sở Tư pháp",), deadlines=("Quý II/2027",)),
        ]
    )


def _paths(index: FieldIndex, question: str, offices=(), scope=()) -> list[str]:
    request = parse_request(analyze(question, offices=offices, scope=scope), index)
    assert request is not None, question
    return [index.clauses[p].path for p in index.select(request)]


def test_deadline_keys_cover_month_quarter_year_and_manner() -> None:
    assert deadline_keys("Tháng 11/2026") == {"11/2026", "q4/2026", "2026"}
    assert deadline_keys("Trước ngày 30/6/2026") == {"6/2026", "q2/2026", "2026"}
    assert deadline_keys("Quý III năm 2026") == {"q3/2026", "2026"}
    assert deadline_keys("Thường xuyên") == {"thuong xuyen"}
    assert deadline_keys("Khi có yêu cầu của Bộ Tư pháp") == {"khi co yeu cau"}


def test_filters_by_role_deadline_part_and_document(index: FieldIndex) -> None:
    assert _paths(index, "Sở Tư pháp chủ trì những nhiệm vụ nào?", ["Sở Tư pháp"]) == [
        "I.1",
        "I.2",
        "PL.1",
        "II.3",
    ]
    # the section I.1 gives way to its own point I.1.a, which names Sở Nội vụ too
    assert _paths(index, "Sở Nội vụ có những nhiệm vụ nào?", ["Sở Nội vụ"]) == ["I.1.a"]
    assert _paths(index, "Sở Tư pháp phối hợp những nhiệm vụ nào?", ["Sở Tư pháp"]) == ["I.1.a"]
    assert _paths(index, "nhung viec nao co han thang 11/2026") == ["PL.1"]
    assert _paths(index, "Những việc nào phải xong trong năm 2026?") == ["I.2", "PL.1"]
    assert _paths(index, "nhiệm vụ nào thực hiện thường xuyên") == ["PL.2"]
    assert _paths(index, "Các nhiệm vụ trong phụ lục có thời hạn thế nào?") == ["PL.1", "PL.2"]
    assert _paths(index, "Sở Tư pháp có những nhiệm vụ nào?", ["Sở Tư pháp"], [OTHER]) == ["II.3"]
    assert _paths(index, "phần tổ chức thực hiện giao việc cho những cơ quan nào") == [
        "I.1.a",
        "I.2",
    ]


def test_document_codes_and_the_clauses_citing_them() -> None:
    assert document_codes("Nghị quyết số 197/2025/QH15 và 289/2025/NĐ-CP, ngày 17/5/2025") == [
        "197/2025/qh15",
        "289/2025/nd-cp",
    ]
    index = FieldIndex(
        [
            _clause(PLAN, "I.1", text="Theo Nghị quyết số 197/2025/QH15 của Quốc hội."),
            _clause(PLAN, "I.2", text="Theo Nghị quyết số 66-NQ/TW."),
            _clause(OTHER, "II", text="Bố trí kinh phí theo Nghị quyết 197/2025/QH15."),
        ]
    )
    assert _paths(index, "những chỗ nào nhắc NQ 197/2025/QH15") == ["I.1", "II"]
    # a kind of document: every clause citing one, by the letters of its code
    assert _paths(index, "kế hoạch dẫn những nghị quyết nào") == ["I.1", "I.2", "II"]
    assert _paths(index, "kế hoạch dẫn những nghị định nào") == []
    # "kế hoạch nào" is a list only when a code says what is cited
    assert parse_request(analyze("Kế hoạch nào của UBND tỉnh?", offices=[]), index) is None


def test_a_heading_stands_for_its_points() -> None:
    heading = _clause(PLAN, "II.5", text="Giải pháp về nhân lực", heading="Giải pháp về nhân lực")
    points = [_clause(PLAN, f"II.5.{x}", text=f"Giải pháp {x} cụ thể.") for x in "abc"]
    other = _clause(PLAN, "II.6", text="Một nội dung khác đầy đủ.", heading="Một nội dung")
    index = FieldIndex([heading, *points, other])
    hits = [Hit(heading, 1.0), Hit(other, 0.5)]
    assert [h.clause.path for h in expand_headings(hits, index, limit=5)] == [
        "II.5.a",
        "II.5.b",
        "II.5.c",
        "II.6",
    ]


def test_roles_and_non_list_questions(index: FieldIndex) -> None:
    request = parse_request(
        analyze("Tôi là cán bộ Sở Nội vụ, tôi phải làm gì?", offices=["Sở Nội vụ"]), index
    )
    assert request is not None and request.role is Role.ANY and request.topic == ()
    count = parse_request(
        analyze("có bao nhiêu nhiệm vụ giao cho UBND cấp xã", offices=["UBND cấp xã"]), index
    )
    assert count is not None and count.count and count.role is Role.LEAD
    for question in ("Lương cơ sở năm 2026 là bao nhiêu?", "Sở Tư pháp chịu trách nhiệm gì?"):
        assert parse_request(analyze(question, offices=[]), index) is None, question


# ---- end to end ------------------------------------------------------------------------


def _rows(answer) -> list[str]:
    return [c.path for c in answer.citations]


@pytest.mark.e2e
@asked_both_ways("Thời hạn hoàn thành các nhiệm vụ trong phụ lục của Hải Phòng?")
def test_every_appendix_row_is_listed_with_its_deadline(answer) -> None:
    assert not answer.refused
    assert answer.answer.startswith("Có 17 nhiệm vụ trong phụ lục")
    assert _rows(answer) == [f"PL.{i}" for i in range(1, 18)]
    assert {c.source for c in answer.citations} == {HAI_PHONG}
    for deadline in ("Tháng 5/2026", "Tháng 11/2026", "Năm 2026", "Khi có yêu cầu của Bộ Tư pháp"):
        assert deadline in answer.answer
    assert [int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)] == list(range(1, 18))


LISTS = [  # (question, how its answer begins, the rows it cites)
    ("Sở Tư pháp phối hợp những nhiệm vụ nào?", "Có 1 nhiệm vụ có Sở Tư pháp phối hợp", ["PL.2"]),
    ("Có bao nhiêu nhiệm vụ giao cho UBND cấp xã?", "Có 1 nhiệm vụ do UBND cấp xã", ["PL.2"]),
    # the city's plan tasks every commune as "UBND cấp xã"
    ("UBND xã ở Hải Phòng được giao những việc gì?", "Có 1 nhiệm vụ do UBND cấp xã", ["PL.2"]),
    ("Việc nào có hạn tháng 11/2026?", "Có 1 nhiệm vụ có thời hạn tháng 11/2026", ["PL.5"]),
    ("Việc nào hạn rơi vào quý 2/2026?", "Có 1 nhiệm vụ có thời hạn quý II/2026", ["PL.4"]),
    (  # the one asking is part of the deadline, not an office to filter on
        "Những nhiệm vụ nào trong phụ lục làm khi có yêu cầu của Bộ Tư pháp?",
        "Có 6 nhiệm vụ có thời hạn khi có yêu cầu trong phụ lục",
        ["PL.3", "PL.12", "PL.13", "PL.14", "PL.15", "PL.16"],
    ),
    (
        "Phụ lục có những việc nào chỉ làm khi Bộ Tư pháp yêu cầu?",
        "Có 6 nhiệm vụ có thời hạn khi có yêu cầu trong phụ lục",
        ["PL.3", "PL.12", "PL.13", "PL.14", "PL.15", "PL.16"],
    ),
    (
        "Nhiệm vụ nào thực hiện thường xuyên?",
        "Có 3 nhiệm vụ có thời hạn thường xuyên",
        ["PL.1", "PL.6", "PL.17"],
    ),
    (
        "Những việc nào phải hoàn thành trong năm 2026?",
        "Có 4 nhiệm vụ có thời hạn năm 2026",
        ["III.2", "PL.2", "PL.4", "PL.5"],
    ),
]


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("answer", "intro", "rows"),
    [(q, intro, rows) for question, intro, rows in LISTS for q in both_ways(question)],
    indirect=["answer"],
)
def test_list_and_count_questions(answer, intro: str, rows: list[str]) -> None:
    assert not answer.refused
    assert answer.answer.startswith(intro), answer.answer
    assert _rows(answer) == rows


@pytest.mark.e2e
@asked_both_ways("Những chỗ nào trong các kế hoạch nhắc Nghị quyết 197/2025/QH15?")
def test_every_clause_citing_a_code_is_listed(answer) -> None:
    assert answer.answer.startswith("Có 5 điều khoản viện dẫn 197/2025/QH15")
    assert {c.source[:3] for c in answer.citations} == {"001", "003", "004"}
    assert all("197/2025/QH15" in c.text for c in answer.citations)


@pytest.mark.e2e
@asked_both_ways("KH của tỉnh dẫn những nghị định nào?")
def test_every_clause_citing_a_kind_of_document_is_listed(answer) -> None:
    assert answer.answer.startswith("Có 2 điều khoản viện dẫn nghị định:")
    assert {c.path for c in answer.citations} == {"II.3.a", "II.4.a"}
    assert all("NĐ-CP" in c.text for c in answer.citations)


@pytest.mark.e2e
@asked_both_ways("Xã Chí Minh có những giải pháp nào để tạo đột phá trong thi hành pháp luật?")
def test_the_items_of_a_topic_are_every_point_of_its_section_counted(answer) -> None:
    assert answer.answer.startswith("Mục «Tạo đột phá trong công tác thi hành pháp luật")
    assert "gồm 8 điểm:" in answer.answer.splitlines()[0]
    assert [c.path for c in answer.citations] == [f"III.3.{p}" for p in "abcdđegh"]


@pytest.mark.e2e
def test_a_cited_heading_is_answered_by_its_points(service) -> None:
    answer = service.ask("Phường ở Cần Thơ có những giải pháp gì về nhân lực làm pháp luật?")
    paths = [c.path for c in answer.citations]
    assert {"II.5.a", "II.5.b", "II.5.c", "II.5.d"} <= set(paths) and "II.5" not in paths
    assert "đủ tuổi nghỉ hưu" in answer.answer


@pytest.mark.e2e
def test_count_of_lead_tasks_mentions_the_coordinated_ones(service) -> None:
    answer = service.ask("Có bao nhiêu nhiệm vụ giao cho UBND cấp xã?")
    assert "UBND cấp xã phối hợp thực hiện 16 nhiệm vụ khác" in answer.answer


@pytest.mark.e2e
@asked_both_ways("Tôi là cán bộ Phòng Kinh tế xã Thiệu Trung, tôi phải làm gì?")
def test_role_question_resolves_office_and_place(answer) -> None:
    assert not answer.refused
    # its own duties first, then those of every department ("Các phòng, ban, cơ quan, đơn vị")
    assert [(c.source, c.path) for c in answer.citations][0] == (THIEU_TRUNG, "III.4")
    assert {c.path for c in answer.citations} == {"III.4", "III.2", "III.3"}
    assert "bảo đảm nguồn kinh phí" in answer.answer


@pytest.mark.e2e
@asked_both_ways("Tôi là giám đốc Sở Xây dựng Hải Phòng, kế hoạch bổ sung giao sở tôi những gì?")
def test_a_department_tasked_only_as_one_of_a_collective_gets_the_collective(answer) -> None:
    assert not answer.refused
    assert "không giao việc riêng cho Sở Xây dựng" in answer.notice
    assert "các sở, ban, ngành thành phố, chính quyền địa phương rà soát" in answer.answer


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("question", "office"),
    [
        ("Sở Xây dựng Hải Phòng được giao nhiệm vụ gì?", "Sở Xây dựng"),
        ("Phòng Nội vụ xã Chí Minh làm gì?", "Phòng Nội vụ"),  # "Minh làm" is no "mình làm"
    ],
)
def test_a_department_no_plan_names_is_refused_when_not_asked_as_a_role(
    service, question, office
) -> None:
    answer = service.ask(question)
    assert answer.refused and office in answer.answer


@pytest.mark.e2e
@pytest.mark.parametrize(
    "question",
    [
        "Tôi là thủ trưởng một cơ quan chuyên môn thuộc UBND xã Thiệu Trung, tôi phải làm gì?",
        "toi la truong mot phong chuyen mon o ubnd xa thieu trung thi phai lam nhung gi",
    ],
)
def test_a_department_named_by_its_kind_gets_the_collective(service, question) -> None:
    answer = service.ask(question)
    assert not answer.refused
    assert "giao chung cho các phòng, ban, ngành" in answer.notice
    assert "Thủ trưởng các phòng, ban, cơ quan, đơn vị tập trung" in answer.answer


@pytest.mark.e2e
def test_a_filter_nothing_matches_says_so(service) -> None:
    answer = service.ask("Việc nào có hạn tháng 12/2030?")
    assert answer.refused and not answer.citations
    assert answer.answer.startswith("Không có nhiệm vụ nào có thời hạn tháng 12/2030")
