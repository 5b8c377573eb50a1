# SPDX-License-Identifier: EUPL-1.2
"""`make lint` holds the architecture: run import-linter on main and on copies with a cycle, a
layer violation or a forbidden cross-app import added, and see it fail exactly then."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).parent / "lint-imports"


def lint(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The packages, the contract and pyproject.toml, in a folder of their own."""
    for package in ("hub", "tenants", "identity", "connectors"):
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    (tmp_path / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "__init__.py", tmp_path / "tests")
    shutil.copy(ROOT / "tests" / "architecture.py", tmp_path / "tests")
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def add(copy: Path, module: str, source: str) -> None:
    path = copy / Path(*module.split(".")).with_suffix(".py")
    path.write_text(source, "utf-8")


def test_main_keeps_every_contract():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_new_cycle_fails(copy):
    add(copy, "hub.participation.cycle_a", "from hub.participation import cycle_b\n")
    add(copy, "hub.participation.cycle_b", "from hub.participation import cycle_a\n")
    result = lint(copy)
    assert result.returncode == 1
    assert "No import cycles BROKEN" in result.stdout
    assert "No cycles are allowed in hub.participation" in result.stdout
    assert ".cycle_b -> .cycle_a" in result.stdout


def test_a_layer_violation_fails(copy):
    # tenancy is below the portal: it must not reach up into it.
    add(copy, "hub.tenancy.upwards", "from hub.portal import services\n")
    result = lint(copy)
    assert result.returncode == 1
    assert "BROKEN" in result.stdout
    assert "hub.tenancy.upwards" in result.stdout


def test_the_foundation_never_imports_an_app(copy):
    add(copy, "hub.core.knows_an_app", "from hub.sensors import models\n")
    result = lint(copy)
    assert result.returncode == 1
    assert "hub.core.knows_an_app (foundation) imports the app module" in result.stdout


def test_apps_meet_only_through_services_and_selectors(copy):
    add(copy, "hub.consultations.peeks", "from hub.participation.views import MODERATORS\n")
    add(copy, "hub.consultations.asks", "from hub.participation import services\n")
    result = lint(copy)
    assert result.returncode == 1
    assert "hub.consultations.peeks imports hub.participation.views" in result.stdout
    assert "hub.consultations.asks" not in result.stdout


def test_a_new_app_is_checked_without_being_listed(copy):
    (copy / "hub" / "neueapp").mkdir()
    add(copy, "hub.neueapp.__init__", "")
    add(copy, "hub.neueapp.apps", "")
    add(copy, "hub.neueapp.views", "from hub.sensors.ingest import Resolver\n")
    result = lint(copy)
    assert result.returncode == 1
    assert "hub.neueapp.views imports hub.sensors.ingest" in result.stdout


def test_the_orchestration_stays_on_top(copy):
    add(copy, "hub.tenancy.reconciles", "from tenants import reconcile\n")
    result = lint(copy)
    assert result.returncode == 1
    assert "hub/ never imports tenants/ (ADR 0009) BROKEN" in result.stdout
