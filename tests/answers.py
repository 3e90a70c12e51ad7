"""The JSON of an answer, the same from ``hoidap ask --json`` and from ``POST /api/ask``."""

ANSWER_KEYS = {
    "question",
    "answer",
    "refused",
    "citations",
    "latency_ms",
    "answerer",
    "sentences",
    "notice",
}
CITATION_KEYS = {"n", "source", "doc_title", "path", "label", "text", "score", "clause_id"}
