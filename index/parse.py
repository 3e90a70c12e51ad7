"""The structure parser: the raw text of a plan or resolution -> a Document and its clauses.

Text extracted from PDFs carries hard line wraps mid-sentence, blank lines between wrapped
lines, stray page numbers and headings run into their text. Parsing goes in three passes:

1. physical lines: repaired (NFC, Ð -> Đ, emphasis removed), page numbers and blanks dropped;
2. logical lines: wrapped lines joined back into sentences, a new line started at every
   enumerator, bullet, table row and heading;
3. blocks: one per structural unit (Phần I., khoản 1., điểm a), appendix table row, closing),
   nested by rank, then turned into ``Clause`` objects with paths, labels and assignments.

Every word of the input lands in exactly one clause: in its text, or, for an enumerator such as
"III." or "b)", in the last segment of its path.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace

from hoidap import vntext
from hoidap.types import Clause, ClauseKind, Document
from index.metadata import read_metadata, sentence_case, shorten
from index.offices import assign_roles, extract_deadlines, extract_offices, heading_offices

logger = logging.getLogger(__name__)

PREAMBLE_PATH, PREAMBLE_LABEL = "MD", "Phần mở đầu"
CLOSING_PATH, CLOSING_LABEL = "KT", "Phần kết"
APPENDIX_PATH = "PL"
LABEL_CHARS = 60  # each element of a label is cut at about this many characters
HEADING_WORDS = 12  # a heading run into its text is cut at the first sentence or this many words

_TAB = "\ue000"  # keeps table tabs through vntext.repair, which collapses whitespace
_PAGE_NUMBER = re.compile(r"(?:[-–]\s*)?\d{1,3}(?:\s*[-–])?|Trang\s+\d{1,3}", re.I)
_ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
_APPENDIX = re.compile(r"^(PHỤ LỤC|Phụ lục)(?:\s+(?:số\s+)?([IVX]+|\d+)(?![\w/]))?")
_CHAPTER = re.compile(rf"^(Chương|CHƯƠNG)\s+({_ROMAN}|\d+)(?![\w/])\s*[.:]?\s*(.*)$")
_ARTICLE = re.compile(r"^(Điều|ĐIỀU)\s+(\d+)\s*[.:]\s*(.*)$")
_PART = re.compile(rf"^(?:(?:Phần|PHẦN|Mục|MỤC)\s+)?({_ROMAN})\s*[.):\-–]\s*(.*)$")
_SUBSECTION = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.*)$")
_SECTION = re.compile(r"^(\d{1,2})\s*[.)](?![\d/])\s*(.*)$")
_POINT = re.compile(r"^([a-zđ])\s*\)\s*(.*)$")
_BULLET = re.compile(r"^(?:[-+–—]\s+\S|[-+–—][A-ZÀ-Ỹ][a-zà-ỹ]|[•●▪◦■□➢►✓]\s*\S)")
_CLOSING_START = re.compile(r"^(?:Trên đây là\b|Nơi nhận\s*:?)")
_SIGNATURE_START = re.compile(r"^(?:TM|KT|TL|TUQ)\.\s*[A-ZĐ]")
_END_MARK = "./."
_NUMBER_LINE = re.compile(r"^Số\s*:", re.I)
_PLACE_DATE = re.compile(r"^[^\W\d][^,\d]{1,40},\s*ngày\b")
_TERMINATOR = re.compile(r"[.;:!?…][\"”’)]*$")
_SENTENCE_END = re.compile(r"[.;:!?](?=\s|$)")
# A line ending in one of these words continues on the next line, whatever its case.
_CONNECTIVES = frozenset(
    """của và với về cho các những là tại theo trong số ngày tháng năm điểm khoản mục điều
    được để từ đến thuộc giữa hoặc như bằng do trên dưới ở vào""".split()
)
_TABLE_KEYS = (
    ("tt", re.compile(r"^(?:s\.?\s*)?tt$|^số thứ tự$", re.I)),
    ("lead", re.compile(r"chủ trì", re.I)),
    ("coordinate", re.compile(r"phối hợp", re.I)),
    ("deadline", re.compile(r"thời gian|thời hạn|tiến độ|hoàn thành", re.I)),
    ("result", re.compile(r"kết quả|sản phẩm", re.I)),
    ("task", re.compile(r"nhiệm vụ|nội dung|tên|công việc", re.I)),
)
_DEFAULT_KEYS = ("tt", "task", "lead", "coordinate", "result", "deadline")
_DEFAULT_LABELS = {
    "task": "Tên nhiệm vụ",
    "lead": "Cơ quan chủ trì",
    "coordinate": "Cơ quan phối hợp",
    "result": "Kết quả",
    "deadline": "Thời gian hoàn thành",
}
_ROW_NUMBER = re.compile(r"^(\d{1,3})\.?$")
_GROUP_NUMBER = re.compile(rf"^({_ROMAN}|[A-Z])\.?$")

_RANKS = {"appendix": 0, "chapter": 0, "part": 1, "article": 2, "section": 3, "point": 9}
_KINDS = {
    "appendix": ClauseKind.PART,
    "chapter": ClauseKind.PART,
    "part": ClauseKind.PART,
    "article": ClauseKind.SECTION,
    "section": ClauseKind.SECTION,
    "subsection": ClauseKind.SECTION,
    "point": ClauseKind.POINT,
}


@dataclass(frozen=True)
class _Physical:
    text: str
    blanks_before: int


@dataclass(frozen=True)
class _Marker:
    level: str  # a key of _KINDS
    rank: int
    segment: str  # path segment: "III", "4", "b", "D5", "PL"
    enumerator: str  # for labels: "III.", "4.", "b)", "Điều 5."; "" for an appendix heading
    rest: str  # the text after the enumerator


@dataclass
class _Line:
    text: str
    marker: _Marker | None = None
    cells: list[str] | None = None  # a table row, split at tabs
    tail: bool = False  # a line without tabs continuing the last table cell
    bullet: bool = False
    last_physical: str = ""


@dataclass
class _Block:
    kind: ClauseKind
    path: str
    parent: _Block | None
    enumerator: str = ""
    lines: list[str] = field(default_factory=list)
    rank: float = -1
    cells: list[str] | None = None  # table rows only
    keys: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    group: bool = False  # a group row of a table ("I | Nhiệm vụ chung")


def parse_document(text: str, *, source: str, sha256: str = "") -> tuple[Document, list[Clause]]:
    """Parse the raw text of one file into its Document and its clauses in document order."""
    physical = _physical_lines(text)
    lines = _logical_lines(physical)
    blocks = _blocks(lines)
    preamble = next((b.lines for b in blocks if b.kind is ClauseKind.PREAMBLE), [])
    closing = next((b.lines for b in blocks if b.kind is ClauseKind.CLOSING), [])
    fields = read_metadata(preamble, closing)
    metadata = {**asdict(fields), "title": fields.title or source}
    draft = Document(source=source, sha256=sha256, **metadata)
    clauses = _clauses(blocks, source=source, doc_title=draft.short_title)
    document = replace(draft, clause_count=len(clauses))
    logger.debug("%s: %d clauses", source, len(clauses))
    return document, clauses


# ---- pass 1: physical lines ---------------------------------------------------------------


def _physical_lines(text: str) -> list[_Physical]:
    """Repaired, non-empty lines without page numbers; table cells stay tab-separated."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", _TAB)
    text = vntext.repair(text).replace(_TAB, "\t")
    out: list[_Physical] = []
    blanks = 0
    for raw in text.split("\n"):
        if "\t" in raw and raw.replace("\t", "").strip():
            line = "\t".join(cell.strip() for cell in raw.split("\t"))
        else:
            line = raw.replace("\t", " ").strip()
        if not line or _PAGE_NUMBER.fullmatch(line):
            blanks += 1
            continue
        out.append(_Physical(line, blanks))
        blanks = 0
    return out


