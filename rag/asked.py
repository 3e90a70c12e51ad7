"""The kind of value a question asks for, and whether a clause states one.

"Lương cơ sở là bao nhiêu?" asks for an amount and "hạn chót là ngày nào?" for a day: a clause
that only shares the question's words ("năm 2026", "kế hoạch") does not answer them. Both
sides are compared folded to plain letters.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Value(StrEnum):
    AMOUNT = "amount"  # a sum of money or a rate
    DAY = "day"  # a calendar day
    COUNT = "count"  # how many of something the plans do not list ("bao nhiêu thôn")


# "lương cơ sở là bao nhiêu", "mức phụ cấp", "bao nhiêu tiền"; a count of tasks ("bao nhiêu
# nhiệm vụ") is not an amount, nor "ngày bao nhiêu", "số bao nhiêu"
_AMOUNT_ASKED = re.compile(
    r"\bbao nhieu (?:tien|trieu|ty|dong|phan tram)\b"
    r"|(?<!ngay )(?<!thang )(?<!nam )(?<!so )\bbao nhieu\s*\??\s*$"
    r"|\bmuc (?:luong|phu cap|chi|phat|boi thuong|ho tro|thu hut|thue|hoc phi)\b"
)
_AMOUNT_STATED = re.compile(r"\d+(?:[.,]\d+)*\s*(?:%|phan tram|dong|trieu|ty|nghin)(?!\w)")
# "ngày nào", "hôm nào", "ngày mấy", "ngày bao nhiêu"; "khi nào" may be answered by
# "thường xuyên" or a year
_DAY_ASKED = re.compile(r"\b(?:ngay|hom) (?:nao|may|bao nhieu)\b")
# "có bao nhiêu thôn", "có mấy cán bộ": a number of things; items a plan lists (tasks,
# solutions, offices, plans) are counted from the list instead
_COUNT_ASKED = re.compile(r"\b(?:bao nhieu|co may)\s+(\w+)")
_LISTED = frozenset(
    """nhiem viec cong dau hang giai bien noi diem muc nhom ke kh van co don so phong ban
    nganh yeu lan nguoi""".split()
)
# a day, or the month or quarter it falls in: "ngày 15/12", "trước 30/6", "tháng 6/2026", "quý IV"
_DAY_STATED = re.compile(
    r"\bngay \d{1,2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{1,2}/\d{4}\b"
    r"|\bthang \d{1,2}\b|\bquy (?:i|ii|iii|iv|[1-4])\b"
)
# the date of a document: one cited by number ("số 272/KH-UBND ngày 13/10/2025"), or the
# plan's own dateline ("An Bình, ngày 05 tháng 3 năm 2026")
_DAY = r"ngay\s+\d{1,2}(?:/\d{1,2}/\d{2,4}|\s+thang\s+\d{1,2}\s+nam\s+\d{4})"
_REFERENCE_DATE = re.compile(rf"[\w.-]+/[\w./-]+\s+{_DAY}|,\s*{_DAY}")


def asked_value(folded_question: str) -> Value | None:
    """The kind of value the question asks for, if it asks for an amount, a day or a count."""
    if _AMOUNT_ASKED.search(folded_question):
        return Value.AMOUNT
    if _DAY_ASKED.search(folded_question):
        return Value.DAY
    counted = _COUNT_ASKED.search(folded_question)
    if counted and counted.group(1) not in _LISTED:
        return Value.COUNT
    return None


def states(value: Value, folded_clause: str, *, folded_question: str, references: bool) -> bool:
    """True when the clause states a value of this kind that the question does not already give.

    Dates of documents (cited by number, or a plan's dateline) count only when the question is
    about such a document (``references``): "NQ 140 ban hành ngày nào" is answered by one,
    "hạn chót là ngày nào" is not.
    """
    if value is Value.AMOUNT:
        return bool(_AMOUNT_STATED.search(folded_clause))
    if value is Value.COUNT:  # "có bao nhiêu thôn" needs "12 thôn"
        counted = _COUNT_ASKED.search(folded_question)
        noun = counted.group(1) if counted else ""
        return bool(noun and re.search(rf"\b\d+\s*%?\s+{re.escape(noun)}\b", folded_clause))
    if not references:
        folded_clause = _REFERENCE_DATE.sub(" ", folded_clause)
    given = set(_DAY_STATED.findall(folded_question))
    return any(day not in given for day in _DAY_STATED.findall(folded_clause))
