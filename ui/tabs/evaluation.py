"""The "Đánh giá" tab: run a gold question set against the service and show the figures.

The callback calls the same public functions as ``hoidap eval`` (``eval.harness.evaluate`` and
``eval.report.write_run``); the tables and the failure list are the report's own, so the tab and
report.html never disagree. Every text from questions, documents and answers is escaped.
"""

from __future__ import annotations

import html
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
import pandas as pd

from eval.harness import EvalRun, ServiceSystem, evaluate
from eval.labels import format_value
from eval.report import failed, failures_html, headline_table, type_table, write_run
from hoidap.config import RetrieverMode, Settings
from hoidap.errors import GoldFileError, InputError
from service import Service
from ui.errors import inline_errors
from ui.uploads import uploaded_file

logger = logging.getLogger(__name__)

GOLD_DIR = Path(__file__).resolve().parents[2] / "eval" / "gold"
MAX_PROBLEMS_SHOWN = 15
INTRO = (
    "## Đánh giá trên bộ câu hỏi chuẩn\n"
    "Chọn một bộ câu hỏi chuẩn (JSONL, mỗi dòng một câu hỏi kèm điều khoản mong đợi) hoặc tải "
    "lên tệp của bạn, rồi bấm **Chạy đánh giá**. Kết quả gồm độ chính xác truy hồi (hit@k, MRR), "
    "độ phủ và độ chính xác trích dẫn, ý chính trong câu trả lời, khả năng từ chối câu hỏi ngoài "
    "văn bản và độ trễ; có thể tải báo cáo đầy đủ (HTML, Markdown, JSON)."
)


@dataclass(frozen=True)
class EvaluationView:
    """What the tab shows after a run."""

    status: str
    headline: pd.DataFrame
    by_type: pd.DataFrame
    chart: str
    failures: str
    files: list[str]


def gold_files(gold_dir: Path = GOLD_DIR) -> list[str]:
    """File names of the bundled gold sets (``eval/gold/*.jsonl``)."""
    return sorted(p.name for p in gold_dir.glob("*.jsonl")) if gold_dir.is_dir() else []


def chosen_gold(
    choice: str | None, uploaded: str | None, *, settings: Settings, gold_dir: Path = GOLD_DIR
) -> Path:
    """The uploaded file if any, else the chosen bundled one; raises InputError otherwise."""
    if uploaded:
        path = uploaded_file(uploaded)
        if path.suffix.lower() != ".jsonl":
            raise InputError(
                f"Tệp “{path.name[:100]}” không phải tệp câu hỏi chuẩn: chỉ nhận tệp .jsonl."
            )
        limit = settings.max_file_bytes
        if path.stat().st_size > limit:
            raise InputError(
                f"Tệp câu hỏi chuẩn lớn hơn giới hạn {settings.max_file_mb:g} MB: hãy chia nhỏ tệp."
            )
        return path
    if choice and choice in gold_files(gold_dir):
        return gold_dir / choice
    raise InputError("Hãy chọn một bộ câu hỏi chuẩn hoặc tải lên tệp .jsonl.")


def evaluation_view(run: EvalRun, out_dir: Path) -> EvaluationView:
    """Tables, chart and failure list of a run already written to ``out_dir``."""
    results = [r.to_dict() for r in run.results]
    overall = run.summary["overall"]
    failures = failed(results)
    status = (
        f"Đã đánh giá **{len(results)}** câu hỏi ({run.config['retriever']}, "
        f"k = {run.config['k']}) trong {run.config['seconds']:.1f} giây: "
        f"hit@5 = {format_value('hit@5', overall.get('hit@5'))}, "
        f"độ phủ trích dẫn = {format_value('citation_recall', overall.get('citation_recall'))}, "
        f"từ chối đúng = {format_value('refusal_accuracy', overall.get('refusal_accuracy'))}; "
        f"**{len(failures)}** câu hỏi chưa đạt."
    )
    metrics = run.metrics_dict()
    return EvaluationView(
        status=status,
        headline=pd.DataFrame(headline_table(metrics)[1], columns=headline_table(metrics)[0]),
        by_type=pd.DataFrame(type_table(metrics)[1], columns=type_table(metrics)[0]),
        chart=str(out_dir / "latency.png"),
        failures=failures_html(results) or "<p>Không có câu hỏi nào chưa đạt.</p>",
        files=[
            str(out_dir / n) for n in ("report.html", "report.md", "metrics.json", "results.jsonl")
        ],
    )


