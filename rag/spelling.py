"""Repair of slips and Telex/VNI leftovers in questions, against the index's own vocabulary.

"phongf tu phap", "kinh phis", "tap huaan", "hai phoong": a word the index does not know is
tried without the keys Telex and VNI use for tones and vowels (a trailing s/f/r/x/j, a doubled
vowel or consonant, w, digits); a word that is not even spelled like a Vietnamese syllable is
also tried one letter away (a missing, extra, wrong or swapped letter). The most frequent
candidate the index knows wins. Known words, stop words, aliases ("UBND", "ko") and codes are
never touched, and a valid syllable the index lacks ("lương") is left alone, so questions
about things the documents never mention are still refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from hoidap import vntext

_KEYS = "sfrxjw0123456789"  # Telex tone and vowel keys, VNI digits
_LETTERS = "abcdeghiklmnopqrstuvxy"
_TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u1ef9]+(?:[-/.][0-9A-Za-z\u00c0-\u1ef9]+)*")


def _deletions(word: str, *, keys: bool) -> set[str]:
    """The word without one letter of a doubled pair or (``keys``) one Telex/VNI key."""
    out = set()
    for i, ch in enumerate(word):
        doubled = i > 0 and word[i - 1] == ch
        if (keys and ch in _KEYS and i > 0) or doubled:
            out.add(word[:i] + word[i + 1 :])
    return out


def _insertions(word: str) -> set[str]:
    """Every word with one more letter."""
    return {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in _LETTERS}


def _edits(word: str) -> set[str]:
    """Every word one letter away: deleted, inserted, replaced or swapped with its neighbour."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    return out | _insertions(word)


