"""Which documents a question is about, from the places and issuers it names.

"Theo kế hoạch của xã Chí Minh, …" names a document rather than a topic: those words should
favour that document's clauses, not pull every clause that repeats the place name (the title
block most of all), and they say nothing about whether the topic is covered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from hoidap import vntext
from hoidap.types import Document

# a bare level names a document only as its owner: "kế hoạch của tỉnh", "ở phường", "UBND tỉnh"
# ("cấp tỉnh", "sở … tỉnh" are generic), compared without diacritics
_OWNER = r"(?:^|(?<=\bcua )|(?<=\bo )|(?<=\btai )|(?<=\bubnd )|(?<=\buy ban nhan dan ))"
_LEVELS = ("thành phố", "tỉnh", "xã", "phường", "thị trấn", "huyện", "quận", "thị xã")


@dataclass(frozen=True)
class Scope:
    """Documents a question names, and the question with those names removed."""

    sources: tuple[str, ...]
    remainder: str


def _folded(text: str) -> str:
    return vntext.fold(vntext.normalize(text))


class DocumentScope:
    """Recognises document-identifying names (places, issuers) in questions."""

    def __init__(self, documents: Iterable[Document]) -> None:
        names: dict[str, set[str]] = {}
        generic: dict[str, set[str]] = {}
        for doc in documents:
            for value in (doc.locality, doc.issuer.removeprefix("UBND ").strip()):
                if not value:
                    continue
                level = next((lv for lv in _LEVELS if value.lower().startswith(lv + " ")), "")
                proper = value[len(level) :].strip() if level else value
                if proper and proper.lower() not in _LEVELS:
                    names.setdefault(_folded(value), set()).add(doc.source)
                    names.setdefault(_folded(proper), set()).add(doc.source)
                elif value.lower() in _LEVELS:
                    generic.setdefault(_folded(value), set()).add(doc.source)
        self._names = sorted(names.items(), key=lambda kv: -len(kv[0]))
        # a bare level ("phường") names a document only when one issuer has no other name
        self._generic = sorted(
            ((k, v) for k, v in generic.items() if len(v) == 1), key=lambda kv: -len(kv[0])
        )

    def find(self, question: str) -> Scope:
        """The documents named in ``question`` and the question without their names."""
        folded = _folded(question)
        normalized = vntext.normalize(question)
        if len(folded) != len(normalized):
            return Scope((), question)
        sources: set[str] = set()
        spans: list[tuple[int, int]] = []
        for table, before in ((self._names, ""), (self._generic, _OWNER)):
            for name, docs in table:
                if name not in folded:  # a substring test first: thousands of names, one match
                    continue
                for m in re.finditer(rf"(?<![\w]){before}{re.escape(name)}(?![\w])", folded):
                    if any(s <= m.start() < e for s, e in spans):
                        continue
                    spans.append((m.start(), m.end()))
                    sources |= docs
            if sources:
                break
        if not sources:
            return Scope((), question)
        kept, last = [], 0
        for start, end in sorted(spans):
            kept.append(normalized[last:start])
            last = end
        kept.append(normalized[last:])
        return Scope(tuple(sorted(sources)), vntext.collapse(" ".join(kept)))

    def find_all(self, question: str) -> Scope:
        """Every document named, of any kind of name ("ở phường và ở xã Chí Minh": a proper
        name, then a bare level), and the question without their names."""
        sources: list[str] = []
        found = self.find(question)
        remainder = question
        while found.sources:
            sources += [s for s in found.sources if s not in sources]
            remainder, found = found.remainder, self.find(found.remainder)
        return Scope(tuple(sources), remainder)
