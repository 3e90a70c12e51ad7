"""Quiz test helpers: a small hand-written corpus and soundness checks of a quiz.

The mini corpus is made of real Clause/Document objects shaped like the parser's output for
the bundled plans (office headings with dash bullets, an inline "X chủ trì" clause, an
appendix table with task rows), so the generator can be tested without building an index;
the end-to-end tests use the real ``service`` fixture. ``check_quiz`` verifies every question
against its clause; it is handed to tests as a fixture.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

import pytest

from hoidap import vntext
from hoidap.types import Clause, ClauseKind, Document
from quiz import facts
from quiz.distractors import equivalent
from quiz.model import FactKind, Question, QuestionType, Quiz
from quiz.questions import TERM_KINDS

from ..plans import clause

COMMUNE = "a_xa_chi_minh.txt"
CITY = "b_hai_phong.txt"
COMMUNE_TITLE = "Kế hoạch của UBND xã Chí Minh"
CITY_TITLE = "Kế hoạch hành động của UBND thành phố Hải Phòng"


def _clause(source: str, path: str, text: str, kind: ClauseKind = ClauseKind.SECTION, **kw):
    """A clause of the mini corpus, its heading the first line of its text unless given."""
    heading = kw.pop("heading", text.split("\n")[0][:60])
    kw.setdefault("label", f"{path}. {heading}")
    title = COMMUNE_TITLE if source == COMMUNE else CITY_TITLE
    return clause(source, path, text, kind, doc_title=title, heading=heading, **kw)


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


def _norm(text: str) -> str:
    return vntext.normalize(text.replace("‘", "“").replace("’", "”"))


def said(clause: Clause) -> str:
    """Everything a clause says, in matching form."""
    return _norm(" \n ".join([clause.text, *clause.columns.values()]))


def supported(clause: Clause, term: str) -> bool:
    """The clause states ``term`` (normalised containment, abbreviations expanded)."""
    return _norm(term) in said(clause) or facts.office_key(term) in facts.office_key(
        " \n ".join([clause.text, clause.heading, *clause.columns.values()])
    )


def named_by(clause: Clause, kind: FactKind) -> list[str]:
    """Terms of ``kind`` the clause itself names (never allowed as wrong answers)."""
    if kind in (FactKind.OFFICE, FactKind.COORDINATE):
        return facts.leads(clause) + facts.coordinators(clause)
    if kind is FactKind.DEADLINE:
        return facts.deadlines(clause)
    if kind is FactKind.DOCUMENT:
        return [n.canonical for n in facts.doc_numbers(facts.task_text(clause))]
    return facts.percentages(facts.task_text(clause))


class Judge:
    """Decides by the clauses whether an answer of a question is right."""

    def __init__(self, clauses: Sequence[Clause]) -> None:
        self.clauses = [c for c in clauses if facts.askable(c)]
        self.by_id = {c.id: c for c in clauses}

    def _doc(self, source: str) -> list[Clause]:
        return [c for c in self.clauses if c.source == source]

    def _office_says(self, clause: Clause, phrase: str) -> bool:
        """Some clause of the plan that gives the clause's office a task states ``phrase``."""
        office = facts.leads(clause)[0]
        return any(
            _norm(phrase) in said(c)
            for c in self._doc(clause.source)
            if any(facts.same_office(office, n) for n in facts.leads(c) + facts.coordinators(c))
        )

    def _aims_say(self, clause: Clause, phrase: str) -> bool:
        words = _norm(phrase).split()
        windows = {" ".join(words[i : i + 5]) for i in range(max(len(words) - 4, 1))}
        aims = [said(c) for c in self._doc(clause.source) if _is_aim(c)]
        return any(w in text for w in windows for text in aims)

    def _plan_says(self, name: str, phrase: str, documents: dict[str, str]) -> bool:
        sources = [s for s, n in documents.items() if n == name]
        return any(_norm(phrase) in said(c) for s in sources for c in self._doc(s))

    def right(self, question: Question, clause: Clause, text: str, docs: dict[str, str]) -> bool:
        """``text`` is a right answer to ``question`` by its clause."""
        kind = question.fact
        if kind is FactKind.OFFICE:
            return any(facts.same_office(text, o) for o in facts.leads(clause))
        if kind is FactKind.COORDINATE:
            return any(facts.same_office(text, o) for o in facts.coordinators(clause))
        if kind in TERM_KINDS:
            return any(equivalent(kind, text, t) for t in named_by(clause, kind)) or (
                kind is not FactKind.DEADLINE and supported(clause, text)
            )
        if kind is FactKind.TASK:
            return self._office_says(clause, text)
        if kind is FactKind.GOAL:
            return self._aims_say(clause, text)
        claim = _QUOTE.findall(question.stem)[-1]
        return self._plan_says(text, claim, docs)

    def check(self, question: Question, docs: dict[str, str]) -> None:
        clause = self.by_id[question.clause_id]
        assert question.source == clause.source and question.clause_path == clause.path
        assert question.clause_text == clause.text
        check_readable(question)
        assert self.right(question, clause, question.answer, docs), (question.answer, clause)
        if question.fact in (FactKind.TASK, FactKind.GOAL, FactKind.PLAN):
            assert _norm(
                question.answer
                if question.fact is not FactKind.PLAN
                else _QUOTE.findall(question.stem)[-1]
            ) in said(clause)
        elif question.fact is not FactKind.COORDINATE:
            assert supported(clause, question.answer), (question.answer, clause.text)
        wrong = [o.text for o in question.options if not o.correct]
        if question.type is QuestionType.TRUEFALSE:
            assert question.truth is not None and not question.options
            if question.truth:
                assert not question.replacement
                assert _norm(question.answer) in _norm(question.stem) or facts.mentions_text(
                    question.stem, question.answer
                )
            else:
                assert _norm(question.replacement) in _norm(question.stem)
                wrong = [question.replacement]
        else:
            correct = [o for o in question.options if o.correct]
            if question.type is QuestionType.MCQ or question.options:
                assert len(correct) == 1 and correct[0].text == question.answer, question
                assert len(wrong) >= 2, question
            if question.fact in TERM_KINDS:
                assert not facts.mentions_text(question.stem, question.answer), question.stem
        assert len({_norm(w) for w in wrong}) == len(wrong)
        for text in wrong:
            assert not self.right(question, clause, text, docs), (text, question.stem)
            if question.fact in TERM_KINDS:
                assert not any(
                    equivalent(question.fact, text, o) for o in named_by(clause, question.fact)
                )
            if question.fact in (FactKind.OFFICE, FactKind.COORDINATE):
                assert not facts.mentions(clause, text), (text, clause.text)
                assert facts.office_level(text), text  # never a list such as "Các sở, ban, ngành"


