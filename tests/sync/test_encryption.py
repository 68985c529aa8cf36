"""The replica is encrypted at rest, and a wrong passphrase is a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.database import SALT_BYTES, Migration, connect, derive_key, key_for, migrate
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


def test_the_key_is_derived_with_scrypt_and_the_files_own_salt(tmp_path: Path) -> None:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    Store.open(first, "same passphrase").close()
    Store.open(second, "same passphrase").close()
    salt_a, salt_b = first.read_bytes()[:SALT_BYTES], second.read_bytes()[:SALT_BYTES]
    assert salt_a != salt_b  # random per replica: equal passphrases give different keys
    assert key_for(first, "same passphrase") == derive_key("same passphrase", salt_a)
    assert key_for(first, "same passphrase") != key_for(second, "same passphrase")
    db = connect(first, key_for(first, "same passphrase"))
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_a_reader_connection_sees_committed_writes(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db", "p", kdf_cost=2**8) as store:
        reader = store.reader()
        with store.transaction():
            store.put({"_id": "child:1"})
            assert reader.revs_diff({"child:1": ["1-" + "0" * 32]}) != {}  # not yet committed
        assert [c.id for c in reader.changes().results] == ["child:1"]


def test_a_new_migration_runs_once_on_an_existing_replica(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    db = connect(path, key_for(path, "p", 2**8))
    from sync.database import MIGRATIONS

    n = len(MIGRATIONS) + 1
    extra = Migration(n, "visit index", lambda c: c.execute("CREATE INDEX v ON docs(deleted)"))
    assert migrate(db, (*MIGRATIONS, extra)) == [n]
    assert migrate(db, (*MIGRATIONS, extra)) == []
    versions = [r[0] for r in db.execute("SELECT version FROM migrations ORDER BY version")]
    assert versions == list(range(1, n + 1))
    db.close()
