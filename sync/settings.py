"""Per-replica settings kept inside the encrypted store, in a `_local` document.

The server URL, district and user name are remembered after the first sync; a password
never is (the OS keyring may keep it, see `sync.secrets`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sync.store import Store

SETTINGS_ID = "_local/careforms-settings"


@dataclass
class SyncSettings:
    server: str | None = None
    district: str | None = None
    user: str | None = None
    last_sync: str | None = None  # ISO time of the last successful sync
    synced_seq: int | None = None  # the replica's sequence when it last finished a sync

    @classmethod
    def load(cls, store: Store) -> SyncSettings:
        doc = store.get_local(SETTINGS_ID) or {}
        return cls(
            **{k: doc.get(k) for k in ("server", "district", "user", "last_sync", "synced_seq")}
        )

    def save(self, store: Store) -> None:
        store.put_local({"_id": SETTINGS_ID, **asdict(self)})

    def synced_at(self, when: datetime, seq: int | None = None) -> None:
        self.last_sync = when.isoformat(timespec="seconds")
        self.synced_seq = seq
