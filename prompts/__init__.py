"""Every prompt and fixed answer phrasing, as Vietnamese text files with named placeholders."""

from __future__ import annotations

from functools import cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent


@cache
def _template(name: str) -> str:
    return (PROMPTS_DIR / f"{name}.txt").read_text(encoding="utf-8").strip()


def render(name: str, **values: object) -> str:
    """Fill the named placeholders of ``prompts/<name>.txt``."""
    return _template(name).format_map(values)
