"""Readable Vietnamese phrases cut from clause text: task phrases, sentences, blanks.

``whole_phrase`` cuts only where a phrase ends (before a purpose or manner clause, or before a
comma that opens a new verb phrase), so a question never shows a cut with "…"; ``fit_chars``
(for export limits) cuts at a word boundary and marks the cut. A phrase never ends on a
dangling function word ("của", "và", "theo"…).
"""

from __future__ import annotations

import re
from functools import lru_cache

from hoidap import vntext

ELLIPSIS = "…"
_BULLET = re.compile(r"^\s*(?:[-+•*–]\s+|[a-zđ]\)\s+|\d+(?:\.\d+)*\.\s+)")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[^\w]*[A-ZĐÀ-Ỹ0-9“\"(])|;\s*|\n+")
_DANGLING = frozenset(
    """
    và của cho với trong về theo để được những các là tại từ đến hoặc như bằng do mà thì
    nhằm gắn đối trên vào qua cùng có sau số vừa phải cần sẽ đã
    """.split()
)
_EDGE_PUNCT = " ,;:.-–—(\"“”'"


def is_item(line: str) -> bool:
    """True for a bullet line ("- …", "+ …")."""
    return bool(re.match(r"^\s*[-+•*–]\s+", line))


def strip_marker(text: str) -> str:
    """Remove a leading bullet or enumerator ("- ", "a) ", "2. ")."""
    return _BULLET.sub("", text, count=1).strip()


def items(text: str) -> list[str]:
    """The bullets of a clause text, or its whole text when it has none."""
    lines = [line for line in text.split("\n") if line.strip()]
    bullets = [strip_marker(line) for line in lines if is_item(line)]
    return bullets or [vntext.collapse(text)]


def sentences(text: str) -> list[str]:
    """Sentences and semicolon-separated parts of a text, whitespace collapsed."""
    return [vntext.collapse(s) for s in _SENTENCE_END.split(text) if s and s.strip(_EDGE_PUNCT)]


@lru_cache(maxsize=4096)
def _word_ends(text: str) -> frozenset[int]:
    """Character offsets where a Vietnamese word (possibly several syllables) ends."""
    from underthesea import word_tokenize  # deferred: importing underthesea is slow

    ends: set[int] = set()
    position = 0
    for token in word_tokenize(text, use_token_normalize=False):
        found = text.find(token, position)
        if found >= 0:
            position = found + len(token)
            ends.add(position)
    return frozenset(ends)


def _pieces(text: str) -> list[re.Match[str]]:
    return list(re.finditer(r"\S+", text))


def _is_word_end(text: str, piece: re.Match[str]) -> bool:
    """True when ``piece`` ends a word: cutting after it does not split "pháp | luật"."""
    ends = _word_ends(text)
    bare = piece.group().rstrip(_EDGE_PUNCT + "…")
    return piece.end() in ends or piece.start() + len(bare) in ends


def _trim_tail(text: str, *, keep: int = 0) -> str:
    """Drop trailing punctuation and dangling function words (never the first ``keep`` chars)."""
    while True:
        text = text.rstrip(_EDGE_PUNCT)
        pieces = _pieces(text)
        if not pieces or pieces[-1].start() < keep:
            return text
        if vntext.normalize(pieces[-1].group().strip(_EDGE_PUNCT)) not in _DANGLING:
            return text
        text = text[: pieces[-1].start()]


def _needle(term: str) -> str:
    # not vntext.normalize: its markup repair would read a "_____" blank as emphasis
    return vntext.collapse(vntext.unify_tones(term.lower()))


def find_term(text: str, term: str) -> tuple[int, int] | None:
    """Span of the first whole-word occurrence of ``term`` in ``text`` (case, tone style
    and spacing ignored), or None."""
    hay = vntext.unify_tones(text.lower())
    needle = _needle(term)
    if not needle or len(hay) != len(text):
        return None
    pattern = re.escape(needle).replace(r"\ ", r"\s+")
    m = re.search(rf"(?<![\w/-]){pattern}(?![\w/])", hay)
    return (m.start(), m.end()) if m else None


