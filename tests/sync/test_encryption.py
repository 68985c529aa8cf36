"""The replica is encrypted at rest, and a wrong passphrase is a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.database import DEFAULT_KDF_ITERATIONS, Migration, connect, migrate
from sync.errors import StoreError, WrongPassphrase
from sync.store import Store

NAME = "王小明"


def test_a_name_written_through_the_store_is_not_in_any_file(tmp_path: Path) -> None:
    path = tmp_path / "replica.db"
    with Store.open(path, "correct horse battery staple") as store:
        store.put({"_id": "child:1", "name": NAME, "id_number": "330102201301011234"})
        store.put_local({"_id": "_local/settings", "server": "https://example.org"})
        files = [p for p in tmp_path.iterdir() if p.is_file()]
        assert any(p.name.endswith("-wal") for p in files)  # checked while the WAL holds data
        _assert_absent(files)
    _assert_absent([p for p in tmp_path.iterdir() if p.is_file()])
    with Store.open(path, "correct horse battery staple") as store:
        assert store.get("child:1")["name"] == NAME


def _assert_absent(files: list[Path]) -> None:
    for file in files:
        data = file.read_bytes()
        for secret in (
            NAME.encode("utf-8"),
            b"330102201301011234",
            b"example.org",
            b"SQLite format 3",
            b"child:1",
        ):
            assert secret not in data, f"{secret!r} readable in {file.name}"


def test_wrong_passphrase_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "replica.db"
    Store.open(path, "right").close()
    with pytest.raises(WrongPassphrase) as refused:
        Store.open(path, "wrong")
    assert "passphrase" in str(refused.value) and str(path) in str(refused.value)
    with pytest.raises(StoreError):
        Store.open(path, "")


def test_the_key_derivation_is_sqlcipher_pbkdf2(tmp_path: Path) -> None:
    db = connect(tmp_path / "r.db", "p")
    assert int(db.execute("PRAGMA kdf_iter").fetchone()[0]) == DEFAULT_KDF_ITERATIONS
    assert db.execute("PRAGMA cipher_kdf_algorithm").fetchone()[0] == "PBKDF2_HMAC_SHA512"
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_a_new_migration_runs_once_on_an_existing_replica(tmp_path: Path) -> None:
    db = connect(tmp_path / "r.db", "p", kdf_iterations=1000)
    extra = Migration(2, "visit index", lambda c: c.execute("CREATE INDEX v ON revs(generation)"))
    from sync.database import MIGRATIONS

    assert migrate(db, (*MIGRATIONS, extra)) == [2]
    assert migrate(db, (*MIGRATIONS, extra)) == []
    assert [r[0] for r in db.execute("SELECT version FROM migrations ORDER BY version")] == [1, 2]
    db.close()
