"""Server passwords: from the environment, the OS keyring where one works, or asked for.

Never written to a file by careforms itself.
"""

from __future__ import annotations

import os
from typing import Any

SERVICE = "careforms"


def _keyring() -> Any | None:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or "null" in type(backend).__name__.lower():
        return None
    return keyring


def stored_password(server: str, user: str) -> str | None:
    ring = _keyring()
    if ring is None:
        return None
    try:
        value: str | None = ring.get_password(SERVICE, f"{user}@{server}")
    except Exception:  # a locked or broken keyring is the same as none
        return None
    return value


def remember_password(server: str, user: str, password: str) -> bool:
    ring = _keyring()
    if ring is None:
        return False
    try:
        ring.set_password(SERVICE, f"{user}@{server}", password)
    except Exception:
        return False
    return True


def environment_credentials() -> tuple[str | None, str | None]:
    return os.environ.get("COUCHDB_USER") or None, os.environ.get("COUCHDB_PASSWORD")
