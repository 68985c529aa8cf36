"""What a field widget is told about its field: where it is, its schema, its words.

Also the JSON-pointer helpers the form screen uses to keep the answers, and the conditions
that show and hide fields (`x-visible-if`, `if`/`then`/`else`, `oneOf` branches).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from engine.forms.compiler import SchemaCompiler
from engine.forms.form import Form
from engine.forms.i18n import LocalText
from engine.forms.json_values import resolve_ref

Predicate = Callable[[Any], bool]
MISSING = object()


def split(pointer: str) -> list[str]:
    return (
        [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]
        if pointer
        else []
    )


def get_at(doc: Any, pointer: str, default: Any = None) -> Any:
    node = doc
    for part in split(pointer):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return default
    return node


def set_at(doc: dict[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    """A copy of `doc` with the value at `pointer` set (MISSING removes it); parents are made."""
    result = copy.deepcopy(doc)
    parts = split(pointer)
    node: Any = result
    for i, part in enumerate(parts[:-1]):
        nxt = parts[i + 1]
        if isinstance(node, list):
            node = node[int(part)]
            continue
        if part not in node or not isinstance(node[part], dict | list):
            node[part] = [] if nxt.isdigit() else {}
        node = node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is MISSING:
        node.pop(last, None)
    else:
        node[last] = value
    return result


def deref(form: Form, schema: Any) -> dict[str, Any]:
    while isinstance(schema, dict) and "$ref" in schema:
        try:
            schema = {
                **resolve_ref(form.document, schema["$ref"]),
                **{k: v for k, v in schema.items() if k != "$ref"},
            }
        except LookupError:
            break
    return schema if isinstance(schema, dict) else {}


@dataclass
class FieldSpec:
    """One field to render: its pointer in the answers and its (dereferenced) schema."""

    form: Form
    pointer: str
    name: str
    schema: dict[str, Any]
    label: LocalText | None
    help: LocalText | None
    required: bool
    condition: Predicate | None = None  # tested against the object that holds the field
    compiler: SchemaCompiler | None = field(default=None, repr=False)

    def child(
        self, name: str, schema: Any, required: bool, pointer: str | None = None
    ) -> FieldSpec:
        sub = deref(self.form, schema)
        return FieldSpec(
            self.form,
            pointer if pointer is not None else f"{self.pointer}/{name}",
            name,
            sub,
            sub.get("x-label"),
            sub.get("x-help"),
            required,
            compiler=self.compiler,
        )

    @property
    def parent_pointer(self) -> str:
        return self.pointer.rsplit("/", 1)[0] if "/" in self.pointer else ""

    def predicate(self, schema: Any) -> Predicate:
        assert self.compiler is not None
        return self.compiler.predicate(schema)


def object_children(spec: FieldSpec) -> list[FieldSpec]:
    """The properties of an object field, with the conditions that show each one:
    `x-visible-if`, the branch of `if`/`then`/`else`, or the `oneOf` branch that names it."""
    s = spec.schema
    required = set(s.get("required", []))
    children: dict[str, FieldSpec] = {}
    for name, sub in s.get("properties", {}).items():
        child = spec.child(name, sub, name in required)
        if isinstance(child.schema.get("x-visible-if"), dict | bool):
            child.condition = spec.predicate(child.schema["x-visible-if"])
        children[name] = child

    def add_branch(branch: Any, condition: Predicate) -> None:
        branch = deref(spec.form, branch)
        for name, sub in branch.get("properties", {}).items():
            if name in children and children[name].schema:
                continue  # declared above: the branch only constrains it
            child = spec.child(name, sub, name in set(branch.get("required", [])))
            child.condition = condition
            children[name] = child

    if isinstance(s.get("if"), dict):
        holds = spec.predicate(s["if"])
        if "then" in s:
            add_branch(s["then"], holds)
        if "else" in s:
            add_branch(s["else"], lambda v: not holds(v))
    for branch in s.get("oneOf", []) + s.get("anyOf", []):
        branch = deref(spec.form, branch)
        keys = {
            k: v
            for k, v in branch.get("properties", {}).items()
            if isinstance(v, dict) and ("const" in v or "enum" in v)
        }
        if keys:
            add_branch(branch, spec.predicate({"properties": keys, "required": sorted(keys)}))
    return list(children.values())


def top_level(form: Form) -> FieldSpec:
    """The whole form as one object field."""
    return FieldSpec(
        form, "", "", form.document, None, None, True, compiler=SchemaCompiler(form.document)
    )
