"""Mark the question's words inside a clause, matching with or without diacritics.

A question word typed with diacritics matches only the same word ("cơ" never lights up "có");
a word typed without them matches every spelling that folds to it ("phong kinh te" lights up
"Phòng Kinh tế"). Function words ("gì", "của", "là") are never marked.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from hoidap import vntext

_WORD = re.compile(r"[^\W_]+")
_ADJACENT_MARKS = re.compile(r"</mark>(\s+)<mark>")
_FOLDED_STOPWORDS = frozenset(vntext.fold(w) for w in vntext.STOPWORDS if "_" not in w)


@dataclass(frozen=True)
class HighlightTerms:
    """The words to mark: ``exact`` compare normalised forms, ``folded`` diacritic-free ones."""

    exact: frozenset[str] = frozenset()
    folded: frozenset[str] = frozenset()

    def matches(self, word: str) -> bool:
        """True when ``word`` (as written in a document) is one of the question's words."""
        key = vntext.normalize(word)
        return key in self.exact or vntext.fold(key) in self.folded

    def __bool__(self) -> bool:
        return bool(self.exact or self.folded)


def terms_for(question: str) -> HighlightTerms:
    """The content words of a question, split the way document text is split."""
    exact: set[str] = set()
    folded: set[str] = set()
    for word in _WORD.findall(vntext.normalize(question)):
        if len(word) < 2 and not word.isdigit():
            continue
        if vntext.has_diacritics(word):
            if word not in vntext.STOPWORDS:
                exact.add(word)
        elif word not in _FOLDED_STOPWORDS:
            folded.add(word)
    return HighlightTerms(frozenset(exact), frozenset(folded))


def highlight(text: str, terms: HighlightTerms) -> str:
    """``text`` HTML-escaped, with runs of matching words wrapped in ``<mark>``."""
    if not terms:
        return html.escape(text)
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        if not terms.matches(match.group()):
            continue
        out.append(html.escape(text[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group())}</mark>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return _ADJACENT_MARKS.sub(r"\1", "".join(out))
