"""`$ref` in a form: where each points, and the three ways a reference breaks the engine.

A reference may point inside the form (a JSON pointer, percent-encoded or not, an `$anchor`,
an embedded `$id`) or at a built-in meta-schema. The lint refuses one that points elsewhere
(`remote-ref`: a laptop would fetch it), one that points at nothing (`bad-ref`), and a cycle
of references and in-place keywords that never descends into the answers (`ref-cycle`:
validation would recurse for ever).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag, urljoin

from jsonschema_specifications import REGISTRY as META_SCHEMAS
from referencing import Registry
from referencing.exceptions import NoSuchResource, Unresolvable
from referencing.jsonschema import DRAFT202012

from engine.forms.conditions import VISIBLE_IF
from engine.forms.problems import Problem, pointer
from engine.forms.reference_validator import OFFLINE
from engine.forms.vocabulary import SUBSCHEMA, SUBSCHEMA_LISTS, SUBSCHEMA_MAPS

# Keywords that apply their subschema to the same value (not to a part of it).
IN_PLACE = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas")
_REFERENCES = ("$ref", "$dynamicRef")


def _walk(node: Any, at: str, base: str) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Every subschema with its pointer and base URI (`$id` moves the base)."""
    if not isinstance(node, dict):
        return
    if isinstance(node.get("$id"), str):
        base = urljoin(base, node["$id"])
    yield at, node, base
    for key, value in node.items():
        if key in SUBSCHEMA:
            yield from _walk(value, at + pointer(key), base)
        elif key in SUBSCHEMA_LISTS and isinstance(value, list):
            for i, sub in enumerate(value):
                yield from _walk(sub, at + pointer(key, i), base)
        elif key in SUBSCHEMA_MAPS and isinstance(value, dict):
            for name, sub in value.items():
                yield from _walk(sub, at + pointer(key, name), base)
        elif key == VISIBLE_IF:
            yield from _walk(value, at + pointer(key), base)
        elif key == "x-red-flags" and not at and isinstance(value, list):
            for i, flag in enumerate(value):
                if isinstance(flag, dict):
                    yield from _walk(flag.get("when"), at + pointer(key, i, "when"), base)


def schemas(doc: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema of a form, conditions (visibility, red flags) included, with its
    pointer."""
    for at, node, _ in _walk(doc, "", ""):
        yield at, node


def has_embedded_resources(doc: Any) -> bool:
    """Whether a subschema below the root declares its own `$id` (a resource of its own)."""
    return any(at and "$id" in node for at, node, _ in _walk(doc, "", ""))


def _resolver(doc: dict[str, Any]) -> Any:
    resource = DRAFT202012.create_resource(doc)
    registry: Registry[Any] = OFFLINE.combine(META_SCHEMAS).with_resource(
        resource.id() or "", resource
    )
    return registry.crawl().resolver_with_root(resource)


def _is_meta_schema(uri: str) -> bool:
    try:
        META_SCHEMAS.get_or_retrieve(urldefrag(uri)[0])
    except (NoSuchResource, Unresolvable, LookupError):
        return False
    return True


Edges = dict[int, list[tuple[str, Any]]]


def _targets(doc: dict[str, Any], file: str) -> tuple[Edges, list[Problem]]:
    """For every subschema (by identity), the in-place subschemas it leads to; and the
    references that lead nowhere allowed."""
    resolver = _resolver(doc)
    edges: Edges = {}
    problems: list[Problem] = []
    for at, node, base in _walk(doc, "", ""):
        out: list[tuple[str, Any]] = []
        for keyword in _REFERENCES:
            ref = node.get(keyword)
            if not isinstance(ref, str):
                continue
            where = at + pointer(keyword)
            target = urljoin(base, ref)
            try:
                out.append((where, resolver.lookup(target).contents))
            except (Unresolvable, LookupError, ValueError):
                same_form = ref.startswith("#") or urldefrag(target)[0] == urldefrag(base)[0]
                if same_form:
                    problems.append(Problem("bad-ref", file, where, {"ref": ref}))
                elif not _is_meta_schema(target):
                    problems.append(Problem("remote-ref", file, where, {"ref": ref}))
        for keyword in IN_PLACE:
            value = node.get(keyword)
            if keyword == "dependentSchemas" and isinstance(value, dict):
                out += [(at + pointer(keyword, k), sub) for k, sub in value.items()]
            elif isinstance(value, list):
                out += [(at + pointer(keyword, i), sub) for i, sub in enumerate(value)]
            elif isinstance(value, dict):
                out.append((at + pointer(keyword), value))
        edges[id(node)] = out
    return edges, problems


def _cycle(doc: dict[str, Any], edges: Edges) -> str | None:
    """The pointer of a reference that closes a cycle of in-place subschemas, if any."""
    state: dict[int, int] = {}  # 1 on the current path, 2 finished

    def visit(node: Any) -> str | None:
        key = id(node)
        state[key] = 1
        for where, target in edges.get(key, []):
            if not isinstance(target, dict):
                continue
            mark = state.get(id(target))
            if mark == 1:
                return where
            if mark is None and (found := visit(target)) is not None:
                return found
        state[key] = 2
        return None

    for _, node, _ in _walk(doc, "", ""):
        if id(node) not in state and (found := visit(node)) is not None:
            return found
    return None


def reference_problems(doc: dict[str, Any], file: str) -> list[Problem]:
    """`bad-ref`, `remote-ref` and `ref-cycle` problems of one form."""
    try:
        edges, problems = _targets(doc, file)
    except (Unresolvable, LookupError, ValueError, TypeError) as exc:
        return [Problem("bad-ref", file, "", {"ref": str(exc)})]
    if not problems:
        try:
            where = _cycle(doc, edges)
        except RecursionError:
            where = ""
        if where is not None:
            problems.append(Problem("ref-cycle", file, where, {}))
    return problems
