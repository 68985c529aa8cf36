"""The built wheel, installed (not editable) into a clean virtual environment, works from a
folder outside the source tree: the app starts, a report is printed, forms are checked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LEFTOVERS = (
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "node_modules",
    "__pycache__",
    ".*cache",
)


@pytest.fixture(scope="module")
def clean_install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("packaging")
    # Built from a copy: setuptools would otherwise reuse a `build/` folder left in the tree.
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*LEFTOVERS))
    wheels = work / "wheels"
    quiet = ["--quiet", "--disable-pip-version-check"]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", *quiet, "--no-deps", "-w", str(wheels), str(source)],
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


def run(
    venv: Path, folder: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """A program of the clean environment, run in `folder`, with nothing of the source tree."""
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CAREFORMS_HOME")}
    return subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**clean, **(env or {})},
        timeout=300,
    )


def test_installed_command_finds_the_built_in_forms(clean_install: Path, tmp_path: Path) -> None:
    listed = run(clean_install, tmp_path, "careforms", "--lang", "en", "forms", "list")
    assert listed.returncode == 0, listed.stderr
    for form_id in ("child-profile", "risk", "needs", "family", "visit"):
        assert form_id in listed.stdout
    assert str(clean_install) in listed.stdout  # read from the installed package


def test_installed_command_checks_forms(clean_install: Path, tmp_path: Path) -> None:
    checked = run(clean_install, tmp_path, "careforms", "--lang", "en", "forms", "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    (tmp_path / "broken.json").write_text('{"x-form": {', "utf-8")
    broken = run(clean_install, tmp_path, "careforms", "forms", "check", "broken.json")
    assert broken.returncode == 1 and "broken.json:1:" in broken.stdout
    assert "Traceback" not in broken.stderr


def test_installed_engine_checks_and_classifies(clean_install: Path, tmp_path: Path) -> None:
    code = (
        "from engine import FormRegistry, classify, lint_paths\n"
        "from engine.forms.registry import builtin_forms_folder\n"
        "assert lint_paths([builtin_forms_folder()]) == []\n"
        "risk = FormRegistry.load().get('risk')\n"
        "print(classify({'rf_runaway': True}, risk).band.id)\n"
    )
    ran = run(clean_install, tmp_path, "python", "-c", code)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "red"


def test_installed_app_starts_headless_to_its_unlock_screen(
    clean_install: Path, tmp_path: Path
) -> None:
    code = (
        "import asyncio, pathlib\n"
        "from tui.app import CareformsApp\n"
        "from tui.screens.unlock import UnlockScreen\n"
        "async def main():\n"
        "    app = CareformsApp(pathlib.Path('home/replica.db'), lang='en')\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "        assert isinstance(app.screen, UnlockScreen), app.screen\n"
        "        print(app.screen.query_one('#unlock-title').render())\n"
        "asyncio.run(main())\n"
    )
    ran = run(clean_install, tmp_path, "python", "-c", code)
    assert ran.returncode == 0, ran.stderr
    assert "Open the local replica" in ran.stdout


def test_installed_command_writes_a_child_report(clean_install: Path, tmp_path: Path) -> None:
    env = {"CAREFORMS_HOME": str(tmp_path / "home"), "CAREFORMS_PASSPHRASE": "packaging test"}
    demo = run(clean_install, tmp_path, "careforms", "demo", "--children", "3", env=env)
    assert demo.returncode == 0, demo.stderr
    listed = run(clean_install, tmp_path, "careforms", "doc", "list", "--prefix", "child:", env=env)
    assert listed.returncode == 0, listed.stderr
    child = json.loads(listed.stdout)[0]["_id"]
    report = run(clean_install, tmp_path, "careforms", "report", child, "-o", "c.pdf", env=env)
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF-")
