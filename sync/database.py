"""Opening the replica's SQLite file: encrypted with SQLCipher, WAL, schema migrations.

The key comes from the passphrase through scrypt (memory-hard: N=2^15, r=8, p=1) with a
random 16-byte salt that SQLCipher keeps in the file's first bytes. The derived key is
given to SQLCipher as a raw key, so further connections (a reader beside the writer) open
without repeating the derivation. Every page of the database and of its write-ahead log is
encrypted with AES-256 and authenticated with HMAC-SHA512.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from sync.errors import StoreError, WrongPassphrase

if TYPE_CHECKING:
    # sqlcipher3 is CPython's sqlite3 module built against SQLCipher, without type stubs: its
    # Connection has sqlite3's methods, so sqlite3's stub types it.
    from sqlite3 import Connection as Connection
else:
    Connection = sqlcipher3.Connection
DEFAULT_KDF_COST = 2**15  # scrypt N: about 0.1 s and 32 MiB on an old laptop
SALT_BYTES = 16


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]


def _initial_schema(db: Connection) -> None:
    db.executescript(
        """
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
    )


# Registered in order; each runs once, in a transaction, and is recorded in `migrations`.
MIGRATIONS: tuple[Migration, ...] = (Migration(1, "initial schema", _initial_schema),)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def migrate(db: Connection, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
    """Apply the migrations not yet recorded; returns the versions applied."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in db.execute("SELECT version FROM migrations")}
    applied = []
    for migration in migrations:
        if migration.version in done:
            continue
        with db:
            migration.apply(db)
            db.execute(
                "INSERT INTO migrations VALUES (?, ?, ?)",
                (migration.version, migration.name, _now()),
            )
        applied.append(migration.version)
    return applied


def derive_key(passphrase: str, salt: bytes, cost: int = DEFAULT_KDF_COST) -> str:
    """The SQLCipher raw key (with its salt) for a passphrase."""
    key = hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=cost, r=8, p=1, maxmem=128 * cost * 8 * 2, dklen=32
    )
    return f"x'{key.hex()}{salt.hex()}'"


def key_for(path: Path, passphrase: str, cost: int = DEFAULT_KDF_COST) -> str:
    """The key of an existing replica (its salt is in its header), or of a new one."""
    if not passphrase:
        raise StoreError("A passphrase is required to open the replica.")
    salt = None
    if path.exists() and path.stat().st_size >= SALT_BYTES:
        with path.open("rb") as file:
            salt = file.read(SALT_BYTES)
    return derive_key(passphrase, salt or os.urandom(SALT_BYTES), cost)


def connect(path: Path, key: str) -> Connection:
    """An open, keyed, migrated connection to the replica file (created if missing)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():  # owner-only from the first byte; SQLite gives -wal/-shm the same
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    db: Connection = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported below, not logged
    db.execute(f'PRAGMA key = "{key}"')
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        db.close()
        raise WrongPassphrase(str(path)) from exc
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")  # a commit survives power loss too
    db.execute("PRAGMA wal_autocheckpoint = 4000")  # fewer, larger copies into the file
    db.execute("PRAGMA cache_size = -32768")  # 32 MiB
    db.execute("PRAGMA foreign_keys = ON")
    migrate(db)
    return db
