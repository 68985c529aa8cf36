"""`careforms report CHILD|roster` on a replica filled by `careforms demo`."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from sync.store import Store
from tui.case_files import case_files
from tui.cli import main


def test_a_child_report_and_the_roster_from_the_replica(
    demo_home: Path, store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conflicted = store.conflicted("child:")[0]
    out = tmp_path / "child.pdf"
    assert (
        main(["--lang", "en", "--home", str(demo_home), "report", conflicted, "-o", str(out)]) == 0
    )
    assert f"{out} (" in capsys.readouterr().out
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert store.get(conflicted)["answers"]["name"] in text
    assert "conflicted, to be resolved" in text
    roster = tmp_path / "roster.pdf"
    assert main(["--home", str(demo_home), "report", "roster", "--district", "demo",
                 "--on", "2026-11-23", "-o", str(roster)]) == 0  # fmt: skip
    text = "\n".join(page.extract_text() for page in PdfReader(roster).pages)
    assert all(case.name in text for case in case_files(store))
    assert not list(tmp_path.glob("*.partial"))


def test_report_errors_are_one_line_and_leave_no_file(
    demo_home: Path, store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "--home", str(demo_home), "report", "child:nobody"]) == 1
    assert "There is no child child:nobody" in capsys.readouterr().err
    missing = tmp_path / "no" / "such" / "folder" / "roster.pdf"
    assert main(["--home", str(demo_home), "report", "roster", "-o", str(missing)]) == 1
    assert f"Cannot write {missing}" in capsys.readouterr().err
