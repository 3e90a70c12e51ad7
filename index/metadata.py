"""Document metadata (kind, title, issuer, number, date, locality, signer) read from its text.

Only what the text states is claimed. Two conventions of Vietnamese administrative documents
are relied on: the opening paragraph names the issuer as the subject that "ban hành" /
"xây dựng" the plan (the plans cited before it are other bodies' documents), and the place in
the place-date line ("Hải Phòng, ngày … 2026") is the issuer's locality. A number left blank in
the draft ("Số: /KH-UBND") is read as no number: ``number`` stays empty.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from hoidap import vntext

logger = logging.getLogger(__name__)

TITLE_CHARS = 200

# Longest first, so "KẾ HOẠCH HÀNH ĐỘNG" wins over "KẾ HOẠCH".
KINDS: tuple[str, ...] = (
    "Kế hoạch hành động",
    "Chương trình hành động",
    "Kế hoạch",
    "Nghị quyết",
    "Quyết định",
    "Chương trình",
    "Chỉ thị",
    "Đề án",
    "Báo cáo",
    "Hướng dẫn",
    "Thông báo",
)
_KIND_LINE = re.compile("^(" + "|".join(re.escape(k.upper()) for k in KINDS) + r")\s*$")
_NUMBER = re.compile(r"^Số\s*:\s*(\S*(?:\s*/\s*\S+)?)", re.I)
_PLACE_DATE = re.compile(
    r"^(?P<place>[^\W\d][^,\d]{1,40}),\s*ngày\s*(?P<d>\d{1,2})?\s*(?:tháng|/)\s*(?P<m>\d{1,2})?"
    r"\s*(?:năm|/)\s*(?P<y>\d{4})",
    re.I,
)
_LEVEL = r"(xã|phường|thị trấn|huyện|quận|thị xã|tỉnh|thành phố)"
_PEOPLES_COMMITTEE = r"(?:[UỦ][ỷy] ban nhân dân|UBND)"
_ISSUER_SUBJECT = re.compile(  # the subject that issues this plan, not the plans it cites
    rf"{_PEOPLES_COMMITTEE}\s+{_LEVEL}((?:\s+[^\W\d_]+)*?)\s+(?:ban hành|xây dựng)\s+"
    r"(?i:kế hoạch|chương trình|nghị quyết)"
)
_ISSUER_OF_PLAN = re.compile(
    rf"(?:Kế hoạch|Chương trình|Nghị quyết)(?: này)? của {_PEOPLES_COMMITTEE}\s+{_LEVEL}"
    r"((?:\s+[^\W\d_]+)*)"
)
_HEADER_LEVEL = re.compile(r"^(XÃ|PHƯỜNG|THỊ TRẤN|HUYỆN|QUẬN|THỊ XÃ|TỈNH|THÀNH PHỐ)\s+(.+)$")
_SUPERIOR = re.compile(rf"{_PEOPLES_COMMITTEE}\s+(tỉnh|thành phố)((?:\s+[^\W\d_]+)+)")
_SIGNATURE_TITLE = re.compile(r"\b(CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG|BÍ THƯ|TM\.|KT\.)")
_NAME_STOP = frozenset(
    "Sở Phòng Bộ Văn UBND Ủy Uỷ HĐND Ban Kế Chương Nghị Về Theo Trên Thực".split()
)


@dataclass(frozen=True)
class DocumentFields:
    """Metadata read from a document's text; empty strings where the text does not say."""

    title: str = ""
    kind: str = ""
    issuer: str = ""
    number: str = ""
    date: str = ""
    locality: str = ""
    signer: str = ""
    signer_title: str = ""  # e.g. "Phó Chủ tịch", from the line above the name


