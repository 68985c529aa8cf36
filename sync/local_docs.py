"""`_local` documents (part of `Store`): checkpoints and settings, never in the changes feed,
never replicated; their revision is `0-N`, as on CouchDB."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from typing import Any

import orjson

from sync.database import Connection
from sync.documents import LOCAL_PREFIX, body_of, dump


class LocalDocuments:
    """Mixed into `Store`, whose connection, lock and transactions it uses."""

    _db: Connection
    _lock: threading.RLock

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def get_local(self, doc_id: str) -> dict[str, Any] | None:
        name = doc_id.removeprefix(LOCAL_PREFIX)
        with self._lock:
            row = self._db.execute(
                "SELECT rev, body FROM local_docs WHERE doc_id = ?", (name,)
            ).fetchone()
        if row is None:
            return None
        return {"_id": LOCAL_PREFIX + name, "_rev": f"0-{row[0]}", **orjson.loads(row[1])}

    def put_local(self, doc: dict[str, Any]) -> str:
        name = str(doc["_id"]).removeprefix(LOCAL_PREFIX)
        with self.transaction():
            row = self._db.execute(
                "SELECT rev FROM local_docs WHERE doc_id = ?", (name,)
            ).fetchone()
            rev = 1 if row is None else row[0] + 1
            self._db.execute(
                "INSERT OR REPLACE INTO local_docs VALUES (?, ?, ?)",
                (name, rev, dump(body_of(doc))),
            )
        return f"0-{rev}"
