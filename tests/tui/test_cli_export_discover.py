"""`careforms export` and `careforms discover` on the command line, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sync.store import Store
from tests.engine.casework.discovery_lists import id_number, xlsx
from tui.cli import main

PASSPHRASE = "cli pass"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CAREFORMS_PASSPHRASE", PASSPHRASE)
        assert (
            main(["--home", str(folder), "demo", "--children", "8", "--today", "2026-11-23"]) == 0
        )
    return folder


def careforms(home: Path, *args: str) -> int:
    return main(["--home", str(home), *args])


@pytest.fixture(autouse=True)
def passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREFORMS_PASSPHRASE", PASSPHRASE)


def test_export_ledger_and_answers(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "台账.xlsx"
    assert careforms(home, "export", "ledger", "-o", str(out), "--on", "2026-11-23") == 0
    assert "（8 名儿童）" in capsys.readouterr().out
    book = load_workbook(out)
    assert book.sheetnames == ["儿童台账", "统计"] and book["儿童台账"].max_row == 9
    village = book["儿童台账"]["G2"].value
    assert (
        careforms(home, "--lang", "en", "export", "ledger", "--village", village, "-o", str(out))
        == 0
    )
    assert "children)" in capsys.readouterr().out
    rows = list(load_workbook(out)["Ledger"].iter_rows(min_row=2, values_only=True))
    assert rows and all(r[6] == village for r in rows)
    assert careforms(home, "export", "ledger", "-o", str(tmp_path / "x.pdf")) == 1
    assert "只能导出为 .xlsx 或 .csv" in capsys.readouterr().err

    answers = tmp_path / "risk.csv"
    assert (
        careforms(home, "export", "answers", "--form", "risk", "--codes", "-o", str(answers)) == 0
    )
    said = capsys.readouterr().out
    assert "“risk”第 1 版评估" in said and answers.read_bytes().startswith(b"\xef\xbb\xbf")
    assert careforms(home, "--lang", "en", "export", "answers", "--form", "nope") == 1
    assert "There is no form nope" in capsys.readouterr().err


def test_discover_import_reports_and_writes_all_or_nothing(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(home / "replica.db", PASSPHRASE) as store:
        registered = next(store.all_docs("child:"))["answers"]
        before = store.update_seq
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    assert careforms(home, "discover", "import", str(broken), "--source", "教育局") == 1
    err = capsys.readouterr().err
    assert err.startswith("careforms: broken.xlsx：XLSX 文件已损坏") and "Traceback" not in err
    with Store.open(home / "replica.db", PASSPHRASE) as store:
        assert store.update_seq == before  # nothing was written

    listing = xlsx(
        tmp_path / "edu.xlsx",
        [
            [1, registered["name"], None, "男" if registered["sex"] == "male" else "女",
             registered["birth_date"], registered["township"] + registered["village"], "", ""],
            [2, "新同学", id_number("20150606", 22), "女", None, "青山镇石桥村", "", ""],
            [3, "坏号码", "3210812015", "女", None, "", "", ""],
        ],
    )  # fmt: skip
    args = ["discover", "import", str(listing), "--source", "教育局", "--category", "留守"]
    assert careforms(home, *args) == 1  # the demo replica has never synced: which district?
    assert "--district" in capsys.readouterr().err
    args += ["--district", "demo"]
    assert careforms(home, *args) == 0
    out = capsys.readouterr().out
    assert "读取 3 条记录，有问题 1 行，与名册中的儿童相符 1 条，名册中没有 1 条" in out
    assert "第 5 行，C 列（身份证号）" in out and "已生成 2 个入户核查任务" in out
    assert careforms(home, *args) == 1
    again = capsys.readouterr().err
    assert "已在" in again and "--again" in again
    assert careforms(home, "--lang", "en", *args, "--again", "--json") == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["records"] == 3 and [b["row"] for b in summary["bad_rows"]] == [5]
    assert summary["matched"][0]["reason"] == "same name and birth date"
    assert summary["unmatched"][0]["village"] == "石桥村" and summary["tasks"] == 2
    assert careforms(home, "discover", "batches", "--json") == 0
    figures = json.loads(capsys.readouterr().out)
    assert [(f["records"], f["candidates"], f["open"]) for f in figures] == [(3, 2, 2)] * 2
    assert (
        careforms(home, "discover", "import", str(listing), "--source", "x", "--category", "外星")
        == 1
    )
    assert "不是儿童类别" in capsys.readouterr().err


def test_the_app_starts_without_the_spreadsheet_and_chinese_libraries() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tui.cli, tui.app, tui.screens.case_list, tui.screens.verification_tasks, "
        "tui.screens.screening_progress, tui.commands.export, tui.commands.discover\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'openpyxl', 'opencc', 'lxml'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