def sentence_case(text: str) -> str:
    """Turn an upper-case heading into sentence case, keeping acronyms and document codes."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 2 or not all(ch.isupper() for ch in letters):
        return text
    words = []
    for word in text.split(" "):
        core = word.strip('(),.;:“”"')
        keep = core in _ACRONYMS or any(ch.isdigit() for ch in core) or "/" in core
        words.append(word if keep else word.lower())
    out = " ".join(words)
    return out[:1].upper() + out[1:]


_ACRONYMS = frozenset("UBND HĐND MTTQ QPPL TW CP NQ KH VN TP AI CNTT UBMTTQ ĐBQH".split())


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary to at most ``limit`` characters, marking the cut with …."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–")
    return f"{cut or text[: limit - 1]}…"


def _proper_name(words: str) -> str:
    """The leading capitalised words of ``words`` ("Chí Minh ban hành" -> "Chí Minh")."""
    kept = []
    for word in words.split():
        if not word[:1].isupper() or word in _NAME_STOP:
            break
        kept.append(word)
    return " ".join(kept)


def _read_issuer(lines: Sequence[str]) -> tuple[str, str]:
    """(level, name) of the issuing People's Committee, name possibly empty."""
    for i, line in enumerate(lines[:-1]):
        if re.fullmatch(r"[UỦ][ỶY] BAN NHÂN DÂN", line.strip()):
            header = _HEADER_LEVEL.match(lines[i + 1].strip())
            if header:
                return header.group(1).lower(), header.group(2).title()
    for pattern in (_ISSUER_SUBJECT, _ISSUER_OF_PLAN):
        for line in lines:
            for match in pattern.finditer(line):
                name = match.group(2).strip()
                if pattern is _ISSUER_OF_PLAN or _proper_name(name) == name:
                    return match.group(1), _proper_name(name)
    return "", ""


def read_metadata(preamble: Sequence[str], closing: Sequence[str] = ()) -> DocumentFields:
    """Read metadata from the preamble lines (title block, opening) and closing lines."""
    kind, title, number, date, place = "", "", "", "", ""
    for i, line in enumerate(preamble):
        line = line.strip()
        if not kind and _KIND_LINE.match(line):
            kind = KINDS[[k.upper() for k in KINDS].index(_KIND_LINE.match(line).group(1))]
            title = _title_after(preamble, i + 1)
            continue
        number_match = _NUMBER.match(line)
        if number_match and not number:
            value = re.sub(r"\s+", "", number_match.group(1))
            number = value if re.match(r"\d", value) else ""
        place_match = _PLACE_DATE.match(line)
        if place_match and not place:
            place = place_match.group("place").strip()
            d, m, y = place_match.group("d"), place_match.group("m"), place_match.group("y")
            date = f"{int(d)}/{int(m)}/{y}" if d and m else y
    if title:
        lead = title if title[1:2].isupper() else title[:1].lower() + title[1:]
        title = shorten(f"{kind} {lead}", TITLE_CHARS)
    elif preamble:
        title = shorten(sentence_case(preamble[0].strip()), TITLE_CHARS)

    signer, signer_title = _read_signer(closing)
    level, name = _read_issuer(list(preamble) + list(closing))
    if level and not name and place:
        name = place
    issuer = f"UBND {level} {name}".strip() if level else ""
    if not issuer and any(re.search(r"[UỦ][ỶY] BAN NHÂN DÂN", line) for line in closing):
        issuer = "UBND"
    locality = f"{level} {name}" if level and name else ""
    if not locality:
        for line in preamble:
            superior = _SUPERIOR.search(line)
            if superior and _proper_name(superior.group(2)):
                locality = f"{superior.group(1)} {_proper_name(superior.group(2))}"
                break
    return DocumentFields(
        title=vntext.collapse(title),
        kind=kind,
        issuer=issuer,
        number=number,
        date=date,
        locality=locality,
        signer=signer,
        signer_title=signer_title,
    )


def _title_after(lines: Sequence[str], start: int) -> str:
    """The title below the kind line; a title listing documents goes on after each ";"."""
    parts: list[str] = []
    for line in lines[start:]:
        parts.append(line.strip())
        if not line.rstrip().endswith((";", ",")) or len(" ".join(parts)) > TITLE_CHARS:
            break
    return sentence_case(" ".join(parts))


def _read_signer(closing: Sequence[str]) -> tuple[str, str]:
    """The signer's name and title: the last short line of capitalised words after a
    signature title, and the last title line above it without "TM." / "KT." ("PHÓ CHỦ TỊCH")."""
    seen_title = False
    signer, title, candidate = "", "", ""
    for line in closing:
        line = line.strip()
        if _SIGNATURE_TITLE.search(line):
            seen_title = True
            if not re.match(r"(TM|KT|TL|TUQ|Q)\.", line) and line.isupper():
                candidate = line
            continue
        words = line.split()
        if (
            seen_title
            and 2 <= len(words) <= 6
            and all(w[:1].isupper() and w[1:].islower() for w in words if w.isalpha())
            and all(w.isalpha() for w in words)
        ):
            signer, title = line, _title_case(candidate)
    return signer, title


def _title_case(title: str) -> str:
    """A position as written in running text: "PHÓ CHỦ TỊCH" -> "Phó Chủ tịch"."""
    words = title.lower().split()
    capitals = 2 if words[:1] == ["phó"] else 1
    return " ".join(w.capitalize() if i < capitals else w for i, w in enumerate(words))
