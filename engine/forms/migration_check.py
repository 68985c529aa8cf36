"""Checking a version's `x-migration` against the version it migrates from."""

from __future__ import annotations

from typing import Any

from engine.forms.migration import MIGRATION, item_options, item_paths
from engine.forms.problems import Problem, pointer, suggestion
from engine.forms.vocabulary import option_key


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def migration_problems(
    doc: dict[str, Any], versions: dict[int, dict[str, Any]], file: str
) -> list[Problem]:
    """Problems of `doc`'s migration, given the other versions of the same form by number:
    a gap in the chain, an item that does not exist, an option that maps to nothing, an old
    item whose answers would be dropped without being listed under `remove`."""
    raw = doc.get(MIGRATION)
    if not isinstance(raw, dict):
        return []
    at = "/" + MIGRATION
    version = doc["x-form"]["version"]
    source = raw.get("from")
    old = versions.get(source) if isinstance(source, int) else None
    if old is None or source >= version:
        return [Problem("migration-gap", file, at + "/from", {"from": source, "version": version})]
    problems: list[Problem] = []

    def add(code: str, where: str, **params: Any) -> None:
        problems.append(Problem(code, file, at + where, params))

    old_items, new_items = set(item_paths(old)), set(item_paths(doc))

    def unknown_old(name: str, where: str) -> bool:
        """`name` must be an item of the version migrated from: whether it is not (said)."""
        if name in old_items:
            return False
        suggested = suggestion(name, old_items)
        add("migration-unknown-item", where, item=name, version=source, suggestion=suggested)
        return True

    rename = raw.get("rename", {})
    removed = list(dict.fromkeys(raw.get("remove", [])))  # in the file's order, once each
    for name in removed:
        unknown_old(name, pointer("remove", raw["remove"].index(name)))
    for source_name, target in rename.items():
        unknown_old(source_name, pointer("rename", source_name))
        if target not in new_items or _parent(target) != _parent(source_name):
            add(
                "migration-unknown-item",
                pointer("rename", source_name),
                item=target,
                version=version,
                suggestion=suggestion(target, new_items),
            )
    for name, table in raw.get("values", {}).items():
        if unknown_old(name, pointer("values", name)):
            continue
        known = {option_key(o) for o in item_options(old, name) or []}
        for key in table:
            if key not in known:
                add(
                    "migration-unknown-option",
                    pointer("values", name, key),
                    item=name,
                    option=key,
                    version=source,
                )
    for name in sorted(old_items):
        if name in removed or any(name.startswith(r + "/") for r in removed):
            continue
        moved = rename.get(name, name)
        if moved not in new_items:
            if name not in rename and not any(name.startswith(r + "/") for r in rename):
                add("migration-dropped-item", "", item=name, version=version)
            continue
        old_options = item_options(old, name)
        new_options = item_options(doc, moved)
        if old_options is None or new_options is None:
            continue
        table = raw.get("values", {}).get(name, {})
        allowed = {option_key(o) for o in new_options}
        for option in old_options:
            mapped = table.get(option_key(option), option)
            if mapped is not None and option_key(mapped) not in allowed:
                where = pointer("values", name) if option_key(option) in table else ""
                add(
                    "migration-unmapped-option",
                    where,
                    item=name,
                    option=option_key(option),
                    version=version,
                )
    return problems
