"""Terminal helpers shared by every command: a progress bar, a friendly exit, the ``--out``
option."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click


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


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a message for the user and exit (2: usage error or unusable input)."""
    click.echo(f"Lỗi: {message}", err=True)
    sys.exit(code)


def out_option(
    help_text: str, *, required: bool = False, allow_dash: bool = False
) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """The ``--out FILE`` option of a command that writes one file (a ``Path``, or None)."""
    return click.option(
        "--out",
        type=click.Path(path_type=Path, dir_okay=False, allow_dash=allow_dash),
        required=required,
        default=None,
        help=help_text,
    )
