"""Vietnamese text handling shared by indexing and querying, so the two never disagree.

Three forms of a text exist:
* ``repair``: what is shown and cited. NFC, ``Ð`` (U+00D0) read as ``Đ``, markdown emphasis
  removed; case and tone-mark style kept as written.
* ``normalize``: what is matched. ``repair`` plus lower case, one tone-mark style
  (``hoá`` → ``hóa``, ``uỷ`` → ``ủy``) and collapsed whitespace.
* ``fold``: ``normalize`` without diacritics (``phòng kinh tế`` → ``phong kinh te``), so
  questions typed without diacritics still match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])", re.S)
# combining marks on no letter (after a space, a digit or markup): a tone on nothing
_ORPHAN_MARKS = re.compile(r"(?<![^\W\d_])(?<![\u0300-\u036f])[\u0300-\u036f]+")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_WHITESPACE = re.compile(r"\s+")
# oa/oe/uy closing a syllable carry the tone on the first vowel in the style we keep
# ("hóa", "thủy"); "qu" is a consonant cluster, so "quý" keeps its tone on y.
_TONE_STYLE = re.compile(
    rf"(?<![qQ])([oO])([aAeE])([{_TONES}])(?![\w\u0300-\u036f])"
    rf"|(?<![qQ])([uU])([yY])([{_TONES}])(?![\w\u0300-\u036f])"
)
_WORD = re.compile(r"[0-9a-zA-Z\u00c0-\u1ef9]+(?:[-/.][0-9a-zA-Z\u00c0-\u1ef9]+)*")

STOPWORDS_FILE = Path(__file__).resolve().parent / "data" / "stopwords_vi.txt"


def repair(text: str) -> str:
    """Fix encoding defects and markup but keep the text as written (for display and citing)."""
    text = text.replace("\u00d0", "\u0110").replace("\u00f0", "\u0111").replace("\ufeff", "")
    previous = None
    while previous != text:  # nested markers ("***a***") need a second pass
        previous = text
        text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", _ORPHAN_MARKS.sub("", text))
    # NFC last: removing a marker can bring a letter next to its combining tone mark
    return unicodedata.normalize("NFC", _SPACES.sub(" ", text))


def unify_tones(text: str) -> str:
    """Put the tone mark of a closing oa/oe/uy on the first vowel (hoá → hóa, Uỷ → Ủy)."""
    decomposed = unicodedata.normalize("NFD", text)
    moved = _TONE_STYLE.sub(
        lambda m: (
            (m.group(1) + m.group(3) + m.group(2))
            if m.group(1)
            else (m.group(4) + m.group(6) + m.group(5))
        ),
        decomposed,
    )
    return unicodedata.normalize("NFC", moved)


def collapse(text: str) -> str:
    """Collapse every run of whitespace (line breaks included) to one space."""
    return _WHITESPACE.sub(" ", text).strip()


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """The matching form: repaired, lower case, one tone style, collapsed whitespace."""
    return collapse(unify_tones(repair(text).lower()))


def fold(text: str) -> str:
    """Remove Vietnamese diacritics from already-normalised text (đ → d)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese letter beyond plain ASCII."""
    return fold(text) != text


def syllables(text: str) -> list[str]:
    """Words of the normalised text, split on spaces and punctuation ("66-nq/tw" kept whole)."""
    return _WORD.findall(normalize(text))


@lru_cache(maxsize=1)
def _word_tokenize():
    from underthesea import word_tokenize  # deferred: importing underthesea is slow

    return word_tokenize


@lru_cache(maxsize=1)
def _pos_tag():
    from underthesea import pos_tag  # deferred: loads a tagging model on first use

    return pos_tag


NOUN_TAGS = frozenset({"N", "Np", "Nu", "Ny", "Nb"})


def nouns(text: str) -> list[str]:
    """Nouns and proper nouns of a text (normalised, syllables joined by spaces)."""
    found = []
    for word, tag in _pos_tag()(repair(text)):
        key = normalize(word)
        if tag in NOUN_TAGS and key not in stopwords() and _WORD.search(key):
            found.append(key)
    return unique(found)


def segment(text: str) -> list[str]:
    """underthesea word segments of the normalised text; compounds joined by ``_``."""
    words = _word_tokenize()(normalize(text))
    out: list[str] = []
    for word in words:
        parts = _WORD.findall(word)
        if parts:
            out.append("_".join(parts))
    return out


def index_terms(text: str, *, folded: bool = False) -> list[str]:
    """Terms for the lexical index: every syllable plus every multi-syllable segment.

    Indexing syllables as well as compounds keeps matching robust when the segmenter splits
    a question differently from the document (common for text typed without diacritics).
    """
    terms = syllables(text) + [w for w in segment(text) if "_" in w]
    return [fold(t) for t in terms] if folded else terms


@lru_cache(maxsize=2)
def stopwords(*, folded: bool = False) -> frozenset[str]:
    """Function words, question words and particles; ``folded`` for text typed without marks.

    The folded set is only for folded text: "bạn" folds to "ban", which in accented text is
    the content word "ban" (ban hành).
    """
    lines = STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    words = {normalize(w) for w in lines if w.strip() and not w.startswith("#")}
    return frozenset(fold(w) for w in words) if folded else frozenset(words)


def content_terms(text: str) -> list[str]:
    """Syllables that carry meaning: no function words, no bare numbers except years.

    Multi-syllable function words ("bao giờ", "thế nào") are removed as a whole first, using
    the word segmenter, so that their syllables do not survive on their own.
    """
    stop = stopwords(folded=not has_diacritics(normalize(text)))
    phrases = {syl for w in segment(text) if "_" in w and w in stop for syl in w.split("_")}
    return [
        s
        for s in syllables(text)
        if s not in stop and s not in phrases and (not s.isdigit() or len(s) == 4)
    ]


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order without repeats."""
    return list(dict.fromkeys(items))
