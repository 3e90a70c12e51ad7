"""The ``hoidap`` command line: thin commands over the public service functions."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from hoidap.config import Settings
from hoidap.errors import HoidapError

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int, str], None]]:
    """A tqdm bar on stderr driven by ``(done, total, message)`` callbacks."""
    from tqdm import tqdm

    bar = tqdm(
        total=0,
        desc=description,
        unit="",
        file=sys.stderr,
        leave=False,
        disable=None,
        dynamic_ncols=True,
    )

    def update(done: int, total: int, message: str) -> None:
        if bar.total != total:
            bar.reset(total=total)
        bar.set_description_str(message[:60])
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        bar.close()


def fail(message: str, code: int = 2) -> None:
    """Print a message for the user and exit (2: usage error or unusable input)."""
    click.echo(f"Lỗi: {message}", err=True)
    sys.exit(code)


# Commands that live with their feature; imported only when used, so `hoidap ask` stays fast.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("ui.cli", "serve"),
    "feedback": ("ui.cli", "feedback"),
    "eval": ("eval.cli", "eval_command"),
    "quiz": ("rag.quiz.cli", "quiz"),
}


class HoidapGroup(click.Group):
    """Loads feature commands lazily and turns library errors into friendly messages."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            import importlib

            module, attribute = LAZY_COMMANDS[cmd_name]
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, cmd_name)

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


def open_service(settings: Settings):
    """The service over the configured index, built from the bundled corpus when missing."""
    from hoidap.service import Service

    with progress_bar("Đang lập chỉ mục") as update:
        return Service.open(settings, progress=update)


@main.command("index")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_obj
def index_command(settings: Settings, paths: tuple[Path, ...]) -> None:
    """Lập chỉ mục các tệp/thư mục PATHS (mặc định: bộ văn bản kèm theo)."""
    from index.build import build_index

    sources = list(paths) or settings.default_sources()
    with progress_bar("Đang lập chỉ mục") as update:
        report = build_index(settings, sources, progress=update)
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
@click.option("--k", type=click.IntRange(1, 50), default=None, help="Số điều khoản tối đa.")
@click.option("--doc", "docs", multiple=True, help="Chỉ tìm trong văn bản này (lặp lại được).")
@click.pass_obj
def ask_command(
    settings: Settings, question: str, as_json: bool, k: int | None, docs: tuple[str, ...]
) -> None:
    """Hỏi một câu và nhận câu trả lời có trích dẫn."""
    service = open_service(settings)
    unknown = [d for d in docs if d not in {x.source for x in service.documents()}]
    if unknown:
        fail(f"Không có văn bản “{unknown[0]}”. Xem danh sách bằng `hoidap docs`.")
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
            ("Người ký", d.signer),
        ]
        known = "; ".join(f"{name}: {value}" for name, value in facts if value)
        click.echo(f"  {known or 'Không đọc được thông tin văn bản'}; {d.clause_count} điều khoản")


@main.command("show")
@click.argument("clause_id")
@click.pass_obj
def show_command(settings: Settings, clause_id: str) -> None:
    """Hiện một điều khoản theo mã (ví dụ 000_67870b5209ee9c3b.txt#IV.2)."""
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
