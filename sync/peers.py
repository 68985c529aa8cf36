"""The two ends of a replication, behind one interface: the local store and a remote database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sync.couch import CouchDatabase, CouchError, TooDeep, encode_docs
from sync.documents import LOCAL_PREFIX
from sync.replicated import Prepared, prepare_replicated
from sync.store import Store


@dataclass(frozen=True, slots=True)
class Rejection:
    """A document the target refused; reported, never retried in a loop."""

    doc_id: str
    rev: str | None
    error: str
    reason: str


@dataclass(slots=True)
class Batch:
    changes: list[tuple[str, list[str]]]  # (doc id, leaf revisions) to replicate
    last_seq: Any
    pending: int | None  # changes left after this batch, when the peer says
    size: int = -1  # changes the peer listed, those not replicated included

    def __post_init__(self) -> None:
        if self.size < 0:
            self.size = len(self.changes)


class Peer(Protocol):
    identity: str
    in_flight: int  # requests it serves well at once
    trusted: bool  # its checkpoint log is the one to believe (the laptop's own)

    def changes(self, since: Any, limit: int) -> Batch: ...
    def revs_diff(self, revs: dict[str, list[str]]) -> dict[str, list[str]]: ...
    def fetch(
        self, missing: dict[str, list[str]]
    ) -> tuple[list[dict[str, Any]], list[Rejection]]: ...
    def prepare(self, docs: list[dict[str, Any]]) -> Any: ...
    def write(self, prepared: Any) -> tuple[int, list[Rejection]]: ...
    def apply(
        self, prepared: Any, checkpoint: tuple[str, dict[str, Any]]
    ) -> tuple[int, list[Rejection]]: ...
    def get_checkpoint(self, rep_id: str) -> dict[str, Any] | None: ...
    def put_checkpoint(self, rep_id: str, log: dict[str, Any]) -> None: ...
    def note_rejected(self, rejected: list[Rejection]) -> None: ...


class LocalPeer:
    in_flight = 1  # one writer: each batch commits together with its checkpoint
    trusted = True

    def __init__(self, store: Store) -> None:
        self.store = store
        self.identity = f"local:{store.uuid}"

    # Reads run on the replicator's read-ahead thread, on a connection of their own, while
    # writes (apply, checkpoints) go through the store's main connection.
    def changes(self, since: Any, limit: int) -> Batch:
        reads = self.store.reader()
        feed = reads.changes(int(since or 0), limit)
        return Batch(
            [(c.id, list(c.revs)) for c in feed.results],
            feed.last_seq,
            reads.pending_changes(feed.last_seq),
        )

    def revs_diff(self, revs: dict[str, list[str]]) -> dict[str, list[str]]:
        diff = self.store.reader().revs_diff(revs)
        return {doc_id: entry["missing"] for doc_id, entry in diff.items()}

    def fetch(self, missing: dict[str, list[str]]) -> tuple[list[dict[str, Any]], list[Rejection]]:
        return self.store.reader().open_revs_many(missing), []

    def prepare(self, docs: list[dict[str, Any]]) -> Prepared:
        """Checked and encoded on the fetching thread, while the writer writes."""
        return prepare_replicated(docs)

    def apply(
        self, prepared: Prepared, checkpoint: tuple[str, dict[str, Any]]
    ) -> tuple[int, list[Rejection]]:
        """The batch and the checkpoint in one transaction: both land, or neither (and
        both may be fetched again: `Store.refetchable_transaction`)."""
        with self.store.refetchable_transaction():
            result = self.write(prepared)
            self.put_checkpoint(*checkpoint)
        return result

    def write(self, prepared: Prepared) -> tuple[int, list[Rejection]]:
        written, invalid = self.store.put_prepared(prepared)
        rejected = [
            Rejection(str(doc.get("_id")), doc.get("_rev"), "invalid", str(exc))
            for doc, exc in invalid
        ]
        return written, rejected

    def get_checkpoint(self, rep_id: str) -> dict[str, Any] | None:
        return self.store.get_local(LOCAL_PREFIX + rep_id)

    def put_checkpoint(self, rep_id: str, log: dict[str, Any]) -> None:
        self.store.put_local({"_id": LOCAL_PREFIX + rep_id, **log})

    def note_rejected(self, rejected: list[Rejection]) -> None:
        """What the server refused of this replica's documents is kept until they change."""
        self.store.remember_rejections((r.doc_id, r.rev, r.error, r.reason) for r in rejected)


