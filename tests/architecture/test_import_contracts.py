"""`make lint` enforces the layers (CONVENTIONS: imports point down only).

import-linter runs with the project's own contracts (pyproject.toml) on a copy of the
source tree into which one offending import is written; the unchanged copy is the control.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture
def source_copy(tmp_path: Path) -> Path:
    for package in ("apps", "govservice"):
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations", "*.html", "*.json"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_source_tree_keeps_every_contract(source_copy):
    result = _lint_imports(source_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers_contract(source_copy):
    _append(source_copy / "apps/common/errors.py", "import apps.applications.selectors")

    result = _lint_imports(source_copy)

    assert result.returncode == 1
    assert "apps.common is not allowed to import apps.applications" in result.stdout


def test_an_import_between_independent_siblings_breaks_the_contract(source_copy):
    """Future domain apps sit side by side and must not lean on each other."""
    for app in ("tolerance", "pledges"):  # either may exist already
        (source_copy / "apps" / app).mkdir(exist_ok=True)
        init = source_copy / "apps" / app / "__init__.py"
        if not init.exists():
            init.write_text("")
    (source_copy / "apps/pledges/_contract_probe.py").write_text("import apps.tolerance\n")

    result = _lint_imports(source_copy)

    assert result.returncode == 1
    assert "apps.pledges is not allowed to import apps.tolerance" in result.stdout


def test_an_app_missing_from_the_layers_breaks_the_contract(source_copy):
    (source_copy / "apps/stray").mkdir()
    (source_copy / "apps/stray/__init__.py").write_text("")

    result = _lint_imports(source_copy)

    assert result.returncode == 1
    assert "apps.stray" in result.stdout


def test_an_app_importing_the_project_package_breaks_the_contract(source_copy):
    _append(source_copy / "apps/common/health.py", "from govservice.celery import app")

    result = _lint_imports(source_copy)

    assert result.returncode == 1
    assert "apps is not allowed to import govservice" in result.stdout
