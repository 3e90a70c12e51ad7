"""Does each sentence of an answer say only what the clauses it cites say?

A sentence is supported when it carries at least one ``[n]`` in range and everything it
asserts is found in the cited clauses (with their document's title, number and date):
every number (dates included, "ngày 5 tháng 3" and "05/3" alike), every document number
("115/KH-UBND"), every office name, every negation ("không", "chưa") and most of its
content words. Texts are compared normalised, with abbreviations spelled out
(``hoidap.vocab``) and without diacritics, so neither "UBND" nor tone style nor diacritics
decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from hoidap import vntext
from hoidap.types import SentenceCheck
from hoidap.vocab import Vocabulary
from index.offices import extract_offices
from rag.neutral import has_link

MARKER = re.compile(r"\[(\d{1,3})\]")
CONTENT_SHARE = 0.75  # content words of a sentence that its clauses must hold
NEGATIONS = frozenset({"không", "chưa", "chẳng"})  # function words that flip what is said
_BOUNDARY = re.compile(r"(?<=[.!?…\]])\s+(?=[\"“(\-–•*]?\s*[A-ZĐÀ-Ỹ])")
_LIST_PREFIX = re.compile(r"^\s*(?:[-–•*+]|\d{1,2}[.)]|[a-zđ]\))\s+")
_NUMBER = re.compile(r"\d+")
# document numbers and codes: letters and digits joined by / or - ("115/KH-UBND", "66-NQ/TW")
_CODE = re.compile(r"\w+(?:[/-]\w+)+")


def split_sentences(text: str) -> list[str]:
    """Sentences of an answer, line by line; a ``[n]`` after the full stop stays with it."""
    sentences: list[str] = []
    for line in text.splitlines():
        sentences += [s.strip() for s in _BOUNDARY.split(line) if s.strip()]
    return sentences


def cited_numbers(text: str) -> list[int]:
    """The citation numbers of the ``[n]`` markers in a text, in order."""
    return [int(m) for m in MARKER.findall(text)]


@lru_cache(maxsize=512)
def _folded(text: str) -> str:
    return vntext.fold(vntext.normalize(text))


def _numbers(folded: str) -> set[str]:
    return {str(int(n)) for n in _NUMBER.findall(folded)}


def _codes(folded: str) -> list[str]:
    return [c for c in _CODE.findall(folded) if re.search(r"\d", c) and re.search(r"[a-z]", c)]


def missing_facts(claim: str, support: str, *, allowed: Iterable[str] = ()) -> list[str]:
    """What ``claim`` asserts that ``support`` does not hold; ``allowed`` are words that need
    no support (the question's own words)."""
    vocabulary = Vocabulary.bundled()  # "UBND" and "Ủy ban nhân dân" compare equal
    claim, support = vocabulary.canonical(claim), vocabulary.canonical(support)
    folded_claim, folded_support = _folded(claim), _folded(support)
    missing = [n for n in sorted(_numbers(folded_claim) - _numbers(folded_support))]
    missing += [c for c in _codes(folded_claim) if c not in folded_support]
    offices = set(extract_offices(support))  # canonical names ("UBND tỉnh"), as in the claim
    missing += [
        o for o in extract_offices(claim) if o not in offices and _folded(o) not in folded_support
    ]
    missing += ["liên kết"] if has_link(claim) else []
    negations = NEGATIONS & set(vntext.syllables(claim))
    missing += sorted(negations - set(vntext.syllables(support)))
    words = {vntext.fold(w) for w in vntext.content_terms(claim) if not w.isdigit()}
    known = set(vntext.syllables(folded_support)) | {vntext.fold(w) for w in allowed}
    unknown = sorted(words - known)
    if words and len(unknown) > (1 - CONTENT_SHARE) * len(words):
        missing += unknown
    return missing


def check_sentence(
    sentence: str,
    support: Mapping[int, str],
    *,
    allowed: Iterable[str] = (),
    heading_support: str = "",
) -> SentenceCheck:
    """Check one sentence against the support text of each citation number.

    A heading (a line ending in ":" with no marker, e.g. "Theo Kế hoạch của UBND xã…:") is
    checked against ``heading_support`` instead, the text of all citations together.
    """
    cites = tuple(dict.fromkeys(cited_numbers(sentence)))
    claim = _LIST_PREFIX.sub("", MARKER.sub(" ", sentence)).strip(" .;,")
    if not claim:
        return SentenceCheck(sentence, cites, False, ("nội dung",))
    if not cites:
        if sentence.rstrip().endswith(":") and heading_support:
            missing = missing_facts(claim, heading_support, allowed=allowed)
            return SentenceCheck(sentence, (), not missing, tuple(missing))
        return SentenceCheck(sentence, (), False, ("[n]",))
    out_of_range = [f"[{n}]" for n in cites if n not in support]
    if out_of_range:
        return SentenceCheck(sentence, cites, False, tuple(out_of_range))
    missing = missing_facts(claim, "\n".join(support[n] for n in cites), allowed=allowed)
    return SentenceCheck(sentence, cites, not missing, tuple(missing))


def check_answer(
    units: Sequence[str], support: Mapping[int, str], *, allowed: Iterable[str] = ()
) -> list[SentenceCheck]:
    """Check each unit (sentence or line) of an answer."""
    allowed = tuple(allowed)
    everything = "\n".join(support.values())
    return [check_sentence(u, support, allowed=allowed, heading_support=everything) for u in units]
