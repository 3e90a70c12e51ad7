"""The ``hoidap`` command line: thin commands over the public service functions.

The top floor. The core commands (index, ask, docs, show) live here; each feature package
(``ui``, ``eval``, ``quiz``) exposes ``register_commands(group)`` and is added below. Feature
command modules import only click at load time, so ``hoidap --help`` stays fast.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import click

from eval.cli import register_commands as register_eval_commands
from hoidap.config import LIMITS, Settings
from hoidap.console import fail, progress_bar
from hoidap.errors import HoidapError
from quiz.cli import register_commands as register_quiz_commands
from ui.cli import register_commands as register_ui_commands

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


class HoidapGroup(click.Group):
    """Turns library errors into friendly messages (exit code 2) at the edge."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except HoidapError as exc:
            fail(str(exc))


@click.group(cls=HoidapGroup)
@click.option(
    "--index-dir",
    type=click.Path(path_type=Path),
    envvar="HOIDAP_INDEX_DIR",
    help="Thư mục chỉ mục (mặc định ~/.local/share/hoidap/index).",
)
@click.option("-v", "--verbose", is_flag=True, help="In thêm thông tin chẩn đoán.")
@click.version_option(package_name="hoidap")
@click.pass_context
def main(ctx: click.Context, index_dir: Path | None, verbose: bool) -> None:
    """hoidap: hỏi đáp có trích dẫn trên kế hoạch, nghị quyết tiếng Việt."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = Settings.from_env(index_dir=index_dir)


@main.command("index")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="Chỉ giữ đúng các tệp trong PATHS: gỡ mọi văn bản khác khỏi chỉ mục.",
)
@click.pass_obj
def index_command(settings: Settings, paths: tuple[Path, ...], replace: bool) -> None:
    """Thêm hoặc cập nhật các tệp/thư mục PATHS trong chỉ mục (mặc định: bộ văn bản kèm theo
    và các tệp đã tải lên). Văn bản đã có được giữ nguyên, trừ khi có --replace."""
    from index.build import build_index

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"Không tìm thấy {', '.join(missing)}. Chỉ mục giữ nguyên, không gỡ văn bản nào.")
    sources = list(paths) or settings.default_sources()
    with progress_bar("Đang lập chỉ mục") as update:
        report = build_index(settings, sources, keep_existing=not replace, progress=update)
    for warning in report.warnings:
        click.echo(f"Lưu ý: {warning}", err=True)
    click.echo(
        f"Đã lập chỉ mục {report.files} tệp ({report.indexed} mới/cập nhật, "
        f"{report.unchanged} không đổi, {report.removed} đã gỡ), {report.clauses} điều khoản, "
        f"{report.seconds:.1f} giây."
    )
    for name, reason in report.skipped:
        click.echo(f"  Bỏ qua {name}: {reason}")


@main.command("ask")
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="In câu trả lời dạng JSON.")
@click.option(
    "--k",
    type=click.IntRange(LIMITS.k_min, LIMITS.k_max),
    default=None,
    help="Số điều khoản tối đa.",
)
@click.option("--doc", "docs", multiple=True, help="Chỉ tìm trong văn bản này (lặp lại được).")
@click.pass_obj
def ask_command(
    settings: Settings, question: str, as_json: bool, k: int | None, docs: tuple[str, ...]
) -> None:
    """Hỏi một câu và nhận câu trả lời có trích dẫn."""
    from service import open_service

    service = open_service(settings)
    service.require_documents(docs, hint="`hoidap docs`")
    answer = service.ask(question, k=k, docs=list(docs) or None)
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    if answer.notice:
        click.echo(f"({answer.notice})")
    click.echo(answer.answer)
    if answer.citations:
        click.echo("\nNguồn:")
        for c in answer.citations:
            click.echo(f"[{c.n}] {c.doc_title} › {c.label} ({c.source}#{c.path})")
    click.echo(f"\n({answer.latency_ms} ms)")


@main.command("docs")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_obj
def docs_command(settings: Settings, as_json: bool) -> None:
    """Liệt kê các văn bản đã lập chỉ mục."""
    from service import open_service

    documents = open_service(settings).documents()
    if as_json:
        click.echo(json.dumps([d.to_dict() for d in documents], ensure_ascii=False, indent=2))
        return
    for d in documents:
        click.echo(f"{d.source}\n  {d.short_title}: {d.title}")
        facts = [
            ("Cơ quan ban hành", d.issuer),
            ("Số", d.number),
            ("Ngày", d.date),
            ("Địa bàn", d.locality),
            ("Người ký", ", ".join(filter(None, [d.signer, d.signer_title]))),
        ]
        known = "; ".join(f"{name}: {value}" for name, value in facts if value)
        click.echo(f"  {known or 'Không đọc được thông tin văn bản'}; {d.clause_count} điều khoản")


@main.command("show")
@click.argument("clause_id")
@click.pass_obj
def show_command(settings: Settings, clause_id: str) -> None:
    """Hiện một điều khoản theo mã (ví dụ 000_67870b5209ee9c3b.txt#IV.2)."""
    from service import open_service

    clause = open_service(settings).clause(clause_id)
    if clause is None:
        fail(
            f"Không có điều khoản “{clause_id}”. Mã có dạng <tệp>#<đường dẫn>, ví dụ "
            "000_67870b5209ee9c3b.txt#IV.2."
        )
    click.echo(f"{clause.doc_title} › {clause.label}")
    click.echo(f"({clause.id})\n")
    click.echo(clause.text)
    for name, values in (
        ("Chủ trì", clause.lead_offices),
        ("Phối hợp", clause.coord_offices),
        ("Thời hạn", clause.deadlines),
    ):
        if values:
            click.echo(f"{name}: {', '.join(values)}")


for register in (register_ui_commands, register_eval_commands, register_quiz_commands):
    register(main)
