"""Replication checkpoints: `_local/<replication id>` on both peers, with session history.

On start both logs are compared and the replication resumes from the newest session they
share; otherwise it starts again from the beginning (which is safe: applying changes twice
changes nothing).

The trust rule: any member of a district can rewrite the checkpoint documents in its
database, so the server's log only says *which* sessions it knows. The sequence to resume
from, and the history carried forward, always come from the laptop's own log: a tampered
server checkpoint can make a sync start earlier (longer), never later (a missed document).
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


def _sessions(log: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(session id, sequence recorded) of a log, newest first."""
    found = [(log.get("session_id"), log.get("source_last_seq", 0))]
    history = log.get("history")
    for entry in history if isinstance(history, list) else []:
        if isinstance(entry, dict):
            found.append((entry.get("session_id"), entry.get("recorded_seq", 0)))
    return found


def starting_point(own_log: dict[str, Any] | None, other_log: dict[str, Any] | None) -> Any:
    """The sequence to resume from: what the laptop's own log recorded for the newest of its
    sessions that the other peer's log also knows; else 0 (from the beginning)."""
    if not isinstance(own_log, dict) or not isinstance(other_log, dict):
        return 0
    known = {session for session, _ in _sessions(other_log) if isinstance(session, str)}
    for session, seq in _sessions(own_log):
        if isinstance(session, str) and session in known:
            return seq
    return 0


@dataclass
class Session:
    """One run of one replication; writes the same log to both peers after each batch. The
    history carried forward is the laptop's own (`previous`), never the server's."""

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
