"""What the commands share: the replica's folder, its passphrase, prompts, user errors."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sync.database import SQLiteError, fault
from sync.errors import StoreError
from sync.store import Store
from tui.commands.texts import describe

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


def server_login(user_prompt: str = "User name: ") -> tuple[str, str]:
    """The server's user name and password: COUCHDB_USER and COUCHDB_PASSWORD, else asked."""
    from sync.secrets import environment_credentials

    user, password = environment_credentials()
    user = user or ask(user_prompt, hint="Set COUCHDB_USER.")
    return user, ask_password(user) if password is None else password


def ask_password(user: str) -> str:
    """The server password of `user`, asked without echo."""
    return ask(f"Password for {user}: ", secret=True, hint="Set COUCHDB_PASSWORD.")


def district_database_named(district: str) -> str:
    """The district's database on the server; a name that cannot be one is the user's error."""
    from sync.server_setup import BadDistrict, district_database  # (loads the server client)

    try:
        return district_database(district)
    except BadDistrict as exc:
        raise UserError(str(exc)) from exc


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


@contextmanager
def replica_faults(lang: str, path: Path) -> Iterator[None]:
    """Faults of the replica (a wrong passphrase, a damaged or read-only file, another
    process holding it, a full disk, a document it cannot hold) as one line in the user's
    language. What was being written is rolled back by the store: nothing changes."""
    try:
        yield
    except StoreError as exc:
        raise UserError(describe(exc, lang)) from exc
    except SQLiteError as exc:  # met outside a transaction (a read of a damaged page)
        raise UserError(describe(fault(exc, path), lang)) from exc


@contextmanager
def open_store(args: argparse.Namespace) -> Iterator[Store]:
    """The replica, open for the length of the `with` block; its faults said as above."""
    path = home(args) / REPLICA_FILE
    with replica_faults(getattr(args, "lang", "zh-CN"), path):
        store = Store.open(path, passphrase(path))
        try:
            yield store
        finally:
            store.close()
