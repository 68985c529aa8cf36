"""The replica is encrypted at rest, and a wrong passphrase is a clear message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from sync.database import (
    KEYCHECK_SUFFIX,
    NEW_PAGE_BYTES,
    PAGE_BYTES,
    SALT_BYTES,
    Migration,
    _check_value,
    connect,
    derive,
    derive_key,
    key_for,
    migrate,
)
from sync.errors import ReplicaDamaged, ReplicaTruncated, StoreError, WrongPassphrase
from sync.store import Store
from tests.sync.conftest import FAST_KDF

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
    db = connect(first, key_for(first, "same passphrase"), page_bytes=NEW_PAGE_BYTES)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert int(db.execute("PRAGMA page_size").fetchone()[0]) == NEW_PAGE_BYTES == 8192
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
    db = connect(path, key_for(path, "p", 2**8), page_bytes=PAGE_BYTES)
    from sync.database import MIGRATIONS

    n = len(MIGRATIONS) + 1
    extra = Migration(n, "visit index", lambda c: c.execute("CREATE INDEX v ON docs(deleted)"))
    assert migrate(db, (*MIGRATIONS, extra)) == [n]
    assert migrate(db, (*MIGRATIONS, extra)) == []
    versions = [r[0] for r in db.execute("SELECT version FROM migrations ORDER BY version")]
    assert versions == list(range(1, n + 1))
    db.close()


def _made_before(path: Path, passphrase: str, *, key_check: bool) -> None:
    """A replica as careforms made them before replicas had larger pages: 4,096-byte pages,
    and a key check without a page size (or none at all: it is written on a best effort)."""
    key = key_for(path, passphrase, FAST_KDF)
    connect(path, key, page_bytes=PAGE_BYTES).close()
    if key_check:
        salt = path.read_bytes()[:SALT_BYTES]
        old = {"salt": salt.hex(), "check": _check_value(derive(passphrase, salt, FAST_KDF))}
        Path(f"{path}{KEYCHECK_SUFFIX}").write_bytes(orjson.dumps(old))


def _saved_page_bytes(path: Path) -> int | None:
    saved: dict[str, Any] = orjson.loads(Path(f"{path}{KEYCHECK_SUFFIX}").read_bytes())
    return saved.get("page_bytes")


@pytest.mark.parametrize("key_check", [True, False])
def test_a_replica_made_before_larger_pages_opens_and_keeps_its_pages(
    tmp_path: Path, key_check: bool
) -> None:
    path = tmp_path / "replica.db"
    _made_before(path, "p", key_check=key_check)
    with Store.open(path, "p", kdf_cost=FAST_KDF) as store:
        assert store.page_bytes == PAGE_BYTES
        store.put({"_id": "child:1", "name": NAME})
        assert store.reader().revs_diff({"child:1": [store.get("child:1")["_rev"]]}) == {}
    with Store.open(path, "p", kdf_cost=FAST_KDF) as store:
        assert store.get("child:1")["name"] == NAME
        assert int(store._db.execute("PRAGMA page_size").fetchone()[0]) == PAGE_BYTES
    assert _saved_page_bytes(path) == (None if key_check else PAGE_BYTES)
    with pytest.raises(WrongPassphrase):
        Store.open(path, "wrong", kdf_cost=FAST_KDF)


def test_a_new_replica_has_larger_pages_even_when_its_key_check_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "replica.db"
    with Store.open(path, "p", kdf_cost=FAST_KDF) as store:
        assert store.page_bytes == NEW_PAGE_BYTES > PAGE_BYTES
        store.put({"_id": "child:1", "name": NAME})
    assert _saved_page_bytes(path) == NEW_PAGE_BYTES
    Path(f"{path}{KEYCHECK_SUFFIX}").unlink()
    with pytest.raises(WrongPassphrase) as refused:  # nothing to be sure by: "or damaged"
        Store.open(path, "wrong", kdf_cost=FAST_KDF)
    assert not refused.value.certain
    with Store.open(path, "p", kdf_cost=FAST_KDF) as store:  # found by trying
        assert store.page_bytes == NEW_PAGE_BYTES and store.get("child:1")["name"] == NAME
        assert store.reader().get("child:1")["name"] == NAME
    assert _saved_page_bytes(path) == NEW_PAGE_BYTES  # and written down again
    with pytest.raises(WrongPassphrase) as refused:
        Store.open(path, "wrong", kdf_cost=FAST_KDF)
    assert refused.value.certain


@pytest.mark.parametrize("key_check", [True, False])
def test_a_replica_cut_by_half_a_page_is_refused_as_truncated(
    tmp_path: Path, key_check: bool
) -> None:
    """Cut at a 4 KiB boundary inside an 8 KiB page: refused when opened, not later, and
    nothing written to it (with or without the key check saying the page size)."""
    path = tmp_path / "replica.db"
    with Store.open(path, "p", kdf_cost=FAST_KDF) as store, store.transaction():
        for n in range(60):
            store.put({"_id": f"child:{n}", "note": "x" * 400})
    if not key_check:
        Path(f"{path}{KEYCHECK_SUFFIX}").unlink()
    cut = path.read_bytes()[: path.stat().st_size // NEW_PAGE_BYTES * NEW_PAGE_BYTES - 4096]
    path.write_bytes(cut)
    with pytest.raises(ReplicaTruncated):
        Store.open(path, "p", kdf_cost=FAST_KDF)
    assert path.read_bytes() == cut


def test_without_its_key_check_a_replica_cut_at_a_page_is_damaged_not_a_wrong_passphrase(
    tmp_path: Path,
) -> None:
    """Finding the page size moves on to the next size only when the first page does not
    decrypt: a replica whose first page decrypts at 8 KiB but whose later pages are gone is
    said to be damaged (the error at 4 KiB, "not a database", would say wrong passphrase)."""
    path = tmp_path / "replica.db"
    with Store.open(path, "p", kdf_cost=FAST_KDF) as store, store.transaction():
        for n in range(200):
            store.put({"_id": f"child:{n}", "note": "x" * 400})
    Path(f"{path}{KEYCHECK_SUFFIX}").unlink()
    data = path.read_bytes()
    for pages in (1, 3, len(data) // NEW_PAGE_BYTES // 2):
        cut = data[: pages * NEW_PAGE_BYTES]
        path.write_bytes(cut)
        with pytest.raises(ReplicaDamaged):
            Store.open(path, "p", kdf_cost=FAST_KDF)
        assert path.read_bytes() == cut  # nothing written to it
