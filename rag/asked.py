"""The kind of value a question asks for, and whether a clause states one.

"Lương cơ sở là bao nhiêu?" asks for an amount, "hạn chót là ngày nào?" for a day, "bao giờ
phải xong" for a deadline, "trong vòng mấy ngày" for a duration, "chủ tịch … là ai" for a
person, "số điện thoại" for a contact, "đã làm xong chưa" for progress, "thôn nào" for a
thing of a kind: a clause that only shares the question's other words ("năm 2026", "kế
hoạch") does not answer them. Both sides are compared folded to plain letters.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Value(StrEnum):
    AMOUNT = "amount"  # a sum of money or a rate
    DAY = "day"  # a calendar day
    COUNT = "count"  # how many of something the plans do not list ("bao nhiêu thôn")
    PERSON = "person"  # who holds a post ("chủ tịch UBMTTQ tỉnh là ai")
    CONTACT = "contact"  # a phone number, an e-mail or street address
    PROGRESS = "progress"  # whether a task is done yet: plans set tasks, they do not report
    TIME = "time"  # an hour, a time slot or a session ("khung giờ nào", "kỳ họp nào")
    DURATION = "duration"  # how long ("bao lâu", "trong vòng mấy ngày")
    DEADLINE = "deadline"  # by when ("hạn chót", "bao giờ phải xong", "trước năm nào")
    WHICH = "which"  # which one of a kind of thing ("thôn nào", "trường đại học nào")


# "lương cơ sở là bao nhiêu", "mức phụ cấp", "bao nhiêu tiền"; a count of tasks ("bao nhiêu
# nhiệm vụ") is not an amount, nor "ngày bao nhiêu", "số bao nhiêu"
_AMOUNT_ASKED = re.compile(
    r"\bbao nhieu (?:tien|trieu|ty|dong|phan tram)\b|\bbao nhieu\s*%"
    r"|(?<!ngay )(?<!thang )(?<!nam )(?<!so )\bbao nhieu\s*\??\s*$"
    r"|\bmuc (?:luong|phu cap|chi|phat|boi thuong|ho tro|thu hut|thue|hoc phi)\b"
)
_AMOUNT_STATED = re.compile(r"\d+(?:[.,]\d+)*\s*(?:%|phan tram|dong|trieu|ty|nghin)(?!\w)")
# "ngày nào", "hôm nào", "ngày mấy", "ngày bao nhiêu"; "khi nào" may be answered by
# "thường xuyên" or a year
_DAY_ASKED = re.compile(
    r"\b(?:ngay|hom) (?:nao|may|bao nhieu)\b|\bhieu luc (?:tu )?(?:khi nao|bao gio|luc nao)\b"
)
# "có bao nhiêu thôn", "có mấy cán bộ", "chia thành mấy tầng", "phải mở mấy lớp": a number of
# things ("mấy" alone also means "those": "mấy vụ làm ăn"); items a
# plan lists (tasks, solutions, offices, plans) are counted from the list
_COUNT_ASKED = re.compile(
    r"\b(?:bao nhieu|(?:co|thanh|gom|phai|mo|to chuc|tuyen|bo tri) may)\s+(\w+)(?:\s+(\w+))?"
)
_LISTED = frozenset(
    """nhiem viec dau hang giai noi diem muc nhom ke kh van co don so phong ban
    nganh yeu""".split()
)
_LISTED_PAIRS = frozenset({"cong viec", "bien phap"})
# units of time: "mấy ngày" asks a duration, "mấy lần" a frequency, "ngày mấy" a day
_UNITS = frozenset("ngay thang nam tuan gio quy lan".split())
_DURATION_ASKED = re.compile(
    r"\bbao lau\b|\b(?:bao nhieu|may)\s+(?:ngay|thang|nam|tuan)\b(?!\s+\d+\s*(?:/|nam\b))"
    r"|\b(?:bao nhieu|may)\s+lan\b"
)
# a number, in digits or words ("01 lãnh đạo", "một lãnh đạo")
_NUMBER = r"(?:\d+|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi)"
# a number of days, months or years; for "bao lâu (một lần)" a frequency ("định kỳ", "hằng
# năm", "ngay sau khi") also answers
_DURATION_STATED = re.compile(r"\b\d+\s+(?:ngay|thang|nam|tuan)\b(?!\s+\d)")
_FREQUENCY_ASKED = re.compile(r"\bbao lau\b|\b(?:bao nhieu|may)\s+lan\b")
_FREQUENCY_STATED = re.compile(
    r"\bthuong xuyen\b|\bhang (?:nam|quy|thang)\b|\bdinh ky\b|\bngay sau khi\b"
)
_DEADLINE_ASKED = re.compile(
    r"\b(?:han chot|han cuoi|thoi han|bao gio|khi nao|(?:truoc|ngay|thang|nam|quy) nao"
    r"|xong truoc|phai xong|hoan thanh truoc)\b"
)
# a year, a frequency, a deadline that is a manner ("kịp thời", "khi có yêu cầu"), or one
# set by another text ("bảo đảm thời hạn theo quy định tại …")
_DEADLINE_STATED = re.compile(
    rf"\b(?:19|20)\d{{2}}\b|{_DURATION_STATED.pattern}|{_FREQUENCY_STATED.pattern}"
    r"|\bkhi co yeu cau\b|\btheo chi dao\b|\bkip thoi\b|\bthoi han\b"
)
# "chủ tịch UBMTTQ tỉnh là ai", "ai là giám đốc sở": the holder of a post, by name
_POST = r"(?:pho )?(?:chu tich|giam doc|bi thu|truong phong|truong ban|chanh van phong)"
_PERSON_ASKED = re.compile(
    rf"\b{_POST}\b(?:\W+\w+){{0,14}}?\W+(?:la ai|ten (?:la )?gi)\b"
    rf"|\bai (?:la|lam|giu chuc) {_POST}\b|\bten (?:cua )?{_POST}\b"
)
# the plans name one holder of a post only: the issuing UBND's signer ("Chủ tịch UBND tỉnh")
_POST_OF_ISSUER = re.compile(rf"\b{_POST}\s+(?:ubnd|uy ban nhan dan)\b")
# a personal name as the documents write it: a common family name and a capitalised given name
_PERSON_STATED = re.compile(
    r"\b(?:Nguyen|Tran|Le|Pham|Hoang|Huynh|Phan|Vu|Vo|Dang|Bui|Do|Ho|Ngo|Duong|Ly|Trinh|Dinh"
    r"|Mai|Lam|Luong|Truong|Cao|Doan|Ta|Chu|Ha)(?:\s+[A-Z]\w*){1,3}"
)
_CONTACT_ASKED = re.compile(r"\b(?:so dien thoai|dien thoai|hotline|email|e mail|dia chi)\b")
_CONTACT_STATED = re.compile(r"\d{3,}[\s.]?\d{3,}|@")
_PROGRESS_ASKED = re.compile(
    r"\b(?:xong|hoan thanh|lam|thuc hien|trien khai|ban hanh|to chuc) chua\b"
    r"|\b(?:da|xong|hoan thanh)\b(?:\W+\w+){0,10}?\W+chua\b"
    r"|\bda\b(?:\W+\w+){0,10}?\W+duoc bao nhieu\b"
    r"|\bket (?:qua|luan) (?:ra sao|the nao|nhu the nao)\b"
)
_PROGRESS_STATED = re.compile(r"\bda (?:hoan thanh|thuc hien xong|xong|dat)\b")
_TIME_ASKED = re.compile(r"\b(?:khung gio|may gio|ky hop nao|hop ky nao)\b")
_TIME_STATED = re.compile(r"\b\d{1,2}\s*(?:h|gio)\b|\bky hop thu\b|\bkhung gio\b")
# "thôn nào", "trường đại học nào": an answer names a thing of that kind, so the kind's last
# word is written in it; kinds answered by a name of another form (an office for "cơ quan
# nào", a date for "năm nào") or that only frame a list ("nhiệm vụ nào") are left out
_WHICH_ASKED = re.compile(r"\b(\w+)\s+nao\b")
_WHICH_FRAMES = frozenset(
    """quan vi ai viec vu dung de vuc hoach kh ban luc khi ngay thang nam quy phan muc diem
    phap tuong cap nguon cach gi dau tiet gian han hien phuong xa tinh pho thi noi cho ben
    bo so phong nganh nhom loai thuc sao the co kenh gio nhip kieu dang huong chung lan do
    luong""".split()
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


_ASKED = {
    Value.PERSON: _PERSON_ASKED,
    Value.CONTACT: _CONTACT_ASKED,
    Value.PROGRESS: _PROGRESS_ASKED,
    Value.TIME: _TIME_ASKED,
    Value.DEADLINE: _DEADLINE_ASKED,
}
_STATED = {
    Value.CONTACT: _CONTACT_STATED,
    Value.PROGRESS: _PROGRESS_STATED,
    Value.TIME: _TIME_STATED,
}


def asked_value(folded_question: str) -> Value | None:
    """The kind of value the question asks for (see :class:`Value`), if any; the first kind
    found in this order: amount, day, count, duration, person, contact, progress, time,
    deadline, which."""
    if _AMOUNT_ASKED.search(folded_question):
        return Value.AMOUNT
    if _DAY_ASKED.search(folded_question):
        return Value.DAY
    if _counted(folded_question):
        return Value.COUNT
    if _DURATION_ASKED.search(folded_question):
        return Value.DURATION
    for value, pattern in _ASKED.items():
        if pattern.search(folded_question):
            return value
    if _which(folded_question):
        return Value.WHICH
    return None


def _which(folded_question: str) -> str:
    """The last word of the kind of thing "<kind> nào" asks to identify, or ""."""
    kinds = [m.group(1) for m in _WHICH_ASKED.finditer(folded_question)]
    return next((k for k in kinds if k not in _WHICH_FRAMES and not k.isdigit()), "")


def _counted(folded_question: str) -> str:
    """The noun of "bao nhiêu <noun>" when the plans do not list such things ("" otherwise)."""
    for match in _COUNT_ASKED.finditer(folded_question):
        first = match.group(1)
        pair = f"{first} {match.group(2) or ''}".strip()
        if first not in _LISTED and first not in _UNITS and pair not in _LISTED_PAIRS:
            return first
    return ""


def states(value: Value, folded_clause: str, *, folded_question: str, references: bool) -> bool:
    """True when the clause states a value of this kind that the question does not already give.

    Dates of documents (cited by number, or a plan's dateline) count only when the question is
    about such a document (``references``): "NQ 140 ban hành ngày nào" is answered by one,
    "hạn chót là ngày nào" is not.
    """
    if value is Value.PERSON:  # a name keeps its capitals
        return bool(
            _POST_OF_ISSUER.search(folded_question) and _PERSON_STATED.search(folded_clause)
        )
    folded_clause = folded_clause.lower()
    if value is Value.WHICH:
        return bool(re.search(rf"\b{_which(folded_question)}\b", folded_clause))
    if value in _STATED:
        return bool(_STATED[value].search(folded_clause))
    if value is Value.AMOUNT:
        return bool(_AMOUNT_STATED.search(folded_clause))
    if value is Value.COUNT:  # "có bao nhiêu thôn" needs "12 thôn"
        noun = _counted(folded_question)
        return bool(noun and re.search(rf"\b{_NUMBER}\s*%?\s+{re.escape(noun)}\b", folded_clause))
    if not references:
        folded_clause = _REFERENCE_DATE.sub(" ", folded_clause)
    if value is Value.DURATION and _FREQUENCY_ASKED.search(folded_question):
        if _FREQUENCY_STATED.search(folded_clause):
            return True
    stated = {Value.DAY: _DAY_STATED, Value.DURATION: _DURATION_STATED}.get(value, _DEADLINE_STATED)
    if value is not Value.DAY and _DAY_STATED.search(folded_clause):
        return True
    given = {g for g in stated.findall(folded_question) if any(c.isdigit() for c in g)}
    return any(day not in given for day in stated.findall(folded_clause))