def _is_aim(clause: Clause) -> bool:
    label = vntext.fold(vntext.normalize(clause.label))
    return any(word in label for word in ("muc dich", "yeu cau", "muc tieu"))


_ACRONYM = re.compile(r"^[A-ZĐ]{2,}[A-ZĐa-z/-]*$|^\d")


def check_readable(question: Question) -> None:
    """A whole sentence naming the plan: no heading, no fragment, no cut with "…"."""
    stem = question.stem
    assert "…" not in stem and "..." not in stem, stem
    assert stem[0].isupper() and stem.rstrip("”").endswith(("?", ".", "”")), stem
    assert stem.count("“") == stem.count("”") and stem.count("(") == stem.count(")"), stem
    assert len(stem.split()) >= 10, stem
    if question.fact is not FactKind.PLAN:
        assert question.document in stem, stem
    for quoted in _QUOTE.findall(stem):
        words = [w for w in re.findall(r"[\wÀ-ỹ]+", quoted) if not _ACRONYM.match(w)]
        capitals = sum(w.isupper() and len(w) > 1 for w in words)
        assert capitals <= len(words) // 3, f"heading quoted: {stem}"  # "MỤC ĐÍCH, YÊU CẦU"
        assert len(quoted.split()) >= 5 or question.type is QuestionType.CLOZE, stem
        last = quoted.rstrip(" ”’").split()[-1].lower() if quoted.strip() else ""
        assert last not in {"và", "của", "các", "với", "theo", "để", "trong", "cho"}, stem


def check_quiz(
    quiz: Quiz, clauses: Sequence[Clause], documents: dict[str, str] | None = None
) -> None:
    """Every question is readable and right by its clause; every wrong answer wrong by it;
    no duplicates. ``documents`` maps sources to the names stems use (default: the quiz's)."""
    docs = documents or {q.source: q.document for q in quiz.questions}
    judge = Judge(clauses)
    for question in quiz.questions:
        judge.check(question, docs)
    stems = [vntext.normalize(q.stem) for q in quiz.questions]
    assert len(set(stems)) == len(stems), "duplicate stems"
    ids = [q.id for q in quiz.questions]
    assert len(set(ids)) == len(ids)


@pytest.fixture(scope="session")
def quiz_checker() -> Callable[..., None]:
    """``check_quiz(quiz, clauses)``: asserts every question is sound by its clause."""
    return check_quiz


# GIFT reader -------------------------------------------------------------------------------


def _unescape_gift(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _gift_text(text: str) -> str:
    """A GIFT-escaped HTML text back to plain text."""
    return html.unescape(_unescape_gift(text))


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
        stem_raw = rest[: opening.start()].strip().removeprefix("[html]")
        assert not re.search(r"(?<!\\)[~=#{}:]", stem_raw), stem_raw
        inner = rest[opening.end() : closing]
        answers_raw, feedback = _split_unescaped(inner, "####")
        item: dict = {
            "title": _unescape_gift(title.group(1)),
            "stem": _gift_text(stem_raw),
            "feedback": _gift_text(feedback.strip()),
        }
        answer_lines = [ln.strip() for ln in answers_raw.strip().split("\n") if ln.strip()]
        if answer_lines in (["T"], ["F"]):
            item["truth"] = answer_lines == ["T"]
        else:
            item["answers"] = [(ln[0] == "=", _gift_text(ln[1:])) for ln in answer_lines]
        parsed.append(item)
    return parsed


@pytest.fixture(scope="session")
def gift_parser() -> Callable[[str], list[dict]]:
    """``parse_gift(text)``: the questions of a GIFT file (title, stem, answers, feedback)."""
    return parse_gift
