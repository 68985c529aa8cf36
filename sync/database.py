"""Opening the replica's SQLite file: encrypted with SQLCipher, WAL, schema migrations.

The key comes from the passphrase through scrypt (memory-hard: N=2^15, r=8, p=1) with a
random 16-byte salt that SQLCipher keeps in the file's first bytes. The derived key is
given to SQLCipher as a raw key, so further connections (a reader beside the writer) open
without repeating the derivation. Every page of the database and of its write-ahead log is
encrypted with AES-256 and authenticated with HMAC-SHA512.

A wrong passphrase and a damaged file look alike to SQLCipher (page 1 does not decrypt), so
a small key check beside the replica (`<file>.keycheck`: the salt and an HMAC of a fixed text
under the derived key; it tells nothing more than the file itself) tells them apart. It also
keeps the replica's page size, which SQLCipher cannot read from the file (8 KiB for replicas
made now, 4 KiB for those made before; found by trying when the key check is lost). A new
replica is built under a temporary name and moved into place only when complete, so a
replica file of 0 bytes is never one careforms left: it is reported, never replaced.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
import sqlcipher3

from sync.errors import (
    DiskFull,
    NoPassphrase,
    ReplicaBusy,
    ReplicaDamaged,
    ReplicaEmpty,
    ReplicaReadOnly,
    ReplicaTruncated,
    StoreError,
    WrongPassphrase,
)

if TYPE_CHECKING:
    # sqlcipher3 is CPython's sqlite3 module built against SQLCipher, without type stubs: its
    # Connection has sqlite3's methods, so sqlite3's stub types it.
    from sqlite3 import Connection as Connection
else:
    Connection = sqlcipher3.Connection
SQLiteError: type[Exception] = sqlcipher3.Error
DEFAULT_KDF_COST = 2**15  # scrypt N: about 0.1 s and 32 MiB on an old laptop
SALT_BYTES = 16
PAGE_BYTES = 4096  # SQLCipher 4's page, and the smallest: a replica file is a multiple of it
# Replicas are made with pages twice that size: a commit then encrypts, authenticates and
# writes half as many pages, each on its own (a pulled batch's commit is most of its cost):
# 7.5% less CPU in a whole first pull of 20,000 documents. Replicas made before keep theirs.
NEW_PAGE_BYTES = 8192
PAGE_SIZES = (PAGE_BYTES, NEW_PAGE_BYTES)  # of the replicas careforms has made, oldest first
WAL_CHECKPOINT_BYTES = 16_384_000  # the log copied into the file past this: fewer, larger copies
SYNCHRONOUS = "FULL"  # a commit survives power loss too (see Store.refetchable_transaction)
BUSY_SECONDS = 5.0  # how long a write waits for another process holding the replica
PLAIN_SQLITE = b"SQLite format 3\x00"
KEYCHECK_SUFFIX = ".keycheck"
_CHECK_TEXT = b"careforms replica key check v1"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]
    in_transaction: bool = True  # VACUUM, for one, cannot run inside a transaction


def _initial_schema(db: Connection) -> None:
    # statement by statement: executescript would commit the migration's transaction
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


_SCHEMA = """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE docs (
            doc_id TEXT PRIMARY KEY,
            winner TEXT NOT NULL,         -- the winning revision
            deleted INTEGER NOT NULL,     -- whether the winner is a deletion
            seq INTEGER NOT NULL,         -- sequence of the last change
            conflicted INTEGER NOT NULL,  -- live leaves other than the winner exist
            leaf_count INTEGER NOT NULL,  -- all leaves, deleted ones included
            leaves TEXT NOT NULL,         -- JSON [[rev, deleted], ...], the winner first
            tree TEXT NOT NULL            -- JSON {rev: [parent, deleted]}: the revision tree
        );
        CREATE UNIQUE INDEX docs_by_seq ON docs(seq);
        CREATE TABLE bodies (             -- contents of the revisions whose body is known
            doc_id TEXT NOT NULL,
            rev TEXT NOT NULL,
            body TEXT NOT NULL            -- JSON without _id/_rev/_deleted
        );
        CREATE UNIQUE INDEX bodies_by_rev ON bodies(doc_id, rev);
        CREATE TABLE local_docs (
            doc_id TEXT PRIMARY KEY,
            rev INTEGER NOT NULL,
            body TEXT NOT NULL
        );
        """


def _rejections(db: Connection) -> None:
    db.execute(
        """CREATE TABLE rejections (  -- documents the server refused, until changed or dismissed
            doc_id TEXT PRIMARY KEY,
            rev TEXT NOT NULL,           -- the revision refused
            error TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL             -- when (UTC, ISO 8601)
        )"""
    )


def _incremental_vacuum(db: Connection) -> None:
    """Free pages go back to the file system on `PRAGMA incremental_vacuum` (compaction).
    New replicas are made so; an older one is rebuilt once."""
    if db.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:
        db.execute("PRAGMA auto_vacuum = INCREMENTAL")
        db.execute("VACUUM")


def _case_digests(db: Connection) -> None:
    from sync.case_digests import create_table  # (that module builds on this one)

    create_table(db)


def _several_leaves(db: Connection) -> None:
    """Documents with more than one leaf (in conflict, or with deleted conflicts) found by an
    index of those alone: a sync's report, its preview and the conflicts screen ask for them
    every time, and reading every document for them took 16-50 ms at 20,000 documents."""
    db.execute("CREATE INDEX docs_with_several_leaves ON docs(doc_id) WHERE leaf_count > 1")


def _changed_ids(db: Connection) -> None:
    """The ids of the documents changed since a sequence, read from an index alone: the
    digests' catch-up after a pull asks for them, and found through `docs_by_seq` each row's
    revision tree was read too (20-60 ms of the end of a 20,000-document pull; 11-15 ms so)."""
    db.execute("CREATE INDEX docs_changed ON docs(seq, doc_id)")


# Registered in order; each runs once and is recorded in `migrations`.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _initial_schema),
    Migration(2, "rejections remembered", _rejections),
    Migration(3, "incremental vacuum", _incremental_vacuum, in_transaction=False),
    Migration(4, "children's digests", _case_digests),
    Migration(5, "documents with several leaves indexed", _several_leaves),
    Migration(6, "changed documents' ids indexed", _changed_ids),
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def migrate(db: Connection, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
    """Apply the migrations not yet recorded; returns the versions applied. Writes nothing
    when all are applied (so opening never waits for another writer)."""
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
    ).fetchone()
    done = {row[0] for row in db.execute("SELECT version FROM migrations")} if exists else set()
    todo = [m for m in migrations if m.version not in done]
    if not todo:
        return []
    if not exists:
        db.execute(
            "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
    applied = []
    for migration in todo:
        record = ("INSERT INTO migrations VALUES (?, ?, ?)", (migration.version, migration.name))
        if migration.in_transaction:
            db.execute("BEGIN IMMEDIATE")
            try:
                migration.apply(db)
                db.execute(record[0], (*record[1], _now()))
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        else:
            migration.apply(db)  # repeatable: it may run again if cut before it is recorded
            db.execute(record[0], (*record[1], _now()))
        applied.append(migration.version)
    return applied


def derive(passphrase: str, salt: bytes, cost: int = DEFAULT_KDF_COST) -> bytes:
    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=cost, r=8, p=1, maxmem=128 * cost * 8 * 2, dklen=32
    )


def _raw_key(key: bytes, salt: bytes) -> str:
    return f"x'{key.hex()}{salt.hex()}'"


def derive_key(passphrase: str, salt: bytes, cost: int = DEFAULT_KDF_COST) -> str:
    """The SQLCipher raw key (with its salt) for a passphrase."""
    return _raw_key(derive(passphrase, salt, cost), salt)


def key_for(path: Path, passphrase: str, cost: int = DEFAULT_KDF_COST) -> str:
    """The key of an existing replica (its salt is in its header), or of a new one."""
    if not passphrase:
        raise NoPassphrase()
    salt = None
    if path.exists() and path.stat().st_size >= SALT_BYTES:
        with path.open("rb") as file:
            salt = file.read(SALT_BYTES)
    return derive_key(passphrase, salt or os.urandom(SALT_BYTES), cost)


def connect(path: Path, key: str, *, page_bytes: int, cache_kib: int = 16384) -> Connection:
    """An open, keyed, migrated connection to the replica file (created if missing, owner-only
    from the first byte), whose pages are `page_bytes` long (SQLCipher cannot tell without
    being told). The page cache is bounded (`cache_kib`): a first pull of a large district
    stays in memory."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():  # SQLite gives the -wal and -shm files the same permissions
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    db: Connection = sqlcipher3.connect(
        str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_SECONDS
    )
    try:
        _keyed(db, key, page_bytes)
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        db.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
        db.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_BYTES // int(page_bytes)}")
        db.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        db.execute("PRAGMA foreign_keys = ON")
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def _keyed(db: Connection, key: str, page_bytes: int) -> None:
    """Keyed, at a page size, and the first page read: a wrong key or size fails here."""
    db.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported, not logged
    db.execute(f'PRAGMA key = "{key}"')
    db.execute(f"PRAGMA cipher_page_size = {int(page_bytes)}")
    db.execute("SELECT count(*) FROM sqlite_master").fetchone()


