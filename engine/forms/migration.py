"""Moving answers from one version of a form to the next (`x-migration`).

A version declares how answers of the version before it move to it: items renamed, option
values mapped to new ones (`null`: left unanswered), items removed. Items new in this version
are left unanswered; scores, red flags and bands are simply those of the new version, so a
re-scored assessment shows the new rules. Item names are top-level names, or paths through
groups (`members/relation`: that item of every family member).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import orjson

from engine.forms.form import Form
from engine.forms.json_values import resolve_ref
from engine.forms.vocabulary import option_key, options_of

MIGRATION = "x-migration"


@dataclass(frozen=True, slots=True)
class Step:
    """One version's migration from the version before it."""

    source: int
    target: int
    rename: dict[str, str]
    values: dict[str, dict[str, Any]]
    remove: tuple[str, ...]

    @classmethod
    def of(cls, form: Form) -> Step | None:
        if "migration" in form.derived:  # made once per form version
            cached = form.derived["migration"]
            return cached if isinstance(cached, Step) else None
        raw = form.document.get(MIGRATION)
        step = cls._read(form, raw) if isinstance(raw, dict) else None
        form.derived["migration"] = step
        return step

    @classmethod
    def _read(cls, form: Form, raw: dict[str, Any]) -> Step:
        return cls(
            source=int(raw["from"]),
            target=form.version,
            rename=dict(raw.get("rename", {})),
            values={k: dict(v) for k, v in raw.get("values", {}).items()},
            remove=tuple(raw.get("remove", ())),
        )


@dataclass(frozen=True, slots=True)
class Change:
    """What a migration did to one answer: `renamed`, `mapped`, `removed`."""

    kind: str
    path: str
    before: Any = None
    after: Any = None


@dataclass(slots=True)
class Migrated:
    answers: dict[str, Any]
    changes: list[Change] = field(default_factory=list)


class NoMigration(LookupError):
    """No chain of migrations leads from one version to the other."""

    def __init__(self, form_id: str, source: int, target: int, missing: int) -> None:
        self.form_id, self.source, self.target, self.missing = form_id, source, target, missing
        super().__init__(
            f"{form_id}: no migration from v{source} to v{target} (v{missing} declares none)"
        )


def chain(versions: dict[int, Form], source: int, target: int) -> list[Step]:
    """The steps from `source` to `target`, oldest first; NoMigration where one is missing."""
    steps: list[Step] = []
    version = target
    while version > source:
        form = versions.get(version)
        step = Step.of(form) if form is not None else None
        if step is None or step.source >= version or step.source < source:
            form_id = next(iter(versions.values())).id if versions else "?"
            raise NoMigration(form_id, source, target, version)
        steps.append(step)
        version = step.source
    return list(reversed(steps))


def _copy(answers: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of JSON answers (a JSON round trip: several times faster than deepcopy)."""
    copied: dict[str, Any] = orjson.loads(orjson.dumps(answers))
    return copied


@lru_cache(maxsize=1024)
def _parts(path: str) -> tuple[str, ...]:
    return tuple(p for p in path.split("/") if p)


def _holders(node: Any, parents: list[str]) -> Iterator[dict[str, Any]]:
    """The objects that hold an item at `parents/…`: through groups and every repeat."""
    if isinstance(node, list):
        for item in node:
            yield from _holders(item, parents)
        return
    if not isinstance(node, dict):
        return
    if not parents:
        yield node
    elif parents[0] in node:
        yield from _holders(node[parents[0]], parents[1:])


def _map_value(value: Any, table: dict[str, Any]) -> Any:
    if isinstance(value, list):  # a multi-select: each choice, without repeats or drops
        mapped: list[Any] = []
        for v in value:
            new = table.get(option_key(v), v)
            if new is not None and new not in mapped:
                mapped.append(new)
        return mapped
    return table.get(option_key(value), value)


def apply_step(answers: dict[str, Any], step: Step) -> Migrated:
    """The answers as the step's target version has them (the input is not changed)."""
    out = Migrated(_copy(answers))
    for path, table in step.values.items():
        *parents, name = _parts(path)
        for holder in _holders(out.answers, parents):
            if name in holder:
                new = _map_value(holder[name], table)
                if new != holder[name]:
                    out.changes.append(Change("mapped", path, holder[name], new))
                    if new is None:
                        del holder[name]
                    else:
                        holder[name] = new
    for path in step.remove:
        *parents, name = _parts(path)
        for holder in _holders(out.answers, parents):
            if name in holder:
                out.changes.append(Change("removed", path, holder.pop(name)))
    for old, new in step.rename.items():
        *parents, name = _parts(old)
        new_name = _parts(new)[-1]
        for holder in _holders(out.answers, parents):
            if name in holder:
                holder[new_name] = holder.pop(name)
                out.changes.append(Change("renamed", old, old, new))
    return out


def migrate_answers(answers: dict[str, Any], steps: list[Step]) -> Migrated:
    """The answers moved through every step in order, with all the changes made."""
    result = Migrated(answers)
    for step in steps:
        moved = apply_step(result.answers, step)
        result = Migrated(moved.answers, result.changes + moved.changes)
    if not steps:
        result.answers = _copy(answers)
    return result


def item_schema(doc: Any, path: str) -> dict[str, Any] | None:
    """The subschema of an item named by a path (through groups and repeats), if any."""
    node: Any = doc
    for part in _parts(path):
        for _ in range(8):  # through references and arrays to the object holding the part
            if isinstance(node, dict) and isinstance(node.get("$ref"), str):
                try:
                    node = resolve_ref(doc, node["$ref"])
                except LookupError:
                    return None
            elif isinstance(node, dict) and node.get("type") == "array":
                node = node.get("items")
            else:
                break
        if not isinstance(node, dict) or not isinstance(node.get("properties"), dict):
            return None
        node = node["properties"].get(part)
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        try:
            node = resolve_ref(doc, node["$ref"])
        except LookupError:
            return None
    return node if isinstance(node, dict) else None


def item_options(doc: Any, path: str) -> list[Any] | None:
    return options_of(item_schema(doc, path))


def item_paths(doc: Any, prefix: str = "") -> Iterator[str]:
    """Every item of a form as a path, groups and repeats included (their items too)."""
    node = item_schema(doc, prefix) if prefix else doc
    if isinstance(node, dict) and node.get("type") == "array":
        node = node.get("items")
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        try:
            node = resolve_ref(doc, node["$ref"])
        except LookupError:
            return
    properties = node.get("properties") if isinstance(node, dict) else None
    if not isinstance(properties, dict):
        return
    for name in properties:
        path = f"{prefix}/{name}" if prefix else name
        yield path
        yield from item_paths(doc, path)
