"""What the commands share: the replica's folder, its passphrase, prompts, user errors."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from sync.errors import WrongPassphrase
from sync.store import Store

REPLICA_FILE = "replica.db"


class UserError(Exception):
    """A problem the user can fix; printed as one line, exit status 1."""


def home(args: argparse.Namespace) -> Path:
    chosen = getattr(args, "home", None) or os.environ.get("CAREFORMS_HOME")
    return Path(chosen).expanduser() if chosen else Path.home() / ".careforms"


def interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def ask(prompt: str, *, secret: bool = False, hint: str = "") -> str:
    if not interactive():
        raise UserError(f"{prompt.rstrip(': ')} is needed and there is no terminal to ask. {hint}")
    answer = getpass.getpass(prompt) if secret else input(prompt)
    if not answer:
        raise UserError(f"{prompt.rstrip(': ')} may not be empty.")
    return answer


def passphrase(path: Path) -> str:
    given = os.environ.get("CAREFORMS_PASSPHRASE")
    if given:
        return given
    hint = "Set CAREFORMS_PASSPHRASE."
    if path.exists():
        return ask("Passphrase of the replica: ", secret=True, hint=hint)
    first = ask("Choose a passphrase for the new replica: ", secret=True, hint=hint)
    if ask("Type it again: ", secret=True, hint=hint) != first:
        raise UserError("The two passphrases differ; nothing was created.")
    return first


def open_store(args: argparse.Namespace) -> Store:
    path = home(args) / REPLICA_FILE
    try:
        return Store.open(path, passphrase(path))
    except WrongPassphrase as exc:
        raise UserError(str(exc)) from exc
