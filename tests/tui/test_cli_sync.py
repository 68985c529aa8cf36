"""The scripted command line: doc, server and sync commands with no terminal prompt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.sync.server import ServerUnderTest


def careforms(
    *args: str, home: Path, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("COUCHDB_", "CAREFORMS_"))
    }
    environment.update({"CAREFORMS_PASSPHRASE": "pass phrase", **env})
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "--home", str(home), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def put(home: Path, doc: dict[str, Any]) -> str:
    done = careforms("doc", "put", "-", home=home, stdin=json.dumps(doc, ensure_ascii=False))
    assert done.returncode == 0, done.stderr
    return str(json.loads(done.stdout)["rev"])


def test_doc_put_get_list(tmp_path: Path) -> None:
    rev = put(tmp_path, {"_id": "child:1", "type": "child", "name": "王小明"})
    got = careforms("doc", "get", "child:1", home=tmp_path)
    assert json.loads(got.stdout) == {
        "_id": "child:1",
        "_rev": rev,
        "type": "child",
        "name": "王小明",
    }
    put(tmp_path, {"_id": "visit:1:a", "type": "visit"})
    listed = careforms("doc", "list", "--prefix", "child:", home=tmp_path)
    assert json.loads(listed.stdout) == [{"_id": "child:1", "_rev": rev}]
    stale = careforms("doc", "put", "-", home=tmp_path, stdin='{"_id": "child:1", "x": 1}')
    assert stale.returncode == 1 and "conflict" in json.loads(stale.stdout)["error"]
    missing = careforms("doc", "get", "child:404", home=tmp_path)
    assert missing.returncode == 1 and "no document child:404" in missing.stderr


def test_no_passphrase_and_wrong_passphrase_are_clear(tmp_path: Path) -> None:
    put(tmp_path, {"_id": "a"})
    none = careforms("doc", "list", home=tmp_path, CAREFORMS_PASSPHRASE="")
    assert none.returncode == 1 and "CAREFORMS_PASSPHRASE" in none.stderr
    wrong = careforms("doc", "list", home=tmp_path, CAREFORMS_PASSPHRASE="wrong")
    assert wrong.returncode == 1 and "passphrase does not open" in wrong.stderr
    assert "Traceback" not in none.stderr + wrong.stderr
    bad_json = careforms("doc", "put", "-", home=tmp_path, stdin="{nope")
    assert bad_json.returncode == 1 and "-:1:2: not valid JSON" in bad_json.stderr


def test_server_set_up_and_sync_with_remembered_settings(
    server: ServerUnderTest, tmp_path: Path
) -> None:
    admin = {"COUCHDB_USER": server.admin, "COUCHDB_PASSWORD": server.password}
    cli = server.new_district("cli")
    first = careforms("server", "init", server.url, "--district", cli, home=tmp_path, **admin)
    assert first.returncode == 0 and f"careforms-district-{cli}: created" in first.stdout
    again = careforms("server", "init", server.url, "--district", cli, home=tmp_path, **admin)
    assert again.stdout.strip() == "nothing to change"
    user = server.new_database_name("li")
    added = careforms(
        "server",
        "add-user",
        user,
        "--server",
        server.url,
        "--district",
        cli,
        "--role",
        "worker",
        home=tmp_path,
        CAREFORMS_NEW_USER_PASSWORD="secret-li",
        **admin,
    )
    assert added.returncode == 0, added.stderr

    laptop = tmp_path / "laptop"
    put(laptop, {"_id": "child:1", "type": "child", "district": cli, "name": "甲"})
    creds = {"COUCHDB_USER": user, "COUCHDB_PASSWORD": "secret-li"}
    synced = careforms("sync", "--server", server.url, "--district", cli, home=laptop, **creds)
    assert synced.returncode == 0, synced.stderr
    assert "pulled 0, pushed 1, conflicts 0, rejected 0" in synced.stdout
    assert "push: [" in synced.stderr  # the progress bar

    put(laptop, {"_id": "child:2", "type": "child", "district": "elsewhere"})
    remembered = careforms("sync", home=laptop, **creds)  # no --server, no --district
    assert remembered.returncode == 2
    assert "rejected: child:2 (forbidden:" in remembered.stdout

    for file in laptop.iterdir():  # the password is nowhere on disk
        assert b"secret-li" not in file.read_bytes()

    nothing = careforms("sync", home=tmp_path / "new", **creds)
    assert nothing.returncode == 1 and "--server URL --district NAME" in nothing.stderr
    refused = careforms("sync", home=laptop, COUCHDB_USER=user, COUCHDB_PASSWORD="wrong")
    assert refused.returncode == 1 and "401" in refused.stderr and "Traceback" not in refused.stderr
