"""Fixtures of the command-line tests: a replica filled by `careforms demo`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.store import Store
from tui.cli import main
from tui.session import Worker

TODAY = "2026-11-23"
PASSPHRASE = "demo pass"
TEST_WORKER = Worker("李老师", "director", "demo")  # who works in the app tests


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CAREFORMS_PASSPHRASE", PASSPHRASE)
        assert main(["--home", str(home), "demo", "--today", TODAY]) == 0
    return home


@pytest.fixture
def store(demo_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("CAREFORMS_PASSPHRASE", PASSPHRASE)
    with Store.open(demo_home / "replica.db", PASSPHRASE) as opened:
        yield opened
