"""HTML and Markdown for the app. Every text from a document, a file name or a question is
escaped here, so a document holding ``<script>`` or ``<img onerror=…>`` shows as text."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence

from hoidap.types import Answer, Clause, ClauseKind, Document
from ui.highlight import HighlightTerms, highlight, terms_for

# Markdown punctuation that could make links, images, emphasis, code, tables or headings.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|~$^])")
_ESCAPED_MARKER = re.compile(r"\\\[(\d{1,3})\\\]")
_MARKER = re.compile(r"\[(\d{1,4})\]")
LONG_LIST_ITEMS = 6  # answers listing more items show each document's items as a group
OPEN_LIST_ITEMS = 40  # groups start collapsed above this many items in all

KIND_NAMES = {
    ClauseKind.PREAMBLE: "Phần mở đầu",
    ClauseKind.PART: "Phần / Mục",
    ClauseKind.SECTION: "Khoản",
    ClauseKind.POINT: "Điểm",
    ClauseKind.TABLE_ROW: "Dòng bảng phụ lục",
    ClauseKind.CLOSING: "Phần kết",
}
COLUMN_NAMES = {
    "task": "Nhiệm vụ",
    "lead": "Cơ quan chủ trì",
    "coordinate": "Cơ quan phối hợp",
    "result": "Kết quả",
    "deadline": "Thời gian hoàn thành",
}
DOCUMENT_HEADERS = ["Văn bản", "Cơ quan ban hành", "Số hiệu", "Ngày", "Số điều khoản", "Tệp"]


def escape(text: str) -> str:
    """HTML-escape text (quotes included, so it is safe inside attributes too)."""
    return html.escape(text, quote=True)


def cite_anchor(turn: int, n: int) -> str:
    """The element id of citation ``n`` of chat turn ``turn`` in the sources panel."""
    return f"hd-cite-{turn}-{n}"


def plain_markdown(text: str) -> str:
    """Text shown literally by a Markdown renderer: HTML and Markdown punctuation escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _end_lists(text: str) -> str:
    """A blank line after the last "- " item of a list, so the next line is not part of it."""
    lines = text.split("\n")
    out = lines[:1]
    for before, line in zip(lines, lines[1:]):
        if before.startswith("- ") and line.strip() and not line.startswith(("- ", " ")):
            out.append("")
        out.append(line)
    return "\n".join(out)


def _ref_links(escaped: str, marker: re.Pattern[str], turn: int) -> str:
    """Each ``[n]`` marker of already-escaped text as a link to its source card."""
    return marker.sub(
        lambda m: (
            f'<a class="hd-ref" href="#{cite_anchor(turn, int(m.group(1)))}" '
            f'title="Xem nguồn [{m.group(1)}]">[{m.group(1)}]</a>'
        ),
        escaped,
    )


def answer_markdown(text: str, *, turn: int) -> str:
    """An answer as chat Markdown: escaped, with each ``[n]`` a link to its source card; a
    long list is shown whole, one collapsible group per document."""
    grouped = _long_list(text)
    if grouped is None:
        return _ref_links(plain_markdown(_end_lists(text)), _ESCAPED_MARKER, turn)
    intro, groups = grouped
    total = sum(len(items) for _, items in groups)
    blocks = [_ref_links(plain_markdown("\n".join(intro)), _ESCAPED_MARKER, turn)] if intro else []
    for heading, items in groups:
        rows = "".join(f"<li>{_ref_links(escape(i), _MARKER, turn)}</li>" for i in items)
        opened = " open" if total <= OPEN_LIST_ITEMS else ""
        blocks.append(
            f'<details class="hd-group"{opened}><summary>{escape(heading.rstrip(" :"))} '
            f"({len(items)})</summary><ul>{rows}</ul></details>"
        )
    return "\n\n".join(blocks)


def _long_list(text: str) -> tuple[list[str], list[tuple[str, list[str]]]] | None:
    """(intro lines, [(document heading, items)]) of an answer listing more than
    LONG_LIST_ITEMS items under "Theo …:" headings, else None."""
    intro: list[str] = []
    groups: list[tuple[str, list[str]]] = []
    for line in text.split("\n"):
        if line.startswith("- ") and groups:
            groups[-1][1].append(line[2:])
        elif line.startswith("Theo ") and line.endswith(":"):
            groups.append((line, []))
        elif groups or line.startswith("- "):
            return None  # prose after the list: not a plain grouped list
        else:
            intro.append(line)
    if sum(len(items) for _, items in groups) <= LONG_LIST_ITEMS:
        return None
    return intro, groups


def answer_plain_text(answer: Answer) -> str:
    """The answer and its numbered sources as plain text, for the clipboard."""
    lines = [answer.answer]
    if answer.citations:
        lines += ["", "Nguồn:"]
        lines += [f"[{c.n}] {c.doc_title} › {c.label} ({c.path})" for c in answer.citations]
    return "\n".join(lines)


def status_markdown(answer: Answer) -> str:
    """One line under the chat: latency, number of sources, and any notice of the service."""
    parts = [f"Thời gian trả lời: {answer.latency_ms} ms"]
    if answer.refused:
        parts.append("không có nguồn phù hợp")
    else:
        parts.append(f"{len(answer.citations)} nguồn trích dẫn")
    if answer.answerer == "llm":
        parts.append("do mô hình ngôn ngữ viết, từng câu đã đối chiếu với nguồn")
    if answer.notice:
        parts.append(plain_markdown(answer.notice))
    return " · ".join(parts)


