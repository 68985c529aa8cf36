from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "engine" / "forms" / "broken_forms"


def test_check_passes_on_the_built_in_forms(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "forms", "check"]) == 0
    assert capsys.readouterr().out.strip() == "OK"


def test_check_reports_file_pointer_and_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "--lang",
                "en",
                "forms",
                "check",
                str(CORPUS / "missing_score.json"),
                str(CORPUS / "band_gap.json"),
            ]
        )
        == 1
    )
    out = capsys.readouterr().out
    assert "missing_score.json#/properties/q1/x-score/points: [missing-score] Option “2”" in out
    assert "band_gap.json#/x-bands/1/max: [band-gap]" in out
    assert "2 problem(s) in 2 file(s)" in out


def test_check_speaks_chinese_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "check", str(CORPUS / "misspelt_x_keyword.json")]) == 1
    assert "未知的关键字“x-lable”，是否应为“x-label”？" in capsys.readouterr().out


def test_check_a_whole_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "check", str(CORPUS)]) == 1
    out = capsys.readouterr().out
    assert "invalid_json.json:2:41" in out and "Traceback" not in out


def test_list_and_preview(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "forms", "list"]) == 0
    out = capsys.readouterr().out
    for form_id in ("child-profile", "risk", "needs", "family", "visit"):
        assert form_id in out
    assert main(["--lang", "en", "forms", "preview", "risk"]) == 0
    out = capsys.readouterr().out
    assert "Guardianship" in out and "Red · high risk, act now: 40–" in out
    assert main(["forms", "preview", "nothing"]) == 1


def test_installed_command_works_from_any_folder(tmp_path: Path) -> None:
    beside = Path(sys.executable).parent / "careforms"  # the virtual environment's command
    command = str(beside) if beside.exists() else shutil.which("careforms")
    assert command, "careforms is not installed (run: make install)"
    broken = tmp_path / "broken.json"
    broken.write_text('{"x-form": {', "utf-8")
    listed = subprocess.run(
        [command, "forms", "list"], cwd=tmp_path, capture_output=True, text=True
    )
    assert listed.returncode == 0 and "risk" in listed.stdout
    checked = subprocess.run(
        [command, "forms", "check", "broken.json"], cwd=tmp_path, capture_output=True, text=True
    )
    assert checked.returncode == 1
    assert "broken.json:1:" in checked.stdout and "Traceback" not in checked.stderr


def test_module_entry_point() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "forms" in out.stdout
