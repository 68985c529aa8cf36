"""Replication checkpoints: `_local/<replication id>` on both peers, with session history.

On start both logs are compared and the replication resumes from the newest session they
share; otherwise it starts again from the beginning (which is safe: applying changes twice
changes nothing).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

HISTORY_LENGTH = 20
VERSION = 1


def replication_id(source: str, target: str) -> str:
    """A stable id for replicating `source` into `target`.

    The one filter in use (design documents are not copied) is part of the version.
    """
    text = f"careforms-replication-v{VERSION}-no-design-docs\n{source}\n{target}"
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def starting_point(source_log: dict[str, Any] | None, target_log: dict[str, Any] | None) -> Any:
    """The sequence to resume from: the newest session both logs record, else 0."""
    if not source_log or not target_log:
        return 0
    if source_log.get("session_id") == target_log.get("session_id"):
        return source_log.get("source_last_seq", 0)
    target_sessions = {h.get("session_id"): h for h in target_log.get("history", [])}
    for entry in source_log.get("history", []):  # newest first
        if entry.get("session_id") in target_sessions:
            return entry.get("recorded_seq", 0)
    return 0


@dataclass
class Session:
    """One run of one replication; writes the same log to both peers after each batch."""

    replication_id: str
    previous: dict[str, Any] | None
    session_id: str = ""

    def __post_init__(self) -> None:
        self.session_id = uuid.uuid4().hex

    def log(self, seq: Any) -> dict[str, Any]:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        entry = {"session_id": self.session_id, "recorded_seq": seq, "end_time": now}
        earlier = [
            h
            for h in (self.previous or {}).get("history", [])
            if h.get("session_id") != self.session_id
        ]
        return {
            "replication_id_version": VERSION,
            "session_id": self.session_id,
            "source_last_seq": seq,
            "history": [entry, *earlier][:HISTORY_LENGTH],
        }
