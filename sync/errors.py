"""The exceptions of the local replica and the sync, one tree."""

from __future__ import annotations


class SyncError(Exception):
    """Base of every error this package raises on purpose."""


class StoreError(SyncError):
    pass


class WrongPassphrase(StoreError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"The passphrase does not open the replica at {path} "
            "(or the file is not a careforms replica)."
        )


class NotFound(StoreError):
    def __init__(self, doc_id: str, rev: str | None = None) -> None:
        self.doc_id = doc_id
        self.rev = rev
        super().__init__(f"no document {doc_id}" + (f" at {rev}" if rev else ""))


class Conflict(StoreError):
    """An edit based on a revision that is not a current leaf (someone else edited first)."""

    def __init__(self, doc_id: str, rev: str | None) -> None:
        self.doc_id = doc_id
        self.rev = rev
        super().__init__(f"document update conflict: {doc_id} (based on {rev or 'nothing'})")


class InvalidDocument(StoreError):
    pass
