"""BM25 (Lucene variant, scoring as bm25s does) assembled from per-document term tables.

Each document version stores its passages once as small term tables (its own vocabulary plus
row / term / count arrays), so adding or changing one document never re-tokenises the others.
Documents hash into buckets; each bucket's postings are built once per process and reused
until one of its documents changes. Scores use the statistics of the whole index (passage
count, document frequencies, average length), so they equal one BM25 over every passage, and
a query touches only the postings of its terms.
"""

from __future__ import annotations

import math
import re
import threading
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from hoidap import vntext
from hoidap.config import Tuning

if TYPE_CHECKING:
    from index.store import Generation, Segment

K1 = 1.5  # bm25s defaults
B = 0.75
EMPTY = "\u2205"  # a passage without terms still counts as one (as bm25s is fed it)


@dataclass(frozen=True)
class TermTable:
    """One field (accented or folded terms) of one document's passages."""

    vocabulary: tuple[str, ...]
    lengths: np.ndarray  # tokens per passage
    passage: np.ndarray  # one row per (passage, term) pair
    term: np.ndarray  # index into ``vocabulary``
    count: np.ndarray  # occurrences of the term in the passage

    @classmethod
    def build(cls, rows_terms: Sequence[Sequence[str]], *, placeholder: bool = True) -> TermTable:
        """Count the terms of each row (a passage, or a clause for clause statistics)."""
        vocabulary: dict[str, int] = {}
        rows: list[tuple[int, int, int]] = []
        lengths = []
        for i, terms in enumerate(rows_terms):
            tokens = list(terms) or ([EMPTY] if placeholder else [])
            lengths.append(len(tokens))
            counts: dict[int, int] = {}
            for token in tokens:
                tid = vocabulary.setdefault(token, len(vocabulary))
                counts[tid] = counts.get(tid, 0) + 1
            rows.extend((i, tid, n) for tid, n in counts.items())
        table = np.array(rows, dtype=np.int32).reshape(-1, 3)
        return cls(
            tuple(vocabulary),
            np.array(lengths, dtype=np.int32),
            table[:, 0].copy(),
            table[:, 1].copy(),
            table[:, 2].copy(),
        )

    def compact(self) -> TermTable:
        """The table with process-wide term ids and small integers, without its vocabulary
        strings (100k clauses hold millions of them: most of a naive index's memory)."""
        ids = VOCABULARY.ids(self.vocabulary)
        small = np.uint16 if len(self.lengths) < 2**16 else np.int32
        return TermTable(
            (),
            self.lengths.astype(np.int32),
            self.passage.astype(small),
            ids[self.term] if len(self.term) else np.zeros(0, np.int32),
            np.minimum(self.count, 2**16 - 1).astype(np.uint16),
        )


def code_pieces(vocabulary: Sequence[str]) -> frozenset[str]:
    """Pieces of codes ("06-ctr/tu" → "06", "ctr", "tu"): the tagger splits codes apart."""
    return frozenset(
        piece
        for term in vocabulary
        if any(ch in term for ch in "-/._")
        for piece in re.split(r"[-/._]", term)
    )


