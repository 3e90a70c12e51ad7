"""``hoidap quiz make`` and ``hoidap quiz export``: the quiz builder on the command line."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import click

from hoidap.config import Settings
from hoidap.console import out_option
from quiz.export import ExportFormat, export_quiz
from quiz.generate import DEFAULT_COUNT, generate_quiz, parse_types
from quiz.model import QuestionType, load_quiz, save_quiz

logger = logging.getLogger(__name__)

ALL_TYPES = ",".join(t.value for t in QuestionType)


def _summary(counts: Counter[QuestionType]) -> str:
    return ", ".join(f"{counts[t]} {t.label.lower()}" for t in QuestionType if counts[t])


@click.group("quiz")
def quiz() -> None:
    """Tạo bộ câu hỏi ôn tập từ văn bản và xuất sang Kahoot, Quizizz, Azota, Word, Moodle…"""


@quiz.command("make")
@click.option(
    "--doc", "docs", multiple=True, help="Chỉ hỏi về văn bản này (tên tệp; lặp lại được)."
)
@click.option(
    "--n", "count", type=int, default=DEFAULT_COUNT, show_default=True, help="Số câu hỏi."
)
@click.option(
    "--types",
    default=ALL_TYPES,
    show_default=True,
    help="Loại câu hỏi (mcq, truefalse, cloze), cách nhau bằng dấu phẩy.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Cùng số này cho cùng một bộ câu hỏi."
)
@click.option(
    "--section",
    default="",
    help="Chỉ hỏi trong phần này của văn bản, ví dụ “III. Tổ chức thực hiện” hoặc "
    "“Tổ chức thực hiện”.",
)
@click.option(
    "--office", default="", help="Chỉ hỏi về nhiệm vụ của cơ quan này, ví dụ “Sở Tư pháp”."
)
@out_option("Tệp câu hỏi (JSON) sẽ ghi.", required=True)
@click.pass_obj
def make(
    settings: Settings | None,
    docs: tuple[str, ...],
    count: int,
    types: str,
    seed: int,
    section: str,
    office: str,
    out: Path,
) -> None:
    """Tạo bộ câu hỏi từ các văn bản đã lập chỉ mục và ghi ra tệp JSON."""
    from service import open_service

    wanted = parse_types(types)
    service = open_service(settings or Settings.from_env())
    result = generate_quiz(
        service.clauses(),
        service.documents(),
        n=count,
        types=wanted,
        seed=seed,
        sources=list(docs) or None,
        section=section,
        office=office,
    )
    save_quiz(result, out)
    for warning in result.warnings:
        click.echo(f"Lưu ý: {warning}", err=True)
    counts = Counter(q.type for q in result.questions)
    click.echo(f"Đã tạo {len(result.questions)} câu hỏi ({_summary(counts)}) → {out}")


@quiz.command("export")
@click.argument("quiz_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in ExportFormat]),
    required=True,
    help="Định dạng: kahoot, quizizz (.xlsx), azota, docx (Word), moodle (XML), gift, csv "
    "hoặc json.",
)
@out_option("Tệp sẽ ghi (“-” để in ra màn hình).", required=True, allow_dash=True)
def export(quiz_file: Path, fmt: str, out: Path) -> None:
    """Xuất tệp câu hỏi QUIZ_FILE sang Kahoot, Quizizz, Azota, Word, Moodle, GIFT, CSV, JSON.

    Những câu phải viết gọn hoặc bỏ qua được liệt kê trước khi ghi tệp.
    """
    loaded = load_quiz(quiz_file)
    chosen = ExportFormat(fmt)
    result = export_quiz(loaded, chosen)
    if result.warnings:
        click.echo(f"Những câu đã thay đổi hoặc bỏ qua khi xuất sang {chosen.label}:", err=True)
    for warning in result.warnings:
        click.echo(f"- {warning}", err=True)
    if str(out) == "-":
        click.get_binary_stream("stdout").write(result.data)
        return
    out.write_bytes(result.data)
    click.echo(
        f"Đã xuất {result.count}/{len(loaded.questions)} câu hỏi sang {chosen.label} → {out}"
    )


def register_commands(group: click.Group) -> None:
    """Add this package's commands to the ``hoidap`` command group."""
    group.add_command(quiz)