def fault(exc: BaseException, path: Path | str) -> StoreError:
    """The replica fault an SQLite error means (a wrong key is told apart by `open_replica`)."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    where = str(path)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return ReplicaBusy(where)
    if name.startswith(("SQLITE_FULL", "SQLITE_IOERR")):
        return DiskFull(where, str(exc))
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return ReplicaReadOnly(where, str(exc))
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return ReplicaDamaged(where, str(exc))
    return StoreError(f"the replica at {where}: {exc}")


# -- opening with a diagnosis ----------------------------------------------------------------
def _keycheck_path(path: Path) -> Path:
    return path.with_name(path.name + KEYCHECK_SUFFIX)


def _check_value(key: bytes) -> str:
    return hmac.new(key, _CHECK_TEXT, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class KeyCheck:
    """Kept beside the replica: its salt, a value only the right key gives, its page size
    (absent from those written before replicas had larger pages: theirs are PAGE_BYTES)."""

    salt: bytes
    check: str
    page_bytes: int | None


def _read_keycheck(path: Path) -> KeyCheck | None:
    try:
        saved = orjson.loads(_keycheck_path(path).read_bytes())
        page_bytes = saved.get("page_bytes", PAGE_BYTES)
        if page_bytes not in PAGE_SIZES:
            page_bytes = None  # not one we make: found by trying, as without a key check
        return KeyCheck(bytes.fromhex(saved["salt"]), str(saved["check"]), page_bytes)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_keycheck(path: Path, salt: bytes, key: bytes, page_bytes: int) -> None:
    """Best effort: without it a damaged file is only reported as "wrong passphrase, or…",
    and the page size is found by trying."""
    target = _keycheck_path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            saved = {"salt": salt.hex(), "check": _check_value(key), "page_bytes": page_bytes}
            file.write(orjson.dumps(saved))
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)


def _whole_pages(path: Path, page_bytes: int) -> None:
    """A replica cut short by part of a page is refused before anything is written to it."""
    size = path.stat().st_size
    if size < page_bytes or size % page_bytes:
        raise ReplicaTruncated(str(path), f"{size} bytes, not a whole number of pages")


def _inspect(path: Path) -> bytes:
    """Refuse a replica file that cannot be one, before any key is tried; returns its salt."""
    if path.stat().st_size == 0:
        raise ReplicaEmpty(str(path))
    _whole_pages(path, PAGE_BYTES)  # (the smallest: its own size is known once keyed)
    with path.open("rb") as file:
        header = file.read(len(PLAIN_SQLITE))
    if header == PLAIN_SQLITE:
        raise ReplicaDamaged(str(path), "an unencrypted SQLite file")
    if not os.access(path, os.R_OK | os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
        raise ReplicaReadOnly(str(path))
    return header[:SALT_BYTES]


def _diagnose(exc: BaseException, path: Path, passphrase: str, key: bytes, cost: int) -> StoreError:
    """Why a replica did not open: a wrong passphrase only when nothing says otherwise."""
    found = fault(exc, path)
    if not isinstance(found, ReplicaDamaged) or "SQLITE_CORRUPT" in str(
        getattr(exc, "sqlite_errorname", "")
    ):
        return found  # busy, read-only, disk; or corrupt pages, which a right key reached
    saved = _read_keycheck(path)
    with path.open("rb") as file:
        salt = file.read(SALT_BYTES)
    if saved is None:
        return WrongPassphrase(str(path))
    saved_salt, check = saved.salt, saved.check
    if saved_salt == salt:
        if hmac.compare_digest(_check_value(key), check):
            return ReplicaDamaged(str(path), "its first page does not decrypt")
        return WrongPassphrase(str(path), certain=True)
    if hmac.compare_digest(_check_value(derive(passphrase, saved_salt, cost)), check):
        return ReplicaDamaged(str(path), "its header changed")
    return WrongPassphrase(str(path))


def _create(path: Path, passphrase: str, cost: int) -> tuple[bytes, bytes] | None:
    """A new, empty, migrated replica at `path`, made aside and moved in when complete;
    None when another process made one there meanwhile (then that one is opened)."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ReplicaReadOnly(str(path), exc.strerror or "") from exc
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise ReplicaReadOnly(str(path))
    salt = os.urandom(SALT_BYTES)
    key = derive(passphrase, salt, cost)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
    for leftover in (temporary, *(temporary.with_name(temporary.name + s) for s in WAL_FILES)):
        leftover.unlink(missing_ok=True)
    try:
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        db = sqlcipher3.connect(str(temporary), isolation_level=None, timeout=BUSY_SECONDS)
        try:
            db.execute(f'PRAGMA key = "{_raw_key(key, salt)}"')
            db.execute(f"PRAGMA cipher_page_size = {NEW_PAGE_BYTES}")  # before the first page
            db.execute("PRAGMA synchronous = OFF")  # made durable once, below, before it counts
            db.execute("PRAGMA auto_vacuum = INCREMENTAL")  # before the first table
            db.execute("PRAGMA journal_mode = WAL")
            migrate(db)
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        _fsync(temporary)
        try:
            os.link(temporary, path)  # never over a file that appeared meanwhile
        except FileExistsError:
            return None
        _fsync(path.parent)
        _write_keycheck(path, salt, key, NEW_PAGE_BYTES)
    except SQLiteError as exc:
        raise fault(exc, path) from exc
    except OSError as exc:
        raise DiskFull(str(path), exc.strerror or "") from exc
    finally:
        for leftover in (temporary, *(temporary.with_name(temporary.name + s) for s in WAL_FILES)):
            leftover.unlink(missing_ok=True)
    return salt, key


