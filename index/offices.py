"""What a clause assigns: the offices that lead or coordinate, and its deadlines.

Office names are found by pattern (an office-type word such as "Sở", "Phòng", "UBND" followed
by a capitalised name), then mapped to one canonical spelling through a small alias table, so
"Uỷ ban MTTQ Việt Nam xã", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh" and "UBMTTQVN" are one
office. Questions typed without diacritics are matched by ``OfficeMatcher`` against the folded
canonical names of the offices the index knows, both read through the abbreviation table of
``hoidap.vocab`` ("Sở TP" = "Sở Tư pháp", "VP HĐND-UBND" = "Văn phòng HĐND và UBND").
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from hoidap import vntext
from hoidap.vocab import Vocabulary

logger = logging.getLogger(__name__)

# Offices this module can name without having seen them in a document.
KNOWN_OFFICES: tuple[str, ...] = (
    "Phòng Kinh tế",
    "Phòng Văn hóa - Xã hội",
    "Văn phòng HĐND và UBND",
    "Văn phòng UBND",
    "Sở Tư pháp",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Công Thương",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường",
    "Sở Dân tộc và Tôn giáo",
    "Sở Ngoại vụ",
    "Trung tâm Phục vụ hành chính công",
    "Ủy ban MTTQ Việt Nam",
    "Công an xã",
    "Công an phường",
    "Công an tỉnh",
    "Công an thành phố",
    "Hội đồng phối hợp phổ biến, giáo dục pháp luật",
    "Bộ Tư pháp",
    "UBND xã",
    "UBND phường",
    "UBND tỉnh",
    "UBND thành phố",
    "UBND cấp xã",
    "Các sở, ban, ngành",
    "Các phòng, ban, ngành",
)

# Bodies that are named everywhere but never assigned work in a plan.
_NOT_OFFICES = frozenset({"Bộ Chính trị", "Bộ Chính", "Văn phòng Trung ương"})

_LEVEL = r"(?:cấp xã|cấp tỉnh|cấp huyện|thành phố|thị xã|thị trấn|xã|phường|tỉnh|huyện|quận|TP\.?)"
_LEVEL_RE = re.compile(rf"\s+({_LEVEL})(?![\w])")
_LEVEL_NAMES = {"tp": "thành phố", "tp.": "thành phố"}
_WORD_AT = re.compile(r"\s*([^\W_][\w]*)")
# Lower-case words that end an office name instead of continuing it.
_NAME_STOP = frozenset(
    """chủ phối có là sẽ thực tham theo tại để được đã với cùng trong về của chịu triển tổ
    hướng rà báo tiếp căn đề xem kiểm nghiên bố cân ban trình giao phụ đảm bảo thẩm tập đôn
    làm cần phải nên và hoặc các những này đó thì mà khẩn chỉ lập xử thống tổng hỗ quản ký
    gửi nhận đăng cung công xã phường tỉnh huyện quận thành thị cấp ngày năm số""".split()
)
# Capitalised words that start another office instead of continuing a name.
_OFFICE_START = frozenset("Sở Phòng Bộ UBND HĐND Ban Đảng Các Cơ TP".split())
_OFFICE_START_PAIRS = re.compile(
    r"(?:Văn phòng|Công an|Ủy ban|Hội đồng|Mặt trận|Thường trực|Chủ tịch|Trung tâm)\b"
)

_FIXED_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.I), name)
    for p, name in (
        (
            r"văn\s+phòng\s+(?:hđnd|hội\s+đồng\s+nhân\s+dân)\s+và\s+(?:ubnd|[uủ][ỷy]\s+ban\s+nhân\s+dân)",
            "Văn phòng HĐND và UBND",
        ),
        (r"văn\s+phòng\s+(?:ubnd|[uủ][ỷy]\s+ban\s+nhân\s+dân)", "Văn phòng UBND"),
        (
            r"(?:[uủ][ỷy]\s+ban\s+)?(?:mttq|mặt\s+trận\s+tổ\s+quốc)(?:\s+việt\s+nam)?|ubmttq(?:vn)?",
            "Ủy ban MTTQ Việt Nam",
        ),
        (
            r"hội\s+đồng\s+phối\s+hợp\s+phổ\s+biến,?\s+giáo\s+dục\s+pháp\s+luật",
            "Hội đồng phối hợp phổ biến, giáo dục pháp luật",
        ),
        (r"các\s+sở,\s*ban,\s*ngành", "Các sở, ban, ngành"),
        (r"các\s+phòng,\s*ban(?:,\s*(?:ngành|cơ\s+quan|đơn\s+vị))*", "Các phòng, ban, ngành"),
        (r"sở\s+văn\s+hó?a,?\s+thể\s+thao\s+và\s+du\s+lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        (r"phòng\s+văn\s+hó?a\s*[-–]\s*xã\s+hội", "Phòng Văn hóa - Xã hội"),
        (r"sở\s+công\s+thương", "Sở Công Thương"),
        (r"trung\s+tâm\s+phục\s+vụ\s+hành\s+chính\s+công", "Trung tâm Phục vụ hành chính công"),
    )
)
_UBND = re.compile(rf"(?:UBND|[UỦ][ỷy] ban nhân dân|[UỦ][ỶY] BAN NHÂN DÂN)\s+({_LEVEL})(?!\w)")
_HDND = re.compile(rf"(?:HĐND|Hội đồng nhân dân)\s+({_LEVEL})(?!\w)")
_POLICE = re.compile(rf"Công an\s+({_LEVEL})(?!\w)")
_NAMED = re.compile(r"(?<![\w])(Văn [Pp]hòng|Sở|Phòng|Bộ)\s+(?=[^\W\d_])")
_SERIES = re.compile(r"các\s+sở\s*:\s*", re.I)
_SERIES_GAP = re.compile(r",\s*|\s+và\s+")
_JOINER = re.compile(r"\s+và\s+|\s*[-–]\s*")


@dataclass(frozen=True)
class OfficeMention:
    """One office named in a text: its canonical name and where it was written."""

    name: str
    start: int
    end: int


def _prepare(text: str) -> str:
    """What office patterns read: repaired text in one tone style (hoá -> hóa, Uỷ -> Ủy)."""
    return vntext.unify_tones(vntext.repair(text))


def canonical_office(name: str) -> str:
    """The canonical spelling of an office name (one tone style, fixed aliases)."""
    text = vntext.unify_tones(vntext.collapse(vntext.repair(name)))
    for pattern, fixed in _FIXED_PATTERNS:
        if pattern.fullmatch(text):
            return fixed
    match = _UBND.fullmatch(text)
    if match:
        return f"UBND {_level(match.group(1))}"
    text = re.sub(r"^Văn Phòng\b", "Văn phòng", text)
    return re.sub(r"\s*[-–]\s*", " - ", text) if " - " in text or "–" in text else text


def _level(word: str) -> str:
    return _LEVEL_NAMES.get(word.lower(), word)


def _locality_end(text: str, end: int) -> int:
    """Extend a mention over a trailing locality ("xã", "tỉnh Thanh Hóa", "TP")."""
    match = _LEVEL_RE.match(text, end)
    if not match:
        return end
    end = match.end()
    while True:
        word = _WORD_AT.match(text, end)
        if not _continues_name(text, word):
            return end
        end = word.end()


def _is_cap(word: str) -> bool:
    return word[:1].isupper() and word[:1].isalpha()


def _continues_name(text: str, word: re.Match[str] | None) -> bool:
    """True when ``word`` is a capitalised word that does not start another office."""
    if word is None or not _is_cap(word.group(1)) or word.group(1) in _OFFICE_START:
        return False
    return not _OFFICE_START_PAIRS.match(text, word.start(1))


def _component_end(text: str, pos: int) -> int:
    """End of one name component at ``pos``: a capitalised word and at most one lower-case word."""
    word = _WORD_AT.match(text, pos)
    if not _continues_name(text, word):
        return pos
    end = word.end()
    second = _WORD_AT.match(text, end)
    if (
        second
        and second.group(1).islower()
        and second.group(1) not in _NAME_STOP
        and not text[end : second.start(1)].strip()
    ):
        end = second.end()
    return end


def _name_end(text: str, start: int) -> int:
    """End of a capitalised office name starting at ``start`` ("Tư pháp", "Giáo dục và Đào tạo")."""
    end = start
    while True:
        nxt = _component_end(text, start)
        if nxt == start:
            return end
        end = nxt
        joiner = _JOINER.match(text, end)
        if not joiner:
            return end
        after = _WORD_AT.match(text, joiner.end())
        if "và" not in joiner.group(0) and after and after.group(1).lower() in _NAME_STOP:
            return end  # "Sở Tài chính - Chủ trì, phối hợp …": a bullet of duties, not a name
        start = joiner.end()


def find_offices(text: str) -> list[OfficeMention]:
    """Every office named in ``text``, in order, as canonical names with their positions."""
    text = _prepare(text)
    found: list[OfficeMention] = []
    taken: list[tuple[int, int]] = []

    def add(name: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken) or name in _NOT_OFFICES:
            return
        taken.append((start, end))
        found.append(OfficeMention(name, start, end))

    for pattern, name in _FIXED_PATTERNS:
        for m in pattern.finditer(text):
            if name.startswith("Các") or m.group(0)[0].isupper() or "mttq" in m.group(0).lower():
                add(name, m.start(), _locality_end(text, m.end()))
    for m in _SERIES.finditer(text):
        pos = m.end()
        while True:
            end = _component_end(text, pos)
            if end == pos:
                break
            add(canonical_office(f"Sở {text[pos:end]}"), pos, end)
            gap = _SERIES_GAP.match(text, end)
            if not gap:
                break
            pos = gap.end()
    for m in _UBND.finditer(text):
        add(f"UBND {_level(m.group(1))}", m.start(), _locality_end(text, m.start(1) - 1))
    for m in _HDND.finditer(text):
        add(f"HĐND {_level(m.group(1))}", m.start(), _locality_end(text, m.start(1) - 1))
    for m in _POLICE.finditer(text):
        add(f"Công an {_level(m.group(1))}", m.start(), _locality_end(text, m.start(1) - 1))
    for m in _NAMED.finditer(text):
        if m.group(1) == "Phòng" and text[max(0, m.start() - 4) : m.start()].lower() == "văn ":
            continue
        end = _name_end(text, m.end())
        if end > m.end():
            kind = "Văn phòng" if m.group(1).lower() == "văn phòng" else m.group(1)
            add(
                canonical_office(f"{kind} {text[m.end() : end]}"),
                m.start(),
                _locality_end(text, end),
            )
    return sorted(found, key=lambda o: o.start)


def extract_offices(text: str) -> list[str]:
    """Canonical names of the offices named in ``text``, in first-seen order."""
    return vntext.unique(o.name for o in find_offices(text))


def _folded_key(text: str) -> str:
    """Diacritic-free, punctuation-free lower-case form, aliases spelled out (hoidap.vocab)."""
    folded = vntext.fold(vntext.normalize(Vocabulary.bundled().canonical(text)))
    return " ".join(re.findall(r"[a-z0-9]+", folded))


class OfficeMatcher:
    """Finds known offices in a question, with or without diacritics."""

    def __init__(self, known: Iterable[str]) -> None:
        self._keys: list[tuple[str, str]] = sorted(
            {(_folded_key(name), name) for name in known if name},
            key=lambda kv: -len(kv[0]),
        )

    def match(self, query: str) -> list[str]:
        """Canonical names of the known offices the query names, in order of appearance."""
        text = f" {_folded_key(query)} "
        hits: list[tuple[int, str]] = []
        for key, name in self._keys:
            needle = f" {key} "
            pos = text.find(needle)
            while pos >= 0:
                span = (pos, pos + len(needle))
                text = text[: span[0]] + " " + "#" * (len(needle) - 2) + " " + text[span[1] :]
                hits.append((pos, name))
                pos = text.find(needle)
        return vntext.unique(name for _, name in sorted(hits))


@functools.cache
def _known_matcher() -> OfficeMatcher:
    return OfficeMatcher(KNOWN_OFFICES)


def match_offices(query: str) -> list[str]:
    """Offices of the built-in list named in a question (diacritics optional)."""
    return _known_matcher().match(query)


# words before the office a heading tasks: "Đề nghị …", "Thủ trưởng các phòng, ban, …"
_HEAD_PREFIX = re.compile(r"^(?:đề nghị|giao|đối với|riêng|thủ trưởng|người đứng đầu)\s+", re.I)
_HEAD_LEAD_IN = re.compile(r"\s*(?:các\s+sở\s*:\s*)?", re.I)
_LEAD_AFTER = re.compile(r"^\s*(?:là cơ quan\s+|làm\s+)?chủ trì\b", re.I)
_COORD_AFTER = re.compile(r"^\s*(?:có trách nhiệm\s+|chủ động\s+|tăng cường\s+)?phối hợp\b", re.I)
_COORD_BEFORE = re.compile(r"phối hợp(?:\s+chặt chẽ)?(?:\s+(?:với|cùng))?\s*(?:các\s+)?$", re.I)
_LEAD_BEFORE = re.compile(r"chủ trì\s*:\s*$", re.I)
_LIST_GAP = re.compile(r"^(?:\s*,\s*|\s+và\s+|\s+)(?:các\s+)?$", re.I)


def heading_offices(heading: str) -> list[str]:
    """Offices a heading names as its subject ("2. Phòng Kinh tế", "a) Sở Tài chính:")."""
    text = _HEAD_PREFIX.sub("", _prepare(heading).strip())
    mentions = find_offices(text)
    if not mentions or not _HEAD_LEAD_IN.fullmatch(text[: mentions[0].start]):
        return []
    names = [mentions[0].name]
    for prev, cur in zip(mentions, mentions[1:], strict=False):
        if not _LIST_GAP.match(text[prev.end : cur.start]):
            break
        names.append(cur.name)
    return names


def assign_roles(heading: str, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The offices a clause makes lead (chủ trì) and coordinate (phối hợp).

    An office heading leads; "X chủ trì" / "chủ trì: X" lead; "phối hợp với X" / "X phối
    hợp" coordinate. An office that leads is never also listed as coordinating.
    """
    lead: list[str] = list(heading_offices(heading))
    coord: list[str] = []
    body = _prepare(text)
    mentions = find_offices(body)
    for i, m in enumerate(mentions):
        after, before = body[m.end :], body[: m.start]
        if _LEAD_AFTER.match(after) or _LEAD_BEFORE.search(before):
            lead.append(m.name)
        elif _COORD_AFTER.match(after) or _COORD_BEFORE.search(before):
            coord.append(m.name)
            # the rest of a list after "phối hợp với" coordinates too
            for prev, cur in zip(mentions[i:], mentions[i + 1 :], strict=False):
                if not _LIST_GAP.match(body[prev.end : cur.start]):
                    break
                coord.append(cur.name)
    lead = vntext.unique(lead)
    return tuple(lead), tuple(o for o in vntext.unique(coord) if o not in lead)


