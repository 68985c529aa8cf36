"""Faults of the replica and the command line, as a careless user meets them: each is one
line in the user's language (zh-CN, or English with --lang en), exit status 1, and nothing
that was stored changes; a damaged replica file is never overwritten."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from sync.store import Store
from tests.tui.cli_run import PASSPHRASE, Careforms, put, runner

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def careforms(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Careforms:
    return runner(monkeypatch, capsys)


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file of a replica's folder, by content."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()
    }


def both_languages(careforms: Careforms, home: Path, *args: str, **kw: Any) -> tuple[str, str]:
    """The same command in zh-CN and in English: each one line, exit 1, no change."""
    before = fingerprint(home)
    lines = []
    for lang in ("zh-CN", "en"):
        ran = careforms("--lang", lang, *args, home=home, **kw)
        assert ran.code == 1, ran
        assert ran.err.startswith("careforms: ") and ran.err.count("\n") == 1, ran.err
        lines.append(ran.err.removeprefix("careforms: ").strip())
    assert fingerprint(home) == before
    return lines[0], lines[1]


def stored(home: Path) -> list[dict[str, Any]]:
    with Store.open(home / "replica.db", PASSPHRASE) as store:
        return list(store.all_docs())


@pytest.fixture
def home(careforms: Careforms, tmp_path: Path) -> Path:
    put(careforms, tmp_path, {"_id": "child:kept", "type": "child", "name": "王小明"})
    return tmp_path


def test_a_lone_surrogate_in_a_value_or_an_id_is_refused_and_nothing_is_written(
    careforms: Careforms, home: Path
) -> None:
    value = '[{"_id": "child:a", "n": 1}, {"_id": "child:b", "answers": {"name": "x\\ud800"}}]'
    zh, en = both_languages(careforms, home, "doc", "put", "-", stdin=value)
    assert zh == (
        "- 第 2 个文档（child:b）：/answers/name 含有不成对的代理字符（如 \\ud800），"
        "无法保存；未保存任何文档"
    )
    assert en.startswith("-, document 2 (child:b): /answers/name holds a lone surrogate")
    identifier = '{"_id": "child:\\udc00", "n": 1}'
    zh, en = both_languages(careforms, home, "doc", "put", "-", stdin=identifier)
    assert "/_id" in zh and "child:\\udc00" in en and "lone surrogate" in en
    assert [d["_id"] for d in stored(home)] == ["child:kept"]  # child:a was not written


def test_json_nested_too_deeply_is_refused_with_where(careforms: Careforms, home: Path) -> None:
    deep = '[{"_id": "child:a"}, {"_id": "child:deep", "v": ' + "[" * 300 + "]" * 300 + "}]"
    zh, en = both_languages(careforms, home, "doc", "put", "-", stdin=deep)
    assert "嵌套超过 250 层" in zh and en.startswith("-, document 2 (child:deep): nested more")
    assert "/v/0/0/0" in en
    deeper = '{"_id": "child:deeper", "v": ' + "[" * 50_000 + "]" * 50_000 + "}"
    zh, en = both_languages(careforms, home, "doc", "put", "-", stdin=deeper)
    assert zh == "-：JSON 嵌套太深，未保存任何文档"
    assert en == "-: the JSON is nested too deeply; no document was saved"
    assert [d["_id"] for d in stored(home)] == ["child:kept"]


def test_a_replica_held_by_another_process_is_reported_after_five_seconds(
    careforms: Careforms, home: Path
) -> None:
    holder = Store.open(home / "replica.db", PASSPHRASE)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with holder.transaction():  # another writer, e.g. the app saving
            holder.put({"_id": "child:other", "v": 1})
            held.set()
            release.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    try:
        start = time.monotonic()
        waited = careforms("--lang", "en", "doc", "put", "-", home=home, stdin='{"_id": "x"}')
        assert time.monotonic() - start >= 5
        assert waited.code == 1
        assert waited.err == (
            f"careforms: The replica at {home}/replica.db has been in use by another careforms "
            "(the app or a sync) for more than 5 seconds; nothing was changed: try again when "
            "it has finished\n"
        )
    finally:
        release.set()
        thread.join()
        holder.close()
    zh = careforms("demo", home=home / "never")  # (a free replica still works)
    assert zh.code == 0
    assert [d["_id"] for d in stored(home)] == ["child:kept", "child:other"]


def test_a_truncated_replica_is_not_a_wrong_passphrase(careforms: Careforms, home: Path) -> None:
    replica = home / "replica.db"
    with Store.open(replica, PASSPHRASE) as store, store.transaction():  # several pages
        for n in range(200):
            store.put({"_id": f"child:{n}", "note": "x" * 400})
    data = replica.read_bytes()
    for cut in (len(data) // 2 + 100, len(data) // 2 // 4096 * 4096):
        replica.write_bytes(data[:cut])
        zh, en = both_languages(careforms, home, "doc", "list")
        assert "不完整" in zh or "已损坏" in zh
        assert en.startswith(f"The replica file {replica} is") and "passphrase" not in en
        assert replica.read_bytes() == data[:cut]  # never overwritten


def test_a_garbage_replica_is_not_a_wrong_passphrase(careforms: Careforms, home: Path) -> None:
    replica = home / "replica.db"
    for garbage in (os.urandom(8192), b"<html>not a replica</html>\n" * 600, b"\0" * 16384):
        replica.write_bytes(garbage)
        zh, en = both_languages(careforms, home, "doc", "list")
        assert "口令" not in zh and "passphrase" not in en, (zh, en)
        assert "damaged" in en or "cut short" in en
    wrong = careforms("--lang", "en", "doc", "list", home=home, CAREFORMS_PASSPHRASE="nope")
    assert "damaged" in wrong.err or "cut short" in wrong.err  # whatever the passphrase


def test_an_empty_replica_file_is_reported_and_never_replaced(
    careforms: Careforms, home: Path
) -> None:
    (home / "replica.db").write_bytes(b"")
    zh, en = both_languages(careforms, home, "doc", "list")
    assert zh.startswith(f"本机数据库文件 {home}/replica.db 是空的（0 字节）")
    assert en.startswith(f"The replica file {home}/replica.db is empty (0 bytes)")
    both_languages(careforms, home, "demo")
    assert (home / "replica.db").stat().st_size == 0


def _without_root_override() -> list[str]:
    """Root writes into read-only folders: drop that power for the command, if we have it."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv to drop CAP_DAC_OVERRIDE")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]


