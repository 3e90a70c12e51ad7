"""Write a run to disk: results.jsonl, metrics.json, latency.png, report.md and report.html.

The reports show the headline metrics with 95% intervals, the metrics by question type, a
latency chart (matplotlib, Agg canvas, no pyplot state), an optional comparison with another
run, and every failed question with its expected clauses next to what was retrieved and cited.
All text from questions, documents and answers is HTML-escaped in report.html.
"""

from __future__ import annotations

import base64
import html
import io
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from eval.compare import Comparison, RunData, compare, run_data
from eval.harness import EvalRun
from eval.labels import METRIC_LABELS, METRIC_SHORT, format_diff, format_value, type_label
from eval.metrics import ALL_METRICS

logger = logging.getLogger(__name__)

Table = tuple[list[str], list[list[str]]]  # header, rows (already formatted text)

SNIPPET_CHARS = 300


def write_run(run: EvalRun, out_dir: Path, *, compare_to: RunData | None = None) -> RunData:
    """Write every file of a run into ``out_dir`` (created if needed); returns the stored run.

    With ``compare_to`` the reports also hold a side-by-side comparison with that run.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = run_data(run, name=f"{out_dir.name} ({run.config.get('retriever', '?')})")
    with (out_dir / "results.jsonl").open("w", encoding="utf-8") as fh:
        for result in data.results:
            fh.write(json.dumps(result, ensure_ascii=False) + "\n")
    (out_dir / "metrics.json").write_text(
        json.dumps(data.metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    chart = latency_chart(data.results)
    (out_dir / "latency.png").write_bytes(chart)
    comparison = compare(compare_to, data) if compare_to is not None else None
    (out_dir / "report.md").write_text(
        render_markdown(data, comparison=comparison), encoding="utf-8"
    )
    (out_dir / "report.html").write_text(
        render_html(data, chart=chart, comparison=comparison), encoding="utf-8"
    )
    logger.info("wrote evaluation report to %s", out_dir)
    return data


def latency_chart(results: Sequence[dict[str, Any]]) -> bytes:
    """PNG: a histogram of answer latency with p50/p95 marks, and latency by question type."""
    latencies = [float(r.get("latency_ms") or 0) for r in results]
    by_type: dict[str, list[float]] = {}
    for result, latency in zip(results, latencies, strict=True):
        by_type.setdefault(result.get("type", "?"), []).append(latency)
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # slow import: only when drawing
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 4), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    hist, box = figure.subplots(1, 2, width_ratios=[3, 2])
    hist.hist(latencies or [0.0], bins=min(30, max(5, len(latencies) // 3)), color="#3b6ea5")
    if latencies:
        p50, p95 = np.percentile(latencies, [50, 95])
        hist.axvline(p50, color="#2a9d5c", linestyle="--", label=f"p50 = {p50:.0f} ms")
        hist.axvline(p95, color="#c0392b", linestyle="--", label=f"p95 = {p95:.0f} ms")
        hist.legend()
    hist.set_title("Độ trễ trả lời")
    hist.set_xlabel("ms")
    hist.set_ylabel("Số câu hỏi")
    names = sorted(by_type)
    if names:
        box.boxplot([by_type[n] for n in names], orientation="horizontal")
        box.set_yticks(range(1, len(names) + 1), names)
    box.set_title("Theo loại câu hỏi")
    box.set_xlabel("ms")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


# ---- tables -------------------------------------------------------------------------------


def headline_table(metrics: dict[str, Any]) -> Table:
    """Every metric of the run with its 95% bootstrap interval and the questions it covers."""
    overall, ci95 = metrics.get("overall", {}), metrics.get("ci95", {})
    counts = overall.get("counts", {})
    rows = []
    for metric in ALL_METRICS:
        interval = ci95.get(metric)
        rows.append(
            [
                METRIC_LABELS[metric],
                format_value(metric, overall.get(metric)),
                (
                    f"{format_value(metric, interval[0])} – {format_value(metric, interval[1])}"
                    if interval
                    else "–"
                ),
                str(counts.get(metric, overall.get("n", 0))),
            ]
        )
    return ["Chỉ số", "Giá trị", "Khoảng tin cậy 95%", "Số câu"], rows


def type_table(metrics: dict[str, Any]) -> Table:
    """One row per question type, one column per metric."""
    header = ["Loại câu hỏi", "Số câu"] + [METRIC_SHORT[m] for m in ALL_METRICS]
    rows = [
        [type_label(qtype), str(values.get("n", 0))]
        + [format_value(m, values.get(m)) for m in ALL_METRICS]
        for qtype, values in metrics.get("by_type", {}).items()
    ]
    return header, rows


def comparison_tables(comparison: Comparison) -> tuple[Table, Table, Table]:
    """(overall side by side, hit@5 and MRR@10 by type, questions whose result changed)."""
    overall = (
        ["Chỉ số", comparison.before, comparison.after, "Chênh lệch", ""],
        [
            [
                METRIC_LABELS[row.metric],
                format_value(row.metric, row.before),
                format_value(row.metric, row.after),
                format_diff(row.metric, row.diff),
                {True: "tốt hơn", False: "kém hơn", None: ""}[row.improved],
            ]
            for row in comparison.overall
        ],
    )
    shown = ("hit@5", "mrr@10", "citation_recall")
    by_type_rows = []
    for qtype, rows in comparison.by_type.items():
        cells = [type_label(qtype)]
        for row in rows:
            if row.metric in shown:
                cells.append(
                    f"{format_value(row.metric, row.before)} → "
                    f"{format_value(row.metric, row.after)} ({format_diff(row.metric, row.diff)})"
                )
        by_type_rows.append(cells)
    by_type = (["Loại câu hỏi"] + [METRIC_SHORT[m] for m in shown], by_type_rows)
    changes = (
        ["Mã", "Loại", "Câu hỏi", "Chỉ số", "Trước", "Sau"],
        [
            [
                c.id,
                c.type,
                c.question,
                METRIC_SHORT[c.metric],
                format_value(c.metric, c.before),
                format_value(c.metric, c.after),
            ]
            for c in comparison.changes
        ],
    )
    return overall, by_type, changes


def _config_lines(metrics: dict[str, Any]) -> list[tuple[str, str]]:
    config, overall = metrics.get("config", {}), metrics.get("overall", {})
    counts = overall.get("counts", {})
    return [
        ("Tệp câu hỏi", str(config.get("gold", ""))),
        ("Bộ truy hồi", str(config.get("retriever", ""))),
        ("Số điều khoản trích dẫn (k)", str(config.get("k", ""))),
        (
            "Số câu hỏi",
            f"{config.get('questions', overall.get('n', 0))} "
            f"({counts.get('false_refusal_rate', 0)} trả lời được, "
            f"{counts.get('refusal_accuracy', 0)} ngoài văn bản)",
        ),
        ("Bắt đầu", str(config.get("started_at", ""))),
        ("Thời gian chạy", f"{config.get('seconds', 0):.1f} giây"),
    ]


def failed(results: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The results with at least one failure reason, in gold order."""
    return [r for r in results if r.get("failures")]