# ---- deadlines -------------------------------------------------------------------------

_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}
_QUARTER = re.compile(r"quý\s+(I{1,3}|IV|[1-4])\s*(?:/|năm\s+)\s*(\d{4})", re.I)
_MONTH = re.compile(r"(?<!ngày )(?<!\d )tháng\s+(\d{1,2})\s*(?:/|năm\s+)\s*(\d{4})", re.I)
_BEFORE_DATE = re.compile(
    r"(trước|chậm nhất|hạn chót)\s+(?:ngày\s+)?(\d{1,2})\s*(?:/|tháng\s+)(\d{1,2})"
    r"\s*(?:/|năm\s+)(\d{4})",
    re.I,
)
_WITHIN_YEAR = re.compile(r"(?:hoàn thành\s+)?trong\s+năm\s+(\d{4})", re.I)
_WHOLE = (
    (re.compile(r"thường xuyên|liên tục|hằng năm|hàng năm|định kỳ hằng năm", re.I), None),
    (re.compile(r"năm\s+(\d{4})", re.I), "Năm {0}"),
    (
        re.compile(r"(?:giai đoạn|từ năm)\s+(\d{4})\s*[-–]\s*(?:năm\s+)?(\d{4})", re.I),
        "Giai đoạn {0}-{1}",
    ),
    (re.compile(r"(khi có yêu cầu|theo chỉ đạo|theo yêu cầu|theo tiến độ)\b.*", re.I), None),
)


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def extract_deadlines(text: str) -> list[str]:
    """Deadlines a text sets, as display strings ("Quý II/2026", "Tháng 5/2026", "Thường xuyên").

    A whole cell such as "Thường xuyên" or "Khi có yêu cầu của Bộ Tư pháp" is one deadline;
    in running text only dated phrases count ("trước ngày 30/6/2026", "trong năm 2026").
    """
    clean = vntext.collapse(vntext.repair(text)).strip(" .;,")
    if not clean:
        return []
    for pattern, template in _WHOLE:
        match = pattern.fullmatch(clean)
        if match:
            if template is None:
                return [_sentence_case(clean)]
            return [template.format(*match.groups())]
    found: list[tuple[int, str]] = []
    for m in _BEFORE_DATE.finditer(clean):
        found.append(
            (
                m.start(),
                f"{_sentence_case(m.group(1).lower())} ngày "
                f"{int(m.group(2))}/{int(m.group(3))}/{m.group(4)}",
            )
        )
    for m in _QUARTER.finditer(clean):
        q = _ROMAN.get(m.group(1), m.group(1).upper())
        found.append((m.start(), f"Quý {q}/{m.group(2)}"))
    for m in _MONTH.finditer(clean):
        if not any(s <= m.start() < s + 40 for s, _ in found):
            found.append((m.start(), f"Tháng {int(m.group(1))}/{m.group(2)}"))
    for m in _WITHIN_YEAR.finditer(clean):
        found.append((m.start(), f"Trong năm {m.group(1)}"))
    return vntext.unique(label for _, label in sorted(found))
