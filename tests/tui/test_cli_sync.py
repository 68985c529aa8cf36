"""The scripted command line: doc, server and sync commands with no terminal prompt.

Run in this process (`tui.cli.main`), as a script would see them: exit status, standard
output and standard error; the server is the tests' CouchDB.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.couch import CouchServer
from sync.store import Store
from tests.sync.server import ServerUnderTest
from tests.tui.cli_run import PASSPHRASE, Careforms, put, runner


@pytest.fixture
def careforms(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Careforms:
    return runner(monkeypatch, capsys)


def test_doc_put_get_list(careforms: Careforms, tmp_path: Path) -> None:
    rev = put(careforms, tmp_path, {"_id": "child:1", "type": "child", "name": "王小明"})
    got = careforms("doc", "get", "child:1", home=tmp_path)
    assert got.json() == {"_id": "child:1", "_rev": rev, "type": "child", "name": "王小明"}
    put(careforms, tmp_path, {"_id": "visit:1:a", "type": "visit"})
    listed = careforms("doc", "list", "--prefix", "child:", home=tmp_path)
    assert listed.json() == [{"_id": "child:1", "_rev": rev}]
    stale = careforms("doc", "put", "-", home=tmp_path, stdin='{"_id": "child:1", "x": 1}')
    assert stale.code == 1 and "conflict" in stale.json()["error"]
    missing = careforms("doc", "get", "child:404", home=tmp_path)
    assert missing.code == 1 and "no document child:404" in missing.err


def test_no_passphrase_and_wrong_passphrase_are_clear(careforms: Careforms, tmp_path: Path) -> None:
    put(careforms, tmp_path, {"_id": "a"})
    none = careforms("doc", "list", home=tmp_path, CAREFORMS_PASSPHRASE="")
    assert none.code == 1 and "CAREFORMS_PASSPHRASE" in none.err
    wrong = careforms("doc", "list", home=tmp_path, CAREFORMS_PASSPHRASE="wrong")
    assert wrong.code == 1 and wrong.err.startswith("careforms: 口令打不开 ")
    wrong = careforms("--lang", "en", "doc", "list", home=tmp_path, CAREFORMS_PASSPHRASE="wrong")
    assert (
        wrong.err
        == f"careforms: The passphrase does not open the replica at {tmp_path}/replica.db\n"
    )
    bad_json = careforms("--lang", "en", "doc", "put", "-", home=tmp_path, stdin="{nope")
    assert bad_json.code == 1 and "-:1:2: not valid JSON" in bad_json.err


def test_doc_list_conflicts_lists_only_live_conflicts(careforms: Careforms, tmp_path: Path) -> None:
    from sync.conflicts import resolve
    from sync.revisions import revisions_field

    base = put(careforms, tmp_path, {"_id": "child:1", "v": 1})
    with Store.open(tmp_path / "replica.db", PASSPHRASE) as store:
        for n, doc_id in enumerate(("child:1", "child:2")):
            if doc_id == "child:2":
                base = store.put({"_id": doc_id, "v": 1})
            store.put({"_id": doc_id, "_rev": base, "v": "here"})
            theirs = f"2-{n}" + "f" * 31
            store.put_replicated(
                {"_id": doc_id, "_revisions": revisions_field([theirs, base]), "v": "there"}
            )
        resolve(store, "child:1", {"v": "both"})  # child:1 keeps only deleted conflicts
        winner = store.get("child:2")["_rev"]
    listed = careforms("doc", "list", "--conflicts", home=tmp_path)
    assert listed.json() == [{"_id": "child:2", "_rev": winner}]
    whole = careforms("doc", "list", "--conflicts", "--include-docs", home=tmp_path)
    assert [d["_id"] for d in whole.json()] == ["child:2"] and whole.json()[0]["_conflicts"]


def test_server_set_up_and_sync_with_remembered_settings(
    careforms: Careforms, server: ServerUnderTest, tmp_path: Path
) -> None:
    server.require_couchdb()  # the refusals come from the district's validation function
    admin = {"COUCHDB_USER": server.admin, "COUCHDB_PASSWORD": server.password}
    cli = server.new_district("cli")
    first = careforms("server", "init", server.url, "--district", cli, home=tmp_path, **admin)
    assert first.code == 0 and f"careforms-district-{cli}: created" in first.out
    again = careforms("server", "init", server.url, "--district", cli, home=tmp_path, **admin)
    assert again.out.strip() == "nothing to change"
    user = server.new_database_name("li")
    added = careforms(
        "server", "add-user", user, "--server", server.url, "--district", cli, "--role",
        "worker", home=tmp_path, CAREFORMS_NEW_USER_PASSWORD="secret-li", **admin,
    )  # fmt: skip
    assert added.code == 0, added.err

    laptop = tmp_path / "laptop"
    put(careforms, laptop, {"_id": "child:1", "type": "child", "district": cli, "name": "甲"})
    # the first sync fails at once (a wrong password): server and district are kept anyway
    refused = careforms(
        "--lang", "en", "sync", "--server", server.url, "--district", cli, home=laptop,
        COUCHDB_USER=user, COUCHDB_PASSWORD="wrong",
    )  # fmt: skip
    assert refused.code == 1 and "The server refused (401)" in refused.err
    creds = {"COUCHDB_USER": user, "COUCHDB_PASSWORD": "secret-li"}
    synced = careforms("--lang", "en", "sync", home=laptop, **creds)  # no --server, --district
    assert synced.code == 0, synced.err
    assert "pulled 0, pushed 1, conflicts 0, rejected 0" in synced.out
    assert "push: [" in synced.err  # the progress bar
    assert (
        CouchServer(server.url, user, "secret-li")
        .database(f"careforms-district-{cli}")
        .get("child:1")["name"]
        == "甲"
    )

    put(careforms, laptop, {"_id": "child:2", "type": "child", "district": "elsewhere"})
    rejected = careforms("sync", home=laptop, **creds)
    assert rejected.code == 2
    assert "被拒绝：child:2（forbidden：" in rejected.out
    for _ in range(2):  # listed by every sync while it stays as it was refused
        still = careforms("--lang", "en", "sync", home=laptop, **creds)
        assert still.code == 2 and "pushed 0, conflicts 0, rejected 1" in still.out
        assert "rejected: child:2 (forbidden: " in still.out and "elsewhere" in still.out
    unknown = careforms("--lang", "en", "sync", "--dismiss", "child:9", home=laptop)
    assert unknown.code == 1 and "child:9 is not among the rejected documents" in unknown.err
    dismissed = careforms("--lang", "en", "sync", "--dismiss", "child:2", home=laptop)
    assert dismissed.code == 0 and "dismissed 1 rejection(s)" in dismissed.out
    quiet = careforms("--lang", "en", "sync", home=laptop, **creds)
    assert quiet.code == 0 and "rejected 0" in quiet.out

    for file in laptop.iterdir():  # the password is nowhere on disk
        assert b"secret-li" not in file.read_bytes()
    nothing = careforms("--lang", "en", "sync", home=tmp_path / "new", **creds)
    assert nothing.code == 1 and "--server URL --district NAME" in nothing.err


def test_sync_loads_the_servers_client_and_the_forms_engine_only_while_the_key_is_derived() -> None:
    """`careforms sync` loads them on a thread beside the key derivation: what the command's
    module itself imports must not pull them in first (0.2 s of every sync's wait)."""
    import subprocess
    import sys

    code = (
        "import sys, tui.cli\n"
        "tui.cli._parser('zh-CN', 'sync')\n"
        "heavy = {'ibmcloudant', 'requests', 'jsonschema', 'pydantic'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy), "
        "sorted(m for m in sys.modules if m.startswith('engine.forms.') and "
        "m != 'engine.forms.i18n'))"  # the words' language picking is light
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[] []"


def test_a_sync_that_brings_no_form_loads_no_forms_engine(
    careforms: Careforms, server: ServerUnderTest, tmp_path: Path
) -> None:
    """The forms engine (0.2 s of every sync's wait) is loaded only when a published version
    arrives: a sync with nothing new in the forms databases does without it."""
    import os
    import subprocess
    import sys

    admin = {"COUCHDB_USER": server.admin, "COUCHDB_PASSWORD": server.password}
    district = server.new_district("lazy")
    made = careforms("server", "init", server.url, "--district", district, home=tmp_path, **admin)
    assert made.code == 0, made.err
    code = (
        "import sys\nfrom tui.cli import main\ncode = main(sys.argv[1:])\n"
        "print(code, sorted(m for m in sys.modules if m.startswith('engine.forms.') and "
        "m != 'engine.forms.i18n'))"  # the words' language picking is light
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COUCHDB_", "CAREFORMS_"))}
    env |= {"CAREFORMS_PASSPHRASE": "pass phrase", **admin}
    command = [sys.executable, "-c", code, "--home", str(tmp_path / "laptop"), "--lang", "en",
               "sync", "--server", server.url, "--district", district]  # fmt: skip
    for _ in range(2):  # the first may bring the published built-in forms; the second none
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout + done.stderr


def test_the_sync_process_ends_as_soon_as_it_has_said_all(
    server: ServerUnderTest, tmp_path: Path
) -> None:
    """`careforms sync` ends without the interpreter's teardown (0.1 s after a large pull),
    its output whole through a pipe and its exit status kept; other commands end as usual."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("COUCHDB_", "CAREFORMS_"))}
    env |= {"CAREFORMS_PASSPHRASE": "pass phrase", "COUCHDB_USER": server.admin,
            "COUCHDB_PASSWORD": server.password}  # fmt: skip
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('interpreter teardown', file=sys.stderr))\n"
        "sys.argv = ['careforms', *sys.argv[1:]]\n"
        "from tui.cli import run\nrun()\n"
    )
    laptop = ["--home", str(tmp_path / "laptop"), "--lang", "en"]
    put = subprocess.run(
        [sys.executable, "-c", code, *laptop, "doc", "put", "-"],
        input='{"_id": "child:1", "type": "child", "district": "elsewhere"}',
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert put.returncode == 0, put.stderr
    assert "interpreter teardown" in put.stderr  # not a sync: ends as usual
    district = server.new_district("exit")
    CouchServer(server.url, server.admin, server.password).database(
        f"careforms-district-{district}"
    ).create()
    synced = subprocess.run(
        [sys.executable, "-c", code, *laptop, "sync", "--server", server.url,
         "--district", district],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert synced.returncode == 0, synced.stderr
    said = synced.stdout.splitlines()  # (then any forms other tests published meanwhile)
    assert said[0] == "pulled 0, pushed 1, conflicts 0, rejected 0"
    assert synced.stdout.endswith("\n")  # all of it, through the pipe
    assert "interpreter teardown" not in synced.stderr
