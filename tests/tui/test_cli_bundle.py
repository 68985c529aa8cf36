"""`careforms bundle out|in` as a worker and the office use them: the laptop writes a file, the
office reads it into the server and writes the answer, the laptop applies the answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sync.server import ServerUnderTest
from tests.tui.cli_run import Careforms, put, runner


@pytest.fixture
def careforms(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Careforms:
    return runner(monkeypatch, capsys)


def test_a_laptop_and_the_office_sync_through_files(
    careforms: Careforms, server: ServerUnderTest, tmp_path: Path
) -> None:
    admin, district, worker = server.district_with_worker("f")
    laptop, stick = tmp_path / "laptop", tmp_path / "usb"
    stick.mkdir()
    words = {"CAREFORMS_BUNDLE_PASSPHRASE": "on the stick"}
    put(
        careforms,
        laptop,
        {"_id": "child:1", "type": "child", "district": district, "name": "王小明"},
    )
    put(
        careforms,
        laptop,
        {"_id": "child:2", "type": "child", "district": "elsewhere", "name": "外区"},
    )

    missing = careforms("bundle", "out", home=laptop, **words)
    assert missing.code == 1 and "--district" in missing.err
    out = careforms(
        "bundle", "out", "--district", district, "-o", str(stick / "x.bundle"), home=laptop, **words
    )
    assert out.code == 0, out.err
    assert "2 份文档" in out.out

    office = {"COUCHDB_USER": worker, "COUCHDB_PASSWORD": "pw", **words}
    no_server = careforms("bundle", "in", str(stick / "x.bundle"), home=tmp_path / "o", **office)
    assert no_server.code == 1 and "--server" in no_server.err
    read = careforms(
        "--lang", "en", "bundle", "in", str(stick / "x.bundle"), "--server", server.url,
        home=tmp_path / "office", **office,
    )  # fmt: skip
    assert read.code == 2, read.err  # one document rejected
    assert "Read 2 documents" in read.out and "rejected: child:2" in read.out
    answer = stick / "x-answer.bundle"
    assert answer.exists() and answer.stat().st_mode & 0o777 == 0o600

    applied = careforms("bundle", "in", str(answer), home=laptop, **words)
    assert applied.code == 2 and "拒收：child:2" in applied.out
    assert admin.database(f"careforms-district-{district}").get("child:1")["name"] == "王小明"
    again = careforms("--lang", "en", "bundle", "out", home=laptop, **words)
    assert again.code == 0 and "Nothing new to send" in again.out


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_damaged_bundle_or_wrong_passphrase_is_one_line_and_exit_1(
    careforms: Careforms, tmp_path: Path, lang: str
) -> None:
    put(careforms, tmp_path, {"_id": "child:1", "type": "child", "district": "d", "name": "甲"})
    out = careforms(
        "bundle", "out", "--district", "d", "-o", str(tmp_path / "b"), home=tmp_path,
        CAREFORMS_BUNDLE_PASSPHRASE="right",
    )  # fmt: skip
    assert out.code == 0, out.err
    wrong = careforms(
        "--lang", lang, "bundle", "in", str(tmp_path / "b"), home=tmp_path,
        CAREFORMS_BUNDLE_PASSPHRASE="wrong",
    )  # fmt: skip
    assert wrong.code == 1 and "Traceback" not in wrong.err
    assert ("口令不对" if lang == "zh-CN" else "passphrase is wrong") in wrong.err
    assert len(wrong.err.strip().splitlines()) == 1


def test_sync_preview_shows_what_would_move_and_sends_nothing(
    careforms: Careforms, server: ServerUnderTest, tmp_path: Path
) -> None:
    admin, district, worker = server.district_with_worker("v")
    put(careforms, tmp_path, {"_id": "child:" + "1" * 32, "type": "child", "district": district})
    creds = {"COUCHDB_USER": worker, "COUCHDB_PASSWORD": "pw"}
    where = ("--server", server.url, "--district", district)
    shown = careforms("sync", "--preview", *where, home=tmp_path, **creds)
    assert shown.code == 0, shown.err
    assert shown.out.splitlines() == [
        "将发送：儿童档案 1（共 1 份，涉及 1 名儿童）",
        "服务器上没有新内容。",
    ]
    on_server = admin.call(lambda s: s.post_all_docs(db=f"careforms-district-{district}"))
    assert [r["id"] for r in on_server["rows"] if not r["id"].startswith("_design/")] == []
    offline = careforms("--lang", "en", "sync", "--preview", *where, home=tmp_path)
    assert offline.code == 0 and "at most" in offline.out