# ---- pass 2: logical lines ----------------------------------------------------------------


def _marker(line: str) -> _Marker | None:
    """The structural enumerator a line starts with, if any."""
    m = _APPENDIX.match(line)
    if m and len(line) < 160:
        rest = line[m.end() :].strip()
        if m.group(1).isupper() or m.group(2) or not rest:
            return _Marker(
                "appendix", _RANKS["appendix"], APPENDIX_PATH + (m.group(2) or ""), "", line
            )
    m = _CHAPTER.match(line)
    if m:
        return _Marker(
            "chapter", _RANKS["chapter"], f"C{m.group(2)}", f"Chương {m.group(2)}.", m.group(3)
        )
    m = _ARTICLE.match(line)
    if m:
        return _Marker(
            "article", _RANKS["article"], f"D{m.group(2)}", f"Điều {m.group(2)}.", m.group(3)
        )
    m = _PART.match(line)
    if m and m.group(1):
        return _Marker("part", _RANKS["part"], m.group(1), f"{m.group(1)}.", m.group(2))
    m = _SUBSECTION.match(line)
    if m:
        numbers = m.group(1).split(".")
        return _Marker(
            "subsection",
            _RANKS["section"] + len(numbers) - 1,
            numbers[-1],
            f"{m.group(1)}.",
            m.group(2),
        )
    m = _SECTION.match(line)
    if m:
        return _Marker("section", _RANKS["section"], m.group(1), f"{m.group(1)}.", m.group(2))
    m = _POINT.match(line)
    if m:
        return _Marker("point", _RANKS["point"], m.group(1), f"{m.group(1)})", m.group(2))
    return None


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def _last_word(text: str) -> str:
    words = re.findall(r"[^\W_]+", text)
    return words[-1].lower() if words else ""


