"""The built distribution carries the forms and works in a clean environment, from any folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def clean_install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("packaging")
    wheels = work / "wheels"
    quiet = ["--quiet", "--disable-pip-version-check"]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", *quiet, "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    wheel = next(wheels.glob("careforms-*.whl"))
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", *quiet, str(wheel)], check=True, capture_output=True
    )
    return venv


def test_installed_command_finds_the_built_in_forms(clean_install: Path, tmp_path: Path) -> None:
    listed = subprocess.run(
        [str(clean_install / "bin" / "careforms"), "--lang", "en", "forms", "list"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert listed.returncode == 0, listed.stderr
    for form_id in ("child-profile", "risk", "needs", "family", "visit"):
        assert form_id in listed.stdout
    assert str(clean_install) in listed.stdout  # read from the installed package


def test_installed_engine_checks_and_classifies(clean_install: Path, tmp_path: Path) -> None:
    code = (
        "from engine import FormRegistry, classify, lint_paths\n"
        "from engine.forms.registry import builtin_forms_folder\n"
        "assert lint_paths([builtin_forms_folder()]) == []\n"
        "risk = FormRegistry.load().get('risk')\n"
        "print(classify({'rf_runaway': True}, risk).band.id)\n"
    )
    run = subprocess.run(
        [str(clean_install / "bin" / "python"), "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "red"