def gold_problems_markdown(problems: list[str]) -> str:
    """The first validation problems of a gold file, as a markdown list."""
    shown = [f"- {html.escape(p)}" for p in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        shown.append(f"- … và {len(problems) - MAX_PROBLEMS_SHOWN} lỗi khác.")
    return "**Tệp câu hỏi chuẩn không hợp lệ, chưa chạy câu hỏi nào:**\n\n" + "\n".join(shown)


@dataclass(frozen=True)
class EvaluationInputs:
    """What the user chooses before a run."""

    gold: gr.Dropdown
    upload: gr.File
    retriever: gr.Radio
    k: gr.Slider
    start: gr.Button


@dataclass(frozen=True)
class EvaluationOutputs:
    """What a run fills in, in the order ``run_evaluation`` returns them."""

    status: gr.Markdown
    headline: gr.Dataframe
    by_type: gr.Dataframe
    chart: gr.Image
    failures: gr.HTML
    files: gr.File

    def all(self) -> list[gr.components.Component]:
        return [self.status, self.headline, self.by_type, self.chart, self.failures, self.files]


def _inputs(settings: Settings) -> EvaluationInputs:
    choices = gold_files()
    with gr.Row():
        gold = gr.Dropdown(
            choices=choices,
            value=choices[0] if choices else None,
            label="Bộ câu hỏi chuẩn có sẵn",
            interactive=True,
        )
        # No ``file_types``: Gradio would refuse other files with an English toast;
        # ``chosen_gold`` checks the name and says why, in Vietnamese, in the status line.
        upload = gr.File(
            label="Hoặc tải lên tệp câu hỏi chuẩn (.jsonl)",
            type="filepath",
            elem_id="hd-eval-upload",
        )
    with gr.Row():
        retriever = gr.Radio(
            choices=[
                ("Kết hợp (hybrid)", RetrieverMode.HYBRID.value),
                ("Chỉ từ khóa (BM25)", RetrieverMode.BM25.value),
                ("Chỉ ngữ nghĩa (dense)", RetrieverMode.DENSE.value),
            ],
            value=RetrieverMode.HYBRID.value,
            label="Bộ truy hồi",
        )
        k = gr.Slider(1, 20, value=settings.top_k, step=1, label="Số điều khoản trích dẫn (k)")
    start = gr.Button("Chạy đánh giá", variant="primary", elem_id="hd-eval-start")
    return EvaluationInputs(gold, upload, retriever, k, start)


def _outputs() -> EvaluationOutputs:
    status = gr.Markdown(elem_id="hd-eval-status")
    headline = gr.Dataframe(
        label="Chỉ số chính", interactive=False, wrap=True, elem_id="hd-eval-headline"
    )
    by_type = gr.Dataframe(
        label="Theo loại câu hỏi", interactive=False, wrap=True, elem_id="hd-eval-types"
    )
    chart = gr.Image(label="Độ trễ trả lời", type="filepath", interactive=False)
    with gr.Accordion("Câu hỏi chưa đạt", open=False):
        failures = gr.HTML()
    files = gr.File(
        label="Tải báo cáo", file_count="multiple", interactive=False, elem_id="hd-eval-files"
    )
    return EvaluationOutputs(status, headline, by_type, chart, failures, files)


def run_evaluation(
    service: Service,
    settings: Settings,
    choice: str | None,
    uploaded: str | None,
    mode: str,
    top_k: float,
    progress: gr.Progress,
) -> tuple:
    """Run the gold set through the service and write the report; the tab's outputs."""
    path = chosen_gold(choice, uploaded, settings=settings)
    system = ServiceSystem(service, mode=RetrieverMode(mode))

    def report(done: int, total: int, message: str) -> None:
        progress((done, total), desc=f"Đang đánh giá ({message})", unit="câu hỏi")

    try:
        result = evaluate(path, system, k=int(top_k), progress=report)
    except GoldFileError as exc:
        empty = pd.DataFrame()
        return gold_problems_markdown(exc.problems), empty, empty, None, "", None
    out_dir = Path(tempfile.mkdtemp(prefix="hoidap-eval-"))
    write_run(result, out_dir)
    view = evaluation_view(result, out_dir)
    return view.status, view.headline, view.by_type, view.chart, view.failures, view.files


def build_evaluation_tab(service: Service, settings: Settings) -> None:
    """The "Đánh giá" tab content, created inside the caller's ``gr.Blocks``/``gr.Tab``."""
    with gr.Column():
        gr.Markdown(INTRO)
        inputs = _inputs(settings)
        outputs = _outputs()

    @inline_errors(outputs=len(outputs.all()), at=0)
    def run(
        choice: str | None,
        uploaded: str | None,
        mode: str,
        top_k: float,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (how Gradio injects progress)
    ):
        return run_evaluation(service, settings, choice, uploaded, mode, top_k, progress)

    inputs.start.click(
        run,
        inputs=[inputs.gold, inputs.upload, inputs.retriever, inputs.k],
        outputs=outputs.all(),
    )