class Speller:
    """Repairs question words against the words an index holds (with their frequencies).

    ``accented`` maps the index's accented terms (syllables and ``_``-joined compounds) to the
    number of clauses holding them, ``folded`` the same without diacritics; ``pairs`` are the
    pairs of words the index holds in a row; ``occurrences`` how often each accented term
    occurs (telling a syllable that stands alone from one only found inside compounds).
    """

    def __init__(
        self,
        accented: Mapping[str, int],
        folded: Mapping[str, int],
        keep: Iterable[str] = (),
        pairs: Iterable[str] = (),
        occurrences: Mapping[str, int] | None = None,
    ) -> None:
        self._pairs = frozenset(pairs)  # "word word" pairs the index holds in a row
        self._folded_pairs = frozenset(vntext.fold(p) for p in self._pairs)
        self._accented = {t: n for t, n in accented.items() if t.isalpha()}
        self._folded = {t: n for t, n in folded.items() if t.isalpha()}
        self._keep = frozenset(keep)
        # how often a syllable stands alone: its occurrences minus those inside compounds
        # ("cơ" is nearly always inside "cơ quan", "cơ sở"); without occurrences, a lower
        # bound from the clause counts
        occurrences = accented if occurrences is None else occurrences
        inside: dict[str, int] = {}
        for term, n in occurrences.items():
            for syllable in term.split("_") if "_" in term else ():
                inside[syllable] = inside.get(syllable, 0) + n
        alone = {t: occurrences.get(t, n) - inside.get(t, 0) for t, n in accented.items()}
        # folded term → its most frequent accented spelling ("bao_cao" → "báo_cáo"), then
        # multi-syllable function words ("bao_nhiêu") the index lacks
        self._accents: dict[str, str] = {}
        for term, _ in sorted(accented.items(), key=lambda kv: (-kv[1], kv[0])):
            if term.replace("_", "").isalpha():
                self._accents.setdefault(vntext.fold(term), term)
        for word in sorted(vntext.stopwords()):
            if "_" in word:
                self._accents.setdefault(vntext.fold(word), word)
        # a folded syllable read alone: the likeliest spelling that stands alone ("co" → "có")
        self._alone: dict[str, str] = {}
        for term, _ in sorted(accented.items(), key=lambda kv: (alone[kv[0]] <= 0, -kv[1], kv[0])):
            if term.isalpha():
                self._alone.setdefault(vntext.fold(term), term)
        self._longest = max((t.count("_") + 1 for t in self._accents), default=1)
        # folded syllables the index holds only inside longer words ("luong": chất lượng)
        self._bound = frozenset(f for f, t in self._alone.items() if alone[t] <= 0)

    def is_phrase(self, first: str, second: str) -> bool:
        """True when the index holds the two words in a row ("phòng chống", "ban hành")."""
        return f"{first} {second}" in self._pairs

    def readings(self, text: str) -> list[tuple[str, str]]:
        """The words of a text typed without diacritics as the index would read them.

        Each item is (typed words, index word): compounds the index holds are matched
        first, longest first ("bao cao" → ("bao cao", "báo_cáo")), then single syllables as
        the index writes them alone ("co" → "có", not the "cơ" of "cơ quan"); a word the
        index lacks is read as typed.
        """
        words = vntext.syllables(text)
        out: list[tuple[str, str]] = []
        i = 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 1, -1):
                found = self._accents.get("_".join(words[i : i + n]))
                if found:
                    out.append((" ".join(words[i : i + n]), found))
                    i += n
                    break
            else:
                out.append((words[i], self._alone.get(words[i], words[i])))
                i += 1
        return out

    def accent(self, text: str) -> str:
        """A question typed without diacritics with the index's likeliest diacritics restored.

        Only the dense query and the noun tagger read this (e5 barely understands text
        without diacritics); lexical matching keeps the folded question.
        """
        return " ".join(found.replace("_", " ") for _, found in self.readings(text))

    def unattested(self, text: str) -> list[str]:
        """Words of a text typed without diacritics that match the index only inside other
        words: read alone, "luong" (lương, salary) is not the "lượng" of "chất lượng"."""
        return [typed for typed, _ in self.readings(text) if typed in self._bound]

    def _known(self, word: str) -> Mapping[str, int]:
        return self._accented if vntext.has_diacritics(word) else self._folded

    def word(self, word: str, *, before: str = "", after: str = "") -> str:
        """The repaired form of one lower-case word (itself when nothing better is known).

        Of the candidates, one the index holds next to the neighbouring words ``before`` and
        ``after`` wins ("quan chug" → "quan chung", of "quần chúng"), then the most frequent.
        """
        stop = vntext.stopwords(folded=not vntext.has_diacritics(word))
        known = {**self._known(word), **{w: 0 for w in stop if w.isalpha()}}
        if word in known or vntext.fold(word) in self._keep or word[0].isdigit() or len(word) < 2:
            return word
        # a word spelled like a syllable ("tram", "phoong") only loses a doubled letter
        keys = not vntext.is_syllable(word)
        tried = {word}
        frontier = {word}
        for _ in range(3):  # "phongff", "truowngf": up to three keys
            frontier = {c for w in frontier for c in _deletions(w, keys=keys)} - tried
            tried |= frontier
            best = self._best(frontier, known, before, after)
            if best:
                return best
        if not keys or vntext.has_diacritics(word) or not word.isalpha():
            return word
        return self._best(_edits(word), known, before, after) or word

    def _best(
        self, candidates: set[str], known: Mapping[str, int], before: str, after: str
    ) -> str | None:
        found = [c for c in candidates if c in known and vntext.is_syllable(c)]
        if not found:
            return None

        def in_context(candidate: str) -> bool:
            pairs = (f"{before} {candidate}", f"{candidate} {after}")
            return any(vntext.fold(p) in self._folded_pairs for p in pairs)

        return max(found, key=lambda c: (in_context(c), known[c], c))

    def in_compound(self, word: str, *, before: str = "", after: str = "") -> str:
        """In a question typed with diacritics, a word whose marks the index never writes,
        completed from the compound it forms with a neighbour ("kế hoach" → "hoạch",
        "pháp luât" → "luật"), or with the letter it lacks when no word is spelled so ("bao
        nhiu" → "nhiêu"); itself otherwise.

        Only the compound decides, so a word the documents never use ("lương cơ sở") stays.
        """
        if word in self._accented or not word.isalpha() or vntext.fold(word) in self._keep:
            return word
        folded = vntext.fold(word)
        # a letter left out ("kế hoạc", "bao nhiu") only when no word is spelled so
        missing = set() if folded in self._folded else _insertions(folded)
        for candidates in ([folded], sorted(missing)):
            for candidate in candidates:
                for pair, at in ((f"{before}_{candidate}", 1), (f"{candidate}_{after}", 0)):
                    compound = self._accents.get(vntext.fold(pair), "")
                    if compound.count("_") == 1:
                        return compound.split("_")[at]
        return word

    def repair(self, text: str) -> str:
        """``text`` with every repairable word replaced; everything else as written.

        In a question typed with diacritics a repaired word gets its likeliest diacritics too
        ("kinh phis thực hiện" → "kinh phí thực hiện").
        """
        accented = vntext.has_diacritics(vntext.normalize(text))
        tokens = [vntext.normalize(m.group(0)).lower() for m in _TOKEN.finditer(text)]
        at = iter(range(len(tokens)))

        def fix(match: re.Match[str]) -> str:
            token, i = match.group(0), next(at)
            if not token.isalnum() or sum(ch.isupper() for ch in token) > 1:
                return token  # codes ("66-NQ/TW") and abbreviations ("NV", "HĐND")
            lower = vntext.normalize(token)
            before = tokens[i - 1] if i else ""
            after = tokens[i + 1] if i + 1 < len(tokens) else ""
            repaired = self.word(lower, before=before, after=after)
            if repaired == lower and accented:
                repaired = self.in_compound(lower, before=before, after=after)
            if repaired == lower:
                return token
            if accented and not vntext.has_diacritics(repaired):
                repaired = self._accents.get(repaired, repaired)
            return repaired.capitalize() if token[0].isupper() else repaired

        return _TOKEN.sub(fix, text)
