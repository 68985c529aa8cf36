"""The replica holds children's records: it is created owner-only, whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sync.store import Store
from tests.sync.conftest import FAST_KDF


def test_a_new_replica_and_its_journal_are_owner_only(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        path = tmp_path / "laptop" / "replica.db"
        with Store.open(path, "pass phrase", kdf_cost=FAST_KDF) as store:
            store.put({"_id": "child:a", "type": "child", "answers": {"name": "甲"}})
            journal = [p for p in path.parent.iterdir() if p.name != path.name]
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in journal)
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    finally:
        os.umask(old)
