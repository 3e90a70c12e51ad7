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
    # whitespace first: a line break inside "*…*" must not hide the emphasis from repair()
    return collapse(unify_tones(repair(collapse(text)).lower()))


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


VERB_TAGS = frozenset({"V"})


def nouns(text: str) -> list[str]:
    """Nouns and proper nouns of a text (normalised, syllables joined by spaces)."""
    return unique(key for key, tag in _tagged(text) if tag in NOUN_TAGS)


def compounds(text: str) -> list[str]:
    """Nouns and verbs of two or more syllables ("sổ đỏ", "khai sinh"): the text's terms."""
    return unique(key for key, tag in _tagged(text) if tag in NOUN_TAGS | VERB_TAGS and " " in key)


@lru_cache(maxsize=256)  # a question is tagged for its nouns and its compounds
def _tagged(text: str) -> tuple[tuple[str, str], ...]:
    """(word without function words, tag) for each tagged word that keeps a letter."""
    found = []
    text = repair(text).strip()
    words = text.split(maxsplit=2)
    if len(words) > 1 and not words[1][:1].isupper():  # "Lương cơ sở …" is tagged a numeral
        text = text[:1].lower() + text[1:]
    stop = stopwords()
    for word, tag in _pos_tag()(text):
        # function words inside a tagged phrase ("tính chuyện", "làm luật") are not its topic
        key = " ".join(w for w in normalize(word).split() if w not in stop)
        if key and _WORD.search(key):
            found.append((key, tag))
    return tuple(found)


def segment(text: str) -> list[str]:
    """underthesea word segments of the normalised text; compounds joined by ``_``."""
    return list(_segments(text))


@lru_cache(maxsize=256)  # a question is segmented for its terms, folded terms and content words
def _segments(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for word in _word_tokenize()(normalize(text)):
        parts = _WORD.findall(word)
        if parts:
            out.append("_".join(parts))
    return tuple(out)


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

    Multi-syllable function words ("bao giờ", "thế nào") are removed as a whole first, as the
    word segmenter reads them or, when it misreads text typed without diacritics, wherever
    their syllables follow each other.
    """
    stop = stopwords(folded=not has_diacritics(normalize(text)))
    phrases = {syl for w in segment(text) if "_" in w and w in stop for syl in w.split("_")}
    words = syllables(text)
    inside = [False] * len(words)
    for phrase in (w.split("_") for w in stop if "_" in w):
        for i in range(len(words) - len(phrase) + 1):
            if words[i : i + len(phrase)] == phrase:
                inside[i : i + len(phrase)] = [True] * len(phrase)
    return [
        s
        for s, within in zip(words, inside, strict=True)
        if s not in stop and s not in phrases and not within and (not s.isdigit() or len(s) == 4)
    ]


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order without repeats."""
    return list(dict.fromkeys(items))


# A folded Vietnamese syllable: onset, vowel nucleus, final consonant (all optional but the
# nucleus). Telex and VNI leftovers ("phongf", "kinh phis", "huaan", "tu phap5") fail it.
_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x"
_NUCLEUS = (
    "uye|uya|uyu|oai|oay|oao|oeo|uay|uoi|uou|ieu|yeu|uai|"
    "ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ye|"
    "a|e|i|o|u|y"
)
_FINAL = "ch|ng|nh|c|m|n|p|t"
_SYLLABLE = re.compile(rf"(?:{_ONSET})?(?:{_NUCLEUS})(?:{_FINAL})?")


def is_syllable(word: str) -> bool:
    """True when ``word`` (any case, diacritics optional) is spelled like a Vietnamese syllable."""
    return bool(_SYLLABLE.fullmatch(fold(word.lower())))
