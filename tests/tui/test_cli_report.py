"""`careforms report CHILD|roster` on a replica filled by `careforms demo`."""

from __future__ import annotations

import stat
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
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    missing = blocked / "roster.pdf"
    assert main(["--lang", "en", "--home", str(demo_home), "report", "roster", "-o",
                 str(missing)]) == 1  # fmt: skip
    assert f"Cannot write {missing}" in capsys.readouterr().err
    assert main(["--home", str(demo_home), "report", "roster", "-o", str(missing)]) == 1
    assert f"无法写入 {missing}" in capsys.readouterr().err


def test_reports_go_owner_only_into_the_reports_folder(
    demo_home: Path,
    store: Store,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    child = store.conflicted("child:")[0]
    monkeypatch.chdir(demo_home)  # not into the current folder
    assert main(["--lang", "en", "--home", str(demo_home), "report", child]) == 0
    folder = demo_home / "reports"
    written = sorted(folder.glob("report-*.pdf"))
    assert written and str(written[-1]) in capsys.readouterr().out
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in written)
    assert not list(demo_home.glob("*.pdf"))
    assert main(["--home", str(demo_home), "report", "roster", "-o", str(folder)]) == 0
    roster = next(folder.glob("roster-all-*.pdf"))
    assert stat.S_IMODE(roster.stat().st_mode) == 0o600


def test_encrypt_takes_the_password_typed_or_from_the_environment(
    demo_home: Path, store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    child = store.conflicted("child:")[0]
    out = tmp_path / "locked.pdf"
    monkeypatch.setenv("CAREFORMS_REPORT_PASSWORD", "case-meeting-9")
    assert main(["--home", str(demo_home), "report", child, "--encrypt", "-o", str(out)]) == 0
    assert "已加密" in capsys.readouterr().out
    reader = PdfReader(out)
    assert reader.is_encrypted and reader.decrypt("case-meeting-9")
    monkeypatch.setenv("CAREFORMS_REPORT_PASSWORD", "short")
    assert main(["--lang", "en", "--home", str(demo_home), "report", child, "--encrypt"]) == 1
    assert "at least 6 characters" in capsys.readouterr().err
    monkeypatch.delenv("CAREFORMS_REPORT_PASSWORD")
    typed = iter(["typed-secret", "typed-secret"])
    monkeypatch.setattr("tui.commands.common.interactive", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    out2 = tmp_path / "typed.pdf"
    assert main(["--home", str(demo_home), "report", child, "--encrypt", "-o", str(out2)]) == 0
    assert PdfReader(out2).decrypt("typed-secret")
    typed = iter(["one-secret", "another-one"])
    assert main(["--lang", "en", "--home", str(demo_home), "report", child, "--encrypt"]) == 1
    assert "The two passwords differ" in capsys.readouterr().err
