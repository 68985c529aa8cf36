from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.store import Store

# Unit tests open many replicas: a cheap key derivation keeps them fast. The encryption and
# durability tests use the real default.
FAST_KDF = 2**8


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "replica.db", "test passphrase", kdf_cost=FAST_KDF) as s:
        yield s
