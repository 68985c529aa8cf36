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
from engine.forms.form import Form, Section
from engine.forms.i18n import LocalText
from engine.forms.json_values import resolve_ref
from engine.forms.vocabulary import option_key

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
            sub.get("x-label") or sub.get("title"),
            sub.get("x-help") or sub.get("description"),
            required,
            compiler=self.compiler,
        )

    @property
    def parent_pointer(self) -> str:
        return self.pointer.rsplit("/", 1)[0] if "/" in self.pointer else ""

    def predicate(self, schema: Any) -> Predicate:
        assert self.compiler is not None
        return self.compiler.predicate(schema)


def _both(a: Predicate | None, b: Predicate | None) -> Predicate | None:
    if a is None or b is None:
        return a or b
    return lambda v: a(v) and b(v)


def _either(a: Predicate | None, b: Predicate | None) -> Predicate | None:
    if a is None or b is None:
        return None  # shown unconditionally by one of them
    return lambda v: a(v) or b(v)


def _present(key: str) -> Predicate:
    return lambda v: isinstance(v, dict) and key in v


def _discriminators(branches: list[dict[str, Any]]) -> dict[str, list[tuple[Any, Any]]]:
    """Properties whose `const` (or single `enum`) tells the branches apart, with the value
    and the branch's title for each branch: {"by": [("phone", title), ("letter", title)]}."""
    found: dict[str, list[tuple[Any, Any]]] = {}
    for branch in branches:
        for key, sub in branch.get("properties", {}).items():
            if not isinstance(sub, dict):
                continue
            if "const" in sub:
                value = sub["const"]
            elif isinstance(sub.get("enum"), list) and len(sub["enum"]) == 1:
                value = sub["enum"][0]
            else:
                continue
            found.setdefault(key, []).append((value, sub.get("title") or branch.get("title")))
    return {k: v for k, v in found.items() if len(v) == len(branches)}


def object_children(spec: FieldSpec) -> list[FieldSpec]:
    """The properties of an object field, with the condition that shows each one.

    Fields declared anywhere in the schema appear: in `properties`, in every `allOf` part, in
    the branches of `if`/`then`/`else`, `oneOf`/`anyOf` (shown when their branch applies, the
    branch told by a `const` property, which becomes a choice when only the branches declare
    it), in `dependentSchemas` (and draft-7 `dependencies`), and `x-visible-if`. A field
    declared in two places is shown when either applies."""
    children: dict[str, FieldSpec] = {}
    conditions: dict[str, Predicate | None] = {}

    def add(name: str, sub: Any, required: bool, condition: Predicate | None) -> None:
        if name in children:
            child = children[name]
            conditions[name] = _either(conditions[name], condition)
            child.required = child.required or (required and condition is None)
            if not child.schema and isinstance(sub, dict):
                fresh = spec.child(name, sub, child.required)
                child.schema, child.label, child.help = fresh.schema, fresh.label, fresh.help
            return
        child = spec.child(name, sub, required and condition is None)
        if isinstance(child.schema.get("x-visible-if"), dict | bool):
            condition = _both(condition, spec.predicate(child.schema["x-visible-if"]))
        children[name], conditions[name] = child, condition

    def collect(schema: Any, condition: Predicate | None, depth: int = 0) -> None:
        schema = deref(spec.form, schema)
        if depth > 16:  # a schema nested absurdly deep: what was found so far is shown
            return
        required = set(schema.get("required", []))
        for name, sub in schema.get("properties", {}).items():
            add(name, sub, name in required, condition)
        for part in schema.get("allOf", []):
            collect(part, condition, depth + 1)
        if isinstance(schema.get("if"), dict | bool):
            holds = spec.predicate(schema["if"])
            if "then" in schema:
                collect(schema["then"], _both(condition, holds), depth + 1)
            if "else" in schema:
                collect(schema["else"], _both(condition, lambda v: not holds(v)), depth + 1)
        for keyword in ("oneOf", "anyOf"):
            branches = [deref(spec.form, b) for b in schema.get(keyword, [])]
            keys = _discriminators(branches)
            for key, values in keys.items():
                if key not in children:  # the choice between the branches, made a field
                    labels = {
                        option_key(v): (title if isinstance(title, dict) else {"en": str(title)})
                        for v, title in values
                        if title
                    }
                    choice = {"enum": [v for v, _ in values], "x-options": labels}
                    add(key, choice, key in required, condition)
            for branch in branches:
                told = {k: branch["properties"][k] for k in keys}
                chosen = (
                    spec.predicate({"properties": told, "required": sorted(told)}) if told else None
                )
                collect(branch, _both(condition, chosen), depth + 1)
        dependent = schema.get("dependentSchemas", {})
        old = {k: v for k, v in schema.get("dependencies", {}).items() if isinstance(v, dict)}
        for key, sub in {**old, **dependent}.items():
            collect(sub, _both(condition, _present(key)))

    collect(spec.schema, None)
    for name, child in children.items():
        child.condition = conditions[name]
    return list(children.values())


def form_sections(form: Form, root: FieldSpec, specs: dict[str, FieldSpec]) -> list[Section]:
    """The form's sections (fills `specs` with its top-level fields): those it declares with
    the fields of no section after them, or one section of every field."""
    specs.update((s.name, s) for s in object_children(root))
    declared = [s for s in form.sections if s.id != "main" or "x-sections" in form.document]
    sections = [s for s in declared if s.fields]
    placed = {name for s in sections for name in s.fields}
    rest = tuple(name for name in specs if name not in placed)
    if rest:
        label = form.title if not sections else {"zh-CN": "其他", "en": "More"}
        sections.append(Section("more" if sections else "main", label, rest))
    return sections


def top_level(form: Form) -> FieldSpec:
    """The whole form as one object field."""
    return FieldSpec(
        form, "", "", form.document, None, None, True, compiler=SchemaCompiler(form.document)
    )
