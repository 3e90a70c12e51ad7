"""Run one gold set through every retriever (hybrid, bm25, dense, naive) and print a markdown table.

``python -m eval.run_baselines --gold eval/gold/plans.jsonl [--out runs/baselines]`` writes a
full run directory per retriever and prints the table used in docs/evaluation.md.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import click

from eval.baselines import NAIVE, RETRIEVERS, make_system
from eval.cli import gold_option, k_option
from eval.harness import EvalRun, evaluate
from eval.labels import METRIC_LABELS, format_value
from eval.metrics import HEADLINE_METRICS
from eval.report import markdown_table, write_run
from hoidap.config import Settings
from hoidap.errors import HoidapError

logger = logging.getLogger(__name__)


def baseline_table(runs: dict[str, dict[str, Any]]) -> str:
    """Markdown: one row per metric, one column per retriever (values of metrics.json)."""
    names = list(runs)
    rows = []
    for metric in HEADLINE_METRICS:
        cells = [METRIC_LABELS[metric]]
        for name in names:
            value = runs[name]["overall"].get(metric)
            interval = runs[name].get("ci95", {}).get(metric)
            text = format_value(metric, value)
            if interval and metric in ("hit@5", "mrr@10"):
                text += (
                    f" [{format_value(metric, interval[0])}–{format_value(metric, interval[1])}]"
                )
            cells.append(text)
        rows.append(cells)
    return markdown_table((["Chỉ số", *names], rows))


def run_all(
    settings: Settings, *, gold_path: Path, out_root: Path, k: int, retrievers: tuple[str, ...]
) -> dict[str, EvalRun]:
    """Evaluate the gold file with each retriever; each run is written under ``out_root/<name>``."""
    from hoidap.console import progress_bar
    from service import open_service

    service = open_service(settings) if any(r != NAIVE for r in retrievers) else None
    runs: dict[str, EvalRun] = {}
    for name in retrievers:
        with progress_bar(f"Chuẩn bị {name}") as update:
            system = make_system(name, settings=settings, service=service, progress=update)
        with progress_bar(f"Đánh giá {name}") as update:
            runs[name] = evaluate(gold_path, system, k=k, progress=update)
        write_run(runs[name], out_root / name)
    return runs


@click.command("baselines")
@gold_option
@click.option(
    "--out",
    "out_root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("runs/baselines"),
    show_default=True,
    help="Thư mục chứa kết quả của từng bộ truy hồi.",
)
@k_option
@click.option(
    "--retriever",
    "retrievers",
    multiple=True,
    type=click.Choice(RETRIEVERS),
    help="Chỉ chạy các bộ truy hồi này (mặc định: tất cả).",
)
def main(gold_path: Path, out_root: Path, k: int, retrievers: tuple[str, ...]) -> None:
    """So sánh các bộ truy hồi trên cùng một bộ câu hỏi chuẩn; in bảng markdown."""
    from hoidap.console import fail

    try:
        runs = run_all(
            Settings.from_env(),
            gold_path=gold_path,
            out_root=out_root,
            k=k,
            retrievers=retrievers or RETRIEVERS,
        )
    except HoidapError as exc:
        fail(str(exc))
    for name, run in runs.items():
        click.echo(
            f"{name}: {len(run.results)} câu hỏi, {run.config['seconds']:.1f} giây", err=True
        )
    click.echo(baseline_table({name: run.summary for name, run in runs.items()}))


if __name__ == "__main__":
    main()
