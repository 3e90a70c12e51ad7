"""Vietnamese administrative vocabulary: abbreviations, aliases and everyday phrasings, as data.

The tables live in ``hoidap/data/abbreviations_vi.tsv`` and ``phrasings_vi.tsv``. One rewrite,
:meth:`Vocabulary.canonical`, spells every alias out ("UBND" → "Ủy ban nhân dân", "Sở TP" →
"Sở Tư pháp") and turns everyday phrasings into the documents' words ("ai lo" → "chủ trì",
"tiền lấy ở đâu" → "kinh phí"). Indexing rewrites the lexical text of every passage with it and
querying rewrites the question with it, so a question in either spelling meets a clause in the
other; office matching, document scoping and refusal evidence all read the rewritten question.

Documents define short names themselves ("… (sau đây gọi tắt là Nghị quyết 66/NQQ-TW)");
:func:`harvest_definitions` finds them at index time and :meth:`Vocabulary.with_definitions`
adds them, so the short name carries the reference it stands for ("Nghị quyết 66-NQ/TW").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hoidap import vntext

DATA_DIR = Path(__file__).resolve().parent / "data"
ABBREVIATIONS_FILE = DATA_DIR / "abbreviations_vi.tsv"
PHRASINGS_FILE = DATA_DIR / "phrasings_vi.tsv"
DOCUMENT_KIND = "văn bản"  # third column of the abbreviation table for kinds of document
DROP = "-"  # third column of the phrasing table: the phrasing is dropped, its notion kept
REFERENCE_PREFIX = "ref:"  # lexical term naming a document by kind and number: "ref:nghiquyet:66"
_PERCENT = re.compile(r"(\d)\s*%")
_SEPARATOR = r"[\s\-–&/.]+"  # "VP HĐND-UBND" = "VP HĐND UBND"; "GD&ĐT" = "GD ĐT"; "P.KT"
_DEFINITION = re.compile(r"\(\s*\*?\s*sau đây gọi (?:tắt )?là\s+\*?([^()*]+?)\*?\s*\)", re.I)


@dataclass(frozen=True)
class Rewrite:
    """One row of a table: what is written, what it becomes, and the notion it names."""

    written: str  # as in the table
    becomes: str  # replacement ("" keeps the text: a row that only marks a notion)
    notion: str = ""


def _fold(text: str) -> str:
    return vntext.fold(vntext.normalize(text))


def _rows(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def _phrase_pattern(phrase: str) -> str:
    """A folded phrase as a regex: whole words, any separator between them."""
    words = re.findall(r"[0-9a-z]+", _fold(phrase))
    return _SEPARATOR.join(map(re.escape, words))


class Vocabulary:
    """Aliases and phrasings compiled for rewriting; build with :meth:`bundled`."""

    def __init__(self, rewrites: Iterable[Rewrite], kinds: Iterable[str]) -> None:
        self.rewrites = tuple(rewrites)
        self.kinds = tuple(sorted({_fold(k) for k in kinds}, key=len, reverse=True))
        by_key: dict[str, Rewrite] = {}
        for rewrite in self.rewrites:
            by_key.setdefault(self._key(_fold(rewrite.written)), rewrite)
        for rewrite in self.rewrites:  # a full form stays itself: rewriting twice changes nothing
            if rewrite.becomes not in ("", DROP):
                by_key.setdefault(self._key(_fold(rewrite.becomes)), Rewrite(rewrite.becomes, ""))
        self._by_key = by_key
        patterns = sorted((_phrase_pattern(r.written) for r in by_key.values()), key=len)
        # the longest alias wins; codes such as "66-NQ/TW" are never split into aliases
        self._pattern = re.compile(
            r"(?<![\w/.\-])(" + "|".join(reversed(patterns)) + r")(?![\w/\-]|\.\w)"
        )
        self._abbreviation = {
            key: r.becomes for key, r in by_key.items() if r.notion == "" and " " not in key
        }
        kind_names = "|".join(_phrase_pattern(k) for k in self.kinds)
        self._kind_number = re.compile(rf"(?<![\w])({kind_names})\s+(?:so\s+)?(\d+)(?!\d)")
        self._code = re.compile(r"(?<![\w/])(\d+)(?:/\d{4})?[-/]([a-z]+)(?![a-z])")

    @property
    def alias_words(self) -> frozenset[str]:
        """Folded words of aliases ("ubnd", "nv", "ko"): words a spelling repair leaves alone."""
        return frozenset(
            w for k, r in self._by_key.items() if r.becomes and not r.notion for w in k.split()
        )

    @classmethod
    def bundled(cls) -> Vocabulary:
        """The vocabulary of the two bundled tables (read once)."""
        return _bundled()

    def with_definitions(self, definitions: Iterable[tuple[str, str]]) -> Vocabulary:
        """A copy that also reads each defined short name as itself plus what it stands for."""
        extra = [Rewrite(short, f"{short} ({head})") for short, head in definitions]
        if not extra:
            return self
        return Vocabulary((*extra, *self.rewrites), self.kinds)

    @staticmethod
    def _key(matched: str) -> str:
        return " ".join(re.findall(r"[0-9a-z]+", matched))

    def canonical(self, text: str, *, lexical: bool = False) -> str:
        """``text`` with aliases spelled out and everyday phrasings in the documents' words.

        ``lexical`` also drops the phrasings that only ask for a field ("bao giờ phải xong"):
        the form lexical terms and content words are read from.
        """
        prepared = vntext.unify_tones(vntext.collapse(vntext.repair(text)))
        folded = vntext.fold(prepared.lower())
        if len(folded) != len(prepared):
            return prepared
        plain = folded == prepared.lower()  # typed without diacritics: keep it that way
        out, last = [], 0
        for m in self._pattern.finditer(folded):
            rewrite = self._by_key.get(self._key(m.group(1)))
            if rewrite is None or not rewrite.becomes or (rewrite.becomes == DROP and not lexical):
                continue
            becomes = "" if rewrite.becomes == DROP else rewrite.becomes
            out.append(prepared[last : m.start()] + (vntext.fold(becomes) if plain else becomes))
            last = m.end()
        out.append(prepared[last:])
        percent = r"\1 phan tram" if plain else r"\1 phần trăm"  # "100%" = "100 phần trăm"
        return vntext.collapse(_PERCENT.sub(percent, "".join(out)))

    def notions(self, text: str) -> frozenset[str]:
        """The notions (deadline, funding, lead, …) a text names in any phrasing."""
        folded = _fold(text)
        found = set()
        for m in self._pattern.finditer(folded):
            rewrite = self._by_key.get(self._key(m.group(1)))
            if rewrite is not None and rewrite.notion:
                found.add(rewrite.notion)
        return frozenset(found)

    def references(self, text: str) -> list[str]:
        """Terms naming the documents a rewritten text cites by kind and number.

        "Nghị quyết 66" (from "NQ 66"), "Nghị quyết số 66-NQ/TW" and "66-NQ/TW" all give
        "ref:nghiquyet:66".
        """
        folded = _fold(text)
        found = []
        for m in self._kind_number.finditer(folded):
            found.append(self._reference(m.group(1), m.group(2)))
        for m in self._code.finditer(folded):
            kind = self._abbreviation.get(m.group(2))
            if kind is not None and _fold(kind) in self.kinds:
                found.append(self._reference(_fold(kind), m.group(1)))
        return vntext.unique(found)

    @staticmethod
    def _reference(kind: str, number: str) -> str:
        return f"{REFERENCE_PREFIX}{kind_key(kind)}:{int(number)}"

    def index_terms(self, text: str, *, folded: bool = False) -> list[str]:
        """Lexical terms of the rewritten text plus its document references."""
        canonical = self.canonical(text, lexical=True)
        return vntext.index_terms(canonical, folded=folded) + self.references(canonical)


def kind_key(kind: str) -> str:
    """A kind of document as reference terms write it: "nghi quyet" -> "nghiquyet"."""
    return re.sub(r"[^a-z]", "", kind)


def reference_kind(term: str) -> str:
    """The kind of document a reference term names: "ref:nghiquyet:66" -> "nghiquyet"."""
    return term.removeprefix(REFERENCE_PREFIX).split(":")[0]


def fingerprint() -> str:
    """A short digest of the bundled tables: an index read with other tables is rebuilt."""
    digest = hashlib.sha256()
    for path in (ABBREVIATIONS_FILE, PHRASINGS_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def _bundled() -> Vocabulary:
    rewrites, kinds = [], []
    for row in _rows(ABBREVIATIONS_FILE):
        alias, full = row[0], row[1]
        rewrites.append(Rewrite(alias, full if _fold(alias) != _fold(full) else ""))
        if len(row) > 2 and row[2] == DOCUMENT_KIND:
            kinds.append(full)
    for notion, phrasing, words in _rows(PHRASINGS_FILE):
        # a phrasing that is one of the documents' words ("vướng mắc") only marks the notion
        items = {_fold(item) for item in words.split(",")}
        becomes = "" if _fold(phrasing) in items else words
        rewrites.append(Rewrite(phrasing, DROP if words == DROP else becomes, notion))
    return Vocabulary(rewrites, kinds)


def harvest_definitions(text: str) -> list[tuple[str, str]]:
    """Short names a document defines, with the reference each stands for.

    "Nghị quyết 66-NQ/TW ngày 30/4/2025 … (sau đây gọi tắt là Nghị quyết 66/NQQ-TW)" gives
    ("Nghị quyết 66/NQQ-TW", "Nghị quyết 66-NQ/TW"): the nearest earlier mention of the same
    kind of document whose number matches the short name's (if it has one).
    """
    vocabulary = Vocabulary.bundled()
    prepared = vntext.unify_tones(vntext.collapse(vntext.repair(text)))
    folded = vntext.fold(prepared.lower())
    if len(folded) != len(prepared):
        return []
    kinds = "|".join(_phrase_pattern(k) for k in vocabulary.kinds)
    mention = re.compile(rf"(?<![\w])(?:{kinds})\s+(?:so\s+)?(\d+[\w/.\-]*\w)")
    found = []
    for m in _DEFINITION.finditer(prepared):
        short = m.group(1).strip(" .;,")
        short_folded = _fold(short)
        number = re.search(r"\d+", short_folded)
        before = list(mention.finditer(folded, max(0, m.start() - 600), m.start()))
        kind = next((k for k in vocabulary.kinds if short_folded.startswith(k)), None)
        for candidate in reversed(before):
            head = prepared[candidate.start() : candidate.end()]
            if kind and not _fold(head).startswith(kind):
                continue
            if number and re.match(r"\d+", candidate.group(1)).group(0) != number.group(0):
                continue
            if _fold(head) != short_folded:
                found.append((short, head))
            break
    return list(dict.fromkeys(found))