class Vocabulary:
    """Term → id for the whole process; it only grows, so ids stay valid across reloads."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._terms: list[str] = []
        self._lock = threading.Lock()

    def ids(self, terms: Sequence[str]) -> np.ndarray:
        with self._lock:
            out = np.empty(len(terms), dtype=np.int32)
            for i, term in enumerate(terms):
                tid = self._ids.get(term)
                if tid is None:
                    tid = self._ids[term] = len(self._terms)
                    self._terms.append(term)
                out[i] = tid
            return out

    def term(self, tid: int) -> str:
        return self._terms[tid]

    def get(self, term: str) -> int | None:
        return self._ids.get(term)

    def __len__(self) -> int:
        return len(self._ids)


VOCABULARY = Vocabulary()


NBUCKETS = 32  # documents hash into buckets; a change rebuilds only its buckets' postings
FIELDS = ("accented", "folded")
POSTINGS = (*FIELDS, "clause_folded")  # clause postings: list questions filtered by topic
DENSE_SHARE = 2  # a term in half the passages or more: one value per passage is no larger


def _bucket_of(segment: str) -> int:
    return zlib.crc32(segment.encode("utf-8")) % NBUCKETS


class _Bucket:
    """Postings (grouped by term) and document frequencies of some segments' tables of one
    field; clause-statistics buckets keep the frequencies only (folded ones their postings
    too: list questions narrowed by topic words)."""

    def __init__(self, segments: Sequence[Segment], field: str, *, postings: bool) -> None:
        tables = [s.tables[field] for s in segments]
        sizes = [len(t.lengths) for t in tables]
        offsets = np.concatenate([[0], np.cumsum(sizes)])[:-1].astype(np.int32)
        empty = np.zeros(0, np.int32)
        term = np.concatenate([t.term for t in tables] or [empty])
        order = np.argsort(term, kind="stable")
        self.terms, starts, self.df = np.unique(term[order], return_index=True, return_counts=True)
        self.starts = np.append(starts, len(term)).astype(np.int64)
        counts = np.concatenate([t.count for t in tables] or [np.zeros(0, np.uint16)])
        # occurrences of each term over all rows
        self.tf = np.add.reduceat(counts[order].astype(np.int64), starts) if len(term) else term
        self.names = tuple(s.name for s in segments)
        self.row, self.count = empty, np.zeros(0, np.uint16)
        if postings:
            rows = [t.passage.astype(np.int32) + o for t, o in zip(tables, offsets, strict=True)]
            self.row = np.concatenate(rows or [empty])[order]
            self.count = np.concatenate([t.count for t in tables] or [self.count])[order]

    def postings(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        i = int(np.searchsorted(self.terms, tid))
        if i == len(self.terms) or self.terms[i] != tid:
            return self.row[:0], self.count[:0]
        lo, hi = self.starts[i], self.starts[i + 1]
        return self.row[lo:hi], self.count[lo:hi]


_BUCKETS: dict[tuple[str, tuple[str, ...]], _Bucket] = {}
_BUCKETS_LOCK = threading.Lock()


def _bucket(segments: Sequence[Segment], field: str) -> _Bucket:
    key = (field, tuple(s.name for s in segments))
    with _BUCKETS_LOCK:
        bucket = _BUCKETS.get(key)
    if bucket is None:
        bucket = _Bucket(segments, field, postings=field in POSTINGS)
        with _BUCKETS_LOCK:
            _BUCKETS[key] = bucket
    return bucket


def _document_frequencies(buckets: Sequence[_Bucket], *, occurrences: bool = False) -> np.ndarray:
    """Per term id: the rows holding it, or (``occurrences``) how often it occurs in all."""
    out = np.zeros(len(VOCABULARY), dtype=np.int64)
    for bucket in buckets:
        np.add.at(out, bucket.terms, bucket.tf if occurrences else bucket.df)
    return out


class _Field:
    """BM25 of one field over a generation's passages, assembled from buckets.

    A term's BM25 contributions are fixed for a generation. Those of terms in half the
    passages or more ("kế hoạch", "xã" sit in nearly every one) are computed once when
    the generation loads, as one value per passage, so a question adds a vector instead of
    walking their long postings; the contributions of other terms recently asked are kept
    up to ``cache_postings`` postings.
    """

    def __init__(
        self, generation: Generation, field: str, groups: list[list[int]], cache_postings: int
    ) -> None:
        segments = generation.segments
        self.buckets = [_bucket([segments[i] for i in g], field) for g in groups]
        starts = generation.passage_start
        self.rowmaps = [
            np.concatenate(
                [
                    np.arange(
                        starts[segments[i].name], starts[segments[i].name] + segments[i].passages
                    )
                    for i in g
                ]
            )
            for g in groups
        ]
        lengths = [s.tables[field].lengths for s in segments]
        self.lengths = np.concatenate(lengths) if lengths else np.zeros(0, np.int32)
        self.size = len(self.lengths)
        self.avg = float(self.lengths.mean()) if self.size else 1.0
        self._norm = (K1 * (1 - B + B * self.lengths / self.avg)).astype(np.float32)
        self.df = _document_frequencies(self.buckets)
        self._cache: OrderedDict[int, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cached = 0
        self._cache_postings = cache_postings
        self._lock = threading.Lock()
        self._dense = {
            int(tid): self._dense_impacts(int(tid))
            for tid in np.flatnonzero(self.df * DENSE_SHARE >= max(1, self.size))
        }

    def _impacts(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        """The rows holding a term and its BM25 contribution to each."""
        weight = np.float32(idf(self.size, int(self.df[tid])))
        rows, values = [], []
        for bucket, rowmap in zip(self.buckets, self.rowmaps, strict=True):
            local, counts = bucket.postings(tid)
            if not len(local):
                continue
            at = rowmap[local]
            tf = counts.astype(np.float32)
            norm = self._norm[at]
            rows.append(at)
            values.append(weight * tf / (tf + norm))
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        return np.concatenate(rows), np.concatenate(values)

    def _dense_impacts(self, tid: int) -> np.ndarray:
        rows, values = self._impacts(tid)
        dense = np.zeros(self.size, dtype=np.float32)
        dense[rows] = values
        return dense

    def _cached_impacts(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            found = self._cache.get(tid)
            if found is not None:
                self._cache.move_to_end(tid)
                return found
        found = self._impacts(tid)
        with self._lock:
            if tid not in self._cache and len(found[0]) <= self._cache_postings:
                self._cache[tid] = found
                self._cached += len(found[0])
                while self._cached > self._cache_postings:
                    _, (old, _) = self._cache.popitem(last=False)
                    self._cached -= len(old)
        return found

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """Lucene BM25 of every passage (as bm25s scores it), in generation row order."""
        out = np.zeros(self.size, dtype=np.float32)
        for term in terms:
            tid = VOCABULARY.get(term)
            if tid is None or tid >= len(self.df) or not self.df[tid]:
                continue
            dense = self._dense.get(tid)
            if dense is not None:
                out += dense  # adding 0.0 elsewhere leaves those scores exactly as they were
            else:
                rows, values = self._cached_impacts(tid)
                out[rows] += values
        return out


class LexicalIndex:
    """BM25 over passages (accented and folded terms) and per-clause term statistics.

    Built from the generation's segments through buckets cached per process, so after a
    change only the buckets holding changed documents are rebuilt.
    """

    def __init__(
        self, generation: Generation, *, cache_postings: int = Tuning.bm25_cache_postings
    ) -> None:
        self.generation = generation
        groups: list[list[int]] = [[] for _ in range(NBUCKETS)]
        for i, segment in enumerate(generation.segments):
            groups[_bucket_of(segment.name)].append(i)
        groups = [g for g in groups if g]
        self.fields = {f: _Field(generation, f, groups, cache_postings) for f in FIELDS}
        clause_buckets = {
            f: [_bucket([generation.segments[i] for i in g], f"clause_{f}") for g in groups]
            for f in FIELDS
        }
        self.clause_df = {f: _document_frequencies(clause_buckets[f]) for f in FIELDS}
        self.accented_tf = _document_frequencies(clause_buckets["accented"], occurrences=True)
        self.clauses = len(generation.clauses)
        self._pieces = code_pieces(
            [VOCABULARY.term(int(i)) for i in np.flatnonzero(self.clause_df["accented"])]
        )
        self._clause_buckets = clause_buckets["folded"]
        segments, starts = generation.segments, generation.clause_start
        self._clause_rowmaps = [
            np.concatenate(
                [np.arange(starts[i], starts[i] + len(segments[i].clauses)) for i in g]
            ).astype(np.int32)
            for g in groups
        ]
        self._folded_pieces = {vntext.fold(p) for p in self._pieces}
        used = {
            (f, tuple(generation.segments[i].name for i in g))
            for g in groups
            for f in (*FIELDS, *(f"clause_{f}" for f in FIELDS))
        }
        with _BUCKETS_LOCK:  # the cache keeps only what the newest generation uses
            for key in [k for k in _BUCKETS if k not in used]:
                del _BUCKETS[key]

    def scores(self, terms: Sequence[str], *, folded: bool) -> np.ndarray:
        return self.fields["folded" if folded else "accented"].scores(terms)

    def clause_frequency(self, term: str, *, folded: bool) -> int:
        df = self.clause_df["folded" if folded else "accented"]
        tid = VOCABULARY.get(term)
        return int(df[tid]) if tid is not None and tid < len(df) else 0

    def knows(self, syllable: str) -> bool:
        """True when the syllable occurs in some clause (or in a code like "06-ctr/tu")."""
        return self.clause_frequency(syllable, folded=False) > 0 or syllable in self._pieces

    def knows_folded(self, word: str) -> bool:
        """Like ``knows`` for a word typed without diacritics ("nd" of "80/2025/ND-CP")."""
        return self.clause_frequency(word, folded=True) > 0 or word in self._folded_pieces

    def clauses_holding(self, term: str) -> np.ndarray:
        """Positions of the clauses whose folded terms include ``term``."""
        tid = VOCABULARY.get(term)
        if tid is None:
            return np.zeros(0, np.int32)
        found = [
            rowmap[bucket.postings(tid)[0]]
            for bucket, rowmap in zip(self._clause_buckets, self._clause_rowmaps, strict=True)
        ]
        return np.concatenate(found) if found else np.zeros(0, np.int32)

    def clause_terms(self, position: int, *, folded: bool) -> set[str]:
        """The distinct terms of one clause."""
        doc = int(self.generation.clause_doc[position])
        local = position - self.generation.clause_start[doc]
        table = self.generation.segments[doc].tables[
            "clause_folded" if folded else "clause_accented"
        ]
        lo, hi = np.searchsorted(table.passage, [local, local + 1])
        return {VOCABULARY.term(int(i)) for i in table.term[lo:hi]}


def idf(size: int, df: int) -> float:
    """Inverse document frequency (the same formula for clause statistics)."""
    return math.log(1 + (size - df + 0.5) / (df + 0.5))
