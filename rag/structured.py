"""Structured questions over clause fields: every clause matching an office, role, deadline,
document or part, counted and cited.

"Sở Tư pháp chủ trì những nhiệm vụ nào trong phụ lục?", "việc nào có hạn tháng 11/2026?",
"có bao nhiêu nhiệm vụ giao cho UBND cấp xã?" want the complete list and its size, not the
top k of a ranking. A ``FieldIndex``, built once per index generation, maps each field value
to the positions of the clauses carrying it; a question's filters select by set intersection,
so answering never walks over every clause. Words left over once the filters are read (a
topic: "về kinh tế tư nhân") narrow the list by the clause's own terms.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property

from hoidap import vntext
from hoidap.config import Tuning
from hoidap.types import Clause, ClauseKind, Document, Hit
from hoidap.vocab import Vocabulary, kind_key, reference_kind
from index.metadata import sentence_case
from prompts import render
from rag.answer import Composed, by_document, statement
from rag.query import Query
from rag.retrieve import LexicalIndex

APPENDIX = "PL"  # path prefix of appendix rows

# compared on the question folded to plain letters
_TASK = r"(?:nhiem vu|viec|cong viec|dau viec|hang muc|noi dung)"
_OFFICE_WORD = r"(?:co quan|don vi|phong|so|ban|nganh)"
# "which places / plans cite NQ 197/2025/QH15": a list only when the question names a code
_WHERE = re.compile(
    r"\b(?:(?:nhung|cac) (?:cho|dieu khoan|ke hoach|kh|van ban) nao|(?:ke hoach|kh) nao)\b"
)
_LIST = re.compile(
    rf"\b(?:(?:nhung|cac|tat ca)\s+{_TASK}|{_TASK}\s+nao|liet ke"
    rf"|(?:nhung|cac)\s+{_OFFICE_WORD}\s+nao|(?:bao nhieu|may)\s+{_TASK})\b"
)
_COUNT = re.compile(rf"\b(?:bao nhieu|may)\s+{_TASK}\b")
# "kế hoạch dẫn những nghị định nào": every clause citing a document of that kind
_CODE_KINDS = {
    "nghi dinh": "nghị định",
    "nghi quyet": "nghị quyết",
    "quyet dinh": "quyết định",
    "thong tu": "thông tư",
    "chi thi": "chỉ thị",
    "ket luan": "kết luận",
    "luat": "luật",
}
_KIND_LISTED = re.compile(rf"\b(?:nhung|cac)\s+({'|'.join(_CODE_KINDS)})\s+nao\b")
# "tôi là …", "mình làm ở …" (not the "Minh" of "xã Chí Minh làm gì")
_ROLE = re.compile(
    r"\b(?:toi|em|(?<!chi )minh|chung toi)\s+(?:la|lam|dang lam|cong tac|o)\b|\bso minh\b"
)
_PARENT = re.compile(r"\b(?:truc )?thuoc (?:ubnd|hdnd|uy ban nhan dan|hoi dong nhan dan)\b")
_ASKS_OFFICES = re.compile(rf"\b{_OFFICE_WORD}\s+nao\b|\bai\s+chu tri\b")
_ASKS_DEADLINE = re.compile(
    r"\b(?:thoi han|han chot|khi nao|bao gio|thoi gian hoan thanh|co han|phai xong)\b"
)
_APPENDIX = re.compile(r"\bphu luc\b")
_PART = re.compile(r"\b(?:phan|muc)\s+([ivx]+\b|[a-z][a-z ,]+)")
_MONTH = re.compile(r"\b(?:thang\s+)?(\d{1,2})\s*(?:/|nam)\s*(\d{4})\b")
_YEAR = re.compile(r"\b(?:nam|trong)\s+(\d{4})\b")
_QUARTER = re.compile(r"\bquy\s+(iv|iii|ii|i|[1-4])\s*(?:/|nam)\s*(\d{4})\b")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_ROMAN = ("I", "II", "III", "IV")
_MONTH_DEADLINE = re.compile(r"\b(\d{1,2})/(\d{4})\b")
_CODE = re.compile(r"\b\d{1,4}(?:/\d{4})?(?:[-/][A-Za-zĐđ]{1,6}\d{0,3})+\b")
_YEARS = re.compile(r"\b((?:19|20)\d{2})\b")
# deadlines that are a manner rather than a date, folded key -> label
_MANNERS = {
    "thuong xuyen": "thường xuyên",
    "hang nam": "hằng năm",
    "dinh ky": "định kỳ",
    "khi co yeu cau": "khi có yêu cầu",
    "theo chi dao": "theo chỉ đạo",
}
_ASKED_BY = re.compile(r"\bkhi\s+(?!co\s+yeu\s+cau)(?:\S+\s+){1,5}?(?:co\s+)?yeu cau\b")
# words that only say what is being listed; what remains is a topic
_FRAME = frozenset(
    """nhiem vu viec cong dau hang muc noi dung nao nhung cac tat ca liet ke bao nhieu may co
    giao cho chu tri phoi hop thoi han han chot hoan thanh thuc hien phai xong lam gi khi bao
    gio trong phu luc theo ke hoach kh van ban nam thang thuong xuyen dinh ky yeu cau chi dao
    toi em minh la cong tac o can bo thuoc duoc phan ai don vi co quan phong so ban nganh
    phan muc gian tham gia lien quan cua tai chung cap roi vao quy""".split()
)


# words around a cited code ("những chỗ nào nhắc NQ 197/2025/QH15")
_CITING = frozenset(
    """nhac den toi vien dan cho dieu khoan nq nghi quyet qd dinh kl ket luan ctr chuong
    trinh""".split()
)


class Role(StrEnum):
    """Which assignment of an office a question asks about."""

    LEAD = "lead"
    COORDINATE = "coordinate"
    ANY = "any"


@dataclass(frozen=True)
class DeadlineFilter:
    key: str  # index key: "11/2026", "2026", "thuong xuyen"
    label: str  # as shown: "tháng 11/2026", "năm 2026", "thường xuyên"


@dataclass(frozen=True)
class ListRequest:
    """What a list or count question filters on and which fields it wants to see."""

    offices: tuple[str, ...] = ()
    role: Role = Role.ANY
    deadline: DeadlineFilter | None = None
    appendix: bool = False
    parts: tuple[tuple[str, str], ...] = ()  # (source, part path) named by heading or numeral
    part_label: str = ""
    sources: tuple[str, ...] = ()  # documents named, intersected with the user's filter
    topic: tuple[str, ...] = ()  # folded leftover content words
    count: bool = False
    role_question: bool = False  # "tôi là …, tôi phải làm gì"
    asks_deadline: bool = False
    asks_offices: bool = False
    codes: tuple[str, ...] = ()  # document codes the clauses must cite ("197/2025/qh15")
    code_kind: str = ""  # a kind of document the clauses must cite ("nghi dinh"), folded


def _folded(text: str) -> str:
    return vntext.fold(vntext.normalize(text))


def document_codes(text: str) -> list[str]:
    """Codes of the documents a text cites, lower case: "197/2025/qh15", "66-nq/tw"."""
    return vntext.unique(vntext.fold(m.lower()) for m in _CODE.findall(text))


def deadline_keys(deadline: str) -> set[str]:
    """Index keys of one deadline: its month ("11/2026"), quarter ("q4/2026"), year ("2026")
    and manner."""
    folded = _folded(deadline)
    months = [(int(m), y) for m, y in _MONTH_DEADLINE.findall(folded) if 1 <= int(m) <= 12]
    keys = {f"{m}/{y}" for m, y in months}
    keys |= {f"q{(m - 1) // 3 + 1}/{y}" for m, y in months}  # the quarter it falls in
    keys |= {f"q{_QUARTERS[q]}/{y}" for q, y in _QUARTER.findall(folded)}
    keys |= set(_YEARS.findall(folded))
    keys |= {key for key in _MANNERS if key in folded}
    return keys


class FieldIndex:
    """Field value -> clause positions (in ``clauses`` order), built once per generation."""

    def __init__(self, clauses: Sequence[Clause]) -> None:
        self.clauses = clauses
        self.lead: dict[str, set[int]] = defaultdict(set)
        self.coordinate: dict[str, set[int]] = defaultdict(set)
        self.deadline: dict[str, set[int]] = defaultdict(set)
        self.source: dict[str, set[int]] = defaultdict(set)
        self.part: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.part_names: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.part_headings: dict[str, str] = {}  # folded heading -> heading as written
        self.assigned: set[int] = set()  # clauses naming a lead or coordinating office
        self.codes: dict[str, set[int]] = defaultdict(set)  # "66-nq/tw" -> clauses citing it
        self._position = {(c.source, c.path): i for i, c in enumerate(clauses)}
        self._children: dict[tuple[str, str], list[int]] = defaultdict(list)
        for pos, clause in enumerate(clauses):
            self.source[clause.source].add(pos)
            if clause.parent_path:
                self._children[(clause.source, clause.parent_path)].append(pos)
            top = clause.path.split(".")[0]
            self.part[(clause.source, top)].add(pos)
            if clause.kind is ClauseKind.PART and clause.heading:
                self.part_names[_folded(clause.heading)].add((clause.source, top))
                self.part_headings.setdefault(_folded(clause.heading), clause.heading)
            for office in clause.lead_offices:
                self.lead[office].add(pos)
            for office in clause.coord_offices:
                self.coordinate[office].add(pos)
            for code in document_codes(clause.text):
                self.codes[code].add(pos)
            if clause.offices:
                self.assigned.add(pos)
            for deadline in clause.deadlines:
                for key in deadline_keys(deadline):
                    self.deadline[key].add(pos)

    def select(self, request: ListRequest) -> list[int]:
        """Positions of the clauses matching every filter, in document order, a clause
        dropped when one of its own points matches too (the point is more specific)."""
        sets: list[set[int]] = []
        if request.offices:
            lead = set().union(*(self.lead.get(o, set()) for o in request.offices))
            coordinate = set().union(*(self.coordinate.get(o, set()) for o in request.offices))
            sets.append(
                {Role.LEAD: lead, Role.COORDINATE: coordinate - lead, Role.ANY: lead | coordinate}[
                    request.role
                ]
            )
        elif request.asks_offices and not (request.codes or request.code_kind):
            sets.append(self.assigned)
        if request.deadline:
            sets.append(self.deadline.get(request.deadline.key, set()))
        for code in request.codes:
            sets.append(self.codes.get(code, set()))
        if request.code_kind:
            sets.append(self.code_kinds.get(kind_key(request.code_kind), set()))
        if request.sources:
            sets.append(set().union(*(self.source.get(s, set()) for s in request.sources)))
        if request.appendix:
            sets.append(
                set().union(
                    *(v for (_, top), v in self.part.items() if top == APPENDIX),
                )
            )
        if request.parts:
            sets.append(set().union(*(self.part.get(p, set()) for p in request.parts)))
        if not sets:
            return []
        chosen = set.intersection(*sorted(sets, key=len))
        if request.appendix:  # the rows, not the appendix heading
            chosen = {p for p in chosen if self.clauses[p].kind is ClauseKind.TABLE_ROW}
        parents = {self._parent(p) for p in chosen}
        return sorted(p for p in chosen if p not in parents)

    @cached_property
    def code_kinds(self) -> dict[str, set[int]]:
        """Kind of document ("nghiquyet") -> clauses citing one by number; read on the first
        question that needs it, not when the index loads."""
        vocabulary = Vocabulary.bundled()
        kinds: dict[str, set[int]] = defaultdict(set)
        for pos, clause in enumerate(self.clauses):
            for reference in vocabulary.references(clause.text):
                kinds[reference_kind(reference)].add(pos)
        return kinds

    def clause_at(self, source: str, path: str) -> Clause | None:
        position = self._position.get((source, path))
        return None if position is None else self.clauses[position]

    def children(self, clause: Clause) -> list[Clause]:
        """The clauses directly under ``clause`` (its points or rows), in document order."""
        return [self.clauses[p] for p in self._children.get((clause.source, clause.path), ())]

    def _parent(self, position: int) -> int | None:
        clause = self.clauses[position]
        return self._position.get((clause.source, clause.parent_path))

    def tasking(self, office: str) -> set[int]:
        """Positions of the clauses making ``office`` lead or coordinate."""
        return self.lead.get(office, set()) | self.coordinate.get(office, set())

    def of_documents(self, sources: Sequence[str]) -> set[int]:
        """Positions of the clauses of the documents ``sources``."""
        return set().union(*(self.source[s] for s in sources))

    def role_of(self, position: int, offices: Sequence[str]) -> Role:
        """Whether the clause makes one of the offices lead or only coordinate."""
        if any(position in self.lead.get(o, ()) for o in offices):
            return Role.LEAD
        return Role.COORDINATE


# the collective name a department belongs to, when a plan tasks the collective only
_GROUPS = {"Sở ": "Các sở, ban, ngành", "Phòng ": "Các phòng, ban, ngành"}


# a department named by its kind only: "một phòng chuyên môn", "1 sở", "sở chuyên ngành"
_SOME_DEPARTMENT = re.compile(
    r"\b(?:mot|1)\s+(phong|so)\b|\b(phong|so)\s+chuyen\s+(?:mon|nganh)\b"
    r"|\b(co quan) chuyen mon\b"
)
_KINDS = {"phong": "Phòng ", "co quan": "Phòng ", "so": "Sở "}


def _group_of(office: str) -> str:
    """The collective a department belongs to ("Sở Y tế" → "Các sở, ban, ngành"), or ""."""
    return next((g for kind, g in _GROUPS.items() if office.startswith(kind)), "")


def group_for_role(
    query: Query, office: str | None, index: FieldIndex, *, docs: Sequence[str] = ()
) -> str | None:
    """For "tôi là giám đốc Sở Xây dựng, tôi phải làm gì" when no plan names Sở Xây dựng
    (``office``), or "tôi là trưởng một phòng chuyên môn": the collective ("Các sở, ban,
    ngành") that plans of ``docs`` (all when empty) task."""
    folded = _folded(query.text)
    if not _ROLE.search(folded):
        return None
    if office is None:
        some = _SOME_DEPARTMENT.search(folded)
        office = _KINDS[next(g for g in some.groups() if g)] if some else ""
    group = _group_of(office)
    tasked = index.tasking(group) if group else set()
    within = index.of_documents(docs) if docs else tasked
    return group if tasked & within else None


def parse_request(
    query: Query, index: FieldIndex, *, docs: Sequence[str] | None = None
) -> ListRequest | None:
    """The filters of a list, count or role question; None for any other question."""
    folded = _folded(query.text)
    codes = tuple(document_codes(query.text))
    kind = _KIND_LISTED.search(folded)
    code_kind = kind.group(1) if kind else ""
    listing = bool(_LIST.search(folded) or (codes and _WHERE.search(folded)) or kind)
    role_question = bool(query.offices and _ROLE.search(folded))
    if not (listing or role_question):
        return None
    deadline, deadline_span = _deadline_filter(folded)
    parts, part_label, part_words = _named_parts(folded, index, query.scope)
    # "khi Bộ Tư pháp có yêu cầu" names a deadline, not an office to filter on; "cơ quan
    # chuyên môn thuộc UBND xã" names the body the asker's office belongs to, and "KH của
    # UBND tỉnh" in a role question the plan's issuer
    parent = _PARENT.search(folded)
    offices = tuple(
        o
        for o in query.offices
        if _folded(o) not in deadline_span
        and not (parent and o.startswith(("UBND", "HĐND")))
        and not ((role_question or len(query.offices) > 1) and _issuer_named(o, folded))
    )
    offices = _with_levels(offices, index)
    if role_question:  # "tôi ở Sở Y tế, tôi phải làm gì": also what every department must do
        offices = _with_collectives(offices, index, sources=query.scope)
    appendix = bool(_APPENDIX.search(folded))
    asks_offices = bool(_ASKS_OFFICES.search(folded))
    sources = tuple(query.scope)
    if docs:
        sources = tuple(s for s in sources if s in docs) if sources else tuple(docs)
    if not (offices or deadline or appendix or parts or codes or code_kind) and not (
        sources and asks_offices
    ):
        return None
    if "phoi hop" in folded and "chu tri" not in folded:
        role = Role.COORDINATE
    elif "chu tri" in folded or ("giao" in folded and not role_question):
        role = Role.LEAD
    else:
        role = Role.ANY
    framing = set(deadline_span.split()) | part_words | (_CITING if codes or kind else set())
    return ListRequest(
        offices=offices,
        role=role,
        deadline=deadline,
        appendix=appendix,
        parts=parts,
        part_label=part_label,
        sources=sources,
        topic=() if role_question else _topic(query, framing),
        count=bool(_COUNT.search(folded)),
        role_question=role_question,
        asks_deadline=bool(_ASKS_DEADLINE.search(folded)),
        asks_offices=asks_offices,
        codes=codes,
        code_kind=code_kind,
    )


def _issuer_named(office: str, folded: str) -> bool:
    """True when the question names ``office`` as a plan's issuer ("KH của UBND tỉnh")."""
    spelled = office.replace("UBND", "Ủy ban nhân dân").replace("HĐND", "Hội đồng nhân dân")
    return bool(re.search(rf"\bcua {re.escape(_folded(spelled))}\b", folded))


# an authority named by its place's kind, and the level a higher plan tasks it by
_LEVELS = {
    "UBND xã": "UBND cấp xã",
    "UBND phường": "UBND cấp xã",
    "UBND tỉnh": "UBND cấp tỉnh",
    "UBND thành phố": "UBND cấp tỉnh",
}


def _with_levels(offices: tuple[str, ...], index: FieldIndex) -> tuple[str, ...]:
    """The offices, "UBND xã" read as "UBND cấp xã" too (instead, when no plan tasks "UBND
    xã" itself), the way a city's plan tasks every commune."""

    out: list[str] = []
    for office in offices:
        level = _LEVELS.get(office, "")
        out += [office] if index.tasking(office) or not index.tasking(level) else []
        out += [level] if index.tasking(level) else []
    return tuple(vntext.unique(out))


def _with_collectives(
    offices: tuple[str, ...], index: FieldIndex, *, sources: Sequence[str]
) -> tuple[str, ...]:
    """The offices and the collectives their departments belong to ("Các sở, ban, ngành"),
    when plans of ``sources`` (all when empty) task the collective."""
    within = index.of_documents(sources) if sources else None
    out = list(offices)
    for office in offices:
        tasked = index.tasking(_group_of(office))
        if tasked and (within is None or tasked & within):
            out.append(_group_of(office))
    return tuple(vntext.unique(out))


def _deadline_filter(folded: str) -> tuple[DeadlineFilter | None, str]:
    """The deadline a question filters on and the words that state it."""
    quarter = _QUARTER.search(folded)
    if quarter:
        number, year = _QUARTERS[quarter.group(1)], quarter.group(2)
        label = f"quý {_ROMAN[number - 1]}/{year}"
        return DeadlineFilter(f"q{number}/{year}", label), quarter.group(0)
    month = _MONTH.search(folded)
    if month and 1 <= int(month.group(1)) <= 12:
        key = f"{int(month.group(1))}/{month.group(2)}"
        return DeadlineFilter(key, f"tháng {key}"), month.group(0)
    year = _YEAR.search(folded)
    if year:
        return DeadlineFilter(year.group(1), f"năm {year.group(1)}"), year.group(0)
    asked = _ASKED_BY.search(folded)  # "khi Bộ Tư pháp yêu cầu": when someone asks
    if asked:
        return DeadlineFilter("khi co yeu cau", _MANNERS["khi co yeu cau"]), asked.group(0)
    for key, label in _MANNERS.items():
        words = key.split()
        # "khi Bộ Tư pháp có yêu cầu": a few words may stand between the first and the rest
        found = re.search(rf"\b{words[0]}\b(?:\s+\S+){{0,5}}?\s+{' '.join(words[1:])}\b", folded)
        if key in folded or (len(words) > 2 and found):
            span = found.group(0) if found else key
            # "khi có yêu cầu của Bộ Tư pháp": the one asking is part of the deadline
            whose = re.search(rf"{re.escape(span)}(?:\s+cua(?:\s+\S+){{1,5}})?", folded)
            return DeadlineFilter(key, label), whose.group(0) if whose else span
    return None, ""


def _named_parts(
    folded: str, index: FieldIndex, scope: Sequence[str]
) -> tuple[tuple[tuple[str, str], ...], str, set[str]]:
    """Parts named as "phần/mục <numeral or heading>" (within the named documents if any),
    their label and the words that named them."""
    for match in _PART.finditer(folded):
        named = match.group(1).strip()
        words: set[str] = set()
        if re.fullmatch(r"[ivx]+", named):
            found = {key for key in index.part if key[1] == named.upper()}
            label = f"phần {named.upper()}"
        else:
            found, label = set(), ""
            for heading, keys in index.part_names.items():
                if named.startswith(heading) or (len(named) > 8 and heading.startswith(named)):
                    found |= keys
                    words |= set(heading.split())
                    label = label or f"phần “{sentence_case(index.part_headings[heading])}”"
        if scope:
            found = {key for key in found if key[0] in scope}
        if found:
            return tuple(sorted(found)), label, words
    return (), "", set()


def _topic(query: Query, framing: set[str]) -> tuple[str, ...]:
    """Folded content words of the question (document names removed) that are not office
    names, filter values or list framing."""
    framing = framing | _FRAME | {w for o in query.offices for w in _folded(o).split()}
    terms = (vntext.fold(t) for t in query.content)
    return tuple(
        vntext.unique(t for t in terms if t not in framing and not any(c.isdigit() for c in t))
    )


def answer_list(
    query: Query,
    *,
    index: FieldIndex,
    lexical: LexicalIndex,
    documents: dict[str, Document],
    tuning: Tuning,
    docs: Sequence[str] | None = None,
) -> Composed | None:
    """The complete, counted list a structured question asks for; None when it is not one.

    A list with no match is an answer too ("Không có nhiệm vụ nào …", no citations), unless
    the question's topic words are what excluded everything: then ordinary retrieval decides.
    """
    request = parse_request(query, index, docs=docs)
    if request is None:
        return None
    selected = index.select(request)
    if request.topic:
        # a topic word no listed clause holds (or no clause at all): retrieval and the
        # evidence judge decide instead
        shares = lexical.shares(request.topic, selected)
        selected = [
            p for p, share in zip(selected, shares, strict=True) if share >= tuning.topic_share
        ]
        if not selected:
            return None
    description = _describe(request)
    if not selected and request.role_question:
        return None  # "tôi phải làm gì": what the plans ask of everyone like the asker
    if request.role_question:  # the asker's own office first, then its collective's
        own = index.tasking(request.offices[0])
        selected = sorted(selected, key=lambda p: p not in own)
    if not selected:
        return Composed(render("list_none", noun=_noun(request), description=description), ())
    return _compose(
        query, request, selected, index, documents, description, limit=tuning.list_limit
    )


def _noun(request: ListRequest) -> str:
    """What is counted: tasks, or any clause when only a cited code filters."""
    tasks = request.offices or request.deadline or request.appendix or request.asks_offices
    cites = request.codes or request.code_kind
    return render("list_noun_task" if tasks or not cites else "list_noun_clause")


def _describe(request: ListRequest) -> str:
    parts: list[str] = []
    offices = ", ".join(request.offices)
    if offices:
        parts.append(render(f"list_filter_{request.role.value}", office=offices))
    if request.deadline:
        parts.append(render("list_filter_deadline", deadline=request.deadline.label))
    if request.codes:
        parts.append(render("list_filter_code", code=", ".join(c.upper() for c in request.codes)))
    if request.code_kind:
        parts.append(render("list_filter_code", code=_CODE_KINDS[request.code_kind]))
    if request.appendix:
        parts.append(render("list_filter_appendix"))
    elif request.part_label:
        parts.append(render("list_filter_part", part=request.part_label))
    return "".join(f" {p}" for p in parts)  # follows "nhiệm vụ" in the templates


def _compose(
    query: Query,
    request: ListRequest,
    positions: list[int],
    index: FieldIndex,
    documents: dict[str, Document],
    description: str,
    *,
    limit: int,
) -> Composed:
    """The intro with the count of every match, then the first ``limit`` by document."""
    total = len(positions)
    intro = render("list_intro", count=total, noun=_noun(request), description=description)
    if request.offices and request.role is Role.ANY:
        leads = sum(index.role_of(p, request.offices) is Role.LEAD for p in positions)
        if 0 < leads < total:
            intro = render(
                "list_intro_roles",
                count=total,
                noun=_noun(request),
                description=description,
                lead=leads,
                coordinate=total - leads,
            )
    lines = [intro]
    if request.offices and request.role is Role.LEAD:
        others = len(index.select(replace(request, role=Role.COORDINATE)))
        if others:
            office = ", ".join(request.offices)
            lines.append(render("list_note_coordinate", office=office, count=others))
    shown = [index.clauses[p] for p in positions[:limit]]
    if total > len(shown):
        lines.append(render("list_truncated", shown=len(shown)))
    items = [(clause, _item(clause, request, query), 1.0) for clause in shown]
    return by_document(lines, items, documents)


def _item(clause: Clause, request: ListRequest, query: Query) -> str:
    """One listed clause: a table row by its columns, any other clause by its statement."""
    if clause.kind is ClauseKind.TABLE_ROW and clause.columns:
        cols = {k: clause.columns.get(k) or "—" for k in ("task", "lead", "coordinate", "deadline")}
        name = "list_row_coordinate" if request.role is Role.COORDINATE else "list_row"
        return render(name, **cols)
    # an office's listed duties are quoted whole, like any clause tasking the office asked
    tasked = bool(request.offices)
    text = statement(Hit(clause=clause, score=1.0, relevance=1.0, office_match=tasked), query)
    if (request.deadline or request.asks_deadline) and clause.deadlines:
        text = render("list_item_deadline", statement=text, deadline="; ".join(clause.deadlines))
    return text


HEADING_CHARS = 160  # a clause this short whose text is its heading only introduces its points


def is_heading_only(clause: Clause) -> bool:
    """True for a clause that is only its heading ("2. Mục đích"): its points say the rest."""
    text = vntext.normalize(clause.text).rstrip(" .:")
    heading = vntext.normalize(clause.heading).rstrip(" .:")
    if heading.endswith("…"):  # long headings are shortened
        return len(text) <= HEADING_CHARS and text.startswith(heading[:-1].rstrip())
    return text in ("", heading)


# a question asking for the items of a topic: "những giải pháp gì về …", "có mấy …, kể ra"
_ITEMS = re.compile(
    r"\b(?:nhung|cac) (?:\w+ ){0,2}?(?:gi|nao)\b|\bgom (?:nhung )?(?:gi|noi dung)\b"
    r"|\bke (?:ra|het)\b|\bliet ke\b"
    r"|\b(?:bao nhieu|may) (?:giai phap|nhiem vu|noi dung|viec|dieu|muc tieu|yeu cau|diem)\b"
)


def section_asked(
    query: Query, hits: Sequence[Hit], index: FieldIndex, *, covers: Callable[[Clause], float]
) -> Clause | None:
    """The section whose points answer a question asking for a topic's items: the best hit
    when it has points, or the section it belongs to when that section covers the question
    as well (``covers``: the question's coverage by a clause) or another hit is a point of it.
    """
    if not hits or not _ITEMS.search(_folded(query.text)):
        return None
    top = hits[0].clause
    if top.kind is ClauseKind.SECTION and len(index.children(top)) > 1:
        return top
    parent = index.clause_at(top.source, top.parent_path) if top.parent_path else None
    if parent is None or parent.kind is not ClauseKind.SECTION or len(index.children(parent)) < 2:
        return None
    siblings = any(h.clause.parent_path == top.parent_path for h in hits[1:])
    return parent if siblings or covers(parent) >= covers(top) else None


def expand_headings(hits: Sequence[Hit], index: FieldIndex, *, limit: int) -> list[Hit]:
    """Each cited heading-only clause replaced by its points (up to ``limit`` clauses in all),
    so "những giải pháp gì" is answered by the solutions, not by their heading."""
    out: list[Hit] = []
    for hit in hits:
        children = index.children(hit.clause) if is_heading_only(hit.clause) else []
        out += [replace(hit, clause=c) for c in children if c not in (h.clause for h in out)]
        if not children:
            out.append(hit)
    return out[: max(limit, len(hits))]
