"""What every screen needs to do its work, handed down from the app (attributes down)."""

from __future__ import annotations

import getpass
import socket
import threading
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
WORKER_ID = "_local/careforms-worker"  # who works on this laptop, as they gave it
WORKER_ROLES = ("director", "social_worker", "supervisor", "expert")
# What each role may do in the review chain (the server's roles replace these once known).
_REVIEW_ROLES = {"supervisor": "supervisor", "expert": "expert"}


@dataclass(frozen=True, slots=True)
class Worker:
    """The person at the keyboard: every record they make carries their name."""

    name: str
    role: str
    district: str

    @classmethod
    def load(cls, store: Store) -> Worker | None:
        doc = store.get_local(WORKER_ID) or {}
        name = str(doc.get("name") or "").strip()
        if not name:
            return None
        return cls(name, str(doc.get("role") or "director"), str(doc.get("district") or ""))

    def save(self, store: Store) -> None:
        store.put_local(
            {"_id": WORKER_ID, "name": self.name, "role": self.role, "district": self.district}
        )


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
    known: bool = False  # the worker gave their name, or the sync user is known
    # one computation of the case index at a time (the case list and the due view share it)
    index_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, store: Store, forms: FormRegistry, rules: CaseworkRules) -> Session:
        settings = SyncSettings.load(store)
        session = cls(store, forms, rules)
        stored = store.get_local(ROLES_ID) or {}
        server_roles = {str(r).split(":")[0] for r in stored.get("roles", [])}
        worker = Worker.load(store)
        if worker is not None:
            session.adopt(worker)
        elif settings.user:
            session.user, session.known = settings.user, True
        session.district = settings.district or session.district
        session.roles = server_roles or session.roles
        return session

    def adopt(self, worker: Worker) -> None:
        """Work as this person from now on."""
        self.user, self.known = worker.name, True
        self.district = worker.district or self.district
        extra = _REVIEW_ROLES.get(worker.role)
        self.roles = {"worker", extra} if extra else {"worker"}

    def stamp(self) -> dict[str, Any]:
        return {"by": self.user, "device": self.device, "at": datetime.now().astimezone()}


def relabel(node: DOMNode, lang: str) -> None:
    """Show a node's key bindings in `lang`: their descriptions are keys of the word table.

    The word keys are remembered the first time, from the node's own bindings (those Textual
    adds itself, like the command palette's ctrl+p, included), so that switching languages
    back and forth never loses a word or a key."""
    words: dict[tuple[str, str], str] | None = getattr(node, "_careforms_words", None)
    if words is None:
        words = {
            (key, b.action): b.description
            for key, found in node._bindings.key_to_bindings.items()
            for b in found
        }
        node._careforms_words = words  # type: ignore[attr-defined]
    bindings: list[Binding] = []
    for key, found in node._bindings.key_to_bindings.items():
        for b in found:
            word = words.get((key, b.action), b.description)
            bindings.append(replace(b, description=t(word, lang) if word in WORDS else word))
    node._bindings = BindingsMap(bindings)
    node.refresh_bindings()
