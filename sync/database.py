"""Opening the replica's SQLite file: encrypted with SQLCipher, WAL, schema migrations.

The key comes from the passphrase through SQLCipher 4's key derivation: PBKDF2-HMAC-SHA512
with 256,000 iterations and a random salt kept in the file's first page. Every page of the
database and of its write-ahead log is encrypted (AES-256, HMAC-SHA512 per page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3

from sync.errors import StoreError, WrongPassphrase

Connection = sqlcipher3.Connection
DEFAULT_KDF_ITERATIONS = 256_000


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
            leaf_count INTEGER NOT NULL   -- all leaves, deleted ones included
        );
        CREATE UNIQUE INDEX docs_by_seq ON docs(seq);
        CREATE TABLE revs (
            doc_id TEXT NOT NULL,
            rev TEXT NOT NULL,
            parent TEXT,                  -- NULL at the root, or once ancestors are stemmed
            generation INTEGER NOT NULL,
            deleted INTEGER NOT NULL,
            leaf INTEGER NOT NULL,
            body TEXT,                    -- JSON without _id/_rev; NULL when not known
            PRIMARY KEY (doc_id, rev)
        ) WITHOUT ROWID;
        CREATE INDEX revs_leaves ON revs(doc_id) WHERE leaf = 1;
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


def connect(
    path: Path, passphrase: str, *, kdf_iterations: int = DEFAULT_KDF_ITERATIONS
) -> Connection:
    """An open, keyed, migrated connection to the replica file (created if missing)."""
    if not passphrase:
        raise StoreError("A passphrase is required to open the replica.")
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    # The passphrase is bound as a parameter-free pragma; quote it for SQL.
    db.execute("PRAGMA key = '{}'".format(passphrase.replace("'", "''")))
    db.execute(f"PRAGMA kdf_iter = {int(kdf_iterations)}")
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        db.close()
        raise WrongPassphrase(str(path)) from exc
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")  # a commit survives power loss too
    db.execute("PRAGMA foreign_keys = ON")
    migrate(db)
    return db