def _snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _expected_line(item: dict[str, Any]) -> str:
    rank = f"hạng {item['rank']}" if item.get("rank") else "không có trong 10 kết quả đầu"
    cited = "đã trích dẫn" if item.get("cited") else "chưa trích dẫn"
    return f"{item['source']} — “{item['contains']}” ({rank}, {cited})"


def _citation_line(citation: dict[str, Any], matched: bool) -> str:
    mark = "✓" if matched else "✗"
    return (
        f"{mark} [{citation.get('n')}] {citation.get('source')} · {citation.get('path')} — "
        f"{_snippet(citation.get('text', ''))}"
    )


def _retrieved_line(item: dict[str, Any]) -> str:
    text = _snippet(item.get("text", ""), 160)
    return f"{item.get('source')} · {item.get('path')} — {text}"


def _missing_facts(result: dict[str, Any]) -> list[str]:
    """Key facts the answer lacks (diacritics-folded comparison)."""
    found = result.get("facts_found") or []
    return [f for f, ok in zip(result.get("key_facts", []), found, strict=False) if not ok]


# ---- markdown -----------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_table(table: Table) -> str:
    """A GitHub-flavoured markdown table."""
    header, rows = table
    lines = [
        "| " + " | ".join(_md_cell(h) for h in header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def comparison_markdown(comparison: Comparison) -> str:
    """The comparison of two runs as markdown (also what the CLI prints)."""
    overall, by_type, changes = comparison_tables(comparison)
    parts = [
        f"## So sánh: {comparison.before} → {comparison.after}",
        markdown_table(overall),
        "### Theo loại câu hỏi",
        markdown_table(by_type),
        f"### Câu hỏi thay đổi kết quả ({len(changes[1])})",
        markdown_table(changes) if changes[1] else "Không có câu hỏi nào thay đổi.",
    ]
    return "\n\n".join(parts)


def render_markdown(data: RunData, *, comparison: Comparison | None = None) -> str:
    """report.md."""
    metrics = data.metrics
    parts = ["# Báo cáo đánh giá hoidap", ""]
    parts += [f"- **{k}:** {v}" for k, v in _config_lines(metrics)]
    parts += ["", "## Chỉ số chính", "", markdown_table(headline_table(metrics))]
    parts += ["", "## Theo loại câu hỏi", "", markdown_table(type_table(metrics))]
    parts += ["", "## Độ trễ", "", "![Biểu đồ độ trễ](latency.png)"]
    if comparison is not None:
        parts += ["", comparison_markdown(comparison)]
    failures = failed(data.results)
    parts += ["", f"## Câu hỏi chưa đạt ({len(failures)}/{len(data.results)})"]
    for result in failures:
        parts += ["", f"### {result['id']} · {result['type']} — {result['question']}", ""]
        parts.append(f"- **Lý do:** {'; '.join(result['failures'])}")
        for item in result["expected"]:
            parts.append(f"- **Mong đợi:** {_expected_line(item)}")
        matches = result.get("citation_matches", [])
        for citation, matched in zip(result["citations"], matches, strict=False):
            parts.append(f"- **Đã trích dẫn:** {_citation_line(citation, matched)}")
        if not result["citations"]:
            parts.append("- **Đã trích dẫn:** (không có)")
        parts.append("- **Truy hồi (5 kết quả đầu):**")
        parts += [
            f"  {i}. {_retrieved_line(item)}" for i, item in enumerate(result["retrieved"][:5], 1)
        ]
        parts.append(f"- **Câu trả lời:** {_snippet(result['answer'], 500)}")
        if _missing_facts(result):
            parts.append(f"- **Ý chính còn thiếu:** {'; '.join(_missing_facts(result))}")
    return "\n".join(parts) + "\n"


# ---- html ---------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:1200px;padding:0 1rem;color:#1d2733;line-height:1.45}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #d6dde5;padding-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #d6dde5;padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#eef3f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
.better{color:#1e7e45}.worse{color:#b03a2e}img{max-width:100%}
details{border:1px solid #d6dde5;border-radius:6px;padding:.4rem .8rem;margin:.5rem 0}
summary{cursor:pointer;font-weight:600}ul{margin:.3rem 0}.muted{color:#5b6b7c}
.table-wrap{overflow-x:auto}
"""


def _is_number(text: str) -> bool:
    return text.replace(".", "", 1).replace("+", "").replace("-", "", 1).isdigit()


def html_table(table: Table, *, css_class: str = "") -> str:
    """An HTML table; every cell is escaped."""
    header, rows = table
    out = [f'<div class="table-wrap"><table class="{html.escape(css_class)}"><thead><tr>']
    out += [f"<th>{html.escape(h)}</th>" for h in header]
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells = []
        for cell in row:
            cls = ""
            if cell == "tốt hơn":
                cls = ' class="better"'
            elif cell == "kém hơn":
                cls = ' class="worse"'
            elif _is_number(cell):
                cls = ' class="num"'
            cells.append(f"<td{cls}>{html.escape(cell)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def comparison_html(comparison: Comparison) -> str:
    """The comparison of two runs as an HTML fragment."""
    overall, by_type, changes = comparison_tables(comparison)
    esc = html.escape
    return (
        f"<h2>So sánh: {esc(comparison.before)} → {esc(comparison.after)}</h2>"
        + html_table(overall, css_class="comparison")
        + "<h3>Theo loại câu hỏi</h3>"
        + html_table(by_type, css_class="comparison-by-type")
        + f"<h3>Câu hỏi thay đổi kết quả ({len(changes[1])})</h3>"
        + (
            html_table(changes, css_class="changes")
            if changes[1]
            else "<p>Không có câu hỏi nào thay đổi.</p>"
        )
    )


def failures_html(results: Sequence[dict[str, Any]]) -> str:
    """Each failed question as a <details> block: reasons, expected, cited, retrieved, answer."""
    esc = html.escape
    blocks = []
    for result in failed(results):
        items = [f"<li><b>Lý do:</b> {esc('; '.join(result['failures']))}</li>"]
        items += [
            f"<li><b>Mong đợi:</b> {esc(_expected_line(item))}</li>" for item in result["expected"]
        ]
        matches = result.get("citation_matches", [])
        items += [
            f"<li><b>Đã trích dẫn:</b> {esc(_citation_line(c, m))}</li>"
            for c, m in zip(result["citations"], matches, strict=False)
        ] or ["<li><b>Đã trích dẫn:</b> (không có)</li>"]
        retrieved = "".join(
            f"<li>{esc(_retrieved_line(item))}</li>" for item in result["retrieved"][:5]
        )
        items.append(f"<li><b>Truy hồi (5 kết quả đầu):</b><ol>{retrieved}</ol></li>")
        items.append(f"<li><b>Câu trả lời:</b> {esc(_snippet(result['answer'], 500))}</li>")
        if _missing_facts(result):
            missing = "; ".join(_missing_facts(result))
            items.append(f"<li><b>Ý chính còn thiếu:</b> {esc(missing)}</li>")
        blocks.append(
            f'<details class="failure" id="q-{esc(result["id"])}"><summary>'
            f"{esc(result['id'])} · {esc(result['type'])} — {esc(result['question'])}"
            f"</summary><ul>{''.join(items)}</ul></details>"
        )
    return "".join(blocks)


def render_html(data: RunData, *, chart: bytes, comparison: Comparison | None = None) -> str:
    """report.html: one self-contained page (the chart is embedded as a base64 PNG)."""
    esc = html.escape
    metrics = data.metrics
    config = "".join(f"<li><b>{esc(k)}:</b> {esc(v)}</li>" for k, v in _config_lines(metrics))
    image = base64.b64encode(chart).decode("ascii")
    failures = failed(data.results)
    body = [
        "<h1>Báo cáo đánh giá hoidap</h1>",
        f"<ul>{config}</ul>",
        "<h2>Chỉ số chính</h2>",
        html_table(headline_table(metrics), css_class="headline"),
        "<h2>Theo loại câu hỏi</h2>",
        html_table(type_table(metrics), css_class="by-type"),
        "<h2>Độ trễ</h2>",
        f'<img alt="Biểu đồ độ trễ trả lời" src="data:image/png;base64,{image}">',
    ]
    if comparison is not None:
        body.append(comparison_html(comparison))
    body.append(f"<h2>Câu hỏi chưa đạt ({len(failures)}/{len(data.results)})</h2>")
    body.append(
        failures_html(data.results) or '<p class="muted">Không có câu hỏi nào chưa đạt.</p>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Báo cáo đánh giá hoidap</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
