"""Reports are private: owner-only files in owner-only folders, never half-written, and
encrypted with a password when asked (AES-256, readable by pypdf and poppler)."""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from engine.casework.casefile import CaseFile
from engine.casework.private_files import private_folder, write_private
from engine.forms.registry import FormRegistry
from engine.report.child_report import child_report
from tests.conftest import risk_answers
from tests.engine.report.test_report import NOW, filled, make_child


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The laxest umask a laptop could have: nothing may rely on it."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_folders_and_files_are_owner_only_whatever_the_umask(
    tmp_path: Path, open_umask: None
) -> None:
    folder = private_folder(tmp_path / "home" / "reports")
    assert mode(folder) == mode(folder.parent) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o777)
    assert mode(private_folder(loose)) == 0o700  # an existing folder of ours is narrowed
    path = folder / "r.pdf"
    assert write_private(path, lambda out: out.write(b"%PDF-1.4 first")) == 14
    assert mode(path) == 0o600 and path.read_bytes() == b"%PDF-1.4 first"


def test_a_failed_write_leaves_the_old_file_and_no_partial(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    write_private(path, lambda out: out.write(b"old"))

    def broken(out: io.BufferedWriter) -> int:
        out.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_private(path, broken)
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]


def test_an_encrypted_report_opens_only_with_its_password(
    registry: FormRegistry, tmp_path: Path
) -> None:
    risk = registry.get("risk")
    child = make_child(registry, "钱小密")
    case = CaseFile.from_documents(child, [filled(risk, child, risk_answers(risk, 2))])
    path = tmp_path / "locked.pdf"
    pages = write_private(
        path,
        lambda out: child_report(out, case, registry, generated_at=NOW, password="会议-2026"),
    )
    raw = path.read_bytes()
    assert b"/AESV3" in raw and b"/R 6" in raw
    assert "钱小密".encode("utf-16-be") not in raw
    reader = PdfReader(path)
    assert reader.is_encrypted and not reader.decrypt("wrong password")
    reader = PdfReader(path)
    assert reader.decrypt("会议-2026")
    assert len(reader.pages) == pages
    assert "钱小密" in reader.pages[0].extract_text()
    assert reader.metadata is not None and reader.metadata.get("/Title") == (
        "儿童入户评估报告（四色分类）"
    )
    if shutil.which("pdftotext"):
        opened = subprocess.run(
            ["pdftotext", "-upw", "会议-2026", "-l", "1", str(path), "-"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert "钱小密" in opened.stdout
        refused = subprocess.run(["pdftotext", str(path), "-"], capture_output=True)
        assert refused.returncode != 0
