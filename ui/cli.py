"""Click commands of the ui area, added by the top-level cli: ``serve`` and ``feedback export``.

Library errors (HoidapError) are turned into messages and exit code 2 by the ``hoidap`` group.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from hoidap.config import Settings
from hoidap.console import out_option

logger = logging.getLogger(__name__)


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Địa chỉ lắng nghe (mặc định chỉ máy này; 0.0.0.0 để mở cho mạng nội bộ).",
)
@click.option(
    "--port", default=7860, show_default=True, type=click.IntRange(1, 65535), help="Cổng lắng nghe."
)
@click.option(
    "--auth",
    envvar="HOIDAP_AUTH",
    multiple=True,
    metavar="TÊN:MẬT_KHẨU",
    help=(
        "Bật đăng nhập HTTP Basic cho giao diện và API; lặp lại cho nhiều tài khoản (hoặc biến"
        " HOIDAP_AUTH, các tài khoản cách nhau bằng dấu cách). Chỉ tài khoản trong HOIDAP_ADMINS"
        " được tải lên, xóa văn bản."
    ),
)
@click.pass_obj
def serve(settings: Settings | None, host: str, port: int, auth: tuple[str, ...]) -> None:
    """Chạy ứng dụng web hỏi đáp và API REST trên cùng một máy chủ."""
    from service import open_service
    from ui.auth import parse_credentials
    from ui.server import serve as run_server

    credentials = [parse_credentials(value) for value in auth]
    settings = settings or Settings.from_env()
    if credentials and not settings.admins & {user for user, _ in credentials}:
        click.echo(
            "Lưu ý: chưa tài khoản nào là quản trị viên (HOIDAP_ADMINS), nên không ai tải lên"
            " hay xóa được văn bản qua giao diện.",
            err=True,
        )
    click.echo(f"Đang mở chỉ mục tại {settings.index_dir} …", err=True)
    service = open_service(settings)
    service.warm_up()
    click.echo(
        f"Sẵn sàng: {len(service.documents())} văn bản. Mở http://{host}:{port} trong trình duyệt"
        + (" (cần đăng nhập)." if credentials else "."),
        err=True,
    )
    run_server(service, settings, host=host, port=port, auth=credentials)


@click.group("feedback")
def feedback() -> None:
    """Góp ý (thích / không thích, nhận xét) của người dùng về các câu trả lời."""


@feedback.command("export")
@out_option("Tệp CSV cần ghi (mặc định: in ra màn hình).")
@click.pass_obj
def export(settings: Settings | None, out: Path | None) -> None:
    """Xuất mọi góp ý ra CSV (UTF-8)."""
    from ui.feedback import FeedbackStore

    settings = settings or Settings.from_env()
    store = FeedbackStore(settings.feedback_db)
    count = store.write_csv(sys.stdout) if out is None else store.export_csv(out)
    click.echo(f"Đã xuất {count} góp ý" + (f" vào {out}." if out else "."), err=True)


def register_commands(group: click.Group) -> None:
    """Add this package's commands to the ``hoidap`` command group."""
    group.add_command(serve)
    group.add_command(feedback)
