"""The forms and rules the app and the commands use: built-in, published, from folders.

Published versions (pulled by sync, see `sync.published_forms`) come after the built-in ones
and before those of `--forms` folders; the newest version of each form is the one offered
for new assessments. The newest published rules (the district's before the common ones)
replace the built-in rules.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path

from engine.casework.rules import CaseworkRules, lint_rules, load_rules
from engine.definitions import read_definitions
from engine.forms.registry import FormRegistry
from sync.published_forms import PulledForms, add_published_forms, published
from sync.store import Store


def app_forms(
    store: Store | None, folders: Iterable[Path] = (), passed: Collection[str] = ()
) -> FormRegistry:
    forms = FormRegistry.load(passed=passed)
    if store is not None:
        add_published_forms(forms, store, passed)
    for file in read_definitions(folders):
        if not file.is_rules:
            forms.add_document(file.doc, file.path, file.key, file.problems, passed)
    return forms


CHECKED_FORMS = "_local/careforms-checked-forms"


def checked_forms(store: Store, folders: Iterable[Path] = ()) -> FormRegistry:
    """The app's forms, checking only files that changed since they last passed here."""
    saved = store.get_local(CHECKED_FORMS) or {}
    forms = app_forms(store, folders, passed=set(saved.get("keys", [])))
    if sorted(forms.passed) != sorted(saved.get("keys", [])):
        store.put_local({"_id": CHECKED_FORMS, "keys": sorted(forms.passed)})
    return forms


def app_rules(store: Store | None, forms: FormRegistry) -> CaseworkRules:
    """The newest usable published rules, else the built-in ones (RulesUnusable if broken)."""
    candidates = published(store, "rules") if store is not None else []
    candidates.sort(key=lambda p: (p.database.count("-"), p.definition["x-rules"]["version"]))
    for item in reversed(candidates):
        if not lint_rules(item.definition, item.key, forms):
            return CaseworkRules.from_document(item.definition, item.key)
    return load_rules(forms=forms)


def describe_pull(pulled: PulledForms, lang: str) -> list[str]:
    """What a sync brought of forms and rules, in the user's language."""
    en = lang == "en"
    lines = [
        f"{'forms: new' if en else '表单：新到'} {key.split('/', 1)[-1]} ({key.split('/', 1)[0]})"
        for key in pulled.arrived
    ]
    for key, problems in pulled.refused:
        lines.append(
            f"{'forms: refused' if en else '表单：拒收'} {key} "
            f"({'the version before stays in use' if en else '继续使用之前的版本'})"
        )
        lines += [f"  {p.render(lang)}" for p in problems[:20]]
    return lines