def _glued_hyphen(text: str) -> bool:
    return len(text) > 1 and text[-1] in "-–" and text[-2].isalnum()


def _wrap_width(physical: Sequence[_Physical]) -> float:
    """Typical length of a hard-wrapped line (lines followed by a lower-case continuation)."""
    wrapped = sorted(
        len(a.text)
        for a, b in zip(physical, physical[1:], strict=False)
        if "\t" not in a.text and b.text[:1].islower()
    )
    if not wrapped:
        return 1e9
    return wrapped[len(wrapped) // 2]


def _logical_lines(physical: Sequence[_Physical]) -> list[_Line]:
    """Join hard-wrapped lines; start a new line at enumerators, bullets, rows and headings."""
    width = _wrap_width(physical)
    paragraph_per_line = width > 160  # no hard wraps: every physical line is a paragraph
    lines: list[_Line] = []
    for phys in physical:
        text = phys.text
        prev = lines[-1] if lines else None
        if "\t" in text:
            lines.append(_Line(text, cells=text.split("\t")))
            continue
        continues = prev is not None and (
            _glued_hyphen(prev.last_physical)
            or not _TERMINATOR.search(prev.last_physical)
            and _last_word(prev.last_physical) in _CONNECTIVES
        )
        marker = None if continues else _marker(text)
        bullet = not continues and bool(_BULLET.match(text))
        special = (
            marker is not None
            or bullet
            or bool(_CLOSING_START.match(text))
            or bool(_SIGNATURE_START.match(text))
            or bool(_NUMBER_LINE.match(text))
            or bool(_PLACE_DATE.match(text))
        )
        if prev is not None and (prev.cells is not None or prev.tail) and not special:
            first = next((ch for ch in text if ch.isalnum()), "")
            if first.islower() or first.isdigit():  # a cell wrapped without its tabs
                lines.append(_Line(text, tail=True, last_physical=text))
                continue
        joiner = None
        if prev is not None and not special:
            joiner = _joiner(prev, text, phys.blanks_before, width, paragraph_per_line)
        elif prev is not None and marker is None and _is_upper(text) and prev.marker is not None:
            # an upper-case heading wrapped over two lines ("III. NHIỆM VỤ VÀ GIẢI PHÁP / CHỦ YẾU")
            if _is_upper(prev.text) and not _TERMINATOR.search(prev.last_physical):
                joiner = " "
        if joiner is not None:
            assert prev is not None
            prev.text = f"{prev.text}{joiner}{text}"
            prev.last_physical = text
            if prev.marker is not None:
                prev.marker = _Marker(**{**prev.marker.__dict__, "rest": _joined_rest(prev)})
            continue
        lines.append(_Line(text, marker=marker, bullet=bullet, last_physical=text))
    return lines


def _joined_rest(line: _Line) -> str:
    marker = _marker(line.text)
    return marker.rest if marker is not None else line.text


def _joiner(prev: _Line, text: str, blanks: int, width: float, per_line: bool) -> str | None:
    """The separator joining ``text`` to the previous logical line, or None to start anew."""
    last = prev.last_physical
    if prev.cells is not None or prev.tail:
        return None
    if _is_upper(prev.text) and prev.marker is None or _NUMBER_LINE.match(prev.text):
        return None
    if _PLACE_DATE.match(prev.text) or _CLOSING_START.match(prev.text) and last.endswith(":"):
        return None
    if _glued_hyphen(last):
        return ""
    if last.endswith(("-", "–")):
        return " "
    if _is_upper(text):
        return None
    first = next((ch for ch in text if ch.isalnum()), "")
    if first.islower() or first.isdigit():
        return " "
    if per_line or blanks >= 2 or _TERMINATOR.search(last):
        return None
    if _last_word(last) in _CONNECTIVES:
        return " "
    is_heading = prev.marker is not None and prev.text == last
    if len(last) < (0.85 if is_heading else 0.6) * width:
        return None
    return " "


# ---- pass 3: blocks -----------------------------------------------------------------------


def _closing_start(lines: Sequence[_Line]) -> int | None:
    """Index of the first line of the closing (after which no numbered unit follows)."""

    def starts_closing(line: _Line) -> bool:
        if line.cells is not None or line.tail or line.marker is not None:
            return False
        if _CLOSING_START.match(line.text) or _SIGNATURE_START.match(line.text):
            return True
        return _END_MARK in line.text and not line.bullet

    for i, line in enumerate(lines):
        if not starts_closing(line):
            continue
        later = lines[i + 1 :]
        end = next((j for j, ln in enumerate(later) if _is_appendix(ln)), len(later))
        if not any(ln.marker is not None for ln in later[:end]):
            return i
    return None


def _is_appendix(line: _Line) -> bool:
    return line.marker is not None and line.marker.level == "appendix"


class _PathBook:
    """Hands out unique paths: a repeated "III.5.b" becomes "III.5.b-2"."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def unique(self, path: str) -> str:
        count = self.seen.get(path, 0) + 1
        self.seen[path] = count
        return path if count == 1 else f"{path}-{count}"


def _blocks(lines: Sequence[_Line]) -> list[_Block]:
    """Group logical lines into structural blocks in document order."""
    closing_at = _closing_start(lines)
    paths = _PathBook()
    preamble = _Block(ClauseKind.PREAMBLE, PREAMBLE_PATH, None)
    blocks: list[_Block] = [preamble]
    current = preamble
    stack: list[_Block] = []
    in_closing = False
    table = _TableState()
    for i, line in enumerate(lines):
        if i == closing_at:
            current = _Block(ClauseKind.CLOSING, CLOSING_PATH, None)
            blocks.append(current)
            stack, in_closing, table = [], True, _TableState()
        marker = line.marker
        if marker is not None and (not in_closing or marker.level == "appendix"):
            while stack and stack[-1].rank >= marker.rank:
                stack.pop()
            parent = stack[-1] if stack else None
            path = f"{parent.path}.{marker.segment}" if parent else marker.segment
            current = _Block(
                _KINDS[marker.level],
                paths.unique(path),
                parent,
                marker.enumerator,
                [marker.rest] if marker.rest else [],
                marker.rank,
            )
            blocks.append(current)
            stack.append(current)
            in_closing = False
            # a table keeps its header across group headings written as numbered lines
            table = _TableState() if marker.level == "appendix" else table.without_row()
        elif line.cells is not None or line.tail:
            taken = table.take(line, stack[-1] if stack else None, paths)
            if isinstance(taken, str):
                current.lines.append(taken)
            elif taken is not None:
                blocks.append(taken)
                if taken.group:
                    while stack and stack[-1].group:
                        stack.pop()
                    stack.append(taken)
                    current = taken
        else:
            current.lines.append(line.text)
    return [b for b in blocks if b.kind is not ClauseKind.PREAMBLE or b.lines]


class _TableState:
    """Reads tab-separated rows: a header, group rows, numbered task rows, continuations."""

    def __init__(self) -> None:
        self.keys: tuple[str, ...] = ()
        self.labels: dict[str, str] = {}
        self.row: _Block | None = None
        self.last_cell = 0

    def without_row(self) -> _TableState:
        """The same header, no open row (after a heading interrupts the table)."""
        self.row = None
        return self

    def take(self, line: _Line, parent: _Block | None, paths: _PathBook) -> _Block | str | None:
        """A new row or group block, a line of text for the enclosing block, or None (merged)."""
        if line.tail:
            if self.row is None or self.row.cells is None:
                return line.text
            cells = self.row.cells
            cells[self.last_cell] = f"{cells[self.last_cell]} {line.text}".strip()
            return None
        cells = line.cells or []
        first = cells[0]
        number = _ROW_NUMBER.match(first)
        if not number and _header_keys(cells):
            self.keys = _header_keys(cells)
            self.labels = {k: c for k, c in zip(self.keys, cells, strict=False)}
            self.row = None
            return " | ".join(c for c in cells if c)
        if number:
            keys = self.keys or _DEFAULT_KEYS[: len(cells)]
            base = parent.path if parent else APPENDIX_PATH
            self.row = _Block(
                ClauseKind.TABLE_ROW,
                paths.unique(f"{base}.{number.group(1)}"),
                parent,
                f"{number.group(1)}.",
                cells=list(cells),
                keys=keys,
                labels=self.labels,
            )
            self.last_cell = _last_filled(cells)
            return self.row
        if not first and self.row is not None and self.row.cells is not None:
            row_cells = self.row.cells
            row_cells.extend([""] * (len(cells) - len(row_cells)))
            for j, cell in enumerate(cells[1:], start=1):
                if cell:
                    row_cells[j] = f"{row_cells[j]} {cell}".strip()
            self.last_cell = _last_filled(cells)
            return None
        self.row = None
        group = _GROUP_NUMBER.match(first)
        text = " | ".join(c for c in cells[1:] if c)
        if group and text:  # "I | Nhiệm vụ chung": the rows below belong to it
            if parent is not None and parent.group:
                parent = parent.parent
            base = parent.path if parent else APPENDIX_PATH
            return _Block(
                ClauseKind.SECTION,
                paths.unique(f"{base}.{group.group(1)}"),
                parent,
                f"{group.group(1)}.",
                [text],
                (parent.rank if parent else 0) + 0.5,
                group=True,
            )
        return " | ".join(c for c in cells if c)


def _last_filled(cells: Sequence[str]) -> int:
    return max((j for j, c in enumerate(cells) if c), default=0)


def _header_keys(cells: Sequence[str]) -> tuple[str, ...]:
    """Column keys of a header row, or () when the row is not a header."""
    keys: list[str] = []
    for j, cell in enumerate(cells):
        key = next((k for k, pattern in _TABLE_KEYS if pattern.search(cell)), "")
        keys.append(key if key and key not in keys else f"cột {j + 1}")
    known = sum(k in _DEFAULT_KEYS for k in keys)
    return tuple(keys) if known >= 3 and ("lead" in keys or "task" in keys) else ()


# ---- clauses ------------------------------------------------------------------------------


def short_heading(text: str) -> str:
    """A heading from a clause's first line: its first sentence or first dozen words."""
    first = text.split("\n", 1)[0].strip()
    end = _SENTENCE_END.search(first)
    if end:
        first = first[: end.start()]
    words = first.split()
    if len(words) > HEADING_WORDS:
        return " ".join(words[:HEADING_WORDS]).rstrip(",;:-–") + "…"
    return first.rstrip(" ,;:")


def _label_element(block: _Block, heading: str) -> str:
    if block.kind is ClauseKind.PREAMBLE:
        return PREAMBLE_LABEL
    if block.kind is ClauseKind.CLOSING:
        return CLOSING_LABEL
    shown = shorten(sentence_case(heading), LABEL_CHARS)
    return f"{block.enumerator} {shown}".strip() if shown else block.enumerator


def _row_columns(block: _Block) -> dict[str, str]:
    cells = list(block.cells or [])
    keys = list(block.keys) + [f"cột {j + 1}" for j in range(len(block.keys), len(cells))]
    return {k: c for k, c in zip(keys[1:], cells[1:], strict=False)}


def _row_text(block: _Block, columns: dict[str, str]) -> str:
    parts = [columns.get("task", "")]
    for key, value in columns.items():
        if key != "task" and value:
            label = block.labels.get(key) or _DEFAULT_LABELS.get(key, key.capitalize())
            parts.append(f"{label}: {value}")
    return "\n".join(p for p in parts if p)


def _office_cell(cell: str) -> tuple[str, ...]:
    return tuple(extract_offices(cell)) or ((cell,) if cell else ())


def _clauses(blocks: Sequence[_Block], *, source: str, doc_title: str) -> list[Clause]:
    clauses: list[Clause] = []
    labels: dict[int, str] = {}
    inherited: dict[int, tuple[str, ...]] = {}
    for order, block in enumerate(blocks):
        if block.kind is ClauseKind.TABLE_ROW:
            columns = _row_columns(block)
            text = _row_text(block, columns)
            heading = short_heading(columns.get("task", ""))
            lead = _office_cell(columns.get("lead", ""))
            coord = tuple(o for o in _office_cell(columns.get("coordinate", "")) if o not in lead)
            deadline_cell = columns.get("deadline", "")
            deadlines = tuple(extract_deadlines(deadline_cell)) or (
                (deadline_cell,) if deadline_cell else ()
            )
        else:
            columns = {}
            text = "\n".join(line for line in block.lines if line)
            if block.kind is ClauseKind.PREAMBLE:
                heading = PREAMBLE_LABEL
            elif block.kind is ClauseKind.CLOSING:
                heading = CLOSING_LABEL
            else:
                heading = sentence_case(short_heading(text))
            first_line = text.split("\n", 1)[0]
            own = tuple(heading_offices(first_line)) if block.enumerator else ()
            parent_lead = inherited.get(id(block.parent), ()) if block.parent else ()
            inherited[id(block)] = own or parent_lead
            found_lead, coord = assign_roles(heading if block.enumerator else "", text)
            lead = tuple(vntext.unique((*(own or parent_lead), *found_lead)))
            coord = tuple(o for o in coord if o not in lead)
            deadlines = tuple(extract_deadlines(text))
        element = _label_element(block, heading)
        label = f"{labels[id(block.parent)]} › {element}" if block.parent else element
        labels[id(block)] = label
        clauses.append(
            Clause(
                id=f"{source}#{block.path}",
                source=source,
                doc_title=doc_title,
                path=block.path,
                label=label,
                text=text,
                kind=block.kind,
                order=order,
                heading=heading,
                parent_path=block.parent.path if block.parent else "",
                lead_offices=lead,
                coord_offices=coord,
                deadlines=deadlines,
                columns=columns,
            )
        )
    return clauses