def sources_html(
    answer: Answer | None, *, turn: int, doc_names: Mapping[str, str] | None = None
) -> str:
    """The sources panel: one card per citation with title, label, path and highlighted text."""
    if answer is None:
        return _panel("Nguồn trích dẫn sẽ hiện ở đây khi bạn đặt câu hỏi.")
    if not answer.citations:
        return _panel("Câu trả lời này không trích dẫn điều khoản nào.")
    names = doc_names or {}
    terms = terms_for(answer.question)
    cards = []
    for c in answer.citations:
        doc = names.get(c.source) or c.doc_title
        cards.append(
            f'<article class="hd-cite" id="{cite_anchor(turn, c.n)}" data-n="{c.n}">'
            f'<header><span class="hd-n">[{c.n}]</span> '
            f'<span class="hd-doc" title="{escape(c.doc_title)}">{escape(doc)}</span></header>'
            f'<div class="hd-label">{escape(c.label)} '
            f'<span class="hd-path">{escape(c.path)}</span></div>'
            f'<div class="hd-text">{highlight(c.text, terms)}</div>'
            f"<footer>Tệp {escape(c.source)} · độ phù hợp {c.score:.2f}</footer>"
            "</article>"
        )
    head = f'<div class="hd-sources-head">Nguồn của câu trả lời ({len(cards)})</div>'
    return f'<div class="hd-sources">{head}{"".join(cards)}</div>'


def _panel(message: str) -> str:
    return f'<div class="hd-sources hd-empty">{escape(message)}</div>'


def documents_table_html(documents: Iterable[Document]) -> str:
    """The documents table; each title is a button that opens the document (``data-source``)."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in DOCUMENT_HEADERS)
    rows = []
    for d in documents:
        cells = [d.issuer, d.number, d.date, str(d.clause_count), d.source]
        rows.append(
            f'<tr><th scope="row"><button type="button" data-source="{escape(d.source)}">'
            f"{escape(d.short_title)}</button></th>"
            + "".join(f"<td>{escape(c)}</td>" for c in cells)
            + "</tr>"
        )
    if not rows:
        return _panel("Chưa có văn bản nào: hãy tải lên ở mục bên dưới.")
    return (
        '<div class="hd-doc-list"><table><caption>Danh sách văn bản đã lập chỉ mục</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def document_choices(documents: Iterable[Document]) -> list[tuple[str, str]]:
    """(label, source) pairs for dropdowns; labels made unique when two titles coincide."""
    docs = list(documents)
    counts: dict[str, int] = {}
    for d in docs:
        counts[d.short_title] = counts.get(d.short_title, 0) + 1
    choices = []
    for d in docs:
        label = d.short_title
        if counts[label] > 1:
            label = f"{label} ({d.number or d.source})"
        choices.append((label, d.source))
    return choices


def document_html(document: Document | None) -> str:
    """A card with a document's metadata."""
    if document is None:
        return _panel("Chọn một văn bản để xem mục lục.")
    rows = [
        ("Loại văn bản", document.kind),
        ("Số hiệu", document.number),
        ("Ngày ban hành", document.date),
        ("Cơ quan ban hành", document.issuer),
        ("Địa bàn", document.locality),
        ("Người ký", ", ".join(filter(None, [document.signer, document.signer_title]))),
        ("Số điều khoản", str(document.clause_count)),
        ("Tệp", document.source),
    ]
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows if v)
    return f'<div class="hd-doc-card"><h2>{escape(document.title)}</h2><table>{cells}</table></div>'


def clause_title(clause: Clause) -> str:
    """A one-line name of a clause for lists: path and heading (or the start of its text)."""
    name = clause.heading or clause.columns.get("task") or clause.text
    name = " ".join(name.split())
    if len(name) > 90:
        name = name[:90].rsplit(" ", 1)[0] + "…"
    return f"{clause.path} — {name}" if clause.path else name


def outline_html(clauses: Sequence[Clause]) -> str:
    """A document's outline: one indented line per clause, in document order, each a button."""
    if not clauses:
        return _panel("Văn bản này chưa có điều khoản nào.")
    items = []
    for clause in clauses:
        depth = min(clause.path.count(".") if clause.path else 0, 4)
        items.append(
            f'<li class="hd-depth-{depth} hd-kind-{escape(clause.kind.value)}" '
            f'data-clause="{escape(clause.id)}"><button type="button">'
            f"{escape(clause_title(clause))}</button></li>"
        )
    return f'<ul class="hd-outline">{"".join(items)}</ul>'


def clause_html(clause: Clause | None, *, question: str = "") -> str:
    """One clause in full: label, kind, offices, deadlines, table columns and its own text."""
    if clause is None:
        return _panel("Chọn một điều khoản trong mục lục để xem nội dung.")
    terms: HighlightTerms = terms_for(question)
    facts = [("Loại", KIND_NAMES.get(clause.kind, clause.kind.value)), ("Mục", clause.path)]
    if clause.lead_offices:
        facts.append(("Chủ trì", "; ".join(clause.lead_offices)))
    if clause.coord_offices:
        facts.append(("Phối hợp", "; ".join(clause.coord_offices)))
    if clause.deadlines:
        facts.append(("Thời hạn", "; ".join(clause.deadlines)))
    for key, value in clause.columns.items():
        if value and key not in ("lead", "coordinate", "deadline"):
            facts.append((COLUMN_NAMES.get(key, key), value))
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts if v)
    return (
        f'<div class="hd-clause"><div class="hd-label">{escape(clause.label)}</div>'
        f'<div class="hd-doc">{escape(clause.doc_title)}</div>'
        f"<table>{cells}</table>"
        f'<div class="hd-text">{highlight(clause.text, terms)}</div></div>'
    )
