"""Quiz test helpers: a small hand-written corpus and soundness checks of a quiz.

The mini corpus is made of real Clause/Document objects shaped like the parser's output for
the bundled plans (office headings with dash bullets, an inline "X chủ trì" clause, an
appendix table with task rows), so the generator can be tested without building an index;
the end-to-end tests use the real ``service`` fixture. ``check_quiz`` verifies every question
against its clause; it is handed to tests as a fixture (tests are imported with importlib,
so they cannot import a helper module).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

import pytest

from hoidap import vntext
from hoidap.types import Clause, ClauseKind, Document
from quiz import facts
from quiz.distractors import equivalent
from quiz.model import BLANK, FactKind, Question, QuestionType, Quiz

COMMUNE = "a_xa_chi_minh.txt"
CITY = "b_hai_phong.txt"
COMMUNE_TITLE = "Kế hoạch của UBND xã Chí Minh"
CITY_TITLE = "Kế hoạch hành động của UBND thành phố Hải Phòng"


def _clause(source: str, path: str, text: str, kind: ClauseKind = ClauseKind.SECTION, **kw):
    title = COMMUNE_TITLE if source == COMMUNE else CITY_TITLE
    heading = kw.pop("heading", text.split("\n")[0][:60])
    return Clause(
        id=f"{source}#{path}",
        source=source,
        doc_title=title,
        path=path,
        label=kw.pop("label", f"{path}. {heading}"),
        text=text,
        kind=kind,
        order=kw.pop("order", 0),
        heading=heading,
        **kw,
    )


def _row(number: int, task: str, lead: str, deadline: str) -> Clause:
    columns = {
        "task": task,
        "lead": lead,
        "coordinate": "Các sở, ban, ngành và UBND cấp xã",
        "result": "Báo cáo",
        "deadline": deadline,
    }
    return _clause(
        CITY,
        f"PL.{number}",
        task,
        ClauseKind.TABLE_ROW,
        heading=task[:40],
        label=f"Phụ lục › {number}. {task[:40]}",
        lead_offices=(lead,),
        coord_offices=("Các sở, ban, ngành", "UBND cấp xã"),
        deadlines=(deadline,),
        columns=columns,
    )


def build_documents() -> list[Document]:
    """The two documents of the mini corpus."""
    return [
        Document(
            source=COMMUNE,
            title="Kế hoạch thực hiện Nghị quyết",
            kind="Kế hoạch",
            issuer="UBND xã Chí Minh",
            clause_count=9,
        ),
        Document(
            source=CITY,
            title="Kế hoạch hành động bổ sung nhiệm vụ",
            kind="Kế hoạch hành động",
            issuer="UBND thành phố Hải Phòng",
            clause_count=12,
        ),
    ]


def build_clauses() -> list[Clause]:
    """The clauses of the mini corpus, in document order."""
    commune = [
        _clause(
            COMMUNE,
            "MD",
            "KẾ HOẠCH\nThực hiện Nghị quyết số 140/NQ-CP ngày 17/5/2025",
            ClauseKind.PREAMBLE,
        ),
        _clause(
            COMMUNE,
            "III.1.a",
            "Quán triệt, phổ biến đầy đủ Nghị quyết số 66-NQ/TW, Nghị quyết số 140/NQ-CP và "
            "Chương trình hành động số 06-CTr/TU, đa dạng hóa các hình thức truyền thông qua "
            "phát thanh, các nền tảng số, mạng xã hội và các phương tiện điện tử khác.",
            ClauseKind.POINT,
        ),
        _clause(
            COMMUNE,
            "III.5.c",
            "Tổ chức các lớp tập huấn chuyên sâu cho công chức tham mưu xây dựng pháp luật, "
            "đảm bảo 100% cán bộ làm công tác tham mưu xây dựng pháp luật trên địa bàn được "
            "bồi dưỡng, tập huấn, cập nhật kiến thức.",
            ClauseKind.POINT,
        ),
        _clause(
            COMMUNE,
            "III.7.a",
            "Áp dụng cơ chế, chính sách đặc biệt đúng đối tượng, công khai, minh bạch, hiệu "
            "quả, tiết kiệm trong thực hiện cơ chế, chính sách đặc biệt quy định tại Nghị "
            "quyết số 197/2025/QH15 về một số cơ chế, chính sách đặc biệt tạo đột phá.",
            ClauseKind.POINT,
        ),
        _clause(
            COMMUNE,
            "IV.2",
            "Phòng Kinh tế\n- Cân đối, bố trí chi thường xuyên trong dự toán ngân sách nhà "
            "nước hằng năm để triển khai thực hiện các nhiệm vụ, giải pháp của Kế hoạch này "
            "theo quy định.\n- Chủ trì tham mưu, đề xuất cơ chế phân bổ, quản lý và sử dụng "
            "ngân sách dành cho công tác xây dựng, tổ chức thi hành pháp luật.",
            heading="Phòng Kinh tế",
            lead_offices=("Phòng Kinh tế",),
        ),
        _clause(
            COMMUNE,
            "IV.3",
            "Phòng Văn hóa - Xã hội\nChủ trì, phối hợp với các cơ quan liên quan tiếp tục rà "
            "soát, tham mưu UBND xã đề nghị cấp có thẩm quyền hoàn thiện các quy định về "
            "tuyển dụng, sử dụng, quản lý cán bộ, công chức.",
            heading="Phòng Văn hóa - Xã hội",
            lead_offices=("Phòng Văn hóa - Xã hội",),
        ),
        _clause(
            COMMUNE,
            "IV.4",
            "Văn Phòng HĐND và UBND\n- Tham mưu UBND xã: Theo dõi, hướng dẫn, kiểm tra việc "
            "thực hiện công tác theo dõi thi hành pháp luật, truyền thông chính sách.\n- Chủ "
            "trì, phối hợp với các cơ quan có liên quan theo dõi, đôn đốc, tổng hợp kết quả "
            "sơ kết, tổng kết việc thực hiện Kế hoạch này.",
            heading="Văn Phòng HĐND và UBND",
            lead_offices=("Văn phòng HĐND và UBND",),
        ),
        _clause(
            COMMUNE,
            "IV.5",
            "Công an xã chủ trì, phối hợp với Phòng Kinh tế bảo đảm an ninh, trật tự trong tổ "
            "chức thi hành pháp luật trên địa bàn xã, hoàn thành trước ngày 30/6/2026.",
            heading="Công an xã chủ trì, phối hợp với Phòng Kinh tế",
            lead_offices=("Công an xã",),
            coord_offices=("Phòng Kinh tế",),
            deadlines=("Trước ngày 30/6/2026",),
        ),
        _clause(
            COMMUNE,
            "KT",
            "Trên đây là Kế hoạch của UBND xã./.\nNơi nhận:\n- Sở Tư pháp TP;",
            ClauseKind.CLOSING,
        ),
    ]
    city = [
        _clause(
            CITY,
            "III.1",
            "Sở Tư pháp\n- Hướng dẫn trình tự, thủ tục xây dựng văn bản quy phạm pháp luật "
            "theo thẩm quyền; nâng cao chất lượng thẩm định dự thảo văn bản.\n- Tổ chức tập "
            "huấn, bồi dưỡng, hướng dẫn nghiệp vụ cho người làm công tác pháp chế theo quy định.",
            heading="Sở Tư pháp",
            lead_offices=("Sở Tư pháp",),
        ),
        _clause(
            CITY,
            "III.2.a",
            "Sở Tài chính:\n- Chủ trì tham mưu, đề xuất cơ chế phân bổ, quản lý và sử dụng kinh "
            "phí từ ngân sách nhà nước dành cho công tác xây dựng, tổ chức thi hành pháp luật.",
            ClauseKind.POINT,
            heading="Sở Tài chính:",
            lead_offices=("Sở Tài chính",),
        ),
        _clause(
            CITY,
            "III.2.b",
            "Sở Nội vụ: Phối hợp với các sở, ban, ngành thực hiện rà soát, quyết định chuyển "
            "ngạch cho công chức đang thực hiện công tác pháp chế sang ngạch pháp chế viên.",
            ClauseKind.POINT,
            heading="Sở Nội vụ:",
            lead_offices=("Sở Nội vụ",),
        ),
        _clause(
            CITY,
            "I.1.b",
            "Bổ sung các nhiệm vụ, giải pháp trọng tâm theo Chương trình hành động của Chính "
            "phủ theo Nghị quyết số 97/NQ-CP ngày 06/4/2026 gắn với chức năng, nhiệm vụ.",
            ClauseKind.POINT,
        ),
        _row(
            1,
            "Tổ chức triển khai thực hiện, cụ thể hóa các cơ chế, chính sách thể chế hoá "
            "Nghị quyết số 68-NQ/TW của Bộ Chính trị về phát triển kinh tế tư nhân",
            "Sở Tài chính",
            "Theo chỉ đạo của các cơ quan Trung ương",
        ),
        _row(
            2,
            "Tổ chức triển khai thực hiện, cụ thể hóa các cơ chế, chính sách thể chế hoá "
            "Nghị quyết số 71-NQ/TW ngày 22/8/2025 của Bộ Chính trị về đột phá phát triển "
            "giáo dục và đào tạo",
            "Sở Giáo dục và Đào tạo",
            "Năm 2026",
        ),
        _row(
            3,
            "Tổ chức triển khai thực hiện, cụ thể hóa các cơ chế, chính sách thể chế hoá "
            "Nghị quyết số 72-NQ/TW của Bộ Chính trị về bảo vệ, chăm sóc và nâng cao sức "
            "khỏe nhân dân",
            "Sở Y tế",
            "Quý II/2026",
        ),
        _row(
            4,
            "Báo cáo đánh giá thực trạng và đề xuất giải pháp hoàn thiện hệ thống pháp luật "
            "từ thực tiễn thành phố Hải Phòng",
            "Sở Tư pháp",
            "Tháng 5/2026",
        ),
        _row(
            5,
            "Tham mưu Ủy ban nhân dân thành phố tổ chức thực hiện Kế hoạch triển khai tổng "
            "rà soát hệ thống văn bản quy phạm pháp luật",
            "Sở Tư pháp",
            "Tháng 11/2026",
        ),
        _row(
            6,
            "Tổ chức triển khai thực hiện, cụ thể hóa các cơ chế, chính sách thể chế hoá "
            "Nghị quyết số 80-NQ/TW ngày 07/01/2026 của Bộ Chính trị về phát triển văn hóa "
            "Việt Nam",
            "Sở Văn hóa, Thể thao và Du lịch",
            "Thường xuyên",
        ),
        _row(
            7,
            "Phối hợp với Bộ Tư pháp nghiên cứu giải pháp tạo đột phá trong công tác tổ "
            "chức thi hành pháp luật",
            "Sở Tư pháp",
            "Khi có yêu cầu của Bộ Tư pháp",
        ),
        _row(
            8,
            "Tham mưu bố trí kinh phí thực hiện các cơ chế, chính sách đặc biệt theo Nghị "
            "định số 289/2025/NĐ-CP ngày 06/11/2025 của Chính phủ",
            "Sở Tài chính",
            "Thường xuyên",
        ),
    ]
    return [replace(c, order=i) for i, c in enumerate(commune + city)]


@pytest.fixture(scope="session")
def mini_documents() -> list[Document]:
    return build_documents()


@pytest.fixture(scope="session")
def mini_clauses() -> list[Clause]:
    return build_clauses()


@pytest.fixture(scope="session")
def mini_sources() -> tuple[str, str]:
    """The sources of the mini corpus: (commune plan, city plan)."""
    return COMMUNE, CITY


# soundness checks -------------------------------------------------------------------------

_QUOTE = re.compile(r"“([^”]*)”")


def stated(clause: Clause) -> str:
    """Everything a clause says, in matching form (abbreviations expanded)."""
    return facts.office_key(" \n ".join([clause.text, clause.heading, *clause.columns.values()]))


def supported(clause: Clause, term: str) -> bool:
    """The clause states ``term`` (checked as the brief says: normalised containment)."""
    return vntext.normalize(term) in vntext.normalize(
        " ".join([clause.text, *clause.columns.values()])
    ) or facts.office_key(term) in stated(clause)


def other_answers(clause: Clause, kind: FactKind) -> list[str]:
    """Terms of ``kind`` the clause itself names (never allowed as distractors)."""
    if kind is FactKind.OFFICE:
        return facts.leads(clause) + facts.coordinators(clause)
    if kind is FactKind.DEADLINE:
        return facts.deadlines(clause)
    if kind is FactKind.DOCUMENT:
        return [n.canonical for n in facts.doc_numbers(facts.task_text(clause))]
    return facts.percentages(facts.task_text(clause))


def check_mcq(question: Question, clause: Clause) -> None:
    correct = [o for o in question.options if o.correct]
    wrong = [o.text for o in question.options if not o.correct]
    assert len(correct) == 1, question
    assert correct[0].text == question.answer
    assert len(wrong) >= 3 and len({vntext.normalize(w) for w in wrong}) == len(wrong), question
    assert supported(clause, question.answer), (question.answer, clause.text)
    for text in wrong:
        assert not equivalent(question.fact, text, question.answer), (text, question)
        assert not any(
            equivalent(question.fact, text, o) for o in other_answers(clause, question.fact)
        )
        if question.fact is FactKind.OFFICE:
            assert not facts.mentions(clause, text), (text, clause.text)
            assert facts.office_level(text), text  # never a list such as "Các sở, ban, ngành"
    assert not facts.mentions_text(question.stem, question.answer), question.stem


def check_truefalse(question: Question, clause: Clause) -> None:
    assert question.truth is not None and not question.options
    assert supported(clause, question.answer), (question.answer, clause.text)
    if question.truth:
        assert question.replacement == ""
        assert facts.mentions_text(question.stem, question.answer) or (
            vntext.normalize(question.answer) in vntext.normalize(question.stem)
        )
    else:
        assert question.replacement
        assert not supported(clause, question.replacement), (question.replacement, clause.text)
        assert not equivalent(question.fact, question.replacement, question.answer)
        assert vntext.normalize(question.replacement) in vntext.normalize(question.stem)


def check_cloze(question: Question, clause: Clause) -> None:
    assert question.stem.count(BLANK) == 1
    assert supported(clause, question.answer)
    quote = _QUOTE.search(question.stem)
    assert quote, question.stem
    filled = quote.group(1).replace(BLANK, question.answer).strip("…")
    filled = filled.replace("‘", "“").replace("’", "”")  # inner quotes are made single
    source = vntext.collapse(" ".join([clause.text, *clause.columns.values()]))
    assert vntext.normalize(filled) in vntext.normalize(source), (filled, source)
    if question.options:
        check_mcq(question, clause)


def check_quiz(quiz: Quiz, clauses: Sequence[Clause]) -> None:
    """Every question is sound by its clause; no duplicates."""
    by_id = {c.id: c for c in clauses}
    for question in quiz.questions:
        clause = by_id[question.clause_id]
        assert question.source == clause.source and question.clause_path == clause.path
        assert question.clause_text == clause.text
        if question.type is QuestionType.MCQ:
            check_mcq(question, clause)
        elif question.type is QuestionType.TRUEFALSE:
            check_truefalse(question, clause)
        else:
            check_cloze(question, clause)
    stems = [vntext.normalize(q.stem) for q in quiz.questions]
    assert len(set(stems)) == len(stems), "duplicate stems"
    ids = [q.id for q in quiz.questions]
    assert len(set(ids)) == len(ids)


@pytest.fixture(scope="session")
def quiz_checker() -> Callable[[Quiz, Sequence[Clause]], None]:
    """``check_quiz(quiz, clauses)``: asserts every question is sound by its clause."""
    return check_quiz


# GIFT reader -------------------------------------------------------------------------------


def _unescape_gift(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _split_unescaped(text: str, sep: str) -> list[str]:
    return re.split(rf"(?<!\\){re.escape(sep)}", text)


def parse_gift(text: str) -> list[dict]:
    """A small GIFT reader for the subset the exporter writes."""
    parsed = []
    for block in text.strip().split("\n\n"):
        lines = [ln for ln in block.split("\n") if not ln.startswith(("//", "$CATEGORY"))]
        if not lines:
            continue
        body = "\n".join(lines)
        title = re.match(r"::((?:\\.|[^:\\])*)::", body)
        assert title, body
        rest = body[title.end() :]
        opening = re.search(r"(?<!\\)\{", rest)
        closing = [m.start() for m in re.finditer(r"(?<!\\)\}", rest)][-1]
        stem_raw = rest[: opening.start()].strip()
        assert not re.search(r"(?<!\\)[~=#{}:]", stem_raw), stem_raw
        inner = rest[opening.end() : closing]
        answers_raw, feedback = _split_unescaped(inner, "####")
        item: dict = {
            "title": _unescape_gift(title.group(1)),
            "stem": _unescape_gift(stem_raw),
            "feedback": _unescape_gift(feedback.strip()),
        }
        answer_lines = [ln.strip() for ln in answers_raw.strip().split("\n") if ln.strip()]
        if answer_lines in (["T"], ["F"]):
            item["truth"] = answer_lines == ["T"]
        else:
            item["answers"] = [(ln[0] == "=", _unescape_gift(ln[1:])) for ln in answer_lines]
        parsed.append(item)
    return parsed


@pytest.fixture(scope="session")
def gift_parser() -> Callable[[str], list[dict]]:
    """``parse_gift(text)``: the questions of a GIFT file (title, stem, answers, feedback)."""
    return parse_gift
