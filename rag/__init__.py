"""Query time: retrieval, grounded answers with citations, refusals, follow-ups, quizzes."""