class RemotePeer:
    # CouchDB and PouchDB Server both get through several requests at once faster than one
    # after the other (they interleave storage work).
    in_flight = 3
    trusted = False  # any member of the district can rewrite its checkpoints

    def __init__(self, database: CouchDatabase) -> None:
        self.database = database
        self.identity = database.identity
        self._local_revs: dict[str, str | None] = {}

    def changes(self, since: Any, limit: int) -> Batch:
        feed = self.database.changes(since, limit)
        results = feed.get("results", [])
        # Design documents are the server's configuration, not case records: not copied.
        records = [
            (r["id"], [c["rev"] for c in r.get("changes", [])])
            for r in results
            if not r["id"].startswith("_design/")
        ]
        return Batch(records, feed.get("last_seq", since), feed.get("pending"), size=len(results))

    def revs_diff(self, revs: dict[str, list[str]]) -> dict[str, list[str]]:
        return {
            doc_id: entry.get("missing", [])
            for doc_id, entry in self.database.revs_diff(revs).items()
        }

    def fetch(self, missing: dict[str, list[str]]) -> tuple[list[dict[str, Any]], list[Rejection]]:
        """The missing revisions with their history. One too deep to read (any member can
        write one) is found by halving the request, and reported, not fetched."""
        return self._fetch([(doc_id, rev) for doc_id, revs in missing.items() for rev in revs])

    def _fetch(self, wanted: list[tuple[str, str]]) -> tuple[list[dict[str, Any]], list[Rejection]]:
        try:
            docs, _errors = self.database.bulk_get(wanted)
        except TooDeep as exc:
            if len(wanted) == 1:
                return [], [Rejection(wanted[0][0], wanted[0][1], "invalid", exc.reason)]
            half = len(wanted) // 2
            first, second = self._fetch(wanted[:half]), self._fetch(wanted[half:])
            return first[0] + second[0], first[1] + second[1]
        return docs, []  # a revision gone since _changes listed it comes again later

    def prepare(self, docs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], bytes]:
        """Encoded and compressed on the fetching thread (zlib lets other threads run)."""
        return docs, encode_docs(docs, new_edits=False) if docs else b""

    def apply(
        self, prepared: tuple[list[dict[str, Any]], bytes], checkpoint: tuple[str, dict[str, Any]]
    ) -> tuple[int, list[Rejection]]:
        result = self.write(prepared)
        self.put_checkpoint(*checkpoint)
        return result

    def write(self, prepared: tuple[list[dict[str, Any]], bytes]) -> tuple[int, list[Rejection]]:
        docs, body = prepared
        errors = self.database.bulk_docs_encoded(body) if docs else []
        revs = {doc["_id"]: doc.get("_rev") for doc in docs}
        rejected = [
            Rejection(
                str(e.get("id")),
                e.get("rev") or revs.get(e.get("id")),
                str(e.get("error")),
                str(e.get("reason", "")),
            )
            for e in errors
        ]
        return len(docs) - len(rejected), rejected

    def get_checkpoint(self, rep_id: str) -> dict[str, Any] | None:
        current = self.database.get_local(rep_id)
        self._local_revs[rep_id] = current.get("_rev") if current else None
        return current

    def put_checkpoint(self, rep_id: str, log: dict[str, Any]) -> None:
        if rep_id not in self._local_revs:  # known after the first read or write
            self.get_checkpoint(rep_id)
        try:
            self._local_revs[rep_id] = self.database.put_local(rep_id, self._with_rev(rep_id, log))
        except CouchError as exc:
            if exc.status != 409:
                raise
            self.get_checkpoint(rep_id)  # someone (any member may) rewrote it: ours replaces it
            self._local_revs[rep_id] = self.database.put_local(rep_id, self._with_rev(rep_id, log))

    def _with_rev(self, rep_id: str, log: dict[str, Any]) -> dict[str, Any]:
        body = dict(log)
        if self._local_revs[rep_id]:
            body["_rev"] = self._local_revs[rep_id]
        return body

    def note_rejected(self, rejected: list[Rejection]) -> None:
        """What this replica refused of the server's documents is reported, not kept."""