def count_term(text: str, term: str) -> int:
    """How many times ``term`` occurs as whole words in ``text``."""
    hay = vntext.collapse(vntext.unify_tones(text.lower()))
    needle = re.escape(_needle(term)).replace(r"\ ", r"\s+")
    return len(re.findall(rf"(?<![\w/-]){needle}(?![\w/])", hay)) if needle else 0


def sentence_with(text: str, term: str) -> str:
    """The sentence of ``text`` that contains ``term`` ("" when none does)."""
    for sentence in sentences(strip_marker(text)):
        if find_term(sentence, term):
            return strip_marker(sentence)
    return ""


def window(sentence: str, term: str, *, max_words: int = 24) -> str:
    """``sentence`` cut to at most ``max_words`` words around ``term``, cuts marked with "…".

    Spacing and punctuation are kept as written; cuts fall on word boundaries.
    """
    span = find_term(sentence, term)
    if span is None:
        return ""
    pieces = _pieces(sentence)
    first = next(i for i, p in enumerate(pieces) if p.end() > span[0])
    last = next(i for i, p in enumerate(pieces) if p.end() >= span[1])
    after = len(pieces) - 1 - last
    room = max(max_words - (last - first + 1), 0)
    keep_before = min(first, max(room // 3, room - after))
    keep_after = min(after, room - keep_before)
    start = first - keep_before
    while 0 < start < first and not _is_word_end(sentence, pieces[start - 1]):
        start += 1
    end = last + keep_after
    while last < end < len(pieces) - 1 and not _is_word_end(sentence, pieces[end]):
        end -= 1
    offset = pieces[start].start()
    text = sentence[offset : pieces[end].end()]
    if end < len(pieces) - 1:
        text = _trim_tail(text, keep=span[1] - offset) + ELLIPSIS
    else:
        text = text.rstrip(" ,;:")
    if start > 0:
        text = ELLIPSIS + text.lstrip(_EDGE_PUNCT)
    return text


def blank_out(text: str, term: str, blank: str) -> str:
    """``text`` with the first occurrence of ``term`` replaced by ``blank``."""
    span = find_term(text, term)
    if span is None:
        return ""
    return text[: span[0]] + blank + text[span[1] :]


def swap(text: str, term: str, replacement: str) -> str:
    """``text`` with the first occurrence of ``term`` replaced by ``replacement``."""
    return blank_out(text, term, replacement)


def fit_chars(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, marked with "…"."""
    text = vntext.collapse(text)
    if len(text) <= limit:
        return text
    pieces = _pieces(text)
    kept = ""
    for piece in pieces:
        if piece.end() + len(ELLIPSIS) > limit:
            break
        if _is_word_end(text, piece):
            kept = text[: piece.end()]
    kept = _trim_tail(kept)
    if not kept:  # no clean cut fits: whole words still, a word only when one alone is too long
        fitting = [p for p in pieces if p.end() + len(ELLIPSIS) <= limit]
        kept = text[: fitting[-1].end()] if fitting else text[: max(limit - 1, 0)]
    return kept.rstrip(ELLIPSIS) + ELLIPSIS


# where a whole task phrase may end: before a purpose, manner or condition clause
_PHRASE_BREAK = re.compile(
    r",?\s+(?=(?:để|nhằm|theo hướng|theo quy định|theo đúng|trên cơ sở|gắn với|trong đó|"
    r"sau khi|khi có)\b)|,\s+(?=(?:bảo đảm|đảm bảo|góp phần|phù hợp với|hoàn thành|trước ngày|"
    r"chậm nhất)\b)"
)
_NOUNISH = frozenset({"N", "Np", "Nc", "Nu", "Ny", "M"})
_LIST_GOES_ON = frozenset({",", "và", "hoặc"})
# nouns the tagger often reads as verbs after a comma ("chủ trương, yêu cầu của…")
_NOT_A_NEW_VERB = frozenset(
    {"yêu cầu", "quy định", "hướng dẫn", "kế hoạch", "chương trình", "đề án", "nhiệm vụ", "chống"}
)
# a cut phrase opening with an adverbial has lost its main clause ("Trên cơ sở quy định…")
_ADVERBIAL_OPENING = re.compile(r"^(trên cơ sở|trong|theo|căn cứ|nhằm|để|sau khi|khi)\b")
MAX_PHRASE_WORDS = 26


@lru_cache(maxsize=4096)
def verb_commas(text: str) -> tuple[int, ...]:
    """Offsets of the commas of ``text`` that open a new verb phrase (", đa dạng hóa…")
    after a noun phrase; a comma inside a list of verbs ("theo dõi, đôn đốc") is not one."""
    from underthesea import pos_tag  # deferred: importing underthesea is slow

    offsets: list[int] = []
    position = 0
    tagged = [("", ""), *pos_tag(text), ("", ""), ("", "")]
    for i in range(1, len(tagged) - 2):
        token = tagged[i][0]
        found = text.find(token, position) if token else -1
        if found < 0:
            continue
        position = found + len(token)
        word, tag = tagged[i + 1]
        new_verb = (
            tag == "V" and word[:1].islower() and vntext.normalize(word) not in _NOT_A_NEW_VERB
        )
        # "sửa đổi, bổ sung, thay thế": a comma inside a list, before or after
        listed = tagged[i + 2][0] in _LIST_GOES_ON or tagged[i - 2][0] == ","
        if token == "," and new_verb and not listed and tagged[i - 1][1] in _NOUNISH:
            offsets.append(found)
    return tuple(offsets)


def whole_phrase(text: str, *, max_words: int = MAX_PHRASE_WORDS, min_words: int = 8) -> str:
    """The first sentence of ``text`` as one whole phrase of at most ``max_words`` words.

    A longer sentence is cut where a phrase ends (before "để", "nhằm", "theo hướng"…, or a
    comma opening a new verb phrase), never inside one; "" when no such cut leaves at least
    ``min_words`` words. Nothing is marked with "…": the phrase reads as complete.
    """
    parts = sentences(strip_marker(vntext.collapse(text)))
    first = _trim_tail(parts[0]) if parts else ""
    if not first or ELLIPSIS in first or "..." in first:
        return ""
    if len(first.split()) <= max_words:
        return _close_quotes(first) if len(first.split()) >= min_words else ""
    cuts = [m.start() for m in _PHRASE_BREAK.finditer(first)] + list(verb_commas(first))
    fitting = [c for c in cuts if min_words <= len(first[:c].split()) <= max_words]
    if not fitting or _ADVERBIAL_OPENING.match(vntext.normalize(first)):
        return ""
    return _close_quotes(_trim_tail(first[: max(fitting)]))


def _close_quotes(phrase: str) -> str:
    """Give back a closing quote trimmed off the end ("Đề án “Tiêu chí…”")."""
    return phrase + "”" * max(phrase.count("“") - phrase.count("”"), 0)


_INNER = str.maketrans({"“": "‘", "”": "’", '"': "'"})


def inner_quotes(text: str) -> str:
    """Quotes inside a quoted phrase made ‘single’, so the outer “…” stays whole."""
    return text.translate(_INNER)


def lower_first(phrase: str) -> str:
    """ "Chủ trì, phối hợp…" → "chủ trì, phối hợp…" (acronyms and names such as "UBND",
    "Nghị quyết", "Sở Tư pháp" kept)."""
    words = phrase.split(" ", 2)
    if words[0].isupper() or (len(words) > 1 and words[1][:1].isupper()):
        return phrase
    return phrase[:1].lower() + phrase[1:]


def upper_first(phrase: str) -> str:
    """The phrase with its first letter upper case."""
    return phrase[:1].upper() + phrase[1:]
