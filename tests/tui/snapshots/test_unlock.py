from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.snapshots.conftest import SIZES
from tui.app import CareformsApp


@pytest.mark.parametrize("size", SIZES)
def test_unlock_first_run(snap_compare, tmp_path: Path, size, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("CAREFORMS_PASSPHRASE", raising=False)
    assert snap_compare(CareformsApp(tmp_path / "new" / "replica.db"), terminal_size=size)
