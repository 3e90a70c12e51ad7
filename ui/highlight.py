"""Mark the question's words inside a clause, matching with or without diacritics.

The question is split into words by the same segmenter the index uses, and a word is marked
only where all of its syllables appear together: "kinh tế" marks "Phòng Kinh tế" but not the
"kinh" of "kinh phí". A syllable typed with diacritics matches only that syllable ("cơ" never
lights up "có"); one typed without matches every spelling that folds to it ("phong kinh te"
marks "Phòng Kinh tế"). Function words ("gì", "của", "là") are never marked.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from hoidap import vntext

_WORD = re.compile(r"[^\W_]+")
_ADJACENT_MARKS = re.compile(r"</mark>(\s+)<mark>")

Phrase = tuple[str, ...]  # the syllables of one question word, normalised (or folded)


@dataclass(frozen=True)
class HighlightTerms:
    """The question's words, longest first, each a sequence of syllables to find together."""

    phrases: tuple[Phrase, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.phrases)


def _syllable_matches(word: str, syllable: str) -> bool:
    key = vntext.normalize(word)
    return key == syllable or (not vntext.has_diacritics(syllable) and vntext.fold(key) == syllable)


def terms_for(question: str) -> HighlightTerms:
    """The content words of a question as syllable sequences."""
    phrases: set[Phrase] = set()
    for segment in vntext.segment(question) if question.strip() else []:
        if segment in vntext.stopwords() or segment in vntext.stopwords(folded=True):
            continue
        syllables = tuple(_WORD.findall(segment))
        if len(syllables) == 1 and len(syllables[0]) < 2 and not syllables[0].isdigit():
            continue
        if syllables:
            phrases.add(syllables)
    return HighlightTerms(tuple(sorted(phrases, key=lambda p: (-len(p), p))))


def _marked_spans(words: list[re.Match[str]], terms: HighlightTerms) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        for phrase in terms.phrases:
            window = words[i : i + len(phrase)]
            if len(window) == len(phrase) and all(
                _syllable_matches(w.group(), s) for w, s in zip(window, phrase)
            ):
                spans.append((window[0].start(), window[-1].end()))
                i += len(phrase)
                break
        else:
            i += 1
    return spans


def highlight(text: str, terms: HighlightTerms) -> str:
    """``text`` HTML-escaped, with the question's words wrapped in ``<mark>``."""
    if not terms:
        return html.escape(text)
    out: list[str] = []
    last = 0
    for start, end in _marked_spans(list(_WORD.finditer(text)), terms):
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return _ADJACENT_MARKS.sub(r"\1", "".join(out))