def test_a_replica_in_a_read_only_folder_is_reported(home: Path) -> None:
    folder = home
    before = fingerprint(folder)
    folder.chmod(0o500)
    try:
        lines = []
        for lang in ("zh-CN", "en"):
            env = {**os.environ, "CAREFORMS_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(ROOT)}
            ran = subprocess.run(
                [*_without_root_override(), sys.executable, "-m", "tui.cli", "--lang", lang,
                 "--home", str(folder), "doc", "put", "-"],
                input='{"_id": "child:new"}', capture_output=True, text=True, env=env,
                timeout=60,
            )  # fmt: skip
            assert ran.returncode == 1, ran.stderr
            assert ran.stderr.count("\n") == 1, ran.stderr
            lines.append(ran.stderr)
    finally:
        folder.chmod(0o700)
    assert (
        lines[0]
        == f"careforms: 无法写入 {folder}/replica.db：文件或所在文件夹是只读的，未做任何改动\n"
    )
    assert lines[1] == (
        f"careforms: Cannot write to {folder}/replica.db: the file or its folder is "
        "read-only; nothing was changed\n"
    )
    assert fingerprint(folder) == before


SMALL_DISK = """
import contextlib, io, json, os, resource, signal, sys
from tui.cli import main
home, mode = sys.argv[1], sys.argv[2]
os.environ["CAREFORMS_PASSPHRASE"] = "pass phrase"
def run(*args, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    sys.stdin = io.StringIO(stdin)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--home", home, *args])
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}
results = {"first": run("doc", "put", "-", stdin='{"_id": "note:kept", "n": 1}')}
if mode == "rlimit":  # no small disk to mount: a file-size limit fails writes the same way
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    size = os.path.getsize(os.path.join(home, "replica.db"))
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 64 * 1024, resource.RLIM_INFINITY))
many = json.dumps([{"_id": f"child:{n}", "note": "x" * 2000} for n in range(400)])
for lang in ("zh-CN", "en"):
    results["demo " + lang] = run("--lang", lang, "demo")
    results["put " + lang] = run("--lang", lang, "doc", "put", "-", stdin=many)
results["after"] = run("doc", "list")
print(json.dumps(results))
"""


def _small_disk(folder: Path) -> dict[str, Any]:
    """Runs SMALL_DISK with its replica on a 512 KB file system (a tmpfs in a namespace of
    its own), or, where namespaces are not allowed, under a file-size limit."""
    folder.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env = {k: v for k, v in env.items() if not k.startswith(("COUCHDB_", "CAREFORMS_"))}
    home = folder / "home"
    mount = ["unshare", "-rm", "sh", "-c", f'mount -t tmpfs -o size=512k tmpfs "{folder}" && '
             f'exec "{sys.executable}" -c "$0" "{home}" tmpfs', SMALL_DISK]  # fmt: skip
    if (
        shutil.which("unshare")
        and subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0
    ):
        ran = subprocess.run(mount, capture_output=True, text=True, env=env, timeout=120)
    else:
        ran = subprocess.run(
            [sys.executable, "-c", SMALL_DISK, str(home), "rlimit"],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-3000:]
    return dict(json.loads(ran.stdout.strip().splitlines()[-1]))


def test_a_full_disk_during_demo_or_doc_put_changes_nothing(tmp_path: Path) -> None:
    results = _small_disk(tmp_path / "disk")
    assert results["first"]["code"] == 0
    for what in ("demo", "put"):
        zh, en = results[f"{what} zh-CN"], results[f"{what} en"]
        assert zh["code"] == en["code"] == 1, (zh, en)
        assert zh["err"] == (
            f"careforms: {tmp_path}/disk/home/replica.db 所在的磁盘已满或无法写入，"
            "本次没有保存任何内容\n"
        )
        assert en["err"] == (
            f"careforms: The disk holding {tmp_path}/disk/home/replica.db is full or cannot "
            "be written; nothing was saved\n"
        )
        assert zh["out"] == en["out"] == ""  # no document reported as written
    assert results["after"]["code"] == 0
    assert [d["_id"] for d in json.loads(results["after"]["out"])] == ["note:kept"]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_app_says_a_damaged_replica_is_damaged_and_leaves_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    from tui.app import CareformsApp
    from tui.screens.unlock import UnlockScreen

    replica = tmp_path / "replica.db"
    Store.open(replica, PASSPHRASE).close()
    garbage = os.urandom(3 * 4096)
    replica.write_bytes(garbage)
    monkeypatch.delenv("CAREFORMS_PASSPHRASE", raising=False)
    app = CareformsApp(replica, lang="en")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press(*PASSPHRASE, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = str(app.screen.query_one("#unlock-error").render())
        assert said.startswith(f"The replica file {replica} is damaged") and isinstance(
            app.screen, UnlockScreen
        )
    assert replica.read_bytes() == garbage
