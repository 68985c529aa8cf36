"""The exceptions of the local replica and the sync, one tree.

Each fault of the replica file has its own class and a `code`, so that the command line and
the app can say it in the user's language (the English text here is for logs and tests).
"""

from __future__ import annotations

from typing import Any


class SyncError(Exception):
    """Base of every error this package raises on purpose."""


class StoreError(SyncError):
    code = "store"


class NoPassphrase(StoreError):
    code = "no_passphrase"

    def __init__(self) -> None:
        super().__init__("A passphrase is required to open the replica.")


class WrongPassphrase(StoreError):
    code = "wrong_passphrase"

    def __init__(self, path: str, *, certain: bool = False) -> None:
        self.path = path
        self.certain = certain  # the key check says so; else the file may also be damaged
        super().__init__(
            f"The passphrase does not open the replica at {path}"
            + ("." if certain else " (or the file is not a careforms replica).")
        )


class ReplicaFault(StoreError):
    """The replica file cannot be used as it is; nothing was changed."""

    code = "fault"
    text = "the replica at {path} cannot be used"

    def __init__(self, path: str, detail: str = "") -> None:
        self.path = path
        self.detail = detail
        super().__init__(self.text.format(path=path) + (f" ({detail})" if detail else ""))


class ReplicaEmpty(ReplicaFault):
    """A replica file of 0 bytes: something emptied it; it is never replaced by a new one."""

    code = "empty"
    text = "The replica file {path} is empty (0 bytes); it was left as it is"


class ReplicaTruncated(ReplicaFault):
    code = "truncated"
    text = "The replica file {path} is cut short (truncated); it was left as it is"


class ReplicaDamaged(ReplicaFault):
    code = "damaged"
    text = "The replica file {path} is damaged or is not a careforms replica; it was left as it is"


class ReplicaReadOnly(ReplicaFault):
    code = "read_only"
    text = "The replica at {path} cannot be written (its file or folder is read-only)"


class ReplicaBusy(ReplicaFault):
    code = "busy"
    text = "The replica at {path} is in use by another careforms (the app or a sync)"


class DiskFull(ReplicaFault):
    code = "disk_full"
    text = "The disk holding {path} is full or cannot be written; nothing was saved"


class NotFound(StoreError):
    code = "not_found"

    def __init__(self, doc_id: str, rev: str | None = None) -> None:
        self.doc_id = doc_id
        self.rev = rev
        super().__init__(f"no document {doc_id}" + (f" at {rev}" if rev else ""))


class Conflict(StoreError):
    """An edit based on a revision that is not a current leaf (someone else edited first)."""

    code = "conflict"

    def __init__(self, doc_id: str, rev: str | None) -> None:
        self.doc_id = doc_id
        self.rev = rev
        super().__init__(f"document update conflict: {doc_id} (based on {rev or 'nothing'})")


class InvalidDocument(StoreError):
    """A document the replica cannot store. `code`: why (see `sync.documents`); `pointer`:
    where in the document, as a JSON pointer, when known."""

    code = "invalid"

    def __init__(
        self, message: str, *, code: str = "invalid", doc_id: str | None = None, pointer: str = ""
    ) -> None:
        self.code = code
        self.doc_id = doc_id
        self.pointer = pointer
        super().__init__(message)


class BatchRefused(SyncError):
    """A batch written all or nothing (`Store.put_all`) had a document refused: nothing of
    the batch was written. `result` is the first refusal, as `put_many` reports it."""

    def __init__(self, result: dict[str, Any]) -> None:
        self.result = result
        super().__init__(f"{result.get('id')}: {result.get('error')}: {result.get('reason')}")
