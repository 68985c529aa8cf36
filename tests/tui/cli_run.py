"""Running `careforms` in this process, as a script would see it: exit status, standard
output and standard error (shared by the command-line tests)."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tui.cli import main

PASSPHRASE = "pass phrase"


@dataclass
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Careforms = Callable[..., Ran]


def runner(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Careforms:
    """`careforms(*args, home=…, stdin=…, **environment)`, with no COUCHDB_/CAREFORMS_
    variables but those given (and the passphrase)."""
    for name in list(os.environ):
        if name.startswith(("COUCHDB_", "CAREFORMS_")):
            monkeypatch.delenv(name)

    def run(*args: str, home: Path, stdin: str | None = None, **env: str) -> Ran:
        with monkeypatch.context() as patch:
            patch.setenv("CAREFORMS_PASSPHRASE", PASSPHRASE)
            for name, value in env.items():
                patch.setenv(name, value)
            patch.setattr(sys, "stdin", io.StringIO(stdin or ""))
            code = main(["--home", str(home), *args])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return Ran(code, captured.out, captured.err)

    return run


def put(careforms: Careforms, home: Path, doc: dict[str, Any]) -> str:
    done = careforms("doc", "put", "-", home=home, stdin=json.dumps(doc, ensure_ascii=False))
    assert done.code == 0, done.err
    return str(done.json()["rev"])
