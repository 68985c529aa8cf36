"""What every screen needs to do its work, handed down from the app (attributes down)."""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from engine.casework.rules import CaseworkRules
from engine.forms.registry import FormRegistry
from sync.settings import SyncSettings
from sync.store import Store
from tui.words import WORDS, t

ROLES_ID = "_local/careforms-roles"  # the user's roles as the server last said them


@dataclass
class Session:
    store: Store
    forms: FormRegistry
    rules: CaseworkRules
    user: str = field(default_factory=getpass.getuser)
    device: str = field(default_factory=socket.gethostname)
    district: str = "local"
    roles: set[str] = field(default_factory=lambda: {"worker"})
    reports: Path = field(default_factory=lambda: Path.home() / ".careforms" / "reports")

    @classmethod
    def open(cls, store: Store, forms: FormRegistry, rules: CaseworkRules) -> Session:
        settings = SyncSettings.load(store)
        session = cls(store, forms, rules)
        session.user = settings.user or session.user
        session.district = settings.district or session.district
        stored = store.get_local(ROLES_ID) or {}
        session.roles = {str(r).split(":")[0] for r in stored.get("roles", [])} or session.roles
        return session

    def stamp(self) -> dict[str, Any]:
        return {"by": self.user, "device": self.device, "at": datetime.now().astimezone()}


def relabel(node: DOMNode, lang: str) -> None:
    """Show a node's key bindings in `lang`: their descriptions are keys of the word table.

    Textual keeps an instance copy of the bindings (`_bindings`); it is rebuilt from the
    class's BINDINGS so that switching languages back and forth never loses a word."""
    bindings: list[Binding] = []
    for binding_list in type(node)._merge_bindings().key_to_bindings.values():
        for b in binding_list:
            words = b.description in WORDS
            bindings.append(
                replace(b, description=t(b.description, lang) if words else b.description)
            )
    node._bindings = BindingsMap(bindings)
    node.refresh_bindings()