WAL_FILES = ("-wal", "-shm", "-journal")


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def open_replica(
    path: Path, passphrase: str, cost: int = DEFAULT_KDF_COST
) -> tuple[Connection, str]:
    """The replica at `path` (made when there is none), and its SQLCipher key; a fault of the
    file, or a wrong passphrase, as its own `StoreError`. A file that exists is never replaced."""
    if not passphrase:
        raise NoPassphrase()
    made = None if path.exists() or path.is_symlink() else _create(path, passphrase, cost)
    saved = _read_keycheck(path)
    if made is not None:
        salt, key = made
    else:
        salt = _inspect(path)
        key = derive(passphrase, salt, cost)
        if (
            saved is not None
            and saved.salt == salt
            and not hmac.compare_digest(_check_value(key), saved.check)
        ):
            raise WrongPassphrase(str(path), certain=True)
    raw = _raw_key(key, salt)
    recorded = saved.page_bytes if saved is not None and saved.salt == salt else None
    try:
        page_bytes = recorded or _found_page_bytes(path, raw)  # without a key check to say
        _whole_pages(path, page_bytes)
        db = connect(path, raw, page_bytes=page_bytes)
    except SQLiteError as exc:
        raise _diagnose(exc, path, passphrase, key, cost) from exc
    if recorded is None:
        _write_keycheck(path, salt, key, page_bytes)
    return db, raw


def _found_page_bytes(path: Path, raw: str) -> int:
    """The page size at which the replica's first page decrypts, found by reading only that
    page at each size careforms has made. Only "not a database" means another size may do;
    any other fault (busy, damaged, disk) is the file's own and raised at once, and when no
    size does, the first size's error is (a wrong key fails at every size)."""
    first: BaseException | None = None
    for page_bytes in PAGE_SIZES:
        db = sqlcipher3.connect(str(path), isolation_level=None, timeout=BUSY_SECONDS)
        try:
            _keyed(db, raw, page_bytes)
            return page_bytes
        except SQLiteError as exc:
            if not str(getattr(exc, "sqlite_errorname", "")).startswith("SQLITE_NOTADB"):
                raise
            first = first or exc
        finally:
            db.close()
    assert first is not None
    raise first


def page_bytes_of(db: Connection) -> int:
    """The page size a connection reads its replica with."""
    return int(db.execute("PRAGMA cipher_page_size").fetchone()[0])
